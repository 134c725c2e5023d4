"""Households: the scoped, paged list, the record, and saving with version checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, func, literal, or_, union
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from hiw_tui.db.audit import trail
from hiw_tui.db.casework.models import Consent
from hiw_tui.db.core.errors import Conflict, FieldError, NotFound
from hiw_tui.db.core.models import (
    Household,
    HouseholdPublic,
    HouseholdRow,
    Person,
    PersonNeed,
    User,
    UserPublic,
    utcnow,
)
from hiw_tui.db.core.prefix import in_ids, starts_with
from hiw_tui.db.core.scope import (
    check_new_household_scope,
    household_scope,
    require,
    require_can_assign,
)
from hiw_tui.db.ledger.models import Budget, budget_balance
from hiw_tui.db.ledger.monthly import restate_spend_months
from hiw_tui.db.privacy.consent_rows import standing_consents
from hiw_tui.db.privacy.visibility import shown_person
from hiw_tui.db.readings.scores import load_readings, summarise
from hiw_tui.domain.access import Permission
from hiw_tui.domain.budget import Balance
from hiw_tui.domain.codes import OPEN_STATUSES, REFERENCE_PREFIX, LocalAuthority, UserRole
from hiw_tui.domain.text import phone_search, postcode_key, search_key
from hiw_tui.domain.validation import HouseholdInput

EDITABLE = tuple(HouseholdInput.model_fields)
SORT_COLUMNS: dict[str, Any] = {
    "reference": col(Household.reference),
    "name": col(Household.primary_name),
    "members": col(Household.member_count),
    "needs": col(Household.need_count),
    "start": col(Household.start_date),
    "status": col(Household.status),
    "area": col(Household.local_authority),
}


@dataclass(frozen=True)
class HouseholdFilter:
    """What the list is narrowed to. Empty fields do not filter."""

    local_authority: str | None = None
    advocate_id: int | None = None
    status: str | None = None
    open_cases: bool = False
    """Only open cases: active or short term (`OPEN_STATUSES`)."""
    search: str = ""
    due_if_scored_before: date | None = None
    """Only households due a Star reading: taking part, with members, and with a current
    member whose latest final reading is before this date (today less the interval) or
    who has none."""


def _filtered(statement: Any, actor: UserPublic, where: HouseholdFilter) -> Any:
    statement = statement.where(household_scope(actor))
    if where.local_authority:
        statement = statement.where(Household.local_authority == where.local_authority)
    if where.advocate_id:
        statement = statement.where(Household.advocate_id == where.advocate_id)
    if where.status:
        statement = statement.where(Household.status == where.status)
    if where.open_cases:
        statement = statement.where(
            col(Household.status).in_([status.value for status in OPEN_STATUSES])
        )
    if where.due_if_scored_before is not None:
        statement = statement.where(
            col(Household.status).in_([status.value for status in OPEN_STATUSES]),
            col(Household.member_count) > 0,
            or_(
                col(Household.star_scored_through).is_(None),
                col(Household.star_scored_through) <= where.due_if_scored_before,
            ),
        )
    term = where.search.strip()
    if term:
        name, code = search_key(term), postcode_key(term)
        named = select(Person.household_id).where(
            col(Person.left_on).is_(None),
            or_(starts_with(Person.family_key, name), starts_with(Person.full_name_key, name)),
        )
        # A safe-contact household's postcode is its advocate's to know, so only they
        # find it by postcode. (Asked of each person found, through the household's key:
        # a NOT IN hashed every safe-contact household, a sixth of them all.)
        other = aliased(Household)
        hidden = exists().where(
            col(other.id) == col(Person.household_id),
            col(other.safe_contact) == True,  # noqa: E712  (as its partial index says)
            col(other.advocate_id) != actor.id,
        )
        at_postcode = select(Person.household_id).where(
            col(Person.left_on).is_(None), starts_with(Person.postcode_key, code), ~hidden
        )
        # One set of ids from three (with a phone number, four) index look-ups, not an OR
        # the planner would answer by reading every household.
        by_reference = select(Household.id).where(starts_with(Household.reference, term.upper()))
        looked_up = [by_reference, named, at_postcode]
        phone = phone_search(term)
        if phone:  # the phone, like the postcode, is a safe-contact household's advocate's
            looked_up.append(
                select(Person.household_id).where(
                    col(Person.left_on).is_(None), starts_with(Person.phone_key, phone), ~hidden
                )
            )
        statement = statement.where(in_ids(col(Household.id), union(*looked_up)))
    return statement


ROW_COLUMNS = tuple(name for name in HouseholdRow.model_fields if name in Household.model_fields)
"""The household's own columns a list row shows."""
FEW = 5_000
"""Matches at most this many are found first and then sorted (`list_households`)."""


