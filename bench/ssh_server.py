"""The embedded SSH server for the benchmarks, each session running hiw-tui or, with
--bare, the bare Textual app (which ignores the arguments a session adds).

hiw-tui's sessions are forked by the server's warm process, as `hiw-tui serve-ssh`
forks them, or with --cold started as a new process each (as before the warm process:
bench/ssh_warm.py compares the two). The bare app's sessions always start cold, each a
new process: compare it with hiw-tui's cold sessions for like with like.

    python bench/ssh_server.py DATABASE_URL PORT [--bare | --cold] [--colors 256|16]
"""

from __future__ import annotations

import argparse
import asyncio

from terminal import BARE

from hiw_tui.db.core.engine import Database
from hiw_tui.settings import Settings
from hiw_tui.ssh.server import serve_until_stopped, start_server


async def serve(url: str, port: int, *, bare: bool, cold: bool, colors: str) -> None:
    server = await start_server(
        Database(url),
        Settings(),
        host="127.0.0.1",
        port=port,
        colors=colors,
        command=BARE if bare else None,
        warm=not (bare or cold),
    )
    print("listening", flush=True)
    await serve_until_stopped(server)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("port", type=int)
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--colors", choices=["256", "16"], default="16")
    args = parser.parse_args()
    asyncio.run(serve(args.url, args.port, bare=args.bare, cold=args.cold, colors=args.colors))
