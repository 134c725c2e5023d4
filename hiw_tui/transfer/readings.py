"""Writing readings.csv's rows: new readings with their scores, and readings held that
the file gives otherwise replaced and audited (a file of scores alone keeps the notes
held)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete
from sqlalchemy import select as sa_select
from sqlmodel import col

from hiw_tui.db.audit import trail
from hiw_tui.db.core.models import StarReading, StarScore
from hiw_tui.domain.codes import CompletedBy, ReadingStatus
from hiw_tui.transfer.chunks import chunks
from hiw_tui.transfer.files import READINGS, STAR_AREAS
from hiw_tui.transfer.records import ReadingRecord

if TYPE_CHECKING:
    from hiw_tui.transfer.write import Writer


def _score_rows(reading_id: int, wanted: dict[str, tuple[int | None, str]]) -> list[dict[str, Any]]:
    return [
        {"reading_id": reading_id, "area": area, "score": score, "note": note}
        for area, (score, note) in wanted.items()
    ]


def write_readings(writer: Writer) -> None:
    records = writer.held(
        READINGS.name,
        StarReading,
        writer.of_people(READINGS.name, writer.matched.parsed.readings),
        (lambda row: (row.person_id, row.taken_on), lambda r, person: (person, r.taken_on)),
    )
    held_scores: dict[int, dict[str, tuple[int | None, str]]] = defaultdict(dict)
    for part in chunks([reading.id for _, _, reading in records if reading is not None]):
        for reading_id, area, score, note in writer.session.execute(
            sa_select(
                col(StarScore.reading_id),
                col(StarScore.area),
                col(StarScore.score),
                col(StarScore.note),
            ).where(col(StarScore.reading_id).in_(part))
        ):
            held_scores[reading_id][area] = (score, note)
    new: list[tuple[dict[str, Any], dict[str, tuple[int | None, str]]]] = []
    scores: list[dict[str, Any]] = []
    updated = same = 0
    for record, (person_id, household_id), reading in records:
        fields, wanted = _reading_values(writer, record)
        if reading is None:
            new.append(
                (
                    fields
                    | {
                        "ref": record.ref or None,
                        "person_id": person_id,
                        "household_id": household_id,
                        "taken_on": record.taken_on,
                        "created_at": writer.stamp,
                        "updated_at": writer.stamp,
                        "version": 1,
                    },
                    wanted,
                )
            )
            writer.touched.add(household_id)
            continue
        held = {area: held_scores[reading.id or 0].get(area, (None, "")) for area in STAR_AREAS}
        if record.details is None:  # scores alone: the notes held stay
            wanted = {
                area: (score, held.get(area, (None, ""))[1]) for area, (score, _) in wanted.items()
            }
            fields = {"status": fields["status"]}
        old_fields = {name: getattr(reading, name) for name in fields}
        if held == wanted and old_fields == fields:
            same += 1
            continue
        _reread(writer, reading, household_id, (old_fields, held), (fields, wanted))
        scores.extend(_score_rows(reading.id or 0, wanted))
        updated += 1
        writer.touched.add(household_id)
    new_ids = writer.insert("Star readings", StarReading, [values for values, _ in new])
    for (_, wanted), reading_id in zip(new, new_ids, strict=True):
        scores.extend(_score_rows(reading_id, wanted))
    writer.insert("Star scores", StarScore, scores)
    writer.counts[READINGS.name] = [len(new), updated, same]


def _reading_values(
    writer: Writer, record: ReadingRecord
) -> tuple[dict[str, Any], dict[str, tuple[int | None, str]]]:
    """A reading's fields and its (score, note) per area, as the file gives them (a
    file of scores alone: final, completed together, under the app's framework)."""
    details = record.details or {}
    entered_by = details.get("entered_by")
    fields = {
        "framework_id": details.get("framework_id") or writer.framework.id,
        "framework_version": details.get("framework_version") or writer.framework.version,
        "completed_by": details.get("completed_by", CompletedBy.TOGETHER.value),
        "status": details.get("status", ReadingStatus.FINAL.value),
        "notes": details.get("notes", ""),
        "entered_by": writer.user(entered_by or ""),
    }
    notes = details.get("area_notes") or ("",) * len(STAR_AREAS)
    wanted = {
        area: (score, note)
        for area, score, note in zip(STAR_AREAS, record.scores, notes, strict=True)
    }
    return fields, wanted


def _reread(
    writer: Writer,
    reading: StarReading,
    household_id: int,
    old: tuple[dict[str, Any], dict[str, tuple[int | None, str]]],
    new: tuple[dict[str, Any], dict[str, tuple[int | None, str]]],
) -> None:
    """A reading imported again with other values: replaced and audited."""
    changes = trail.diff(
        old[0] | {"scores": {area: score for area, (score, _) in old[1].items()}},
        new[0] | {"scores": {area: score for area, (score, _) in new[1].items()}},
    )
    if any(old[1][area][1] != note for area, (_, note) in new[1].items() if area in old[1]):
        changes["area notes"] = ["(changed)", "(changed)"]
    for name, value in new[0].items():
        setattr(reading, name, value)
    reading.version += 1
    reading.updated_at = writer.stamp
    writer.session.execute(delete(StarScore).where(col(StarScore.reading_id) == reading.id))
    trail.record(
        writer.session,
        actor=writer.actor,
        action="import",
        entity="reading",
        entity_id=reading.id or 0,
        household_id=household_id,
        changes=changes,
    )
