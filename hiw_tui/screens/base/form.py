"""The shared machinery of the edit forms: fields, validation, saving, conflicts.

A form is a modal with one `FormField` per model field. Save (Ctrl+S) validates with
the pydantic model and shows each message beside its field; only a valid model is
written, in a worker, as one transaction. A conflict opens the side-by-side view; the
form keeps everything typed until it is saved or deliberately discarded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, get_args

from pydantic import BaseModel, ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from hiw_tui.db.audit.trail import plain
from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.errors import Conflict, DataError, FieldError
from hiw_tui.domain.codes import Coded
from hiw_tui.domain.validation import field_errors
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.screens.dialogs.conflict import KEEP, ConflictScreen
from hiw_tui.widgets.checklist import Checklist
from hiw_tui.widgets.field import FormField

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


def _is_code_list(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Coded)


class FormScreen(DatabaseWork, ModalScreen[R | None], Generic[M, R]):
    """Subclasses set `model` and `heading`, build `fields()`, and say how to `save` a model.

    The form dismisses with what the save function returned (R), or None when cancelled.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
        # A modal does not pass keys on to the app's bindings, so help is bound here too;
        # in a text field "?" is typed, as the field takes printable keys first.
        Binding("question_mark", "app.help", "Help", key_display="?", show=False),
    ]
    AUTO_FOCUS = "FormField > Horizontal > *"
    """Start in the first field (not in the scrolling container around the fields)."""
    model: type[M]
    heading = ""
    dialog_class = ""
    """A further class for the dialog, for a form that needs its own size."""

    @dataclass
    class Saved(Message):
        result: Any

    def __init__(self, *, version: int | None = None) -> None:
        super().__init__()
        self.version = version
        """The version being edited; None for a new record."""
        self._saving = False

    @property
    def edited_version(self) -> int:
        """The version being edited, for a form that edits (rather than adds) a record."""
        assert self.version is not None, "an edit form is opened at a version"
        return self.version

    def fields(self) -> Sequence[Widget]:
        """The form's controls: `FormField`s, and any other widgets placed between them."""
        raise NotImplementedError

    def save(self, data: M) -> Query[R]:
        """The query function that saves `data`, bound to `data` and its other arguments."""
        raise NotImplementedError

    def check(self, data: M) -> dict[str, str]:
        """Problems the model alone cannot see, as {field: message}; none by default."""
        return {}

    def field_labels(self) -> dict[str, str]:
        """What each field is called on screen, for the conflict view."""
        return {field.name or "": field.label_text for field in self.query(FormField)}

    def compose(self) -> ComposeResult:
        with Vertical(classes=f"dialog form-dialog {self.dialog_class}"):
            yield Label(self.heading, classes="dialog-title", markup=False)
            with VerticalScroll(classes="form-fields"):
                yield from self.fields()
            yield Static("", id="form-message", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save (Ctrl+S)", id="save", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def values(self) -> dict[str, Any]:
        """What the controls hold; an empty control is left out so the model's default applies."""
        values: dict[str, Any] = {}
        for field in self.query(FormField):
            control: Widget = field.control
            if isinstance(control, Input):
                if control.value.strip():
                    values[field.name or ""] = control.value
            elif isinstance(control, Select):
                if control.value is not Select.NULL:
                    values[field.name or ""] = control.value
            elif isinstance(control, Checklist):
                values[field.name or ""] = sorted(control.selected)
        return values

    def show_errors(self, errors: dict[str, str]) -> None:
        errors = dict(errors)  # the caller's dict still says whether there were any
        first: FormField | None = None
        for field in self.query(FormField):
            message = errors.pop(field.name or "", None)
            field.show_error(message)
            if message and first is None:
                first = field
        self.query_one("#form-message", Static).update(
            "; ".join(errors.values())
            if errors
            else ("✗ Please correct the marked fields." if first else "")
        )
        if first is not None:
            first.control.focus()
            first.scroll_visible()

    def action_save(self) -> None:
        """Save once the focused control has taken every key typed before Ctrl+S.

        Ctrl+S is a priority key, handled as soon as it arrives; the keys typed just
        before it (a burst, over a slow link) may still be queued at the focused field.
        Queueing the save behind them there means all of what was typed is saved.
        """
        (self.focused or self).call_later(self._save_now)

    def _save_now(self) -> None:
        if self._saving:  # a second keypress while the first save is on its way
            return
        try:
            data = self.model.model_validate(self.values())
        except ValidationError as error:
            self.show_errors(field_errors(error))
            return
        problems = self.check(data)
        self.show_errors(problems)
        if problems:
            return
        self._set_saving(True)
        self.run_db(self.save(data), self.Saved, write=True, group="save")

    def on_form_screen_saved(self, message: Saved) -> None:
        self.dismiss(message.result)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.query_one("#save", Button).disabled = saving

    def handle_data_error(self, error: BaseException) -> bool:
        self._set_saving(False)
        if isinstance(error, FieldError):
            self.show_errors({error.field: error.message})
            return True
        if isinstance(error, Conflict):
            dialog = ConflictScreen(error, self.field_labels(), self.describe)
            self.app.push_screen(dialog, lambda choice: self._resolve(error, choice))
            return True
        if isinstance(error, DataError):
            self.query_one("#form-message", Static).update(f"✗ {error}")
            return True
        return False

    def describe(self, name: str, value: object) -> str:
        """A stored value as people read it: code labels rather than codes."""
        value = plain(value)
        if value in (None, "", []):
            return "—"
        annotation = (
            self.model.model_fields[name].annotation if name in self.model.model_fields else None
        )
        codes = next(
            (arg for arg in get_args(annotation) or (annotation,) if _is_code_list(arg)), None
        )
        if codes is None:
            return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        items = value if isinstance(value, list) else [value]
        return ", ".join(codes(item).label for item in items)

    def _resolve(self, conflict: Conflict, choice: str | None) -> None:
        if choice == KEEP:
            self.version = conflict.current_version
            self.query_one("#form-message", Static).update(
                "⚠ Your edits are kept. Saving now replaces the version saved meanwhile."
            )
        else:
            self.dismiss(None)
