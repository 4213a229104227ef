"""The PDF stage: A4 PDFs printed by headless Chromium (driven by Playwright) from the HTML.

One printing path, two places it runs. :class:`PrintService` (a thread owning one browser) prints
and :func:`pdfmeta.apply <gba_report.engine.pdfmeta.apply>` stamps the document information;
both are used by:

- :class:`PdfQueue`, the local pool's printer: it runs in the building process, takes each job as
  soon as its HTML is ready and prints while the workers' kernels still run (one warm browser
  for the whole build; the overlap is the measured speed-up of ``PDFs printed while kernels
  run`` in the README). The local pool's workers therefore export HTML only.
- :func:`print_file`, a Dask worker's printer (:mod:`.dask_executor`): the worker prints its job
  itself and sends the PDF back, so the building machine only stores and publishes.

The browser is found by :mod:`gba_report.engine.chromium` (when the build is planned, or on the
Dask worker). PDFs are cached by the hash of their HTML and the print settings
(:func:`pdf_key`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from gba_report.engine import exitcodes, pdfmeta
from gba_report.engine.cache import Cache
from gba_report.engine.errors import BuildError, describe_file_system_fault, is_file_system_fault
from gba_report.engine.plan import Job
from gba_report.engine.progress import Progress
from gba_report.engine.timings import BuildTimings
from gba_report.engine.title import ReportMeta
from gba_report.fileio import atomic_write_bytes

#: ``where`` of a ``pdf_print`` timed step printed by the building process (:class:`PdfQueue`);
#: a Dask worker's step names the worker's address instead.
PRINTED_BY_BUILD = "build"

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
        #: PDF file -> (start, seconds) of each file printed.
        self.printed: dict[Path, tuple[float, float]] = {}
        self._queue: queue.Queue = queue.Queue()

    def submit(self, token: Any, html_file: Path, pdf_file: Path) -> None:
        """Queue ``html_file`` to be printed to ``pdf_file``."""
        self._queue.put((token, html_file, pdf_file))

    def drop_queued(self) -> None:
        """Forget the files queued but not yet handed to the browser."""
        with contextlib.suppress(queue.Empty):
            while True:
                self._queue.get_nowait()

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
                    start, t0 = time.time(), time.perf_counter()
                    try:
                        await self._print(browser, html_file, pdf_file)
                    except Exception as exc:  # noqa: BLE001 - not a fallback: reported per file
                        self.on_done(token, exc)
                    else:
                        self.printed[Path(pdf_file)] = (start, time.perf_counter() - t0)
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


@dataclass(frozen=True)
class Printed:
    """One PDF printed by :func:`print_file`.

    Attributes:
        browser: The browser's version.
        start: When printing started (epoch seconds).
        seconds: How long it took.
    """

    browser: str | None
    start: float
    seconds: float


def print_file(
    chromium: str, html_file: Path, pdf_file: Path, meta: ReportMeta, timeout_s: float = 120.0
) -> Printed:
    """Print ``html_file`` to ``pdf_file`` with a browser of its own and stamp its metadata.

    The same printing (:class:`PrintService`, :data:`PDF_OPTIONS`) and document information
    (:func:`pdfmeta.apply <gba_report.engine.pdfmeta.apply>`) as :class:`PdfQueue`; the browser
    is closed before it returns, so nothing outlives the job (a Dask task).

    Raises:
        Exception: Whatever stopped the browser from printing (Playwright's error, an OSError).
    """
    done: queue.Queue = queue.Queue()
    service = PrintService(chromium, lambda _token, error: done.put(error), 1, timeout_s)
    service.start()
    try:
        service.submit(None, html_file, pdf_file)
        error = _next_event(done)
    finally:
        service.stop()
    if error is not None:
        raise error
    pdfmeta.apply(pdf_file, meta)
    start, seconds = service.printed[Path(pdf_file)]
    return Printed(service.version, start, seconds)


class Printable(Protocol):
    """What :class:`PdfQueue` prints: a job and its HTML (an ``execute.ExecutedJob``)."""

    @property
    def job(self) -> Job:
        """The job."""
        ...

    @property
    def html_file(self) -> Path:
        """Its HTML."""
        ...


def _first_line(error: BaseException) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


class PdfQueue:
    """The PDF stage, fed while kernels still run: each job's PDF printed once its HTML is ready.

    The browser starts with the first PDF not in the cache and prints in its own thread
    while the workers execute the other reports, so the cores are not left idle waiting for
    the slowest kernel. Peak memory is then two kernels plus one printing renderer (each file
    has a fresh browser context, closed after printing). Use as a context manager: leaving it
    stops the browser.

    Args:
        chromium: The browser.
        concurrency: PDFs printed at once.
        cache: Where PDFs are looked up and stored.
        staging: The build's temporary folder.
        progress: Where progress goes.
        timings: Where each file's print time is added (``pdf_print`` steps), if anywhere.
    """

    def __init__(
        self,
        chromium: str,
        concurrency: int,
        cache: Cache,
        staging: Path,
        progress: Progress,
        timings: BuildTimings | None = None,
    ):
        self.chromium = chromium
        self.concurrency = concurrency
        self.cache = cache
        self.staging = staging
        self.progress = progress
        self.timings = timings
        self._events: queue.Queue = queue.Queue()
        self._service: PrintService | None = None
        self._pending = 0
        self._error: BuildError | None = None

    def __enter__(self) -> PdfQueue:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if self._service is None:
            return
        if exc_type is not None:  # a failed report or SIGTERM: print nothing more
            self._service.drop_queued()
        self._service.stop()

    def submit(self, item: Printable) -> None:
        """Give job ``item`` its ``<stem>.pdf`` in the staging folder: from the cache, or queued."""
        key = pdf_key(item.html_file.read_bytes())
        target = self.staging / f"{item.job.stem}.pdf"
        cached = self.cache.read(self.cache.pdf(key))  # checked against its sha256
        if cached is not None:
            atomic_write_bytes(target, cached)
            self.progress.stage(item.job.stem, "pdf (cached)", advance=1)
            return
        if self._service is None:
            self._service = PrintService(
                self.chromium,
                lambda token, error: self._events.put((token, error)),
                self.concurrency,
            )
            self._service.start()
        self._pending += 1
        self.progress.stage(item.job.stem, "pdf")
        self._service.submit((item, key, target), item.html_file, target)
        self._collect(block=False)

    def finish(self) -> str | None:
        """Wait for every queued PDF; return the browser's version if one started.

        Raises:
            BuildError: A PDF could not be printed (the first such error; exit code 1).
        """
        self._collect(block=True)
        if self._error is not None:
            raise self._error
        return None if self._service is None else self._service.version

    def _collect(self, block: bool) -> None:
        while self._pending:
            if block:
                event = _next_event(self._events)
            else:
                try:
                    event = self._events.get_nowait()
                except queue.Empty:
                    return
            self._pending -= 1
            (item, key, target), failed = event
            self._done(item, key, target, failed)

    def _done(self, item: Printable, key: str, target: Path, failed: BaseException | None) -> None:
        if failed is not None:
            self._error = self._error or _print_error(item, self.chromium, failed)
            self.progress.stage(item.job.stem, "PDF FAILED")
            return
        pdfmeta.apply(target, item.job.meta)  # title, author, /Lang, producer (cached with it)
        self.cache.store(self.cache.pdf(key), target.read_bytes())
        self.progress.stage(item.job.stem, "pdf done", advance=1)
        assert self._service is not None
        printed = self._service.printed.get(Path(target))
        if self.timings is not None and printed is not None:
            self.timings.add(item.job.stem, [print_step(printed[0], printed[1], PRINTED_BY_BUILD)])


def print_step(start: float, seconds: float, where: str) -> dict[str, Any]:
    """The ``pdf_print`` timed step of one PDF; ``where``: the build or a Dask worker's address."""
    return {"stage": "pdf_print", "name": "", "start": start, "s": seconds, "where": where}


def print_pdfs(
    executed: Sequence[Printable],
    chromium: str,
    concurrency: int,
    cache: Cache,
    staging: Path,
    progress: Progress,
) -> str | None:
    """Give every job its ``<stem>.pdf`` in ``staging``, all at once (see :class:`PdfQueue`).

    Returns:
        The browser's version when it was started, else None.

    Raises:
        BuildError: A PDF could not be printed (the first such error; exit code 1).
    """
    with PdfQueue(chromium, concurrency, cache, staging, progress) as printer:
        for item in executed:
            printer.submit(item)
        return printer.finish()


def _print_error(item: Printable, chromium: str, failed: BaseException) -> BuildError:
    if is_file_system_fault(failed):  # the PDF could not be written: a full disk, ...
        assert isinstance(failed, OSError)
        return BuildError(describe_file_system_fault(failed), exitcodes.FILE_SYSTEM)
    return BuildError(
        f"{item.job.name} ({item.job.lang}): printing the PDF with {chromium} "
        f"failed: {type(failed).__name__}: {_first_line(failed)}",
        exitcodes.FAILED,
    )


def _next_event(events: queue.Queue) -> Any:
    # Wake up regularly, so SIGTERM / Ctrl-C are handled while the browser prints.
    while True:
        with contextlib.suppress(queue.Empty):
            return events.get(timeout=0.2)
