"""Headless Debian chromium driven by Playwright (its own browser downloads are never used)."""

import shutil
from contextlib import contextmanager
from pathlib import Path

from orchestration import settings

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = settings.PROJECT_ROOT / "tests" / "artifacts"


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Debian's chromium is not installed: `make test` installs it (make browser)"
    return path


@contextmanager
def browser_page(width: int = 1300, height: int = 900):
    """A page whose console errors and uncaught exceptions are collected in page.errors."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.errors = []
            page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
            page.on("pageerror", lambda e: page.errors.append(str(e)))
            yield page
        finally:
            browser.close()


def offline(page, allowed: tuple[str, ...] = ("file:",)) -> list[str]:
    """Refuse every request but those to the `allowed` schemes; returns the list of every URL the page asked for
    (a self-contained page asks for none other)."""
    requested: list[str] = []

    def route(request_route) -> None:
        requested.append(request_route.request.url)
        if request_route.request.url.startswith(allowed):
            request_route.continue_()
        else:
            request_route.abort()

    page.route("**/*", route)
    return requested


def screenshot(page, name: str, **kwargs) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), **kwargs)
    return path
