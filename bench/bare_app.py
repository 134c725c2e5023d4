"""The baseline: a bare Textual app with a Header, a 200-row DataTable and a Footer."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Ref", "Name", "Members", "Status")
        table.add_rows((f"R{n:05d}", f"Person {n}", str(n % 4 + 1), "active") for n in range(200))


if __name__ == "__main__":
    BareApp().run()
