"""Esc typed just before other keys is read as Esc, however fast they arrive.

A terminal sends Esc as the single character ESC, and also begins every longer key
with it (an arrow is ESC [ B); Alt and a letter it sends as ESC and the letter. Textual
(8.2) tells them apart by time: after an ESC it waits `ESCDELAY` (100 ms) for more. Over
SSH, on a slow link or a busy machine, the keys typed in a moment arrive in one read,
so Esc and the keys after it are read as one sequence and misread: Esc and `m` became
Alt+M, Esc and `/` or Enter lost the Esc, and Esc, a letter and an arrow became `^`,
the letter and the arrow.

The app binds no Alt keys, so here an ESC is the Esc key unless `[` or `O` follows it,
which begin the keys a terminal sends (arrows, function keys, a paste, a focus change,
the mouse): the parser is told its wait is over as soon as the character after the ESC
shows it is no such sequence. The price is that Alt and a key, which some terminals
send for word moves (Alt+B, Alt+F, Alt+Backspace), is also read as Esc and the key;
Ctrl+Left and Ctrl+Right move by words in every field. Pasted text is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable

import textual.drivers.linux_driver
from textual._xterm_parser import XTermParser
from textual.message import Message

ESC = "\x1b"
SEQUENCE_STARTS = frozenset("[O" + ESC)
"""What may follow an ESC that is not the Esc key alone: CSI and SS3 sequences; a
second ESC Textual already reads as Esc followed by whatever comes after it."""
PASTE_START = "[200~"
PASTE_END = "[201~"


class KeysAsTyped(XTermParser):
    """Textual's parser, told that an ESC followed by anything but a sequence is Esc."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._escape_read = False
        """The last character read was an ESC outside any sequence or paste."""
        self._pasting = False

    def feed(self, data: str) -> Iterable[Message]:
        if not data:
            yield from super().feed(data)
            return
        while data:
            if self._escape_read:
                self._escape_read = False
                waiting = self._awaiting.timeout is not None  # no `tick` has ended it
                if waiting and data[0] not in SEQUENCE_STARTS:
                    yield from self._end_of_sequence()
            at = data.find(ESC)
            if at < 0:
                yield from super().feed(data)
                return
            if at:
                yield from super().feed(data[:at])
            outside = self._awaiting.timeout is None  # not within a sequence
            yield from super().feed(ESC)
            data = data[at + 1 :]
            if data.startswith(PASTE_START):
                self._pasting = True
            elif data.startswith(PASTE_END):
                self._pasting = False
            self._escape_read = outside and not self._pasting

    def _end_of_sequence(self) -> Iterable[Message]:
        """What Textual reads once `ESCDELAY` has passed after the ESC: the Esc key."""
        self._timeout_time = 0.0
        yield from self.tick()


def take_keys_as_typed() -> None:
    """Read the terminal's keys with `KeysAsTyped`, from the next app run on."""
    textual.drivers.linux_driver.XTermParser = KeysAsTyped  # type: ignore[attr-defined]
