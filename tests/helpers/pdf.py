"""Reading a PDF the app wrote back as text, as a reader's PDF viewer would find it."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader


def pdf_text(path: Path) -> str:
    """Every page's text, with all runs of white space (line breaks too) as one space."""
    pages = PdfReader(path).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def plain(text: str) -> str:
    """`text` with its runs of white space as one space, to compare with `pdf_text`."""
    return " ".join(text.split())