def list_households(
    session: Session,
    *,
    actor: UserPublic,
    where: HouseholdFilter = HouseholdFilter(),
    sort: str = "reference",
    descending: bool = False,
    limit: int = 100,
    offset: int = 0,
    few: bool = False,
) -> list[HouseholdRow]:
    """One page of the households `actor` may see, sorted, with ties broken by id. (The
    need count, which counts special-category needs, sorts only for those who see them.)

    `few` says the caller has counted at most `FEW` matches: they are then found first
    and sorted, where otherwise the database may walk the sort order's index looking for
    them (fast when matches are many, slow when a filter leaves a handful)."""
    return [row for row, _ in _page(session, actor, where, sort, descending, limit, offset, few)]


def _page(
    session: Session,
    actor: UserPublic,
    where: HouseholdFilter,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
    few: bool,
) -> list[tuple[HouseholdRow, int]]:
    """The page's rows, each with the number of matches when `few` (else 0): found
    first, they are counted in the same pass (`count(*) over ()`), not in a second one."""
    if sort == "needs" and not actor.can(Permission.SENSITIVE):
        sort = "reference"
    column, tiebreak = SORT_COLUMNS[sort], col(Household.id)
    # A household without a value (a start date, while only referred) sorts after every
    # value, as the newest: the same on both databases, whose defaults differ.
    order = (
        (column.desc().nulls_first(), tiebreak.desc())
        if descending
        else (column.asc().nulls_last(), tiebreak)
    )
    # The page's ids first, from the household table alone (so the planner weighs only its
    # indexes), then their advocates and budgets.
    if few:
        matched = (
            _filtered(select(tiebreak.label("id"), column.label("key")), actor, where)
            .cte("matched")
            .prefix_with("MATERIALIZED")
        )
        key, ident = matched.c.key, matched.c.id
        page = select(ident.label("id"), func.count().over().label("total")).order_by(
            *(
                (key.desc().nulls_first(), ident.desc())
                if descending
                else (key.asc().nulls_last(), ident)
            )
        )
    else:
        page = _filtered(select(Household.id, literal(0).label("total")), actor, where)
        page = page.order_by(*order)
    paged = page.limit(limit).offset(offset).subquery("page")
    # The list's columns only, as plain rows: loading each household and budget as an
    # ORM object took longer than the query.
    statement = (
        sa_select(
            *(col(getattr(Household, name)) for name in ROW_COLUMNS),
            col(User.display_name),
            col(Budget.cap_pence),
            col(Budget.spent_pence),
            col(Budget.committed_pence),
            paged.c.total,
        )
        .join(paged, paged.c.id == col(Household.id))
        .join(User, col(Household.advocate_id) == col(User.id))
        .outerjoin(Budget, col(Budget.household_id) == col(Household.id))
    )
    found = session.execute(statement.order_by(*order)).all()
    return [
        (
            HouseholdRow.model_validate(
                {
                    **dict(zip(ROW_COLUMNS, row, strict=True)),
                    "advocate_name": advocate_name,
                    "budget": None if cap is None else Balance(cap, spent, committed),
                }
            ),
            total,
        )
        for *row, advocate_name, cap, spent, committed, total in found
    ]


def count_households(
    session: Session, *, actor: UserPublic, where: HouseholdFilter = HouseholdFilter()
) -> int:
    statement = _filtered(select(func.count()).select_from(Household), actor, where)
    return int(session.exec(statement).one())


