"""Launch to the sign-in screen, beside a bare Textual app's launch to its first row.

    python bench/launch.py URL [RUNS]

Both run in an 80x24 pseudo-terminal (bench/terminal.py), one after the other in each
run so that machine noise hits both alike; the time is from the fork to the marker
being written: the end of the sign-in dialog for hiw-tui (`--user manager`, as a
person opens it), the first row for the bare app (Header, a 200-row DataTable,
Footer). The database is not read before the sign-in screen, so its size does not
matter here. Prints the medians, their ratio and whether it is within `TARGET`.
"""

from __future__ import annotations

import statistics
import sys

from terminal import BARE, Pty

TARGET = 1.3
"""Launch to the sign-in screen, at most this many times the bare app's launch."""
SIGN_IN_MARKER = b"Enter signs in"
BARE_MARKER = b"R00000"


def sign_in_command(url: str) -> list[str]:
    return [sys.executable, "-m", "hiw_tui", "--database", url, "--user", "manager"]


def launch_times(url: str, runs: int) -> tuple[float, float]:
    """Medians, in seconds, of launch to the sign-in screen and of the bare app's launch."""
    ours: list[float] = []
    base: list[float] = []
    for _ in range(runs):
        for command, marker, into in (
            (BARE, BARE_MARKER, base),
            (sign_in_command(url), SIGN_IN_MARKER, ours),
        ):
            terminal = Pty(command)
            try:
                into.append(terminal.wait_for(marker))
            finally:
                terminal.close()
    return statistics.median(ours), statistics.median(base)


def report(ours: float, base: float, runs: int) -> str:
    ratio = ours / base
    met = "met" if ratio <= TARGET else "missed"
    return "\n".join(
        [
            f"launch to the sign-in screen, median of {runs} runs:",
            f"  hiw-tui {ours * 1000:.0f} ms, bare Textual {base * 1000:.0f} ms,"
            f" ratio {ratio:.2f}: {met} (at most {TARGET})",
        ]
    )


if __name__ == "__main__":
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    print(report(*launch_times(sys.argv[1], runs), runs))
