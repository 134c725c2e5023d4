"""Every row's reference in the import and export files.

A row imported from a CRM (or from another database's export) keeps the reference it
came with (`ref`; a person's `reference`). A row made here has none stored, and export
names it by this database's token, a letter for its kind and its id: `K7Q2XM-S1234`.
No other database has the token, so a reference of this shape made elsewhere never
meets one made here; imported into this database again, it finds its row by the id.
Importing another database's export stores its references as they are, so exporting
again writes them unchanged.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, TypeVar

from sqlalchemy import String, cast, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hiw_tui.db.core.models import DatabaseInfo, Person
from hiw_tui.transfer.chunks import chunks

R = TypeVar("R")
LETTERS = {
    "person": "P",
    "star_reading": "R",
    "plan_goal": "G",
    "plan_step": "S",
    "referral": "F",
    "outcome": "O",
    "contact": "C",
    "consent": "N",
    "exit_checkin": "K",
    "ledger_entry": "E",
    "budget_cap": "B",
}
"""The letter of each kind of row in a reference made here."""
_OWN = re.compile(r"([A-Z0-9]{6})-([A-Z])(\d{1,18})")


def database_token(session: Session) -> str:
    """This database's token (made by migration 0011, never changed)."""
    info = session.get(DatabaseInfo, "token")
    assert info is not None, "migration 0011 makes the token"
    return info.value


def ref_attribute(model: type[Any]) -> Any:
    """The column a kind of row keeps its imported reference in."""
    return col(model.reference) if model is Person else col(model.ref)


def _letter(model: type[Any]) -> str:
    return LETTERS[model.__tablename__]


def ref_of(model: type[Any], token: str) -> Any:
    """SQL for a row's reference: the one it was imported with, or the one made here."""
    made_here = f"{token}-{_letter(model)}" + cast(col(model.id), String)
    return func.coalesce(ref_attribute(model), made_here)


def made_here(model: type[Any], token: str, ref: str) -> int | None:
    """The id a reference names if this database made it for a row of `model`."""
    found = _OWN.fullmatch(ref)
    if found is None or found[1] != token or found[2] != _letter(model):
        return None
    return int(found[3])


def find_refs(
    session: Session, model: type[Any], refs: Iterable[str], token: str
) -> dict[str, int]:
    """ref -> id of the rows of `model` the references name: those imported with them,
    and those made here (the id, if that row still has no reference of its own)."""
    wanted = sorted(set(refs))
    own = {ref: made for ref in wanted if (made := made_here(model, token, ref)) is not None}
    found: dict[str, int] = {}
    reference = ref_attribute(model)
    for part in chunks([ref for ref in wanted if ref not in own]):
        statement = sa_select(reference, col(model.id)).where(reference.in_(part))
        found.update({ref: row_id for ref, row_id in session.execute(statement)})
    by_id = {row_id: ref for ref, row_id in own.items()}
    for ids in chunks(sorted(by_id)):
        statement = sa_select(col(model.id)).where(col(model.id).in_(ids), reference.is_(None))
        found.update({by_id[row_id]: row_id for row_id in session.scalars(statement)})
    return found


def paired(
    held: Iterable[Any], key_of_row: Callable[[Any], Hashable], wanted: Iterable[tuple[Hashable, R]]
) -> Iterator[tuple[R, Any]]:
    """Each wanted (key, record) with the held row it is, matched by key and position:
    the n-th record of a key in the file is the n-th row of that key held (in id order),
    and past the rows held, a new one (None). Rows whose key repeats stay distinct."""
    by_key: dict[Hashable, list[Any]] = defaultdict(list)
    for row in sorted(held, key=lambda row: row.id):
        by_key[key_of_row(row)].append(row)
    seen: Counter[Hashable] = Counter()
    for key, record in wanted:
        rows, index = by_key.get(key, []), seen[key]
        seen[key] += 1
        yield record, rows[index] if index < len(rows) else None
