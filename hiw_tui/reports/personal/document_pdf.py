"""A document for a person as a PDF in large, clear type: black on white, 14 point text
and larger headings, ragged right, each bar with its figure written beside it (so
nothing is told by shade alone), and "Page 1 of 3" at the foot of each page.

A heading and what follows it up to the next heading (a Star area, a goal and its steps)
start on a new page when they would not fit whole on this one, and so does a paragraph.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO, Any

from hiw_tui.domain.document import INDENT, Bars, Block, Document, Heading
from hiw_tui.reports.printing import FONT, new_pdf

TITLE, SECTION, HEADING, BODY = 24, 20, 16, 14
"""Type sizes in points."""
LINE = 7.5
"""Millimetres from one line of body text to the next (about 1.5 lines)."""
LABEL, FIGURE, BAR = 55.0, 30.0, 6.0
"""The widths of a bar's label (its date) and its figure, and a bar's height, in mm."""
EARLIER, LATEST = 120, 0
"""The grey of the earlier bars and of the latest (black), each drawn in a black frame."""
MARGIN = 20


def write_document_pdf(document: Document, out: IO[bytes], *, made_by: str) -> None:
    pdf = new_pdf(title=document.title, author=made_by)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.add_page()
    pdf.set_font(FONT, "B", TITLE)
    _lines(pdf, document.title, 11)
    pdf.set_font(FONT, "", BODY)
    for line in document.about:
        _lines(pdf, line, LINE)
    for section in document.sections:
        parts = list(_parts(section.blocks))
        _keep_room(pdf, 18 + (_height(pdf, parts[0]) if parts else 0))
        pdf.ln(6)
        pdf.set_font(FONT, "B", SECTION)
        _lines(pdf, section.title, 10)
        pdf.set_line_width(0.5)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.ln(2)
        for part in parts:
            _keep_room(pdf, _height(pdf, part))
            for block in part:
                _draw(pdf, block)
    _page_numbers(pdf)
    out.write(bytes(pdf.output()))


def _parts(blocks: Sequence[Block]) -> Iterator[list[Block]]:
    """`blocks` cut before each heading."""
    part: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading) and part:
            yield part
            part = []
        part.append(block)
    if part:
        yield part


def _keep_room(pdf: Any, height: float) -> None:
    """A new page unless `height` fits on this one (or would not fit on any)."""
    if height <= pdf.h - 2 * MARGIN - 10 and pdf.will_page_break(height):
        pdf.add_page()


def _height(pdf: Any, blocks: Sequence[Block]) -> float:
    return sum(_draw(pdf, block, dry=True) for block in blocks)


def _draw(pdf: Any, block: Block, *, dry: bool = False) -> float:
    """Draw `block` (or with `dry`, only measure it); its height in mm."""
    if isinstance(block, Bars):
        return _bars(pdf, block, dry=dry)
    if isinstance(block, Heading):
        pdf.set_font(FONT, "B", HEADING)
        if not dry:
            pdf.ln(3)
        return 3 + _lines(pdf, block.text, 8.5, dry=dry)
    pdf.set_font(FONT, "", BODY)
    indent = 10.0 if block.startswith(INDENT) else 0.0
    return _lines(pdf, block.strip(), LINE, indent=indent, dry=dry)


def _lines(pdf: Any, text: str, height: float, *, indent: float = 0.0, dry: bool = False) -> float:
    """`text` wrapped to the page's width (less `indent`) from the left margin, on a new
    page if it would not fit whole on this one; its height."""
    width = pdf.epw - indent
    needed: float = pdf.multi_cell(width, height, text, align="L", dry_run=True, output="HEIGHT")
    if dry:
        return needed
    if pdf.will_page_break(needed):
        pdf.add_page()
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(width, height, text, align="L", new_x="LMARGIN", new_y="NEXT")
    return needed


def _bars(pdf: Any, bars: Bars, *, dry: bool = False) -> float:
    """A row per score: when, a frame as long as the top score holding a bar as long as
    this one, and the figure ("3 of 5"); the latest bar black, the earlier ones grey."""
    height = (LINE + 1) * len(bars.bars) + 1
    if dry:
        return height
    _keep_room(pdf, height)
    pdf.set_font(FONT, "", BODY)
    pdf.set_line_width(0.3)
    track = pdf.epw - LABEL - FIGURE
    for index, bar in enumerate(bars.bars):
        top = pdf.get_y()
        pdf.set_x(pdf.l_margin)
        pdf.cell(LABEL, LINE, bar.label)
        if bar.score is None:
            pdf.cell(track + FIGURE, LINE, "not scored")
        else:
            left, middle = pdf.l_margin + LABEL, top + (LINE - BAR) / 2
            pdf.rect(left, middle, track, BAR)
            pdf.set_fill_color(LATEST if index == len(bars.bars) - 1 else EARLIER)
            pdf.rect(left, middle, track * bar.score / bars.top, BAR, style="DF")
            pdf.set_fill_color(0)  # text is painted in the fill colour: black again
            pdf.set_x(left + track)
            pdf.cell(FIGURE, LINE, f"  {bar.score} of {bars.top}")
        pdf.set_y(top + LINE + 1)
    pdf.ln(1)
    return height


def _page_numbers(pdf: Any) -> None:
    """ "Page N of M" at the foot of every page, written once the pages are all laid."""
    pdf.set_auto_page_break(auto=False)
    pdf.set_font(FONT, "", 11)
    for number in range(1, pdf.pages_count + 1):
        pdf.page = number
        pdf.set_xy(pdf.l_margin, pdf.h - 14)
        pdf.cell(pdf.epw, 6, f"Page {number} of {pdf.pages_count}", align="C")
