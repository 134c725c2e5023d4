"""`python -m hiw_tui` runs the same command line as `hiw-tui`."""

from __future__ import annotations

from hiw_tui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
