"""A4 PDFs printed by one headless Chromium (driven by Playwright) from the report HTML.

Chromium is looked up in this order: ``GBA_REPORT_CHROMIUM`` (a path or command name), then
``chromium``, ``chromium-browser``, ``google-chrome`` (and ``google-chrome-stable``) on
``PATH``, then a Playwright-managed Chromium if one was installed (``playwright install``).
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

#: Command names tried on PATH.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Chromium flags: headless printing needs no sandbox as root, no GPU and no network chatter.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
]

FOOTER_TEMPLATE = (
    '<div style="width:100%;font-size:8pt;color:#555;text-align:center;'
    "font-family:'Noto Sans CJK TC','Noto Sans',sans-serif;\">"
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)

#: Options of Playwright's ``page.pdf``: A4 (the CSS @page size wins), backgrounds, page
#: numbers "n / N" in the footer.
PDF_OPTIONS: dict[str, Any] = {
    "format": "A4",
    "prefer_css_page_size": True,
    "print_background": True,
    "display_header_footer": True,
    "header_template": "<div></div>",
    "footer_template": FOOTER_TEMPLATE,
    "margin": {"top": "18mm", "bottom": "20mm", "left": "15mm", "right": "15mm"},
}

#: Part of the PDF cache key: bump when the print settings change.
PRINT_SETTINGS_VERSION = "pdf-v1"

INSTALL_HINT = (
    "Install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`, or run "
    "`make system-deps`), or point GBA_REPORT_CHROMIUM at a Chromium/Chrome binary. "
    "`--format html` builds the HTML reports without Chromium."
)


class ChromiumNotFoundError(RuntimeError):
    """No usable Chromium executable was found."""


def _playwright_managed() -> str | None:
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            path = pw.chromium.executable_path
    except Exception:  # noqa: BLE001 - any failure means "not available"
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


def _local_only(route: Any) -> None:
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


class PdfPrinter:
    """One headless Chromium that prints any number of HTML files to A4 PDF.

    Use as a context manager; the browser starts on the first :meth:`print` call.
    """

    def __init__(self, executable: str | None = None, timeout_s: float = 120.0):
        self.executable = executable or find_chromium()
        self.timeout_ms = timeout_s * 1000
        self._pw: Any = None
        self._browser: Any = None
        self.version: str | None = None

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(
            executable_path=self.executable, args=LAUNCH_ARGS, headless=True
        )
        self.version = self._browser.version

    def print(self, html_file: Path, pdf_file: Path) -> None:
        """Print ``html_file`` to ``pdf_file`` (A4, page numbers "n / N" in the footer).

        Args:
            html_file: A self-contained HTML file.
            pdf_file: Where to write the PDF.
        """
        if self._browser is None:
            self._start()
        # A fresh context per file: its renderer exits when the context closes, so memory
        # does not pile up across reports (the peak is one report, not all of them).
        context = self._browser.new_context()
        try:
            page = context.new_page()
            # Reports are self-contained: refuse every request that is not a local file or
            # inline data, so a stray reference can never reach the network.
            page.route("**/*", _local_only)
            url = Path(html_file).resolve().as_uri()
            page.goto(url, wait_until="load", timeout=self.timeout_ms)
            page.evaluate("document.fonts.ready.then(() => true)")
            page.pdf(path=str(pdf_file), **PDF_OPTIONS)
        finally:
            with contextlib.suppress(Exception):
                context.close()

    def close(self) -> None:
        """Close the browser (safe to call more than once)."""
        browser, pw = self._browser, self._pw
        self._browser = self._pw = None
        try:
            if browser is not None:
                browser.close()
        finally:
            if pw is not None:
                pw.stop()

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - never mask the original error
            if exc is None:
                raise


class PrintService(threading.Thread):
    """A thread that owns one headless Chromium and prints files as they are submitted.

    The thread runs Playwright's asyncio API so that up to ``concurrency`` files print at once
    (one browser context each); the build hands it HTML files and gets a callback per file.

    Args:
        executable: Chromium to use.
        on_done: Called (in this thread) as ``on_done(token, error_or_None)`` after each file.
        concurrency: Files printed at the same time.
        timeout_s: Time allowed to load one file.
    """

    def __init__(
        self,
        executable: str,
        on_done: Callable[[Any, BaseException | None], None],
        concurrency: int = 2,
        timeout_s: float = 120.0,
    ):
        super().__init__(name="gba-report-pdf", daemon=True)
        self.executable = executable
        self.on_done = on_done
        self.concurrency = max(1, concurrency)
        self.timeout_ms = timeout_s * 1000
        self.version: str | None = None
        self._queue: queue.Queue = queue.Queue()

    def submit(self, token: Any, html_file: Path, pdf_file: Path) -> None:
        """Queue ``html_file`` to be printed to ``pdf_file``."""
        self._queue.put((token, html_file, pdf_file))

    def stop(self, timeout_s: float = 30.0) -> None:
        """Ask the thread to finish queued files and close the browser; wait up to ``timeout_s``."""
        self._queue.put(None)
        if self.is_alive():
            self.join(timeout_s)

    def run(self) -> None:
        """Print until :meth:`stop` is called."""
        import asyncio

        try:
            asyncio.run(self._main())
        except Exception as exc:  # noqa: BLE001 - e.g. the browser failed to start
            # Fail every file still queued, so the build reports the error instead of waiting.
            while True:
                item = self._queue.get()
                if item is None:
                    break
                self.on_done(item[0], exc)

    async def _main(self) -> None:
        import asyncio

        from playwright.async_api import async_playwright

        loop = asyncio.get_running_loop()
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=self.executable, args=LAUNCH_ARGS, headless=True
            )
            self.version = browser.version
            limit = asyncio.Semaphore(self.concurrency)
            tasks = []

            async def one(token: Any, html_file: Path, pdf_file: Path) -> None:
                async with limit:
                    try:
                        await self._print(browser, html_file, pdf_file)
                    except Exception as exc:  # noqa: BLE001 - reported to the build
                        self.on_done(token, exc)
                    else:
                        self.on_done(token, None)

            try:
                while True:
                    item = await loop.run_in_executor(None, self._queue.get)
                    if item is None:
                        break
                    tasks.append(asyncio.create_task(one(*item)))
                await asyncio.gather(*tasks)
            finally:
                await browser.close()

    async def _print(self, browser: Any, html_file: Path, pdf_file: Path) -> None:
        # A fresh context per file: its renderer exits when the context closes.
        context = await browser.new_context()
        try:
            page = await context.new_page()
            await page.route("**/*", _local_only_async)
            url = Path(html_file).resolve().as_uri()
            await page.goto(url, wait_until="load", timeout=self.timeout_ms)
            await page.evaluate("document.fonts.ready.then(() => true)")
            await page.pdf(path=str(pdf_file), **PDF_OPTIONS)
        finally:
            with contextlib.suppress(Exception):
                await context.close()


async def _local_only_async(route: Any) -> None:
    if route.request.url.startswith(("file:", "data:")):
        await route.continue_()
    else:
        await route.abort()
