"""The shared shape of a household's case-work lists (referrals, outcomes, contacts) and
of the partner list: a table, the highlighted row's details below it, `n` to add and
Enter to edit in a form, both saved through the form's own checks and conflicts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.models import HouseholdPublic
from hiw_tui.screens.base.form import FormScreen
from hiw_tui.screens.base.item_form import ItemForm
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.widgets.detail_table import DetailTable, Row
from hiw_tui.widgets.footer import KeyFooter
from hiw_tui.widgets.text import cut, user_text

T = TypeVar("T")

MIN_STRETCH = 12
"""The fewest characters the stretched column is cut to: below it the table scrolls
sideways instead."""


class CaseListScreen(DatabaseWork, Screen[None], Generic[T]):
    """Subclasses set COLUMNS and `load`, and say how to show an item and edit it."""

    EDIT_ACTIONS = frozenset({"edit", "new"})
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("n", "new", "New"),
        Binding("enter", "edit", "Edit", priority=True),  # shown: the table's own is not
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
        Binding("ctrl+r", "reload", "Reload", show=False),
    ]
    COLUMNS: ClassVar[Sequence[tuple[str, str]]] = ()
    """(key, heading) of each table column."""
    EMPTY = "Nothing recorded yet: n adds one."
    """What an empty list says, and after a colon how to add (not said to a role that may
    not: `for_role`)."""
    FORM: ClassVar[type[ItemForm[Any, Any]]]
    """The form that adds or edits an item of a household's list."""
    STRETCH: ClassVar[str | None] = None
    """The key of the column whose text takes the width the other columns leave, cut at
    a word to fit it (and shown afresh when the terminal's width changes); `cells` gives
    that cell whole. None: every cell is shown as `cells` gives it."""
    AUDITED: ClassVar[bool] = True
    """Whether `query` audits the read as a view (and is given `audited=False` to not)."""

    @dataclass
    class Loaded(Message):
        items: Any
        """What `query` returned: the list, or something `received` finds it in."""

    def __init__(self, record: HouseholdPublic | None = None, *, select: int | None = None) -> None:
        super().__init__()
        self.record = record
        if record is not None:  # the header names the household, as the record's does
            self.sub_title = record.reference
        self.items: list[T] = []
        self._select = select
        """The id of an item to highlight once loaded."""
        self._room: int | None = None
        """The width the stretched column was last cut to."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.heading(), id="case-title")
        empty = self.for_role(self.EMPTY, "new")
        yield DetailTable(self.COLUMNS, detail=self.detail, empty=empty, id="items")
        yield KeyFooter()

    def heading(self) -> Text:
        if self.record is None:
            return Text("")
        name = self.record.members[0].full_name if self.record.members else ""
        return user_text(f"{self.record.reference}  {name}", style="bold")

    def on_mount(self) -> None:
        self._table.focus()
        self.action_reload()

    @property
    def household_id(self) -> int:
        assert self.record is not None, "a household's list has its household"
        return self.record.id

    def list_query(self, *, audited: bool) -> Query[Any]:
        """The query function that reads the list (or what `received` finds it in), bound
        to its arguments; `audited` says whether to audit the read as a view."""
        raise NotImplementedError

    def action_reload(self, audited: bool = True) -> None:
        """Read the list again; opening it is audited as a view, a re-read after a
        cancelled form is not (the same person is still looking at the same list)."""
        # An audited read writes its audit row, so it runs as a write.
        self.run_db(self.list_query(audited=audited), self.Loaded, write=self.AUDITED)

    def cells(self, item: T) -> Sequence[RenderableType]:
        raise NotImplementedError

    def detail(self, item: T) -> RenderableType:
        raise NotImplementedError

    def form(self, item: T | None) -> FormScreen[Any, Any]:
        """The form that adds an item (None) or edits `item`; it dismisses with the list."""
        assert self.record is not None
        return self.FORM(self.record, self.hiw_app.today(), item)

    def received(self, result: Any) -> list[T]:
        """The items in what `query` (or a form) returned; a list by default."""
        return list(result)

    def row_key(self, item: T) -> str:
        return str(getattr(item, "id", ""))

    @property
    def _table(self) -> DetailTable[T]:
        return self.query_one("#items", DetailTable)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.items = self.received(message.items)
        self.query_one("#case-title", Static).update(self.heading())
        wanted = next(
            (item for item in self.items if getattr(item, "id", None) == self._select), None
        )
        self._select = None
        self._show(select=None if wanted is None else self.row_key(wanted))

    def on_resize(self) -> None:
        if self.STRETCH is not None and self.items:
            self._show()

    def _show(self, select: str | None = None) -> None:
        """Show the items, the stretched column cut to the room the others leave; afresh
        when that room changed, as cells updated in place never narrow a column."""
        cells = [list(self.cells(item)) for item in self.items]
        room = self._stretch(cells)
        fresh, self._room = room != self._room, room
        rows = [
            Row(self.row_key(item), item, row) for item, row in zip(self.items, cells, strict=True)
        ]
        self._table.show(rows, select=select, fresh=fresh)

    def _stretch(self, cells: list[list[RenderableType]]) -> int | None:
        """Cut each row's stretched cell to the room the other columns leave, and say
        how wide that is (None: no column stretches)."""
        if self.STRETCH is None:
            return None
        keys = [key for key, _ in self.COLUMNS]
        at = keys.index(self.STRETCH)
        widths = {
            key: max((_width(row[n]) for row in cells), default=0)
            for n, key in enumerate(keys)
            if n != at
        }
        room = max(MIN_STRETCH, self._table.room_for(self.STRETCH, widths))
        for row in cells:
            cell = row[at]
            if isinstance(cell, Text):
                row[at] = cut(cell, room)
        return room

    def current(self) -> T | None:
        return self._table.current

    @on(DetailTable.Highlighted, "#items")
    def _highlighted(self) -> None:
        self.refresh_bindings()  # a key may apply to some items only (see check_action)

    @on(DetailTable.Chosen, "#items")
    def _chosen(self) -> None:
        if self.check_action("edit", ()):  # as Enter's binding asks (a click chooses too)
            self.action_edit()

    def action_cursor(self, step: int) -> None:
        self._table.move_cursor_by(step)

    def action_new(self) -> None:
        self.app.push_screen(self.form(None), self._saved)

    def action_edit(self) -> None:
        item = self.current()
        if item is not None:
            self.app.push_screen(self.form(item), self._saved)

    def _saved(self, items: Any) -> None:
        if items is None:
            self.action_reload(audited=False)  # cancelled or discarded: what is stored now
        else:
            # the item just added is the one highlighted, wherever the list puts it
            held = {getattr(item, "id", None) for item in self.items}
            added = [item for item in self.received(items) if getattr(item, "id", None) not in held]
            if len(added) == 1:
                self._select = getattr(added[0], "id", None)
            self.post_message(self.Loaded(items))

    def action_back(self) -> None:
        self.dismiss(None)  # the screen that opened this one hears of it (and reloads)


def _width(cell: RenderableType) -> int:
    """The columns a cell takes (a `Text`'s own; anything else as its words)."""
    return cell.cell_len if isinstance(cell, Text) else len(str(cell))
