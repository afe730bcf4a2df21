#!/usr/bin/env python
"""Take the README's screenshots (docs/screenshots/) from a running site.

Usage: bin/serve (in another terminal), then
    .venv/bin/python bin/screenshots.py [BASE_URL]      (default http://127.0.0.1:8000)

Playwright drives Debian's chromium headless (as the browser checks do, tests/browser/), in the
light colour scheme at one device pixel per CSS pixel: a phone (390 px) and a desktop (1280 px),
the first screen of each page only, so each file stays small (under 150 KB; the script says so
when one is not).
"""

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
# (file name, path, viewport): the home page on a desktop; the project list on both (on the
# phone the filters wait behind "Filter" and each project is a block, not a table row).
SHOTS = [
    ("home-1280.png", "/", {"width": 1280, "height": 800}),
    ("projects-1280.png", "/projects/?status=active", {"width": 1280, "height": 800}),
    ("projects-390.png", "/projects/?status=active", {"width": 390, "height": 844}),
    # The project statistics (issue 17): its first charts, and its map (scrolled to it).
    ("statistics-1280.png", "/projects/statistics/?lang=all", {"width": 1280, "height": 800}),
    (
        "statistics-map-1280.png",
        "/projects/statistics/?lang=all#stats-map",
        {"width": 1280, "height": 800},
    ),
    # A country page (issue 17), scrolled to its projects: totals and the small chart.
    ("country-1280.png", "/countries/ke/#projects-heading", {"width": 1280, "height": 800}),
]
MAX_BYTES = 150 * 1024


def main(base_url="http://127.0.0.1:8000"):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("chromium is missing: apt-get install chromium")
    OUT.mkdir(parents=True, exist_ok=True)
    too_big = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for name, path, viewport in SHOTS:
                page = browser.new_page(
                    viewport=viewport, device_scale_factor=1, color_scheme="light"
                )
                page.goto(base_url.rstrip("/") + path)
                target = OUT / name
                page.screenshot(path=str(target), animations="disabled", caret="hide")
                size = target.stat().st_size
                print(f"{target.relative_to(OUT.parents[1])}: {size // 1024} KB")
                if size > MAX_BYTES:
                    too_big.append(name)
                page.close()
        finally:
            browser.close()
    if too_big:
        sys.exit(f"over {MAX_BYTES // 1024} KB: {', '.join(too_big)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