def household_in_scope(
    session: Session, actor: UserPublic, household_id: int, *, lock: bool
) -> Household:
    """The household if `actor` may see it; `lock` (for a change) also needs the right to
    edit, and locks its row until the transaction ends."""
    statement = select(Household).where(Household.id == household_id, household_scope(actor))
    if lock:
        require(actor, Permission.EDIT, "change case records")
        statement = statement.with_for_update()
    household = session.exec(statement).first()
    if household is None:
        raise NotFound("That household does not exist or is not in your caseload.")
    return household


_ROLE_RANK = {"primary": 0, "secondary": 1}


def current_members(session: Session, household_id: int) -> list[Person]:
    """The household's current members: primary, secondary, then others as they joined."""
    people = session.exec(
        select(Person).where(Person.household_id == household_id, col(Person.left_on).is_(None))
    ).all()
    return sorted(people, key=lambda person: (_ROLE_RANK.get(person.role, 2), person.id or 0))


def household_record(session: Session, household: Household, actor: UserPublic) -> HouseholdPublic:
    """The record as `actor` may read it: sensitive fields and a safe-contact household's
    addresses and phone numbers withheld where the actor may not see them."""
    advocate = session.get(User, household.advocate_id)
    people = current_members(session, household.id or 0)
    needs: dict[int, list[str]] = {}
    if people:
        for person_id, need in session.exec(
            select(PersonNeed.person_id, PersonNeed.need)
            .where(col(PersonNeed.person_id).in_([p.id for p in people]))
            .order_by(col(PersonNeed.need))
        ):
            needs.setdefault(person_id, []).append(need)
    readings = load_readings(session, [p.id or 0 for p in people], final_only=True)
    consents: dict[int, list[tuple[str, str | None, bool]]] = {}
    for consent in standing_consents(session, Consent.household_id == household.id):
        consents.setdefault(consent.person_id, []).append(
            (consent.purpose, consent.partner_name, consent.given)
        )
    members = [
        shown_person(
            {
                **person.model_dump(),
                "support_needs": needs.get(person.id or 0, []),
                "star": summarise(readings.get(person.id or 0, [])),
                "consents": consents.get(person.id or 0, []),
            },
            actor=actor,
            household=household,
        )
        for person in people
    ]
    return HouseholdPublic.model_validate(
        {
            **household.model_dump(),
            "advocate_name": advocate.display_name if advocate else "?",
            "members": members,
            "former_members": session.exec(
                select(Person)
                .where(Person.household_id == household.id, col(Person.left_on).is_not(None))
                .order_by(col(Person.left_on).desc(), col(Person.id))
            ).all(),
            "budget": budget_balance(session.get(Budget, household.id)),
        }
    )


def open_household(
    session: Session, *, actor: UserPublic, household_id: int, audited: bool = True
) -> HouseholdPublic:
    """The full record, audited as a view in the same (write) transaction; a re-read
    for the same person still looking at it (back from its ledger) is not audited."""
    household = household_in_scope(session, actor, household_id, lock=False)
    if not audited:
        return household_record(session, household, actor)
    trail.record(
        session,
        actor=actor,
        action="view",
        entity="household",
        entity_id=household_id,
        household_id=household_id,
    )
    return household_record(session, household, actor)


@dataclass(frozen=True)
class HouseholdPage:
    rows: list[HouseholdRow]
    total: int
    offset: int


