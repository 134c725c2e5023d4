"""Showing what people typed: always as literal text, never as markup or terminal codes."""

from __future__ import annotations

from rich.text import Text

from hiw_tui.domain.text import clean_line


def user_text(value: object, *, style: str = "") -> Text:
    """A `Text` holding `value` literally: square brackets stay brackets, escapes are gone."""
    return Text(clean_line("" if value is None else str(value)), style=style)
