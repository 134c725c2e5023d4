"""The one way the app starts a PDF: A4, in DejaVu Sans, which ships with the app
(`fonts/`, with its licence), so a name prints as typed ("Zoë Nowak-Łukasiewicz") on any
machine. The reports (`hiw_tui.reports.pdf`) and the documents written for a person
(`hiw_tui.reports.personal`) both start here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FONT = "DejaVu"
"""The family name the fonts are registered under: regular ("") and bold ("B")."""
FONTS = Path(__file__).with_name("fonts")


def new_pdf(*, title: str, author: str) -> Any:
    """An empty A4 document with the fonts registered, its title and author set, pages
    broken automatically 15 mm from the foot, and `{nb}` standing for the page count."""
    from fpdf import FPDF

    pdf: Any = FPDF(orientation="portrait", format="A4")
    pdf.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.alias_nb_pages()
    return pdf
