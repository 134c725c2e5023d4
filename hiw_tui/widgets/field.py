"""A labelled form control with the place for its error message right beside it."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea


class FormField(Vertical):
    """Wraps one control; `name` is the model field whose errors it shows."""

    DEFAULT_CSS = """
    FormField { height: auto; }
    FormField > Horizontal { height: auto; }
    FormField > .field-error { display: none; padding-left: 24; }
    FormField.-invalid > .field-error { display: block; }
    """

    def __init__(self, label: str, control: Widget, *, name: str) -> None:
        super().__init__(name=name, id=f"field-{name.replace('_', '-')}")
        self.label_text = label
        self.control = control

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.label_text, classes="field-label", markup=False)
            yield self.control
        yield Static("", classes="field-error", markup=False)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.add_class("-focused")  # its label reversed (the stylesheet): not colour alone

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.remove_class("-focused")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._edited()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._edited()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._edited()

    def _edited(self) -> None:
        """A message about what the field held goes once it is changed: it may be mended
        (the next save says again if not). A check made as it is typed, by the form,
        comes after this and shows its own message."""
        if self.has_class("-invalid"):
            self.show_error(None)

    def show_error(self, message: str | None) -> None:
        """Show `message` under the control (with a marker, not colour alone), or clear it."""
        self.set_class(bool(message), "-invalid")
        self.query_one(".field-error", Static).update(f"✗ {message}" if message else "")
