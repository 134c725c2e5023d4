"""The fixed dates the tests run at."""

from __future__ import annotations

from datetime import UTC, date, datetime

TODAY = date(2026, 3, 16)
NOW = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
