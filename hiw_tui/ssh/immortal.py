"""Making the warm process's objects immortal (PEP 683) before it forks any session.

CPython writes an object's reference count whenever code uses it, so every page of the
warm process holding an object a session touches would become that session's own copy
(on 3.11, about 28 MiB of a session's 36). An immortal object's count is never written,
and its pages stay shared by every session: measured with 100 sessions on 3.12, a
session's proportional set size went from 29.5 to 19.3 MiB (see the README).

Only the standard library here: the module is loaded on its own by its tests, under
each Python they find.
"""

from __future__ import annotations

import gc
import sys
import sysconfig
from types import CodeType

IMMORTAL = 0xFFFFFFFF
"""`_Py_IMMORTAL_REFCNT` on 64-bit CPython 3.12 and 3.13: the one count `Py_INCREF`
leaves alone, and (read as a signed 32-bit number, negative) one `Py_DECREF` does too."""
IMMORTAL_BIT = 0x80000000


def supported() -> bool:
    """Whether this interpreter has immortal objects of the kind `immortalize` makes:
    CPython 3.12 or 3.13, 64-bit, with the GIL (3.14 stores immortality differently)."""
    return (
        sys.implementation.name == "cpython"
        and (3, 12) <= sys.version_info[:2] < (3, 14)
        and sys.maxsize > 2**32
        and not sysconfig.get_config_var("Py_GIL_DISABLED")
    )


def immortalize() -> int:
    """Make every object of this process immortal, and say how many were made so (none
    where not `supported`). Call it once, before `gc.freeze`, which hides the objects it
    freezes from `gc.get_objects`.

    The objects: every one the collector knows, and what they refer to that it does not
    (strings, numbers, bytes, untracked tuples and dicts, code objects' constants and
    names, a dict's string keys), but none already immortal: that is also how an object
    is known to be seen. None of them is ever freed after: the warm process keeps them
    anyway, and a session ends with `os._exit`; what a session drops of them stays
    allocated (and shared), and their finalizers and weak references' callbacks never
    run. Code that tests for a count of one (to reuse an object in place) takes its
    slower path.
    """
    if not supported():
        return 0
    import ctypes

    count_at = ctypes.c_ssize_t.from_address
    todo = gc.get_objects()  # the list itself is not among them
    count = 0
    for each in todo:
        if not sys.getrefcount(each) & IMMORTAL_BIT:
            count_at(id(each)).value = IMMORTAL
            count += 1
    while todo:
        each = todo.pop()
        referents = gc.get_referents(each)
        if type(each) is CodeType:  # it has no traversal of its own
            referents += (
                each.co_consts,
                each.co_names,
                each.co_filename,
                each.co_name,
                each.co_qualname,
                each.co_linetable,
                each.co_exceptiontable,
            )
        elif isinstance(each, dict):  # a dict of string keys does not show them
            referents += dict.keys(each)
        for referent in referents:
            if not sys.getrefcount(referent) & IMMORTAL_BIT:
                count_at(id(referent)).value = IMMORTAL
                count += 1
                todo.append(referent)
    return count
