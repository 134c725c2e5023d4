"""What is wrong with an import's files: a problem names its file, row, column and reason."""

from __future__ import annotations

from dataclasses import dataclass

FOLDER = "(the folder)"
"""In `Parsed.unreadable`: the import refused the folder whole (see
`hiw_tui.transfer.manifest.folder_problems`), and reads none of its files."""


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int
    column: str
    reason: str
    line: int = 0
    """The line of the file where the row starts, when it is worth naming."""

    def __str__(self) -> str:
        where = f"{self.file} row {self.row}" if self.row else self.file
        where += f" (line {self.line})" if self.line else ""
        return (
            f"{where}, column {self.column}: {self.reason}"
            if self.column
            else f"{where}: {self.reason}"
        )


class RowError(Exception):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems
