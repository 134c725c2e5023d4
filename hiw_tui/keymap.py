"""The keymap file: a person's own keys for any of the app's keys, for keyboards where
`[`, `]`, `$` or `?` need AltGr, or for any other reason.

Every key the app binds has an id made from where it is bound and what it does:
`<screen or widget>.<action>`, such as `reports.step_1` (`]`, the next report) or
`app.help` (`?`). The ids are given here, to every binding of every screen and widget
in the package, so a key added anywhere can be rebound with nothing more written;
`hiw-tui keys` lists them all. The file (`keys.toml` in the config folder, or
`HIW_KEYMAP_FILE`) holds a table per screen or widget, each id's new key or keys:

    [reports]
    step_1 = "n"             # next report
    "step_-1" = "p"          # previous report
    [app]
    help = ["f1", "?"]

A key is a character (`"ö"`, `","`) or a key's name as `hiw-tui keys` writes it
(`"f1"`, `"ctrl+b"`, `"pagedown"`). The new keys replace the old ones for that id. A
file that cannot be used (not TOML, an id that is none of the app's, something that is
not a key, two keys of one screen on the same key) stops the app with one line saying
what is wrong.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import RootModel
from textual.actions import parse
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.keys import REPLACED_KEYS, Keys

from hiw_tui.domain.toml_files import read_toml
from hiw_tui.settings import Settings, config_dir

PACKAGE = "hiw_tui"
SEARCHED = ("hiw_tui.app", "hiw_tui.screens", "hiw_tui.widgets")
"""Where the app's screens and widgets are: all are imported, to name every binding
(the app imports some only when first opened)."""
KEYMAP_FILE = "keys.toml"
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(
    key.value for key in Keys if "+" not in key.value and not key.value.startswith("<")
)


class KeymapError(ValueError):
    """The keymap file cannot be used; the message says why, in one line."""


@dataclass(frozen=True)
class Rebindable:
    """One id a keymap can name: its keys as the app binds them, and what it does."""

    id: str
    keys: tuple[str, ...]
    description: str


class KeymapFile(RootModel[dict[str, dict[str, str | list[str]]]]):
    """A table per screen or widget: each id's key, or list of keys."""


def owner_name(node: type[DOMNode]) -> str:
    """The first part of an id: `app`, or the class's name in snake case without a
    trailing "Screen" (`HouseholdListScreen` is `household_list`)."""
    if issubclass(node, App):
        return "app"
    name = node.__name__.removesuffix("Screen") or node.__name__
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def action_name(action: str) -> str:
    """The second part of an id: the action with its arguments (`step(-1)` is `step_-1`,
    `reports('spend')` is `reports_spend`)."""
    _namespace, name, arguments = parse(action)
    text = "_".join([name, *(str(argument).lower() for argument in arguments)])
    return re.sub(r"[^a-z0-9_-]", "_", text.lower())


def _descendants(node: type[DOMNode]) -> Iterator[type[DOMNode]]:
    for child in node.__subclasses__():
        yield child
        yield from _descendants(child)


@cache
def name_bindings() -> dict[str, Rebindable]:
    """Give every binding declared in the package an id (those without one) and return
    them all by id. Done once: the classes' bindings are rebuilt with their ids."""
    for searched in SEARCHED:
        module = importlib.import_module(searched)
        for found in pkgutil.walk_packages(getattr(module, "__path__", []), f"{searched}."):
            importlib.import_module(found.name)
    classes = set(_descendants(DOMNode))
    declaring = {
        node
        for node in classes
        if node.__module__.startswith(f"{PACKAGE}.") and "BINDINGS" in node.__dict__
    }
    found_ids: dict[str, Rebindable] = {}
    for node in sorted(declaring, key=lambda node: (node.__module__, node.__qualname__)):
        owner = owner_name(node)
        named: list[BindingType] = []
        for declared in node.__dict__["BINDINGS"]:
            binding = declared if isinstance(declared, Binding) else Binding(*declared)
            if binding.id is None:
                binding = dataclasses.replace(binding, id=f"{owner}.{action_name(binding.action)}")
            named.append(binding)
            assert binding.id is not None
            keys = tuple(key.strip() for key in binding.key.split(","))
            known = found_ids.get(binding.id)
            found_ids[binding.id] = Rebindable(
                binding.id,
                (known.keys if known else ()) + keys,
                (known.description if known else "") or binding.description,
            )
        node.BINDINGS = named
    # Textual builds each class's bindings from its bases' when the class is made:
    # build them again for every class that inherits any of these.
    for node in classes:
        if any(base in declaring for base in node.__mro__):
            node._merged_bindings = node._merge_bindings()
    return found_ids


