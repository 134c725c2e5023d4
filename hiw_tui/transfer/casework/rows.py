"""The casework files' rows as read, and what checking them against each other and the
database found: `read_casework`, then `CaseworkRows.check` before anything is written,
`write_partners` (before steps, which name partners) and `write` (after households and
people)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from hiw_tui.db.core.models import UserPublic
from hiw_tui.transfer.casework.check import Resolved, check_rows
from hiw_tui.transfer.casework.files import CHECKINS, CONSENTS, CONTACTS, PARTNERS, REFERRALS
from hiw_tui.transfer.casework.read import (
    CheckinRecord,
    ConsentRecord,
    ContactRecord,
    PartnerRecord,
    ReferralRecord,
    read_file,
)
from hiw_tui.transfer.casework.write import write_partners, write_rows
from hiw_tui.transfer.match import Matched
from hiw_tui.transfer.parse import Parsed
from hiw_tui.transfer.problems import FOLDER, Problem
from hiw_tui.transfer.reader import DEFAULT_ENCODING


@dataclass
class CaseworkRows:
    parsed: Parsed
    partners: list[PartnerRecord] = field(default_factory=list)
    consents: list[ConsentRecord] = field(default_factory=list)
    referrals: list[ReferralRecord] = field(default_factory=list)
    contacts: list[ContactRecord] = field(default_factory=list)
    checkins: list[CheckinRecord] = field(default_factory=list)
    named_partners: set[str] = field(default_factory=set)
    """Every name partners.csv gives, good rows and bad: a row naming a bad one is told so."""
    problems: list[Problem] = field(default_factory=list)
    """What the check found."""
    matched: Matched | None = None
    """The other files' rows as matched, once checked."""
    resolved: Resolved | None = None

    def bad(self, file: str) -> set[int]:
        """The rows of `file` with a problem (reading it, matching its usernames, or
        checking it so far)."""
        found = self.matched.problems if self.matched is not None else []
        every = (*self.parsed.problems, *found, *self.problems)
        left_out = self.matched.left_out if self.matched is not None else set()
        return {problem.row for problem in every if problem.file == file} | {
            row for where, row in left_out if where == file
        }

    def good(self, file: str, records: Iterable[Any]) -> list[Any]:
        bad = self.bad(file)
        return [record for record in records if record.row not in bad]

    def check(self, session: Session, actor: UserPublic, matched: Matched) -> list[Problem]:
        """Check every row against the others, the rows of the other files (`matched`)
        and the database; the problems (also kept). Nothing is written."""
        self.problems, self.matched = [], matched
        self.resolved = check_rows(session, actor, matched, self)
        return sorted(self.problems)

    def write_partners(self, session: Session, actor: UserPublic) -> dict[str, list[int]]:
        """Add and update the partners (then in `matched.partner_ids` with those held, for
        the steps that name them): file -> [created, updated, unchanged]."""
        resolved = self._resolved()
        counts = write_partners(session, actor, self, resolved)
        assert self.matched is not None
        self.matched.partner_ids.update(resolved.partner_ids)
        return counts

    def write(self, session: Session, actor: UserPublic, matched: Matched) -> dict[str, list[int]]:
        """Write the consents, referrals, contacts and check-ins (after households and
        people, whose ids `matched` then holds): file -> [created, updated, unchanged]."""
        return write_rows(session, actor, matched, self, self._resolved())

    def _resolved(self) -> Resolved:
        assert self.resolved is not None, "rows are checked before they are written"
        return self.resolved


def read_casework(folder: Path, parsed: Parsed, encoding: str = DEFAULT_ENCODING) -> CaseworkRows:
    """Every casework file in `folder` (in `encoding`, as `parse_directory` reads the
    others), read and checked cell by cell; problems go to `parsed.problems`, the files
    found to `parsed.present`, the usernames named to `parsed.user_refs` (so read before
    `match`, which checks them)."""
    rows = CaseworkRows(parsed)
    if FOLDER in parsed.unreadable:  # parse_directory said why, reading nothing
        return rows
    rows.partners = read_file(folder, PARTNERS, parsed, encoding, rows.named_partners)
    rows.consents = read_file(folder, CONSENTS, parsed, encoding)
    rows.referrals = read_file(folder, REFERRALS, parsed, encoding)
    rows.contacts = read_file(folder, CONTACTS, parsed, encoding)
    rows.checkins = read_file(folder, CHECKINS, parsed, encoding)
    return rows
