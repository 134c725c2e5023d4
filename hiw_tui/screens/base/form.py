"""The edit forms: a form (fields and validation, see `form_base`) saved in the database.

Save (Ctrl+S) writes only a valid model, in a worker, as one transaction. A conflict
opens the side-by-side view; the form keeps everything typed until it is saved or
deliberately discarded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar, get_args

from pydantic import BaseModel
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Label, Static

from hiw_tui.db.audit.trail import plain
from hiw_tui.db.casework.models import PartnerPublic
from hiw_tui.db.casework.partners import list_partners
from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.errors import Conflict, DataError, FieldError
from hiw_tui.domain.codes import Coded
from hiw_tui.screens.base.form_base import FormBase
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.screens.dialogs.conflict import KEEP, ConflictScreen
from hiw_tui.widgets.field import FormField
from hiw_tui.widgets.partner_choice import PartnerChoice

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


def _is_code_list(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Coded)


class FormScreen(DatabaseWork, FormBase[M, R], Generic[M, R]):
    """Subclasses set `model` and `heading`, build `fields()`, and say how to `save` a model.

    The form dismisses with what the save function returned (R), or None when cancelled.
    A `PartnerChoice` among the fields is offered the partner list once it is loaded.
    """

    BINDINGS = [Binding("ctrl+s", "submit", "Save", priority=True)]

    @dataclass
    class Saved(Message):
        result: Any

    @dataclass
    class PartnersLoaded(Message):
        partners: list[PartnerPublic]

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

    def save(self, data: M) -> Query[R]:
        """The query function that saves `data`, bound to `data` and its other arguments."""
        raise NotImplementedError

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

    def on_mount(self) -> None:
        if self.query(PartnerChoice):
            self.run_db(list_partners, self.PartnersLoaded)

    def on_form_screen_partners_loaded(self, message: PartnersLoaded) -> None:
        for choice in self.query(PartnerChoice):
            choice.partners = message.partners

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_submit()
        else:
            self.action_cancel()

    def _submit_now(self) -> None:
        if self._saving:  # a second keypress while the first save is on its way
            return
        super()._submit_now()

    def submit(self, data: M) -> None:
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
            self.show_message(f"✗ {error}")
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
            self.show_message(
                "⚠ Your edits are kept. Saving now replaces the version saved meanwhile."
            )
        else:
            self.dismiss(None)
