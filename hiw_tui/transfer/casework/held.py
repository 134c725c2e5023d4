"""Which row held in the database each file row is: the row its reference names, else the
row of the same natural key at the same position among the rows of that key (the n-th
file row of a key is the n-th such row held, in id order), else a new row. Rows whose
natural key repeats stay distinct, never refused."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from hiw_tui.transfer.chunks import chunks
from hiw_tui.transfer.identity import find_refs, made_here, paired
from hiw_tui.transfer.match import key_text
from hiw_tui.transfer.problems import Problem


@dataclass(frozen=True)
class Owned:
    """A casework file's rows: the table they go in, the column naming each row's own
    reference, and the column of the table saying whose a row is (household or person)."""

    file: str
    ref_column: str
    model: type[Any]
    owner: str

    @property
    def whose(self) -> str:
        return self.owner.removesuffix("_id")


@dataclass(frozen=True, slots=True)
class Wanted:
    """A good file row: its number, own reference, the id of its owner if held (None for
    a household or person the import adds) and its natural key."""

    row: int
    ref: str
    owner_id: int | None
    key: Hashable


def held_rows(
    session: Session,
    token: str,
    owned: Owned,
    wanted: Sequence[Wanted],
    key_of_row: Callable[[Any], Hashable],
) -> tuple[dict[int, Any], list[Problem]]:
    """row number -> the row held it is (None: a new one), for each wanted row without a
    problem; and the problems: a reference used twice, one held for another owner, one
    made here whose row is gone."""
    model, problems = owned.model, []
    first: dict[str, int] = {}
    for item in wanted:
        if item.ref and item.ref in first:
            reason = f"{key_text(item.ref)} is already on row {first[item.ref]}"
            problems.append(Problem(owned.file, item.row, owned.ref_column, reason))
        elif item.ref:
            first[item.ref] = item.row
    repeated = {problem.row for problem in problems}
    found = find_refs(session, model, list(first), token)
    named = {row.id: row for row in _load(session, col(model.id), found.values(), model)}
    held: dict[int, Any] = {}
    unnamed: list[Wanted] = []
    for item in wanted:
        if item.row in repeated:
            continue
        row = named.get(found.get(item.ref, 0))
        if row is None:
            if item.ref and made_here(model, token, item.ref) is not None:
                reason = f"{item.ref} was made in this database, which no longer holds it"
                problems.append(Problem(owned.file, item.row, owned.ref_column, reason))
            else:
                unnamed.append(item)
        elif getattr(row, owned.owner) != item.owner_id:
            reason = f"{item.ref} is held for another {owned.whose}"
            problems.append(Problem(owned.file, item.row, owned.ref_column, reason))
        else:
            held[item.row] = row
    owners = {item.owner_id for item in unnamed if item.owner_id is not None}
    claimed = {row.id for row in held.values()}
    rows = [
        row
        for row in _load(session, getattr(model, owned.owner), owners, model)
        if row.id not in claimed
    ]
    held |= dict(paired(rows, key_of_row, ((item.key, item.row) for item in unnamed)))
    return held, problems


def _load(session: Session, column: Any, keys: Iterable[Any], model: type[Any]) -> list[Any]:
    return [
        row
        for part in chunks(sorted(set(keys)))
        for row in session.exec(select(model).where(col(column).in_(part)))
    ]
