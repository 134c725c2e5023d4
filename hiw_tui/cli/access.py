"""`hiw-tui serve-ssh`, `ssh-session`, `authorized-keys` and `audit verify`."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from hiw_tui.cli.shared import Commands, database_url, fail, ready, run_app

if TYPE_CHECKING:
    from hiw_tui.db.core.engine import Database
    from hiw_tui.settings import Settings


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    serve = commands.add_parser(
        "serve-ssh", parents=[common], help="serve the app over SSH (public keys only)"
    )
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    serve.add_argument("--port", type=int, default=2222, help="port (default: 2222)")
    serve.add_argument(
        "--colors", choices=["256", "16"], default="16", help="colours sessions use (default 16)"
    )
    session = commands.add_parser(
        "ssh-session",
        parents=[common],
        help="the app as USER in an SSH session (run by serve-ssh or sshd, never by hand)",
    )
    session.add_argument("username")
    warm = commands.add_parser(
        "ssh-warm",
        parents=[common],
        help="the process serve-ssh forks its sessions from (run by serve-ssh, never by hand)",
    )
    warm.add_argument("socket", type=Path)
    keys = commands.add_parser(
        "authorized-keys",
        parents=[common],
        help="authorized_keys lines for sshd (AuthorizedKeysCommand): every user's, or USER's",
    )
    keys.add_argument("username", nargs="?")
    audit = commands.add_parser("audit", help="the audit trail")
    trail = audit.add_subparsers(dest="audit_command")
    trail.required = True
    verify = trail.add_parser(
        "verify", parents=[common], help="check the hash chain (exit 1 on a changed or missing row)"
    )
    verify.add_argument(
        "--expect",
        action="append",
        default=[],
        metavar="SEQ:HASH",
        help="a head printed by an earlier verify, kept elsewhere: it must still be in the chain",
    )
    verify.add_argument(
        "--checkpoint",
        type=Path,
        metavar="FILE",
        help="check every head FILE keeps, then add this run's head to it",
    )
    for parser in (serve, session, warm, keys, audit):
        parser.set_defaults(handler=access_command)


def access_command(args: argparse.Namespace, settings: Settings) -> int:
    from hiw_tui.db.core.schema import SchemaError

    if args.command == "ssh-warm":  # opens no database: each session opens its own
        from hiw_tui.ssh.warm import serve_warm

        return serve_warm(args.socket, database_url(args, settings), partial(_warm_session, args))
    try:
        database = ready(database_url(args, settings), settings)
    except SchemaError as error:
        return fail(str(error))
    if args.command == "serve-ssh":
        from hiw_tui.ssh.server import serve

        return serve(database, settings, host=args.host, port=args.port, colors=args.colors)
    if args.command == "ssh-session":
        return _ssh_session(database, args.username, settings)
    if args.command == "authorized-keys":
        return _authorized_keys(database, args.username, explicit_url=args.database)
    return _verify(database, args.expect, args.checkpoint)


def _ssh_session(database: Database, username: str, settings: Settings) -> int:
    """The app as `username`, whom the SSH server (or sshd) has already signed in by key.
    Refuses to run without a terminal, refuses a command the client asked for, and
    refuses to run by hand (it asks for no password)."""
    from hiw_tui.db.access.users import get_user
    from hiw_tui.db.core.errors import NotFound

    if os.environ.get("SSH_ORIGINAL_COMMAND"):
        return fail("remote commands are not allowed; connect with ssh -t, no command")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return fail("this needs a terminal; connect with ssh -t")
    if not _started_by_ssh():
        return fail(
            "ssh-session is started by serve-ssh or sshd for each connection, never by "
            "hand; to use the app here, run hiw-tui and sign in"
        )
    try:
        actor = database.read(get_user, username=username)
    except NotFound as error:
        return fail(str(error))
    if not actor.active:
        return fail(f"user {username} is not active")
    os.environ.setdefault("TEXTUAL_COLOR_SYSTEM", "256")
    return run_app(database, settings, actor=actor)


def _warm_session(args: argparse.Namespace, username: str) -> int:
    """`ssh-session USER` in a child of the warm process, once forked: the settings
    (from the session's environment) and the database are its own, opened here."""
    from hiw_tui.db.core.schema import SchemaError
    from hiw_tui.settings import Settings

    settings = Settings()
    try:
        database = ready(database_url(args, settings), settings)
    except SchemaError as error:
        return fail(str(error))
    return _ssh_session(database, username, settings)


def _started_by_ssh() -> bool:
    """Whether an SSH server started this process for a connection. Both serve-ssh and
    sshd set SSH_CONNECTION, and run the command in the session they made for it, in
    that session's own process group (sshd's forced command through a shell without
    job control); a command typed at an interactive shell runs as a job, in a process
    group of its own. And the server is this process's parent, or its grandparent
    through the shell that ran the forced command: sshd (or its per-connection
    `sshd-session`), or serve-ssh, which names itself in `HIW_SSH_SERVER_PID` (and is
    the grandparent of a session its warm process forks: that process forks only for
    a request from its own parent, the server, checked by the socket's credentials,
    and the child makes its own session before this check). A command started another
    way (from a terminal multiplexer, or with `exec` at a terminal) has no server above
    it. Not a wall against someone who can reach the database anyway
    (or has a shell on the server through sshd), but no path to the app without a
    password for a person at a terminal."""
    from hiw_tui.ssh.session import SERVER_PID

    if not os.environ.get("SSH_CONNECTION") or os.getpgrp() != os.getsid(0):
        return False
    server = os.environ.get(SERVER_PID, "")
    parent = os.getppid()
    return any(
        str(pid) == server or _name_of(pid).startswith("sshd")
        for pid in (parent, _parent_of(parent))
    )


def _parent_of(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0
    ppid = (line.split()[1] for line in status.splitlines() if line.startswith("PPid:"))
    return int(next(ppid, "0"))


def _name_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def authorized_keys_lines(
    database: Database, username: str | None, explicit_url: str | None
) -> list[str]:
    from hiw_tui.db.access.keys import all_keys

    launcher = [sys.executable, "-m", "hiw_tui"]
    if explicit_url:
        launcher += ["--database", explicit_url]
    lines = []
    for name, key in database.read(all_keys, username=username):
        command = shlex.join([*launcher, "ssh-session", name]).replace('"', '\\"')
        lines.append(f'restrict,pty,command="{command}" {key} hiw-tui:{name}')
    return lines


def _authorized_keys(database: Database, username: str | None, *, explicit_url: str | None) -> int:
    from hiw_tui.db.core.errors import NotFound

    try:
        lines = authorized_keys_lines(database, username, explicit_url)
    except NotFound as error:
        return fail(str(error))
    for line in lines:
        print(line)
    return 0


def _verify(database: Database, expect: list[str], checkpoint: Path | None) -> int:
    """Check the chain, each head in `expect` and in the `checkpoint` file (one SEQ:HASH
    a line); when all is well, add the head to the file. Exit 1 on a problem."""
    from hiw_tui.db.audit.chain import Kept, verify_chain
    from hiw_tui.db.core.errors import DataError
    from hiw_tui.db.core.private import private_text

    try:
        kept = [Kept.parse(text) for text in expect]
        if checkpoint is not None and checkpoint.exists():
            lines = checkpoint.read_text(encoding="utf-8").splitlines()
            kept += [Kept.parse(line) for line in lines if line.strip()]
        report = database.read(verify_chain, expect=kept)
    except (DataError, OSError, ValueError) as error:
        return fail(str(error))
    for problem in report.problems:
        print(problem)
    if report.problems:
        print(f"The audit trail has {len(report.problems)} problem(s) in {report.rows} rows.")
        return 1
    print(
        f"The audit trail is intact: {report.rows} rows, the newest {report.head_seq} "
        f"with hash {report.head_hash}. Keep its head to check against: {report.head}"
    )
    if checkpoint is not None:
        try:
            with private_text(checkpoint, append=True) as out:
                out.write(f"{report.head}\n")
        except OSError as error:
            return fail(f"Could not keep the head in {checkpoint}: {error.strerror}")
    return 0
