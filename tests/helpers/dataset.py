"""The hand-built programme dataset (tests/data/programme): importing it, reporting on it,
and the app opened on it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from hiw_tui.app import HiwApp
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import UserPublic
from hiw_tui.domain.counting import Period
from hiw_tui.domain.framework import load_framework
from hiw_tui.domain.targets import Targets, load_targets
from hiw_tui.reports.build import build_report
from hiw_tui.reports.tables import Report
from hiw_tui.settings import Settings
from hiw_tui.transfer.load import ImportResult, import_directory
from tests.helpers.factories import POLICY
from tests.helpers.staff import Staff

DATASET = Path(__file__).parent.parent / "data" / "programme"
AS_OF = date(2026, 3, 31)
TARGETS = Targets.model_validate(
    {
        "period": [
            {
                "name": "Year to March 2026",
                "to": AS_OF,
                "targets": {"households_started": 800, "into_work_percent": 20},
            }
        ]
    }
)
"""Targets for the period the reports screen opens on (from the start to `AS_OF`)."""


def run_import(
    database: Database, actor: UserPublic, folder: Path, **options: bool
) -> ImportResult:
    return import_directory(
        database,
        actor=actor,
        folder=folder,
        today=date(2026, 11, 24),
        framework=load_framework(),
        policy=POLICY,
        **options,
    )


def load_dataset(database: Database, actor: UserPublic, folder: Path = DATASET) -> None:
    result = run_import(database, actor, folder)
    assert result.problems == [] and result.written


def built(
    database: Database, actor: UserPublic, kind: str, period: Period, audited: bool = False
) -> Report:
    """The report `kind`, as the reports screen builds it."""
    return database.write(
        build_report,
        actor=actor,
        kind=kind,
        period=period,
        targets=load_targets(),
        framework=load_framework(),
        audited=audited,
    )


def report(database: Database, actor: UserPublic, kind: str, period: Period) -> object:
    return built(database, actor, kind, period).data


def reports_app(
    database: Database, staff: Staff, supervisor: bool = False, export_dir: Path | None = None
) -> HiwApp:
    return HiwApp(
        database=database,
        actor=staff.liverpool_supervisor if supervisor else staff.manager,
        settings=Settings() if export_dir is None else Settings(export_dir=export_dir),
        today=lambda: AS_OF,
        targets=TARGETS,
    )


def copy_dataset(tmp_path: Path) -> Path:
    """A copy of the dataset's files to change."""
    folder = tmp_path / "crm"
    shutil.copytree(DATASET, folder)
    return folder


def replace_line(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new), encoding="utf-8")
