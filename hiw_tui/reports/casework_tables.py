"""The case-work reports as tables (caseload, exits, referrals, welfare checks): titled
ones with a Total line for the screen and the terminal, one flat table for CSV and XLSX
and plain data for JSON (money in pence there, as `..._pence`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from hiw_tui.domain.casework_reports import (
    CaseloadLine,
    Counted,
    ExitFigures,
    Reach,
    ReferralLine,
    WelfareFigures,
)
from hiw_tui.domain.codes import HouseholdStatus, PartnerKind, Recontact, ReferralStatus
from hiw_tui.domain.counting import Period, percent
from hiw_tui.domain.money import decimal_pounds, pounds
from hiw_tui.reports.tables import Cell, Report, Table

STATUSES = tuple(status.value for status in HouseholdStatus)
CASELOAD_FIGURES = ("overdue_steps", "readings_due", "budget_left_pence")


def _caseload_figures(line: CaseloadLine) -> dict[str, int]:
    return {
        **{status: line.statuses.get(status, 0) for status in STATUSES},
        "overdue_steps": line.overdue_steps,
        "readings_due": line.readings_due,
        "budget_left_pence": line.budget_left,
    }


def caseload_report(lines: list[CaseloadLine], period: Period) -> Report:
    figures = [_caseload_figures(line) for line in lines]
    total = {key: sum(each[key] for each in figures) for key in (*STATUSES, *CASELOAD_FIGURES)}

    def shown(name: str, values: dict[str, int]) -> tuple[Cell, ...]:
        counts = [values[key] for key in (*STATUSES, *CASELOAD_FIGURES[:2])]
        return (name, *counts, pounds(values["budget_left_pence"]))

    table = Table(
        "Caseload by advocate",
        (
            "Advocate",
            *(HouseholdStatus(status).label for status in STATUSES),
            "Overdue steps",
            "Readings due",
            "Budget left",
        ),
        [
            *(shown(line.name, each) for line, each in zip(lines, figures, strict=True)),
            shown("Total", total),
        ],
    )
    flat = Table(
        "Caseload",
        ("advocate", "name", *STATUSES, "overdue_steps", "readings_due", "budget_left"),
        [
            (
                line.advocate,
                line.name,
                *(each[key] for key in (*STATUSES, *CASELOAD_FIGURES[:2])),
                decimal_pounds(each["budget_left_pence"]),
            )
            for line, each in zip(lines, figures, strict=True)
        ],
    )
    data = {
        "advocates": [
            {"advocate": line.advocate, "name": line.name, **each}
            for line, each in zip(lines, figures, strict=True)
        ],
        "total": total,
    }
    return Report("caseload", "Caseload", period, [table], flat, data)


def _counted_table(title: str, heading: str, lines: Iterable[Counted]) -> Table:
    rows: list[tuple[Cell, ...]] = [(line.label, line.count) for line in lines]
    rows.append(("Total", sum(int(count or 0) for _, count in rows)))
    return Table(title, (heading, "Households"), rows)


def _by_code(lines: Sequence[Counted]) -> dict[str, int]:
    return {line.code or "not_recorded": line.count for line in lines}


def exits_report(figures: ExitFigures, period: Period) -> Report:
    left = sum(line.count for line in figures.statuses)
    kinds: dict[str, int] = {}
    for onward in figures.onward:
        kinds[onward.kind] = kinds.get(onward.kind, 0) + onward.referrals
    onward_total = sum(kinds.values())
    tables = [
        _counted_table(
            f"Left the programme ({figures.households_referred_on:,} of {left:,} referred on)",
            "Status",
            figures.statuses,
        ),
        _counted_table("Exit reasons", "Reason", figures.reasons),
        _counted_table("Destinations", "Destination", figures.destinations),
        Table(
            "Onward referrals by partner kind",
            ("Partner kind", "Referrals"),
            [
                *((PartnerKind(kind).label, count) for kind, count in sorted(kinds.items())),
                ("Total", onward_total),
            ],
        ),
        Table(
            "Onward referrals by partner",
            ("Partner", "Kind", "Referrals"),
            [
                *((o.partner, PartnerKind(o.kind).label, o.referrals) for o in figures.onward),
                ("Total", "", onward_total),
            ],
        ),
    ]
    groups = (
        ("status", figures.statuses),
        ("reason", figures.reasons),
        ("destination", figures.destinations),
    )
    flat_rows: list[tuple[Cell, ...]] = [
        (group, line.code or "not_recorded", line.label, line.count)
        for group, lines in groups
        for line in lines
    ]
    flat_rows += [("onward", o.kind, o.partner, o.referrals) for o in figures.onward]
    data = {
        "left": _by_code(figures.statuses),
        "households_referred_on": figures.households_referred_on,
        "reasons": _by_code(figures.reasons),
        "destinations": _by_code(figures.destinations),
        "onward": [
            {"partner": o.partner, "kind": o.kind, "referrals": o.referrals} for o in figures.onward
        ],
    }
    flat = Table("Exits", ("table", "code", "label", "count"), flat_rows)
    return Report("exits", "Exits and onward referrals", period, tables, flat, data)


REFERRAL_STATUSES = tuple(status.value for status in ReferralStatus)
LATEST_STATUS = "each once, at its latest status"
"""What the status columns count: not a funnel (an attended referral is not also counted
as made and accepted), as the titles say."""


def _status_counts(statuses: dict[str, int]) -> list[int]:
    """The count in each status, in the vocabulary's order, and their total."""
    counts = [statuses.get(status, 0) for status in REFERRAL_STATUSES]
    return [*counts, sum(counts)]


