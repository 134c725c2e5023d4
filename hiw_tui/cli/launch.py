"""`hiw-tui` with no command opens the app; `hiw-tui demo` builds a demo database and
opens it; `hiw-tui keys` lists the keys a keymap file can rebind."""

from __future__ import annotations

import argparse
import os
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from hiw_tui.cli.shared import (
    Commands,
    data_layer,
    database_url,
    fail,
    ready,
    run,
    run_app,
    use_low_bandwidth,
)

if TYPE_CHECKING:
    from hiw_tui.app import DataLayer
    from hiw_tui.settings import Settings

TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "on"})
"""What the settings read as true in an environment variable."""


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


def open_app(args: argparse.Namespace) -> int:
    """No command: the app at its sign-in screen, drawn first. Everything else (the
    settings, the database and its schema, the code of the other screens) is loaded
    behind it, in a thread, while the user types (`load_behind_sign_in`).

    So only what the screen needs before the settings are read is taken from the
    environment here: the username to fill in and the low-bandwidth profile."""
    environment = os.environ
    low_bandwidth = (
        args.low_bandwidth or environment.get("HIW_LOW_BANDWIDTH", "").lower() in TRUE_WORDS
    )
    if low_bandwidth:
        use_low_bandwidth()
    # Textual reads the profile's environment when first imported: only after it is set.
    from hiw_tui.app import HiwApp

    app = HiwApp(
        load=partial(load_behind_sign_in, args),
        username=args.user or environment.get("HIW_USER", ""),
        low_bandwidth=low_bandwidth,
    )
    return run(app)


def load_behind_sign_in(args: argparse.Namespace) -> DataLayer:
    """What the app needs once someone signs in, loaded while they type: the settings,
    the database (its schema checked) and the screens a session opens first: the
    caseload and a household's record, which took half a second to import as the first
    household was opened."""
    from hiw_tui.settings import Settings

    settings = Settings()
    if args.low_bandwidth:
        settings = settings.model_copy(update={"low_bandwidth": True})
    layer = data_layer(ready(database_url(args, settings), settings), settings)
    import hiw_tui.screens.dialogs.common
    import hiw_tui.screens.household.household_list
    import hiw_tui.screens.household.household_record  # noqa: F401

    return layer


def demo_command(args: argparse.Namespace, settings: Settings) -> int:
    from hiw_tui.demo.generate import DEMO_PASSWORD, DemoRefused, build_demo
    from hiw_tui.demo.timeline import default_households
    from hiw_tui.settings import demo_database_url

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
