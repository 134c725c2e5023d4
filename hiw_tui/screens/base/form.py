"""The edit forms: a form (fields and validation, see `form_base`) saved in the database.

Save (Ctrl+S) writes only a valid model, in a worker, as one transaction. When someone
else saved the record meanwhile, the two sets of edits are merged field by field against
what the form was opened with: a field only they changed keeps theirs, a field only you
changed takes yours, and only the fields you both changed are put to you, in full, to
choose between; the merged result is then saved over their version. The form keeps
everything typed until it is saved or deliberately discarded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError
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
from hiw_tui.domain.merge import ABSENT, Merged, flatten, merge, unflatten
from hiw_tui.domain.validation import field_errors
from hiw_tui.screens.base.form_base import FormBase
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.screens.dialogs.conflict import Clash, ConflictScreen
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
        self._typed: M | None = None
        """What was last submitted from the form."""
        self._merge_note = ""
        """Told once a merged save is done: whose changes it kept."""

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
            # Not a stop of its own for Tab: a field shows as it is reached.
            with VerticalScroll(classes="form-fields", can_focus=False):
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
        self._typed, self._merge_note = data, ""
        self._set_saving(True)
        self.run_db(self.save(data), self.Saved, write=True, group="save")

    def on_form_screen_saved(self, message: Saved) -> None:
        if self._merge_note:
            self.app.notify(self._merge_note, timeout=8)
        self.dismiss(message.result)

    def _base(self) -> dict[str, Any]:
        """What the form opened with (as `FormBase` remembers it): the base a merge is
        made against. A form that opened invalid has none, so every difference is asked."""
        if self._as_opened is None:
            return {}
        try:
            return _comparable(self.model.model_validate(self._as_opened))
        except ValidationError:
            return {}

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.query_one("#save", Button).disabled = saving

    def handle_data_error(self, error: BaseException) -> bool:
        self._set_saving(False)
        if isinstance(error, FieldError):
            self.show_errors({error.field: error.message})
            return True
        if isinstance(error, Conflict) and self._typed is not None:
            self._merge(error, self._typed)
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

    def _merge(self, conflict: Conflict, typed: M) -> None:
        """Merge what was typed with what `conflict` says is saved now; save the result
        at once if nothing clashes, else ask about the clashes first."""
        mine = _comparable(typed)
        theirs = flatten({name: plain(value) for name, value in conflict.current.items()})
        for name in theirs.keys() - mine.keys():  # a score or note only they have
            if name.partition(".")[0] in self._nested_fields():
                mine[name] = ABSENT
        opened = self._base()
        base = opened and {**dict.fromkeys(mine, ABSENT), **opened}
        merged = merge(base, mine, theirs)
        if not merged.clashes:
            self._save_merged(conflict, merged, merged.values)
            return
        labels = self.field_labels()
        clashes = [
            Clash(
                name,
                _label(labels, name),
                self.describe(name, _present(merged.theirs[name])),
                self.describe(name, _present(mine[name])),
            )
            for name in merged.clashes
        ]
        self.app.push_screen(ConflictScreen(clashes), partial(self._settle, conflict, merged))

    def _settle(
        self, conflict: Conflict, merged: Merged, take_theirs: frozenset[str] | None
    ) -> None:
        if take_theirs is None:
            self.show_message("⚠ Nothing saved yet: you both changed the same fields.")
        else:
            self._save_merged(conflict, merged, merged.settled(take_theirs))

    def _nested_fields(self) -> set[str]:
        """The model's dict-valued fields, which a merge takes key by key."""
        return {
            name
            for name, info in self.model.model_fields.items()
            if get_origin(info.annotation) is dict
        }

    def _save_merged(self, conflict: Conflict, merged: Merged, values: dict[str, Any]) -> None:
        """Save `values` over the version saved meanwhile.

        The form itself stays at the version and base it was opened with: if this save
        fails too (a value that no longer fits, a third person's save), saving again
        merges afresh, and a field only they changed can never be overwritten.
        """
        try:
            data = self.model.model_validate(unflatten(values, self._nested_fields()))
        except ValidationError as error:
            self.show_errors(field_errors(error))
            return
        opened, self.version = self.version, conflict.current_version
        try:
            query = self.save(data)
        finally:
            self.version = opened
        labels = self.field_labels()
        kept = ", ".join(_label(labels, name) for name in merged.kept)
        self._merge_note = f"Saved; their change to {kept} was kept." if kept else ""
        self._set_saving(True)
        self.run_db(query, self.Saved, write=True, group="save")


def _comparable(data: BaseModel) -> dict[str, Any]:
    """A model's fields as plain values, comparable with what a conflict reports as saved,
    a dict-valued field (a reading's scores) spread into one entry per key."""
    return flatten({name: plain(value) for name, value in data.model_dump().items()})


def _label(labels: dict[str, str], name: str) -> str:
    """What field `name` is called: its form label, or for one key of a dict-valued field
    (`scores.skills`) the field and the key."""
    head, _, key = name.partition(".")
    return labels.get(name) or (
        f"{labels.get(head, head.replace('_', ' ').capitalize())}: {key}" if key else name
    )


def _present(value: object) -> object:
    return None if value is ABSENT else value
