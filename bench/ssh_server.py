"""The embedded SSH server for the benchmarks, each session running hiw-tui or, with
--bare, the bare Textual app (which ignores the arguments a session adds).

    python bench/ssh_server.py DATABASE_URL PORT [--bare] [--colors 256|16]
"""

from __future__ import annotations

import argparse
import asyncio

from terminal import BARE

from hiw_tui.db.core.engine import Database
from hiw_tui.settings import Settings
from hiw_tui.ssh.server import serve_until_stopped, start_server


async def serve(url: str, port: int, *, bare: bool, colors: str) -> None:
    server = await start_server(
        Database(url),
        Settings(),
        host="127.0.0.1",
        port=port,
        colors=colors,
        command=BARE if bare else None,
    )
    print("listening", flush=True)
    await serve_until_stopped(server)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("port", type=int)
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--colors", choices=["256", "16"], default="16")
    args = parser.parse_args()
    asyncio.run(serve(args.url, args.port, bare=args.bare, colors=args.colors))