def _status_cells(statuses: dict[str, int]) -> list[Cell]:
    return list(_status_counts(statuses))


def _summed(groups: Iterable[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for statuses in groups:
        for status, count in statuses.items():
            total[status] = total.get(status, 0) + count
    return total


def referrals_report(lines: list[ReferralLine], period: Period) -> Report:
    headings = tuple(ReferralStatus(status).label for status in REFERRAL_STATUSES)
    by_kind: dict[str, dict[str, int]] = {}
    for line in lines:
        by_kind[line.kind] = _summed([by_kind.get(line.kind, {}), line.statuses])
    total = _summed(line.statuses for line in lines)
    tables = [
        Table(
            f"Referrals by partner: {LATEST_STATUS}",
            ("Partner", *headings, "Total"),
            [
                *((line.partner, *_status_cells(line.statuses)) for line in lines),
                ("Total", *_status_cells(total)),
            ],
        ),
        Table(
            f"Referrals by partner kind: {LATEST_STATUS}",
            ("Partner kind", *headings, "Total"),
            [
                *(
                    (PartnerKind(kind).label, *_status_cells(statuses))
                    for kind, statuses in sorted(by_kind.items())
                ),
                ("Total", *_status_cells(total)),
            ],
        ),
    ]
    flat = Table(
        "Referrals",
        ("partner", "kind", *REFERRAL_STATUSES, "total"),
        [(line.partner, line.kind, *_status_cells(line.statuses)) for line in lines],
    )

    def counts(statuses: dict[str, int]) -> dict[str, int]:
        return dict(zip((*REFERRAL_STATUSES, "total"), _status_counts(statuses), strict=True))

    data = {
        "partners": [
            {"partner": line.partner, "kind": line.kind, **counts(line.statuses)} for line in lines
        ],
        "by_kind": {kind: counts(statuses) for kind, statuses in sorted(by_kind.items())},
        "total": counts(total),
    }
    return Report("referrals", "Referrals", period, tables, flat, data)


def welfare_report(figures: WelfareFigures, period: Period) -> Report:
    people = figures.contacted.people
    measures = (
        ("contacted", "Contacted (a contact in the period)", figures.contacted),
        ("contactable", "Contactable (consent to be contacted)", figures.contactable),
        ("asked_again", "Asked to be contacted again", figures.asked_again),
    )
    frequencies = [
        (code, Recontact(code).label, reach) for code, reach in figures.by_frequency.items()
    ]
    tables = [
        Table(
            "Welfare checks",
            ("Measure", "People", "% of people", "Households"),
            [
                (label, reach.people, f"{percent(reach.people, people):.1f}%", reach.households)
                for _, label, reach in measures
            ],
        ),
        Table(
            "Asked to be contacted again, by frequency",
            ("Frequency", "People", "Households"),
            [
                *((label, reach.people, reach.households) for _, label, reach in frequencies),
                ("Total", figures.asked_again.people, figures.asked_again.households),
            ],
        ),
    ]
    flat = Table(
        "Welfare checks",
        ("measure", "people", "households"),
        [
            *((code, reach.people, reach.households) for code, _, reach in measures),
            *((f"again_{code}", reach.people, reach.households) for code, _, reach in frequencies),
        ],
    )
    data = {
        **{code: _reach(reach) for code, _, reach in measures},
        "by_frequency": {code: _reach(reach) for code, _, reach in frequencies},
    }
    return Report("welfare", "Welfare checks", period, tables, flat, data)


def _reach(reach: Reach) -> dict[str, int]:
    return {"people": reach.people, "households": reach.households}
