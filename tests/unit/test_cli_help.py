"""Every command's `--help`, nested ones included, found by walking the real parser: a
command added later is covered without a change here."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator

import pytest

from hiw_tui.cli import build_parser, main

Command = tuple[str, ...]


def _walk(parser: argparse.ArgumentParser, command: Command = ()) -> Iterator[Command]:
    yield command
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                yield from _walk(subparser, (*command, name))


COMMANDS = list(_walk(build_parser()))


def _usage(command: Command) -> str:
    return f"usage: {' '.join(('hiw-tui', *command))} "


def test_the_walk_reaches_the_nested_commands() -> None:
    found = set(COMMANDS)
    assert {(), ("demo",), ("report",), ("import",), ("erasure-log",)} <= found
    assert {("db", "upgrade"), ("user", "add"), ("audit", "verify"), ("ledger", "check")} <= found


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command) or "-")
def test_every_command_has_help(command: Command, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(_usage(command))
    assert "-h, --help" in out


@pytest.mark.parametrize("command", [(), ("db", "upgrade")], ids=["-", "db upgrade"])
def test_help_from_python_dash_m(command: Command) -> None:
    assert command in COMMANDS
    done = subprocess.run(
        [sys.executable, "-m", "hiw_tui", *command, "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(_usage(command))
    assert done.stderr == ""
