"""Garbage collected while the user is idle, after a screen has closed."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from hiw_tui.screens.base.garbage import FULL_COLLECTION_THRESHOLD, IDLE_SECONDS, IdleCollector


class _Cycle:
    """Garbage only a collection frees: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


def _garbage() -> weakref.ref[_Cycle]:
    return weakref.ref(_Cycle())


@pytest.fixture
def only_explicit_collections() -> Iterator[None]:
    gc.disable()
    yield
    gc.enable()


def test_a_closed_screen_is_collected_once_the_user_is_idle(
    only_explicit_collections: None,
) -> None:
    idle = [0.0]
    collector = IdleCollector(lambda: idle[0])
    collector.start()
    garbage = _garbage()
    collector.collect_if_idle()
    idle[0] = IDLE_SECONDS
    collector.collect_if_idle()
    assert garbage() is not None  # no screen closed: nothing to collect
    collector.screen_closed()
    idle[0] = 0.0
    collector.collect_if_idle()
    assert garbage() is not None  # the user is typing
    idle[0] = IDLE_SECONDS
    collector.collect_if_idle()
    assert garbage() is None


def test_what_was_loaded_first_is_frozen_and_full_collections_wait(
    only_explicit_collections: None,
) -> None:
    before = _garbage()
    collector = IdleCollector(lambda: IDLE_SECONDS)
    collector.start()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[2] == FULL_COLLECTION_THRESHOLD
    collector.screen_closed()
    collector.collect_if_idle()
    assert before() is not None  # frozen with what lasts: the price of freezing
