"""The keymap file: every key of the app has an id, and a file that cannot be used
stops the app with one line saying what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

from hiw_tui.cli import main
from hiw_tui.keymap import KeymapError, keymap_path, load_keymap, name_bindings, owner_name
from hiw_tui.settings import Settings, config_dir


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "keys.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_key_of_every_screen_and_widget_has_an_id() -> None:
    rebindable = name_bindings()
    # Screens the app imports only when first opened are named too.
    assert rebindable["reports.step_1"].keys == ("right_square_bracket",)
    assert rebindable["reports.step_-1"].description == "Previous report"
    assert rebindable["household_record.copy_reference"].keys == ("y",)
    assert rebindable["app.help"].keys == ("question_mark",)
    assert rebindable["app.reports_spend"].keys == ("dollar_sign",)
    assert rebindable["score_grid.score_none"].keys == ("0", "n")
    assert all(binding_id.count(".") == 1 for binding_id in rebindable)


def test_a_key_bound_anywhere_in_the_package_gets_an_id_of_its_own() -> None:
    """Keys added to any screen or widget later are rebindable with nothing written."""
    name_bindings()
    declaring = [
        node
        for node in all_subclasses(DOMNode)
        if node.__module__.startswith("hiw_tui.") and "BINDINGS" in node.__dict__
    ]
    assert len(declaring) > 20
    owners = [owner_name(node) for node in declaring]
    assert sorted(owners) == sorted(set(owners))  # no two screens share ids
    for node in declaring:
        ids = [binding.id for binding in node.BINDINGS if isinstance(binding, Binding)]
        assert len(ids) == len(node.BINDINGS) and all(ids), node


def all_subclasses(node: type[DOMNode]) -> set[type[DOMNode]]:
    found = set(node.__subclasses__())
    for child in list(found):
        found |= all_subclasses(child)
    return found


def test_a_keymap_names_new_keys_as_characters_or_names(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        """
[reports]
step_1 = "n"
"step_-1" = ["p", ","]
[app]
help = "f1"
reports_spend = "ctrl+b"
""",
    )
    assert load_keymap(path) == {
        "reports.step_1": "n",
        "reports.step_-1": "p,comma",
        "app.help": "f1",
        "app.reports_spend": "ctrl+b",
    }


def test_the_config_folders_keymap_is_read_unless_another_is_named(tmp_path: Path) -> None:
    assert keymap_path(Settings()) is None
    config_dir().mkdir(parents=True)
    (config_dir() / "keys.toml").write_text("", encoding="utf-8")
    assert keymap_path(Settings()) == config_dir() / "keys.toml"
    assert keymap_path(Settings(keymap_file=tmp_path / "mine.toml")) == tmp_path / "mine.toml"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[reports\n", "not valid TOML"),
        ("reports = 'n'\n", "reports: Input should be a valid dictionary"),
        ("[reports]\nstepp_1 = 'n'\n", "reports.stepp_1 is not one of the app's keys"),
        ("[reports]\nstep_1 = 'ctlr+n'\n", "reports.step_1: 'ctlr+n' is not a key"),
        ("[reports]\nstep_1 = []\n", "reports.step_1: [] is not a key"),
        ("[reports]\nstep_1 = 'e'\n", "reports.export_csv and reports.step_1 are both on 'e'"),
    ],
)
def test_a_keymap_that_cannot_be_used_says_what_is_wrong(
    tmp_path: Path, text: str, said: str
) -> None:
    with pytest.raises(KeymapError, match="keymap file") as raised:
        load_keymap(_file(tmp_path, text))
    assert said in str(raised.value)


def test_keys_can_be_swapped(tmp_path: Path) -> None:
    path = _file(tmp_path, "[reports]\nexport_csv = 'x'\nexport_xlsx = 'e'\n")
    assert load_keymap(path) == {"reports.export_csv": "x", "reports.export_xlsx": "e"}


def test_the_app_does_not_start_with_a_keymap_it_cannot_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HIW_KEYMAP_FILE", str(_file(tmp_path, "[app]\nhelp = 'F1 key'\n")))
    assert main(["--database", f"sqlite:///{tmp_path / 'hiw.db'}"]) == 2
    # The sign-in screen is drawn while the keymap loads (and taken away when it fails):
    # what is left is one line, after it.
    said = capsys.readouterr().err
    assert said.endswith("\n") and said.count("is not a key") == 1
    last = said.splitlines()[-1]
    assert last.startswith("hiw-tui: ") and "app.help: 'F1 key' is not a key" in last


def test_hiw_tui_keys_lists_every_id_with_the_keymaps_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, "[reports]\nstep_1 = 'n'\n")
    monkeypatch.setenv("HIW_KEYMAP_FILE", str(path))
    assert main(["keys"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Keymap file: {path}"
    assert lines[1:] == sorted(lines[1:])
    [step] = [line for line in lines if line.startswith("reports.step_1 ")]
    assert step.split()[1:] == ["n", "Next", "report"]
    [spend] = [line for line in lines if line.startswith("app.reports_spend ")]
    assert spend.split()[1] == "$"
