"""The demo's contact log: meetings and calls during support, the welfare checks after
it and the check-ins of a phased exit.

During support the advocate meets or calls the household every four to ten weeks
(face to face, by telephone, and by video call mostly from the first lockdown on),
and some contacts set when to get in touch again; an open household's latest
usually does. After leaving, a household may get a welfare check: every household
that had left by the spring of 2020 was phoned then, and since about two in five
are phoned a month or few after they leave. As published, about half are
contactable and of those about two in five ask to be contacted again, from daily to
monthly; those calls follow at that frequency for a while, the last saying no more
are needed unless the series is still running today. A phased exit schedules
check-ins 2, 6 and 12 weeks after the exit (`hiw_tui.domain.casework`), each done by
a contact within a week of its day once that day has come.

These are the only rows dated after a household's end; none is dated after `today`
(a check-in or the next contact may be due later). The household's `next_contact_on`
is what its latest contact asks for, as saving a contact would set it.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from hiw_tui.demo.rows import Case, Ids, Row, at
from hiw_tui.domain.casework import checkin_days, next_contact_due
from hiw_tui.domain.codes import ContactMode, HouseholdStatus, Recontact

LOCKDOWN = date(2020, 3, 23)
"""From here video calls are common."""
WELFARE_ROUND = (date(2020, 3, 30), date(2020, 6, 30))
"""When advocates phoned the households that had already left."""
_MODES_BEFORE = {ContactMode.FACE_TO_FACE: 65, ContactMode.PHONE: 35}
_MODES_AFTER = {ContactMode.FACE_TO_FACE: 50, ContactMode.PHONE: 35, ContactMode.VIDEO: 15}
_DURING = (
    "Action plan review",
    "Star reading",
    "Budget: agreed a spend",
    "Went with them to an appointment",
    "Catch-up call",
)
_SET = {Recontact.WEEKLY: 30, Recontact.FORTNIGHTLY: 40, Recontact.MONTHLY: 30}
_ASKED = {
    Recontact.DAILY: 10,
    Recontact.WEEKLY: 35,
    Recontact.FORTNIGHTLY: 25,
    Recontact.MONTHLY: 30,
}
_THEMES = (
    "Worried about rent arrears; talked through Housing Options",
    "Universal Credit payment stopped; helped them ring the service centre",
    "Struggling with low mood; reminded them of Talking Therapies",
    "Drinking more since losing work; gave the recovery service's number",
    "Looking for work again; sent two vacancies",
)


class Contacts:
    """Draws each household's contacts and check-ins into a batch's rows."""

    def __init__(self, rng: random.Random, ids: Ids) -> None:
        self.rng = rng
        self.ids = ids

    def household(self, case: Case) -> date | None:
        """Add the household's contacts; when its latest asks for the next one (None if
        it does not)."""
        rng = self.rng
        story = case.story
        drawn: list[Row] = []
        names = [person["id"] for person in case.householders]
        on, purpose = story.start, "First meeting: the action plan"
        while on <= story.last:
            recontact = rng.choices(list(_SET), list(_SET.values()))[0]
            if rng.random() < 0.75:
                recontact = Recontact.NONE
            drawn.append(self._contact(case, on, self._mode(on), names, purpose, "", recontact))
            on += timedelta(days=rng.randint(28, 70))
            purpose = rng.choice(_DURING)
        if story.closed and story.end is not None:
            if story.status is HouseholdStatus.EXITED:
                drawn.append(
                    self._contact(
                        case,
                        story.end,
                        ContactMode.FACE_TO_FACE,
                        names,
                        "Exit meeting",
                        "",
                        Recontact.NONE,
                    )
                )
            drawn += self._after(case, story.end, names)
        elif drawn and rng.random() < 0.6:
            drawn[-1]["recontact"] = rng.choices(list(_SET), list(_SET.values()))[0].value
        drawn.sort(key=lambda row: row["contacted_on"])
        for row in drawn:
            row["id"] = self.ids.next("contact")
        case.into.contacts.extend(drawn)
        if not drawn:
            return None
        return next_contact_due(drawn[-1]["contacted_on"], Recontact(drawn[-1]["recontact"]))

    def _after(self, case: Case, end: date, names: list[int]) -> list[Row]:
        """Check-ins of a phased exit and welfare checks, up to today."""
        rng = self.rng
        today = case.story.today
        drawn: list[Row] = []
        if case.story.phased:
            for due in checkin_days(end):
                case.into.checkins.append(
                    {
                        "id": self.ids.next("checkin"),
                        "household_id": case.household_id,
                        "due_on": due,
                    }
                )
                on = due + timedelta(days=rng.randint(0, 6))
                if on <= today:
                    mode = ContactMode.PHONE if rng.random() < 0.7 else ContactMode.FACE_TO_FACE
                    drawn.append(
                        self._contact(
                            case, on, mode, names, "Phased exit check-in", "", Recontact.NONE
                        )
                    )
        if end < WELFARE_ROUND[0] and rng.random() < 0.8:
            low, high = WELFARE_ROUND
            call = low + timedelta(days=rng.randint(0, (high - low).days))
        elif rng.random() < 0.4:
            call = end + timedelta(days=rng.randint(28, 120))
        else:
            return drawn
        if call > today:
            return drawn
        if rng.random() >= 0.5:
            return [
                *drawn,
                self._contact(
                    case,
                    call,
                    ContactMode.PHONE,
                    [],
                    "Welfare check",
                    "No answer; left a message",
                    Recontact.NONE,
                ),
            ]
        asked = Recontact.NONE
        if rng.random() < 0.38:
            asked = rng.choices(list(_ASKED), list(_ASKED.values()))[0]
        drawn.append(
            self._contact(
                case, call, ContactMode.PHONE, names, "Welfare check", rng.choice(_THEMES), asked
            )
        )
        follow = rng.randint(1, 6)
        again_on = next_contact_due(call, asked)
        while again_on is not None and again_on <= today and follow:
            follow -= 1
            again = asked if follow else Recontact.NONE
            note = "Doing better; no more calls needed" if not follow else rng.choice(_THEMES)
            drawn.append(
                self._contact(
                    case, again_on, ContactMode.PHONE, names, "Welfare check", note, again
                )
            )
            again_on = next_contact_due(again_on, again)
        return drawn

    def _mode(self, on: date) -> ContactMode:
        modes = _MODES_AFTER if on >= LOCKDOWN else _MODES_BEFORE
        mode: ContactMode = self.rng.choices(list(modes), list(modes.values()))[0]
        return mode

    def _contact(
        self,
        case: Case,
        on: date,
        mode: ContactMode,
        householders: list[int],
        purpose: str,
        note: str,
        recontact: Recontact,
    ) -> Row:
        """A contact with the householders: both when met face to face, the primary on the
        phone or a video call (none when nobody answered)."""
        took_part = householders if mode is ContactMode.FACE_TO_FACE else householders[:1]
        return {
            "household_id": case.household_id,
            "contacted_on": on,
            "mode": mode.value,
            "participant_ids": took_part,
            "participants": "",
            "purpose": purpose,
            "note": note,
            "recontact": recontact.value,
            "entered_by": case.advocate_id,
            "created_at": at(on, 17),
            "version": 1,
        }
