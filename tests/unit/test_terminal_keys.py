"""What the terminal sends, read into keys as the user typed them."""

from __future__ import annotations

import pytest
from textual import events

from hiw_tui.cli.terminal_keys import ESC, KeysAsTyped


def _keys(*reads: str) -> list[str]:
    """The keys and pastes read from `reads`, each arriving in one read, and nothing
    more arriving after them (as Textual's wait for more ends)."""
    parser = KeysAsTyped()
    tokens = [token for data in reads for token in parser.feed(data)]
    if parser._timeout_time is not None:  # waiting for more after an ESC
        parser._timeout_time = 0.0
        tokens += parser.tick()
    return [
        token.key if isinstance(token, events.Key) else f"paste {token.text!r}"
        for token in tokens
        if isinstance(token, (events.Key, events.Paste))
    ]


@pytest.mark.parametrize(
    ("sent", "typed"),
    [
        (f"{ESC}m\r", ["escape", "m", "enter"]),
        (f"{ESC}k{ESC}[B", ["escape", "k", "down"]),
        (f"{ESC}/HAL", ["escape", "slash", "H", "A", "L"]),
        (f"{ESC}\r", ["escape", "enter"]),
        (f"{ESC}1", ["escape", "1"]),
        (f"{ESC}{ESC}[B", ["escape", "down"]),
        (f"{ESC}{ESC}w", ["escape", "escape", "w"]),
        (f"{ESC}{ESC}{ESC}/", ["escape", "escape", "escape", "slash"]),
        (f"{ESC}{ESC}[j", ["escape", "escape", "left_square_bracket", "j"]),
        (f"{ESC}[B{ESC}U", ["down", "escape", "U"]),
        (f"ab{ESC}", ["a", "b", "escape"]),
        (f"{ESC}[1;5C", ["ctrl+right"]),
        (f"{ESC}[200~a b{ESC}[201~{ESC}q", ["paste 'a b'", "escape", "q"]),
        (f"{ESC}[j", ["escape", "left_square_bracket", "j"]),
        (f"{ESC}[\r", ["escape", "left_square_bracket", "enter"]),
        (f"{ESC}[", ["escape", "left_square_bracket"]),
        (f"{ESC}[{ESC}[B", ["escape", "left_square_bracket", "down"]),
        (f"{ESC}[a", ["shift+up"]),
    ],
)
def test_escape_in_a_burst_is_the_escape_key(sent: str, typed: list[str]) -> None:
    assert _keys(sent) == typed


def test_escape_at_the_end_of_one_read_and_a_key_in_the_next() -> None:
    assert _keys(ESC, "k", ESC, "[B") == ["escape", "k", "down"]
    assert _keys(ESC, "[", "A") == ["up"]
    assert _keys(ESC, ESC, "w") == ["escape", "escape", "w"]
    assert _keys(ESC, "[", "j") == ["escape", "left_square_bracket", "j"]
    assert _keys(f"{ESC}[", "k") == ["escape", "left_square_bracket", "k"]


def test_escape_read_alone_then_a_key_once_the_wait_is_over() -> None:
    """Esc pressed on its own: Textual's wait after it ends before the next key."""
    parser = KeysAsTyped()
    tokens = list(parser.feed(ESC))
    parser._timeout_time = 0.0  # the driver's `tick` once ESCDELAY has passed
    tokens += parser.tick()
    tokens += parser.feed("d")
    assert [token.key for token in tokens if isinstance(token, events.Key)] == ["escape", "d"]
