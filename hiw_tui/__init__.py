"""hiw_tui: case work for the Households into Work programme, in the terminal."""

from __future__ import annotations

__version__ = "0.1.0"
