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
the mouse): the parser is told its wait is over as soon as the character after the ESC,
or after ESC [, shows it is no such sequence (Esc and `[`, the previous page, typed
together lost the Esc). The price is that Alt and a key, which some terminals
send for word moves (Alt+B, Alt+F, Alt+Backspace), is also read as Esc and the key;
Ctrl+Left and Ctrl+Right move by words in every field. Pasted text is left alone.
"""

from __future__ import annotations

import string
from collections.abc import Iterable

import textual.drivers.linux_driver
from textual import events
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.message import Message

ESC = "\x1b"
SEQUENCE_STARTS = frozenset("[O" + ESC)
"""What may follow an ESC that is not the Esc key alone: CSI and SS3 sequences; a
second ESC Textual already reads as Esc followed by whatever comes after it."""
CSI = "["
CSI_CONTINUES = frozenset(string.digits + string.ascii_uppercase + ";<=>?[~" + "abcd")
"""What may follow ESC [ in a key, a mouse event or a report a terminal sends (rxvt's
Shift+arrows end in a to d); after anything else (Esc, `[`, `j` typed together) the
ESC was the Esc key and the `[` a key of its own."""
PASTE_START = "[200~"
PASTE_END = "[201~"


class KeysAsTyped(XTermParser):
    """Textual's parser, told that an ESC followed by anything but a sequence is Esc."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._after_escape: str | None = None
        """What has been read since an ESC outside any sequence or paste, while it may
        still begin a sequence ("" or "["); None otherwise."""
        self._pasting = False

    def feed(self, data: str) -> Iterable[Message]:
        if not data:
            yield from super().feed(data)
            return
        while data:
            # An ESC at `data[0]` after an ESC still alone: Textual reads the first as
            # Esc and waits again after this one, as after an ESC outside a sequence.
            after_lone_escape = False
            if self._after_escape is not None:
                after, self._after_escape = self._after_escape, None
                if self._awaiting.timeout is not None:  # no `tick` has ended it
                    after_lone_escape = after == "" and data[0] == ESC
                    if after == "" and data[0] == CSI:
                        yield from super().feed(CSI)
                        after, data = CSI, data[1:]
                        if not data:
                            self._after_escape = CSI
                            return
                    if (after == "" and data[0] not in SEQUENCE_STARTS) or (
                        after == CSI and data[0] not in CSI_CONTINUES
                    ):
                        yield from self._end_of_sequence(after)
            at = data.find(ESC)
            if at < 0:
                yield from super().feed(data)
                return
            if at:
                yield from super().feed(data[:at])
            # not within a sequence, or beginning a new one after Esc
            outside = self._awaiting.timeout is None or (at == 0 and after_lone_escape)
            yield from super().feed(ESC)
            data = data[at + 1 :]
            if data.startswith(PASTE_START):
                self._pasting = True
            elif data.startswith(PASTE_END):
                self._pasting = False
            if outside and not self._pasting:
                self._after_escape = ""

    def tick(self) -> Iterable[Message]:
        """Once `ESCDELAY` has passed after ESC [ with nothing more: Esc, then `[`."""
        due = self._timeout_time is not None and get_time() >= self._timeout_time
        if due and self._after_escape == CSI:
            self._after_escape = None
            yield from self._end_of_sequence(CSI)
        else:
            yield from super().tick()

    def _end_of_sequence(self, after: str) -> Iterable[Message]:
        """What Textual reads once `ESCDELAY` has passed after the ESC: the Esc key, and
        the `[` after it (which Textual would read alone, the Esc lost)."""
        if after:
            yield events.Key("escape", ESC)
        self._timeout_time = 0.0
        yield from super().tick()


def take_keys_as_typed() -> None:
    """Read the terminal's keys with `KeysAsTyped`, from the next app run on."""
    textual.drivers.linux_driver.XTermParser = KeysAsTyped  # type: ignore[attr-defined]
