# Sourced by bin/serve and bin/test: make sure .venv exists with Python 3.13 and the pinned
# requirements, reinstalling only when requirements.txt changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

find_python() {
  for candidate in python3.13 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 13))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "iomcms needs Python 3.13 or newer (see .python-version); none was found on PATH." >&2
  return 1
}

if [ ! -x .venv/bin/python ]; then
  python_bin=$(find_python)
  echo "Creating .venv with $("$python_bin" --version)..."
  "$python_bin" -m venv .venv
fi

stamp=.venv/.requirements.sha256
wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "Installing requirements into .venv..."
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$wanted" >"$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
