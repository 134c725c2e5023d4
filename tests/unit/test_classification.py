"""Every column is classified, and the sensitive-field hiding reads the classification."""

from __future__ import annotations

from sqlmodel import SQLModel

# Importing the table modules registers their tables.
import hiw_tui.db.casework.models
import hiw_tui.db.core.models
import hiw_tui.db.ledger.models  # noqa: F401
from hiw_tui.domain.classification import COLUMNS, NEED_CATEGORY, Category, Erase
from hiw_tui.domain.codes import SupportNeed
from hiw_tui.domain.sensitive import SENSITIVE_FIELDS, SENSITIVE_NEEDS


def _columns() -> set[str]:
    return {
        f"{table.name}.{column.name}"
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
    }


def test_every_column_is_classified_and_nothing_else_is() -> None:
    unclassified = _columns() - COLUMNS.keys()
    assert not unclassified, f"classify these in hiw_tui/domain/classification.py: {unclassified}"
    assert not COLUMNS.keys() - _columns(), "the classification names columns that are gone"


def test_personal_columns_say_why_they_are_held() -> None:
    for name, classified in COLUMNS.items():
        if classified.category is not Category.NONE:
            assert classified.purpose and classified.purpose != "bookkeeping", name
        if classified.erase is not Erase.KEEP:
            assert classified.category is not Category.NONE, name


def test_every_support_need_is_classified_and_hiding_follows_it() -> None:
    assert set(NEED_CATEGORY) == {need.value for need in SupportNeed}
    assert NEED_CATEGORY["ex_offender"] is Category.CRIMINAL
    assert NEED_CATEGORY["mental_health"] is Category.SPECIAL
    assert "ex_offender" in SENSITIVE_NEEDS and "domestic_abuse" in SENSITIVE_NEEDS
    assert "carer" not in SENSITIVE_NEEDS
    assert {"ethnicity"} == SENSITIVE_FIELDS
