"""Document information of a printed PDF: title, author, subject, keywords, language, producer.

Chromium (through Playwright, ``tagged=True, outline=True``) writes the structure tree, the
bookmarks from the headings and ``/Lang`` from ``<html lang>``; it names itself as Creator and
Producer and leaves the rest empty. :func:`apply` sets, with pikepdf, the Info dictionary and
the matching XMP metadata (``dc:title``, ``dc:creator``, ``dc:description``, ``dc:language``,
``pdf:Keywords``, ``pdf:Producer``, ``xmp:CreatorTool``), ``/Lang`` (``en`` / ``zh-Hant``), and
asks viewers to show the title rather than the file name and to open the bookmarks
(``/DisplayDocTitle``, ``/PageMode /UseOutlines``). It is called once per printed PDF, before
the PDF goes into the cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path

import pikepdf

from gba_report.engine.title import ReportMeta
from gba_report.present import i18n

#: The project's name in Creator / Producer.
PROJECT = "gba-report"


def project_version() -> str:
    """The installed version of the project ("unknown" when it is not installed)."""
    try:
        return importlib_metadata.version(PROJECT)
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class DocumentInfo:
    """What :func:`apply` writes into a PDF.

    Attributes:
        title: The report's title.
        author: "GBA innovation report" in the report's language.
        subject: One line on the report and its data version.
        keywords: Keywords in the report's language.
        lang: ``en`` or ``zh-Hant``.
        creator: The project and its version (``gba-report 0.1.0``).
        producer: The project, its version and the printing browser's name.
    """

    title: str
    author: str
    subject: str
    keywords: str
    lang: str
    creator: str
    producer: str

    @classmethod
    def of(cls, meta: ReportMeta) -> DocumentInfo:
        """The document information of one report x language."""
        lang = meta.lang
        creator = f"{PROJECT} {project_version()}"
        return cls(
            title=meta.title,
            author=str(i18n.tr(lang, "reuse.project_name")),
            subject=str(
                i18n.tr(lang, "reuse.pdf.subject", title=meta.title, data_version=meta.data_version)
            ),
            keywords=str(i18n.tr(lang, "reuse.pdf.keywords")),
            lang=lang,
            creator=creator,
            producer=f"{creator} (HTML printed by Chromium, metadata by pikepdf)",
        )


def apply(pdf_file: Path, meta: ReportMeta) -> DocumentInfo:
    """Write the document information of ``meta`` into ``pdf_file`` (in place).

    Args:
        pdf_file: A PDF printed from the report's HTML.
        meta: The report's title block data (title, language, data version).

    Returns:
        What was written.
    """
    info = DocumentInfo.of(meta)
    with pikepdf.open(pdf_file, allow_overwriting_input=True) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
            xmp["dc:title"] = info.title
            xmp["dc:creator"] = [info.author]
            xmp["dc:description"] = info.subject
            xmp["dc:language"] = [info.lang]
            xmp["pdf:Keywords"] = info.keywords
            xmp["pdf:Producer"] = info.producer
            xmp["xmp:CreatorTool"] = info.creator
        pdf.docinfo["/Title"] = info.title
        pdf.docinfo["/Author"] = info.author
        pdf.docinfo["/Subject"] = info.subject
        pdf.docinfo["/Keywords"] = info.keywords
        pdf.docinfo["/Creator"] = info.creator
        pdf.docinfo["/Producer"] = info.producer
        pdf.Root.Lang = pikepdf.String(info.lang)
        prefs = pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
        prefs.DisplayDocTitle = True
        pdf.Root.ViewerPreferences = prefs
        if "/Outlines" in pdf.Root:
            pdf.Root.PageMode = pikepdf.Name.UseOutlines
        pdf.save(pdf_file)
    return info
