"""`hiw-tui` with no command opens the app; `hiw-tui demo` builds a demo database and
opens it; `hiw-tui keys` lists the keys a keymap file can rebind."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from hiw_tui.cli.shared import Commands, acting_user, database_url, fail, ready, run_app
from hiw_tui.settings import Settings, demo_database_url


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    demo = commands.add_parser("demo", parents=[common], help="build a demo database and open it")
    demo.add_argument(
        "--households",
        type=int,
        metavar="N",
        help="households in all, started since March 2018 (default: about 1,000 a year,"
        " as the programme; about half a minute to build)",
    )
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument("--user", default="manager", help="demo user to open as (default: manager)")
    demo.add_argument("--no-open", action="store_true", help="build the database only")
    demo.set_defaults(handler=demo_command)
    keys = commands.add_parser(
        "keys", help="every key of the app by id, as a keymap file rebinds it"
    )
    keys.set_defaults(handler=keys_command)


def open_app(args: argparse.Namespace, settings: Settings) -> int:
    """No command: the app at its sign-in screen."""
    from hiw_tui.db.core.schema import SchemaError

    url, username = database_url(args, settings), acting_user(args, settings)
    try:
        database = ready(url, settings)
    except SchemaError as error:
        return fail(str(error))
    return run_app(database, settings, username=username or "")


def demo_command(args: argparse.Namespace, settings: Settings) -> int:
    from hiw_tui.demo.generate import DEMO_PASSWORD, DemoRefused, build_demo
    from hiw_tui.demo.timeline import default_households

    today = date.today()
    # By default the programme's own size: about 1,000 households a year since March 2018.
    households = default_households(today) if args.households is None else args.households
    if households < 0:
        return fail("--households must be 0 or more")
    url = args.database or demo_database_url()
    if not args.database:
        # The default demo file is the demo's own: it is rebuilt on every run.
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    try:
        database = ready(url, settings)
        if households >= 2_000:
            print(f"Building a demo database of {households:,} households ...", flush=True)
        summary = build_demo(database, households=households, seed=args.seed, today=today)
    except DemoRefused as error:
        return fail(str(error))
    print(f"Demo database {url}: {summary.households} households, {summary.people} people.")
    if args.no_open:
        return 0
    print(f"Sign in as {args.user} with the password {DEMO_PASSWORD!r}.")
    return run_app(database, settings, username=args.user)


def keys_command(args: argparse.Namespace, settings: Settings) -> int:
    """Each id a keymap file can name, its keys (the file's, where it rebinds them) and
    what it does; first, which keymap file is read."""
    from hiw_tui.keymap import (
        KEYMAP_FILE,
        KeymapError,
        key_text,
        keymap_path,
        load_keymap,
        name_bindings,
    )
    from hiw_tui.settings import config_dir

    path = keymap_path(settings)
    try:
        keymap = load_keymap(path)
    except KeymapError as error:
        return fail(str(error))
    where = f"{path}" if path else f"none ({config_dir() / KEYMAP_FILE} would be read)"
    print(f"Keymap file: {where}")
    for binding_id, rebindable in sorted(name_bindings().items()):
        keys = keymap[binding_id].split(",") if binding_id in keymap else rebindable.keys
        shown = " ".join(key_text(key) for key in keys)
        print(f"{binding_id:34} {shown:14} {rebindable.description}")
    return 0
