"""A budget's totals as SQL expressions over its ledger rows: what counts as spent
(approved or needing no approval, less reversals) and what is committed (waiting for a
decision). The spend report and the integrity check both add up the rows with these."""

from __future__ import annotations

from sqlalchemy import and_, case, func, or_
from sqlmodel import col

from hiw_tui.db.ledger.models import LedgerDecision, LedgerEntry
from hiw_tui.domain.codes import Decision, EntryKind

SPEND = col(LedgerEntry.kind) == EntryKind.SPEND
DECISION = col(LedgerDecision.decision)
COUNTED = and_(SPEND, or_(~col(LedgerEntry.needs_approval), DECISION == Decision.APPROVED))
WAITING = and_(SPEND, col(LedgerEntry.needs_approval), DECISION.is_(None))
REVERSAL = col(LedgerEntry.kind) == EntryKind.REVERSAL
AMOUNT = col(LedgerEntry.amount_pence)
SPENT = func.coalesce(func.sum(case((COUNTED, AMOUNT), (REVERSAL, -AMOUNT), else_=0)), 0)
COMMITTED = func.coalesce(func.sum(case((WAITING, AMOUNT), else_=0)), 0)
