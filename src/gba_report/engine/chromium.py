"""Which Chromium prints the PDFs: found before any kernel starts, or how to get one.

Chromium is looked up in this order: ``GBA_REPORT_CHROMIUM`` (a path or command name), then
``chromium``, ``chromium-browser``, ``google-chrome`` (and ``google-chrome-stable``) on
``PATH``, then a Playwright-managed Chromium if one was installed (``playwright install``).
"""

from __future__ import annotations

import os
import shutil

#: Command names tried on PATH.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

INSTALL_HINT = (
    "Install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`, or run "
    "`make system-deps`), or point GBA_REPORT_CHROMIUM at a Chromium/Chrome binary. "
    "`--format html` builds the HTML reports without Chromium."
)


class ChromiumNotFoundError(RuntimeError):
    """No usable Chromium executable was found."""


def _playwright_managed() -> str | None:
    # Imported here, not at the top: Playwright costs ~0.4 s of start-up in every command, and
    # is only asked when no Chromium is on PATH.
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            path = pw.chromium.executable_path
    except (PlaywrightError, OSError):  # Playwright's driver cannot start: no managed browser
        return None
    return path if path and os.access(path, os.X_OK) else None


def find_chromium() -> str:
    """Return the path of the Chromium executable to print with.

    Raises:
        ChromiumNotFoundError: None was found (the message says how to install one).
    """
    override = os.environ.get("GBA_REPORT_CHROMIUM")
    if override:
        found = shutil.which(override)
        if found:
            return found
        raise ChromiumNotFoundError(
            f"GBA_REPORT_CHROMIUM={override!r} is not an executable file. {INSTALL_HINT}"
        )
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    managed = _playwright_managed()
    if managed:
        return managed
    raise ChromiumNotFoundError(
        f"Chromium was not found (looked for {', '.join(CANDIDATES)} on PATH, "
        f"GBA_REPORT_CHROMIUM, and a Playwright-managed Chromium). {INSTALL_HINT}"
    )
