"""What every form shares: its fields, what they hold, and validation beside the field.

A form is a modal with one `FormField` per model field. Its action (Ctrl+S) validates
what was typed with the pydantic model and the form's own `check`, shows each message
beside its field, and hands a valid model to `submit`: `FormScreen` saves it in the
database, `LocalForm` gives it back to the screen underneath.

Typed work is never lost by accident. Once the form is ready it remembers what its
controls hold; leaving it (Esc, or its Cancel button) with anything changed asks first:
save (the form's own save, so a problem still shows beside its field and the form
stays), discard, or keep editing. Nothing else closes a form: the app's keys do not
reach a modal, the command palette opens its places over the form (back returns to it
as it was), and the idle lock covers it and uncovers it unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from textual import on
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from hiw_tui.domain.validation import field_errors
from hiw_tui.screens.dialogs.unsaved import DISCARD, SAVE, UnsavedChangesScreen
from hiw_tui.widgets.checklist import Checklist
from hiw_tui.widgets.field import FormField

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


MARKED = "✗ Please correct the marked fields."


class FormBase(ModalScreen[R | None], Generic[M, R]):
    """Subclasses set `model` and `heading`, build `fields()`, and say what `submit` does.

    The form dismisses with R, or None when cancelled.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # A modal does not pass keys on to the app's bindings, so help is bound here too;
        # in a text field "?" is typed, as the field takes printable keys first.
        Binding("question_mark", "app.help", "Help", key_display="?", show=False),
    ]
    AUTO_FOCUS = "FormField > Horizontal > *"
    """Start in the first field (not in a container around the fields)."""
    model: type[M]
    heading = ""
    dialog_class = ""
    """A further class for the dialog, for a form that needs its own size."""
    save_label = "Save"
    """What submitting does, as the unsaved-changes question names it."""
    _as_opened: dict[str, Any] | None = None
    """What the controls held once the form was ready (None until then)."""

    def fields(self) -> Sequence[Widget]:
        """The form's controls: `FormField`s, and any other widgets placed between them."""
        raise NotImplementedError

    def check(self, data: M) -> dict[str, str]:
        """Problems the model alone cannot see, as {field: message}; none by default."""
        return {}

    def submit(self, data: M) -> None:
        """Do what the form is for with valid `data`."""
        raise NotImplementedError

    def on_mount(self) -> None:
        # The controls have mounted (a select sets its value as it mounts), and a form
        # fills later values of its own through `remember`: this is what it opened with.
        self._as_opened = self.values()

    def remember(self, name: str) -> None:
        """Take what field `name` holds now as its starting value: for a value the form
        fills in itself after opening (a suggestion loaded in a worker), not a change."""
        if self._as_opened is None:
            return  # not yet remembered: it will be, with this value
        value = self.values().get(name)
        if value is None:
            self._as_opened.pop(name, None)
        else:
            self._as_opened[name] = value

    @property
    def changed(self) -> bool:
        """Whether anything differs from what the form opened with."""
        return self._as_opened is not None and self.values() != self._as_opened

    def action_cancel(self) -> None:
        """Leave: at once if nothing changed, else after asking what to do with the changes."""
        if not self.changed:
            self.dismiss(None)
            return
        self.app.push_screen(UnsavedChangesScreen(self.save_label), self._leave)

    def _leave(self, choice: str | None) -> None:
        if choice == SAVE:
            self.action_submit()
        elif choice == DISCARD:
            self.dismiss(None)

    def values(self) -> dict[str, Any]:
        """What the controls hold; an empty control is left out so the model's default applies."""
        values: dict[str, Any] = {}
        for field in self.query(FormField):
            control: Widget = field.control
            if isinstance(control, Input):
                if control.value.strip():
                    values[field.name or ""] = control.value.strip()
            elif isinstance(control, TextArea):
                if control.text.strip():
                    values[field.name or ""] = control.text.strip()
            elif isinstance(control, Select):
                if control.value is not Select.NULL:
                    values[field.name or ""] = control.value
            elif isinstance(control, Checklist):
                values[field.name or ""] = sorted(control.selected)
        return values

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message beside its field (the first such field takes focus), any other
        message in the form's message line; no errors clears them all."""
        errors = dict(errors)  # the caller's dict still says whether there were any
        first: FormField | None = None
        for field in self.query(FormField):
            message = errors.pop(field.name or "", None)
            field.show_error(message)
            if message and first is None:
                first = field
        self.show_message("; ".join(errors.values()) if errors else (MARKED if first else ""))
        if first is not None:
            first.control.focus()
            first.scroll_visible()

    def show_message(self, text: str) -> None:
        """Show `text` in the form's message line, under the fields ("" clears it)."""
        self._message = text
        self.query_one("#form-message", Static).update(text)

    _message = ""

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _mended(self) -> None:
        """ "Please correct the marked fields" goes once no field is marked (each field's
        own mark goes as it is changed, before this)."""
        if self._message == MARKED and not self.query(FormField).filter(".-invalid"):
            self.show_message("")

    def action_submit(self) -> None:
        """Submit what the controls hold. The keys typed just before Ctrl+S, in a burst
        over a slow link, have all been taken by then (`key_order` passes keys on in
        the order typed), so all of what was typed counts."""
        self._submit_now()

    def _submit_now(self) -> None:
        try:
            data = self.model.model_validate(self.values())
        except ValidationError as error:
            self.show_errors(field_errors(error))
            return
        problems = self.check(data)
        self.show_errors(problems)
        if not problems:
            self.submit(data)
