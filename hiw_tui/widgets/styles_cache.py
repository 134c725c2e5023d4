"""Widgets that have closed are let go of, not kept by Textual's drawing cache.

Textual (8.2.8, pinned) caches `StylesCache.get_inner_outer` with `functools.lru_cache`
on the method itself, so each entry's key holds the `StylesCache` it was called on: the
one of a widget, and every line that widget last drew. Up to 1,024 widgets that had
long closed were kept so, with their lines: about 70,000 objects once a few households
had been visited, which each full garbage collection then went through (70-100 ms, a
pause that now and then fell on a key). The two colours are all the answer depends on,
so the cache here is keyed by them alone.
"""

from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    """As Textual's `StylesCache.get_inner_outer`: the inner and outer backgrounds."""
    return Style(background=base_background + background), Style(background=base_background)


def _get_inner_outer(
    styles_cache: StylesCache, base_background: Color, background: Color
) -> tuple[Style, Style]:
    return _inner_outer(base_background, background)


def cache_by_colour_alone() -> None:
    """Give `StylesCache` the cache keyed by colours alone (for every app from now on)."""
    StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[method-assign,assignment]
