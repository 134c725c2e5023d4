"""Text cut to fit a column: whole words, and people's names told apart."""

from __future__ import annotations

import pytest
from rich.text import Text

from hiw_tui.widgets.text import cut, short_name, shorten


def test_text_is_cut_after_a_whole_word() -> None:
    assert shorten("Anfield Co-op Long Payee Name", 16) == "Anfield Co-op…"
    assert shorten("Short", 16) == "Short"


def test_a_styled_text_is_cut_as_a_plain_one_keeping_its_styles() -> None:
    text = Text.assemble(("Food: ", "bold"), "Anfield Co-op [Stanley Rd]")
    short = cut(text, 22)
    assert short.plain == shorten(text.plain, 22) == "Food: Anfield Co-op…"
    assert short.spans == text.spans
    assert cut(text, 40) is text


@pytest.mark.parametrize(
    ("name", "limit", "shown"),
    [
        ("Ada Adv", 13, "Ada Adv"),
        ("Siobhan O'Donnell", 13, "S. O'Donnell"),
        ("Liverpool Advocate 3", 13, "L. Advocate 3"),
        ("Mary Ann Fitzgerald-Smythe", 13, "M. A. Fitzge…"),
        ("Harrison, Siobhan", 16, "Harrison, S."),
        ("Harrison, Mary Ann", 15, "Harrison, M. A."),
        ("Fitzgerald-Smythe, Mary", 16, "Fitzgerald-Smyt…"),
        ("Shaw, Phil", 16, "Shaw, Phil"),
        ("Fitzgerald, Siobhan Mary", 16, "Fitzgerald, S."),
    ],
)
def test_a_name_too_long_for_its_column_keeps_its_last_name(
    name: str, limit: int, shown: str
) -> None:
    assert short_name(name, limit) == shown


def test_a_name_is_cleaned_before_it_is_shortened() -> None:
    """An escape sequence cut in half by the shortening was no longer one to remove."""
    shown = short_name("Bold\x1b]0;pwned\x07, Ann", 14)
    assert shown == "Bold, Ann" and "pwned" not in shown
