"""A box for a note of several lines, in a form."""

from __future__ import annotations

from textual.widgets import TextArea


class NoteBox(TextArea):
    """A note of several lines: it wraps as it is typed, `Enter` starts a new line, `Tab`
    goes on to the next field and `Ctrl+S` saves the form, as from any field. Its cursor
    stays lit rather than blink, as a text field's does (see `HiwApp.on_descendant_focus`)."""

    DEFAULT_CSS = """
    NoteBox { height: 4; width: 1fr; padding: 0; }
    """

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(
            text,
            compact=True,
            soft_wrap=True,
            tab_behavior="focus",
            highlight_cursor_line=False,
            placeholder="several lines: Enter starts a new one",
            id=id,
        )
        self.cursor_blink = False
