"""Benchmark: what checking and storing one uploaded picture costs (pictures/images.py).

Usage (from the project root; no database needed):

    .venv/bin/python bench/pictures.py

For each size a photo-like JPEG (noise over a gradient, quality 90) is made in memory, then
``images.prepare`` (check, decode, turn upright, renditions in WebP and JPEG) and
``images.store`` (into an in-memory storage) are timed: the median wall time of
``--repeat`` runs, in one process, which is what an upload costs a worker. The report is
appended to bench/results/pictures.txt.
"""

import argparse
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iomcms.settings.test")

SIZES = [(1600, 900), (4000, 3000), (6000, 4000), (7740, 5160)]


def photo(width, height):
    from PIL import Image

    noise = Image.effect_noise((width, height), 40).convert("RGB")
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(noise, gradient, 0.5).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.storage import InMemoryStorage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pictures import images

    # Noise compresses badly: the largest test photos exceed the 10 MB default. Bytes are not
    # what is measured here; pixels are (the pixel limit stays as configured).
    settings.IOMCMS_PICTURE_MAX_BYTES = 100 * 1024 * 1024

    lines = [
        f"== pictures: prepare + store, median of {args.repeat} "
        f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f})"
    ]
    for width, height in SIZES:
        data = photo(width, height)
        timings, stored = [], 0
        for _ in range(args.repeat):
            storage = InMemoryStorage()
            upload = SimpleUploadedFile("photo.jpg", data)
            start = time.perf_counter()
            prepared = images.prepare(upload)
            name, renditions = images.store(prepared, storage)
            timings.append(time.perf_counter() - start)
            names = [name] + [row[k] for row in renditions for k in ("webp", "jpeg")]
            stored = sum(storage.size(n) for n in names)
        lines.append(
            f"{width}x{height} ({width * height / 1e6:.1f} MP, upload {len(data) / 1e6:.1f} MB): "
            f"{statistics.median(timings):.2f} s, {len(renditions)} widths, "
            f"stored {stored / 1e6:.1f} MB"
        )
    report = "\n".join(lines) + "\n"
    print(report, end="")
    with open(ROOT / "bench" / "results" / "pictures.txt", "a") as out:
        out.write(report + "\n")


if __name__ == "__main__":
    main()
