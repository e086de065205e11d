"""The one browser harness: Playwright driving Debian's Chromium (never a downloaded browser).

``with chromium_page(390) as page:`` gives one page at a width; ``with chromium() as
browser:`` a browser for several pages. Browser tests carry ``pytest.mark.browser``.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with nothing that reaches for the network."""
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)


@contextmanager
def chromium() -> Iterator[Browser]:
    """A browser for the length of the block, closed whatever the test did."""
    # Playwright's sync API runs an event loop in this thread, where the test's ORM
    # calls also run; allow that for the browser test only, then put it back.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                yield browser
            finally:
                browser.close()
                # The test's own queries ran while Playwright's loop was current, on a
                # connection of that context: close it there, or it outlives the test
                # database.
                connections.close_all()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@contextmanager
def chromium_page(width: int, height: int = 900, **page_options) -> Iterator[Page]:
    """One page of ``width`` × ``height`` CSS pixels in a browser of its own."""
    with chromium() as browser:
        yield browser.new_page(viewport={"width": width, "height": height}, **page_options)


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
