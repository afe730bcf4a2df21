"""The docs describe the code as it is: what the settings read and the README's table agree,
and docs/operations.md has one "Security" section (the lead merges helpers' subsections)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# A variable name as the settings read it: os.environ.get("X"), env_int("X", ...), etc.
READ = re.compile(r"""(?:environ\.get|env_\w+)\(\s*["']([A-Z][A-Z0-9_]+)["']""")
# dj-database-url reads DATABASE_URL through its env= argument.
READ_BY_KEYWORD = re.compile(r"""\benv=["']([A-Z][A-Z0-9_]+)["']""")
ROW = re.compile(r"^\| `([A-Z][A-Z0-9_]+)` \|", re.MULTILINE)
# Read by Django or the process manager, not by our settings modules.
READ_ELSEWHERE = {"DJANGO_SETTINGS_MODULE"}


def settings_variables():
    names = set()
    # gunicorn.conf.py: the app server's variables share the table.
    for path in [*(ROOT / "iomcms" / "settings").glob("*.py"), ROOT / "gunicorn.conf.py"]:
        text = path.read_text()
        names |= set(READ.findall(text)) | set(READ_BY_KEYWORD.findall(text))
    return names


def readme_variables():
    return set(ROW.findall((ROOT / "README.md").read_text()))


def test_every_variable_the_settings_read_has_a_readme_row():
    assert settings_variables() - readme_variables() == set()


def test_every_readme_row_is_read_by_the_settings():
    assert readme_variables() - settings_variables() - READ_ELSEWHERE == set()


def test_operations_has_one_security_section():
    headings = re.findall(r"^## (.+)$", (ROOT / "docs" / "operations.md").read_text(), re.M)
    assert headings.count("Security") == 1
    assert len(headings) == len(set(headings))


def test_decisions_have_no_repeated_heading():
    text = (ROOT / "docs" / "decisions.md").read_text()
    headings = re.findall(r"^#+ (.+)$", text, re.M)
    assert len(headings) == len(set(headings))