def household_page(
    session: Session,
    *,
    actor: UserPublic,
    where: HouseholdFilter,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> HouseholdPage:
    """A list page and the number of matches, read in one transaction. A search's
    matches are found, counted and paged in one pass (the search is the costly part:
    three or four index look-ups and their union); only a page past the end of them is
    counted first, to show the last page instead."""
    if where.search.strip():
        found = _page(session, actor, where, sort, descending, limit, offset, True)
        if found or not offset:
            total = found[0][1] if found else 0
            return HouseholdPage(rows=[row for row, _ in found], total=total, offset=offset)
    total = count_households(session, actor=actor, where=where)
    offset = max(0, min(offset, ((total - 1) // limit) * limit if total else 0))
    rows = list_households(
        session,
        actor=actor,
        where=where,
        sort=sort,
        descending=descending,
        limit=limit,
        offset=offset,
        few=total <= FEW,
    )
    return HouseholdPage(rows=rows, total=total, offset=offset)


def _check_advocate(session: Session, advocate_id: int, local_authority: str) -> None:
    advocate = session.get(User, advocate_id)
    if (
        advocate is None
        or not advocate.active
        or advocate.role != UserRole.ADVOCATE.value
        or advocate.local_authority != local_authority
    ):
        raise FieldError("advocate_id", "Choose an active advocate of this local authority.")


def _check_reference_free(session: Session, reference: str, household_id: int | None) -> None:
    clash = session.exec(select(Household.id).where(Household.reference == reference)).first()
    if clash is not None and clash != household_id:
        raise FieldError("reference", f"Reference {reference} is already in use.")


def _editable(household: Household) -> dict[str, Any]:
    return {name: getattr(household, name) for name in EDITABLE}


def create_household(
    session: Session, *, actor: UserPublic, data: HouseholdInput
) -> HouseholdPublic:
    values = data.model_dump()
    check_new_household_scope(
        actor, local_authority=values["local_authority"], advocate_id=data.advocate_id
    )
    _check_advocate(session, data.advocate_id, values["local_authority"])
    _check_reference_free(session, data.reference, None)
    household = Household(**values)
    session.add(household)
    try:
        session.flush()
    except IntegrityError as error:  # a concurrent save took the reference first
        raise FieldError("reference", f"Reference {data.reference} is already in use.") from error
    assert household.id is not None
    trail.record(
        session,
        actor=actor,
        action="create",
        entity="household",
        entity_id=household.id,
        household_id=household.id,
        changes=trail.diff({}, values),
    )
    return household_record(session, household, actor)


def update_household(
    session: Session, *, actor: UserPublic, household_id: int, version: int, data: HouseholdInput
) -> HouseholdPublic:
    """Save an edited household opened at `version`; a stale version raises Conflict.

    Changing the advocate is a reassignment, which only supervisors and programme
    managers may make, and only to an active advocate of the household's area.
    """
    household = household_in_scope(session, actor, household_id, lock=True)
    values = data.model_dump()
    if household.version != version:
        raise Conflict("household", _editable(household), values, household.version)
    if values["advocate_id"] != household.advocate_id:
        require_can_assign(actor)
    if values["local_authority"] != household.local_authority:
        check_new_household_scope(
            actor, local_authority=values["local_authority"], advocate_id=data.advocate_id
        )
    if (values["advocate_id"], values["local_authority"]) != (
        household.advocate_id,
        household.local_authority,
    ):
        _check_advocate(session, data.advocate_id, values["local_authority"])
    _check_reference_free(session, data.reference, household_id)
    return _save(session, actor, household, values, action="update")


def _save(
    session: Session,
    actor: UserPublic,
    household: Household,
    values: dict[str, Any],
    *,
    action: str,
) -> HouseholdPublic:
    changes = trail.diff(_editable(household), values)
    if "advocate_id" in changes:  # the trail names who, as a caseload move's does
        changes["advocate"] = [_username(session, user_id) for user_id in changes["advocate_id"]]
    if changes:
        before = household.advocate_id
        for name, value in values.items():
            setattr(household, name, value)
        household.version += 1
        household.updated_at = utcnow()
        session.flush()
        assert household.id is not None
        if {"advocate_id", "local_authority"} & changes.keys():
            restate_spend_months(session, {before, household.advocate_id})
        trail.record(
            session,
            actor=actor,
            action=action,
            entity="household",
            entity_id=household.id,
            household_id=household.id,
            changes=changes,
        )
    return household_record(session, household, actor)


def _username(session: Session, user_id: object) -> str | None:
    return session.exec(select(User.username).where(User.id == user_id)).first()


def suggest_reference(
    session: Session, *, actor: UserPublic, local_authority: LocalAuthority
) -> str:
    """The next free reference of the local authority's form, e.g. LIV-00043.

    References are unique across the programme, so this looks beyond the actor's scope;
    it reveals only a number.
    """
    prefix = f"{REFERENCE_PREFIX[local_authority]}-"
    last = session.exec(
        select(func.max(Household.reference)).where(starts_with(Household.reference, prefix))
    ).one()
    tail = (last or "")[len(prefix) :]
    return f"{prefix}{(int(tail) if tail.isdigit() else 0) + 1:05d}"
