"""Long lists of keys looked up a chunk at a time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

CHUNK = 5_000
"""Keys looked up per query (well under SQLite's limit on bound values)."""
R = TypeVar("R")


def chunks(items: Sequence[R]) -> Iterator[Sequence[R]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
