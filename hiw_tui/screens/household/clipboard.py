"""`y` on the household list and record: the household's reference to the clipboard."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def copy_reference(screen: Screen[Any], reference: str) -> None:
    """Copy `reference` by the terminal's clipboard sequence (OSC 52, which an SSH link
    carries to the person's own machine) and say what was copied."""
    screen.app.copy_to_clipboard(reference)
    screen.notify(f"Copied {reference} to the clipboard.", markup=False, timeout=4)
