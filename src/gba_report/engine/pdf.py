"""The PDF stage: A4 PDFs printed by one headless Chromium (driven by Playwright) from the HTML.

The browser is found by :mod:`gba_report.engine.chromium` when the build is planned. PDFs are
cached by the hash of their HTML and the print settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import queue
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from gba_report.engine import exitcodes, pdfmeta
from gba_report.engine.cache import Cache
from gba_report.engine.errors import BuildError, describe_file_system_fault, is_file_system_fault
from gba_report.engine.execute import ExecutedJob
from gba_report.engine.progress import Progress
from gba_report.fileio import atomic_write_bytes

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
#: numbers "n / N" in the footer; tagged (structure tree, /Lang from <html lang>) with
#: bookmarks from the headings.
PDF_OPTIONS: dict[str, Any] = {
    "tagged": True,
    "outline": True,
    "format": "A4",
    "prefer_css_page_size": True,
    "print_background": True,
    "display_header_footer": True,
    "header_template": "<div></div>",
    "footer_template": FOOTER_TEMPLATE,
    "margin": {"top": "18mm", "bottom": "20mm", "left": "15mm", "right": "15mm"},
}

#: Part of the PDF cache key: bump when the print settings change.
PRINT_SETTINGS_VERSION = "pdf-v2"


def pdf_key(html: bytes) -> str:
    """Cache key of the PDF printed from ``html`` with the current print settings."""
    return hashlib.sha256(html + PRINT_SETTINGS_VERSION.encode()).hexdigest()


async def _local_only(route: Any) -> None:
    # Reports are self-contained: refuse every request that is not a local file or inline
    # data, so a stray reference can never reach the network.
    if route.request.url.startswith(("file:", "data:")):
        await route.continue_()
    else:
        await route.abort()


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
        concurrency: int = 1,
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
        try:
            asyncio.run(self._main())
        except Exception as exc:  # noqa: BLE001 - not a fallback: every queued file gets the error
            # e.g. the browser failed to start: report it for each file instead of hanging.
            while True:
                item = self._queue.get()
                if item is None:
                    break
                self.on_done(item[0], exc)

    async def _main(self) -> None:
        # Imported here, not at the top: Playwright costs ~0.4 s of start-up in every command,
        # and only this thread, started when a PDF is not in the cache, needs it.
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
                    except Exception as exc:  # noqa: BLE001 - not a fallback: reported per file
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
        # A fresh context per file: its renderer exits when the context closes, so memory
        # does not pile up across reports (the peak is one report, not all of them).
        context = await browser.new_context()
        try:
            page = await context.new_page()
            await page.route("**/*", _local_only)
            await page.goto(
                Path(html_file).resolve().as_uri(), wait_until="load", timeout=self.timeout_ms
            )
            await page.evaluate("document.fonts.ready.then(() => true)")
            await page.pdf(path=str(pdf_file), **PDF_OPTIONS)
        finally:
            await context.close()


def _first_line(error: BaseException) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


def print_pdfs(
    executed: Sequence[ExecutedJob],
    chromium: str,
    concurrency: int,
    cache: Cache,
    staging: Path,
    progress: Progress,
) -> str | None:
    """Give every job its ``<stem>.pdf`` in ``staging``: from the cache, or printed.

    Printing starts only now, after every kernel has finished: Chromium printing a
    chart-heavy report takes as much memory as two kernels, so keeping the phases apart keeps
    the build's peak memory well under 1.5 GiB.

    Args:
        executed: Jobs after the execute stage (none failed).
        chromium: The browser.
        concurrency: PDFs printed at once.
        cache: Where PDFs are looked up and stored.
        staging: The build's temporary folder.
        progress: Where progress goes.

    Returns:
        The browser's version when it was started, else None.

    Raises:
        BuildError: A PDF could not be printed (the first such error; exit code 1).
    """
    to_print: list[tuple[ExecutedJob, str, Path]] = []
    for item in executed:
        key = pdf_key(item.html_file.read_bytes())
        target = staging / f"{item.job.stem}.pdf"
        cached = cache.read(cache.pdf(key))
        if cached is not None:
            atomic_write_bytes(target, cached)
            progress.stage(item.job.stem, "pdf (cached)", advance=1)
        else:
            to_print.append((item, key, target))
            progress.stage(item.job.stem, "waiting to print")
    if not to_print:
        return None

    events: queue.Queue = queue.Queue()
    service = PrintService(chromium, lambda token, error: events.put((token, error)), concurrency)
    service.start()
    error: BuildError | None = None
    try:
        for token in to_print:
            item, _, target = token
            progress.stage(item.job.stem, "pdf")
            service.submit(token, item.html_file, target)
        for _ in to_print:
            (item, key, target), failed = _next_event(events)
            if failed is not None:
                error = error or _print_error(item, chromium, failed)
                progress.stage(item.job.stem, "PDF FAILED")
                continue
            pdfmeta.apply(target, item.job.meta)  # title, author, /Lang, producer (cached with it)
            cache.store(cache.pdf(key), target.read_bytes())
            progress.stage(item.job.stem, "pdf done", advance=1)
    finally:
        service.stop()
    if error is not None:
        raise error
    return service.version


def _print_error(item: ExecutedJob, chromium: str, failed: BaseException) -> BuildError:
    if is_file_system_fault(failed):  # the PDF could not be written: a full disk, ...
        assert isinstance(failed, OSError)
        return BuildError(describe_file_system_fault(failed), exitcodes.FILE_SYSTEM)
    return BuildError(
        f"{item.job.report} ({item.job.lang}): printing the PDF with {chromium} "
        f"failed: {type(failed).__name__}: {_first_line(failed)}",
        exitcodes.FAILED,
    )


def _next_event(events: queue.Queue) -> Any:
    # Wake up regularly, so SIGTERM / Ctrl-C are handled while the browser prints.
    while True:
        with contextlib.suppress(queue.Empty):
            return events.get(timeout=0.2)