def keymap_path(settings: Settings) -> Path | None:
    """`settings.keymap_file`, else the config folder's keymap file if there is one."""
    if settings.keymap_file is not None:
        return settings.keymap_file
    default = config_dir() / KEYMAP_FILE
    return default if default.is_file() else None


def load_keymap(path: Path | None) -> dict[str, str]:
    """The keymap in `path` (none: no keymap), checked against the app's bindings, as
    `App.set_keymap` takes it; `KeymapError` says what is wrong with the file."""
    if path is None:
        return {}
    tables = read_toml(path, KeymapFile, what="keymap file", error=KeymapError).root
    rebindable = name_bindings()
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for owner, entries in tables.items():
        for action, given in entries.items():
            binding_id = f"{owner}.{action}"
            keys = [given] if isinstance(given, str) else list(given)
            if binding_id not in rebindable:
                problems.append(f"{binding_id} is not one of the app's keys (see hiw-tui keys)")
            elif not keys or not all(is_key(key) for key in keys):
                problems.append(f"{binding_id}: {given!r} is not a key (see hiw-tui keys)")
            else:
                keymap[binding_id] = ",".join(key_name(key) for key in keys)
    problems.extend(_clashes(keymap))
    if problems:
        raise KeymapError(f"The keymap file {path} cannot be used: {'; '.join(problems)}")
    return keymap


def key_name(key: str) -> str:
    """Textual's name for a key given as a character or a name (`?` is `question_mark`)."""
    if key == ",":
        return "comma"
    return next(iter(Binding.make_bindings([Binding(key, "")]))).key


def is_key(key: str) -> bool:
    """Whether `key` is a character, or a key's name with any modifiers (`ctrl+b`)."""
    if len(key) == 1:
        return key.isprintable() and not key.isspace()
    *modifiers, name = key.split("+")
    if not set(modifiers) <= MODIFIERS or not name:
        return False
    if len(name) == 1 or name in NAMED_KEYS:
        return True
    try:
        unicodedata.lookup(REPLACED_KEYS.get(name, name).replace("_", " "))
    except KeyError:
        return False
    return True


def key_text(key: str) -> str:
    """A key as the keymap file may write it: its character (`?`, `/`), or its name
    (`tab`, `ctrl+b`)."""
    if len(key) == 1 or "+" in key:
        return key
    try:
        character = unicodedata.lookup(REPLACED_KEYS.get(key, key).replace("_", " "))
    except KeyError:
        return key
    return character if character.isprintable() and not character.isspace() else key


def _clashes(keymap: dict[str, str]) -> list[str]:
    """Two keys of one screen or widget that the keymap would put on the same key."""
    problems = []
    for node in {n for n in _descendants(DOMNode) if n.__module__.startswith(f"{PACKAGE}.")}:
        bound = node._merged_bindings.key_to_bindings.items() if node._merged_bindings else []
        taken: dict[str, set[str]] = {}
        present: set[str] = set()
        for key, bindings in bound:
            for binding in bindings:
                if binding.id is not None:
                    present.add(binding.id)
                if binding.id is not None and binding.id not in keymap:
                    taken.setdefault(key, set()).add(binding.id)
        for binding_id, keys in keymap.items():
            if binding_id in present:
                for key in keys.split(","):
                    taken.setdefault(key, set()).add(binding_id)
        for key, ids in taken.items():
            if len(ids) > 1 and ids & keymap.keys():
                problem = f"{' and '.join(sorted(ids))} are both on {key_text(key)!r}"
                if problem not in problems:
                    problems.append(problem)
    return sorted(problems)
