"""A document about one person, written for them to read and keep: a title, a few lines
about it, and sections of paragraphs, sub-headings and bar charts.

The subject-access file and the hand-over pack are documents. Each is written as plain
text (`Document.text`, here) or as a PDF in large type (`hiw_tui.reports.personal`), the
same words either way.
"""

from __future__ import annotations

from dataclasses import dataclass

INDENT = "    "
"""A paragraph starting with this belongs to the one above it (a step's who and when)."""


@dataclass(frozen=True)
class Heading:
    """A heading within a section: a Star area, a goal of the plan."""

    text: str


@dataclass(frozen=True)
class Bar:
    """One score on one day: `label` says when; `score` is None where it was not scored."""

    label: str
    score: int | None


@dataclass(frozen=True)
class Bars:
    """Scores of one Star area on the days compared, oldest first, each out of `top`."""

    bars: tuple[Bar, ...]
    top: int = 5

    def lines(self) -> list[str]:
        """The bars as text: a `█` per point scored, `░` for the rest, and the figure."""
        width = max(len(bar.label) for bar in self.bars)
        return [
            f"{INDENT}{bar.label:<{width}}  "
            + (
                "not scored"
                if bar.score is None
                else "█" * bar.score + "░" * (self.top - bar.score) + f"  {bar.score} of {self.top}"
            )
            for bar in self.bars
        ]


Block = str | Heading | Bars
"""A paragraph (a line of text), a heading or a bar chart."""


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    title: str
    about: tuple[str, ...]
    """Lines under the title: whom it is about, who made it and when."""
    sections: tuple[Section, ...]

    def text(self) -> str:
        """The document as plain text: each section's title underlined, a blank line
        before each section and each heading."""
        lines = [self.title, *self.about]
        for section in self.sections:
            lines += ["", section.title, "-" * len(section.title)]
            for block in section.blocks:
                if isinstance(block, Heading):
                    lines += ["", block.text]
                elif isinstance(block, Bars):
                    lines += block.lines()
                else:
                    lines.append(block)
        return "\n".join(lines) + "\n"
