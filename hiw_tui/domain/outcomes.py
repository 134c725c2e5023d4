"""Outcome rules: when a job counts, which courses count, and the short-term window.

From the counting rules (README and domain.md):
- a **job outcome** is a job of 16 or more hours a week whose end date (or the as-of
  date, while it is still going or ends after it) is at least 28 days after its start:
  a job from 1 to 29 March counts as of 29 March, not as of 28 March;
- a **course** counts when it is 5 hours or more;
- a **short-term case** runs for 12 weeks from its start, then converts to full
  registration or exits.
"""

from __future__ import annotations

from datetime import date, timedelta

JOB_HOURS = 16
"""Hours a week a job needs to count."""
SUSTAINED = timedelta(days=28)
"""How long after its start a job must still be going."""
COURSE_HOURS = 5
"""Hours a course needs to count."""
SHORT_TERM = timedelta(weeks=12)


def job_counts_from(start: date, end: date | None, hours_a_week: float) -> date | None:
    """The first day on which the job is a job outcome, or None if it never will be.

    None when the hours are too few, or the job ended before it had lasted 28 days.
    """
    if hours_a_week < JOB_HOURS:
        return None
    counts_from = start + SUSTAINED
    if end is not None and end < counts_from:
        return None
    return counts_from


def is_job_outcome(start: date, end: date | None, hours_a_week: float, *, as_of: date) -> bool:
    """Whether the job counts as a job outcome as of `as_of`."""
    counts_from = job_counts_from(start, end, hours_a_week)
    return counts_from is not None and counts_from <= as_of


def course_counts(hours: float) -> bool:
    return hours >= COURSE_HOURS


def short_term_ends(start: date) -> date:
    """The day a short-term case reaches 12 weeks and must convert or exit."""
    return start + SHORT_TERM


def job_verdict(start: date, end: date | None, hours_a_week: float, *, today: date) -> str:
    """What the outcome screen says about a job under the counting rules."""
    counts_from = job_counts_from(start, end, hours_a_week)
    if hours_a_week < JOB_HOURS:
        return f"✗ Not a job outcome: under {JOB_HOURS} hours a week."
    if counts_from is None:
        days = (end - start).days if end else 0
        return f"✗ Not a job outcome: it lasted {days} days, under {SUSTAINED.days}."
    if counts_from <= today:
        return f"✓ Job outcome since {counts_from.isoformat()}."
    return f"… Becomes a job outcome on {counts_from.isoformat()} if still in work then."


def course_verdict(hours: float) -> str:
    if course_counts(hours):
        return f"✓ Counts as a course ({COURSE_HOURS} hours or more)."
    return f"✗ Does not count as a course: under {COURSE_HOURS} hours."
