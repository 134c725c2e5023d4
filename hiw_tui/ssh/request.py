"""What the server and the warm process say to each other on the warm process's socket.

The socket is a Unix `SOCK_SEQPACKET` one, so each message arrives whole or not at all
and the end of a connection is seen as an empty read. The server sends one request, the
session's PTY (its terminal side) passed beside it (`SCM_RIGHTS`); the child forked for
it answers on the same connection with its process id, then, when the app has ended, its
exit code. A child that ends without saying its code (killed, crashed) ended with 1.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

MAX_MESSAGE = 65536
"""The longest request (JSON) either side reads."""
PID = "pid"
EXIT = "exit"


@dataclass(frozen=True)
class Request:
    """A session to start: the app as `username`, in exactly `environment` (the same
    environment a cold-started session gets: the colour system, `SSH_CONNECTION`, the
    server's process id and the `HIW_` settings among it)."""

    username: str
    environment: dict[str, str]

    def encode(self) -> bytes:
        data = json.dumps({"username": self.username, "environment": self.environment})
        encoded = data.encode()
        if len(encoded) > MAX_MESSAGE:
            raise ValueError("request too long")
        return encoded

    @classmethod
    def decode(cls, data: bytes) -> Request:
        """The request in `data`; ValueError for anything but a whole, well-formed one."""
        try:
            fields = json.loads(data.decode())
        except UnicodeDecodeError as error:
            raise ValueError("request not UTF-8") from error
        if not isinstance(fields, dict) or set(fields) != {"username", "environment"}:
            raise ValueError("request fields wrong")
        username, environment = fields["username"], fields["environment"]
        if not isinstance(username, str) or not username:
            raise ValueError("request without a username")
        if not isinstance(environment, dict) or not all(
            isinstance(name, str) and isinstance(value, str) and name and "=" not in name
            for name, value in environment.items()
        ):
            raise ValueError("request environment wrong")
        return cls(username, environment)


def reply(kind: str, number: int) -> bytes:
    """A child's answer: its process id (`PID`) or its exit code (`EXIT`)."""
    return f"{kind} {number}".encode()


def read_reply(data: bytes, kind: str) -> int:
    """The number in a reply of `kind`; ValueError for an empty read (the connection
    ended) or anything else."""
    words = data.decode(errors="replace").split()
    if len(words) != 2 or words[0] != kind or not words[1].lstrip("-").isdigit():
        raise ValueError(f"expected {kind}, got {data[:40]!r}")
    return int(words[1])
