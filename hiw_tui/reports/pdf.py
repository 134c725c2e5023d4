"""A report as a PDF for printing (the board pack above all): a title, what it covers,
who made it and when, its tables, the distance-travelled chart where it has one, and
the counting rules in a note at the end.

Written in the app's own font (`hiw_tui.reports.printing`), so every name prints as typed.
"""

from __future__ import annotations

from datetime import date
from typing import IO, Any

from hiw_tui.domain.counting import SUMMARY
from hiw_tui.domain.money import pounds
from hiw_tui.domain.report_models import AreaChange
from hiw_tui.reports.printing import FONT, new_pdf
from hiw_tui.reports.tables import Chart, Report, Table, cell_text, is_figure


def write_pdf(report: Report, out: IO[bytes], *, made_by: str, today: date) -> None:
    pdf = new_pdf(title=f"Households into Work: {report.title}", author=made_by)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, f"Households into Work: {report.title}", new_x="LMARGIN")
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 5, report.heading(), new_x="LMARGIN")
    pdf.multi_cell(0, 5, f"Made by {made_by} on {today.isoformat()}", new_x="LMARGIN")
    pdf.ln(3)
    for table in report.tables:
        _table(pdf, table)
    if report.changes:
        _chart(pdf, report.changes, report.chart_labels)
    for chart in report.charts:
        _columns(pdf, chart)
    pdf.ln(4)
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(0, 4, SUMMARY, new_x="LMARGIN")
    out.write(bytes(pdf.output()))


def _table(pdf: Any, table: Table) -> None:
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 7, table.title, new_x="LMARGIN")
    pdf.set_font(FONT, "", 8)
    figures = [
        index > 0 and all(is_figure(row[index]) for row in table.rows)
        for index in range(len(table.headings))
    ]
    first = 2.0 if len(table.headings) < 6 else 1.5
    widths = [first if index == 0 else 1.0 for index in range(len(table.headings))]
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.5, width=pdf.epw) as printed:
        heading = printed.row()
        for text, right in zip(table.headings, figures, strict=True):
            heading.cell(text, align="RIGHT" if right else "LEFT")
        for values in table.rows:
            row = printed.row()
            for value, right in zip(values, figures, strict=True):
                row.cell(cell_text(value), align="RIGHT" if right else "LEFT")
    pdf.ln(4)


def _chart(pdf: Any, changes: tuple[AreaChange, ...], labels: tuple[str, ...]) -> None:
    """Each area's average first and latest score (1-5) as a pair of bars: a light bar
    for the first, a dark one for the latest, each with its figure written beside it."""
    height = 14 + 9 * len(changes)
    if pdf.will_page_break(height):
        pdf.add_page()
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 7, "Distance travelled: average score, first and latest", new_x="LMARGIN")
    pdf.set_font(FONT, "", 8)
    label_width, left = 45.0, pdf.l_margin
    scale = (pdf.epw - label_width - 25) / 5
    for change, label in zip(changes, labels, strict=True):
        top = pdf.get_y()
        pdf.set_xy(left, top)
        pdf.cell(label_width, 8, label)
        for offset, value, shade, word in (
            (0.0, change.first_average, 200, "first"),
            (4.0, change.latest_average, 60, "latest"),
        ):
            pdf.set_fill_color(shade)
            pdf.rect(left + label_width, top + offset + 0.5, value * scale, 3, style="F")
            pdf.set_xy(left + label_width + value * scale + 1, top + offset)
            pdf.cell(25, 4, f"{word} {value:.2f}")
        pdf.set_y(top + 9)
    pdf.ln(2)


SHADES = (190, 70, 130)
"""Grey levels of the series, light to dark; the legend names each in words."""


def _columns(pdf: Any, chart: Chart) -> None:
    """Columns per month, the series side by side, a legend naming each shade, the
    months beneath and the scale's top figure beside it."""
    height, months = 40.0, max(len(chart.labels), 1)
    if pdf.will_page_break(height + 25):
        pdf.add_page()
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 7, chart.title, new_x="LMARGIN")
    pdf.set_font(FONT, "", 7)
    legend = "   ".join(
        f"{('light', 'dark', 'mid')[index]}: {series.name}"
        for index, series in enumerate(chart.series)
    )
    pdf.multi_cell(0, 4, legend, new_x="LMARGIN")
    top = max((value for series in chart.series for value in series.values), default=0)
    shown = pounds(top) if chart.money else f"{top:,}"
    left, base = pdf.l_margin + 18, pdf.get_y() + height
    width = (pdf.epw - 18) / months
    bar = width * 0.8 / max(len(chart.series), 1)
    pdf.set_xy(pdf.l_margin, base - height)
    pdf.cell(17, 4, shown, align="R")
    pdf.set_xy(pdf.l_margin, base - 4)
    pdf.cell(17, 4, "0", align="R")
    pdf.line(left, base, left + width * months, base)
    for index, series in enumerate(chart.series):
        pdf.set_fill_color(SHADES[index % len(SHADES)])
        for month, value in enumerate(series.values):
            tall = height * value / top if top else 0
            x = left + month * width + width * 0.1 + index * bar
            pdf.rect(x, base - tall, bar, tall, style="F")
    step = max(1, months // 12)
    for month in range(0, len(chart.labels), step):
        pdf.set_xy(left + month * width, base + 1)
        pdf.cell(width * step, 4, chart.labels[month][2:])
    pdf.set_y(base + 8)
