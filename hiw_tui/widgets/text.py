"""Showing what people typed: always as literal text, never as markup or terminal codes."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from hiw_tui.domain.text import clean_block, clean_line


def shorten(value: str, limit: int) -> str:
    """`value` in at most `limit` characters: cut after the last whole word that fits
    and marked "…" (a single word longer than `limit` is cut where it must be)."""
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut
    return head.rstrip(" ,:;-(") + "…"


def cut(text: Text, limit: int) -> Text:
    """`text` in at most `limit` characters, cut as `shorten` cuts, keeping its styles."""
    plain = text.plain
    short = shorten(plain, limit)
    if short == plain:
        return text
    head = text[: len(short) - 1]
    head.append("…")
    return head


def short_name(name: str, limit: int) -> str:
    """A person's name in at most `limit` characters, told apart from others' where it
    can be: the first names become initials, one at a time ("Siobhan O'Donnell" ->
    "S. O'Donnell", "Harrison, Siobhan" -> "Harrison, S.", keeping the first initial
    alone if it must), as the last name is what people are known by; then the name is
    cut where it must be (a name cut at a word would lose its last name, or all of it).
    Control characters and escape sequences go first, so none is cut in half and shown."""
    name = clean_line(name)
    family, comma, given = name.partition(", ")
    words = given.split() if comma else name.split()[:-1]
    for n in range(1, len(words) + 1):
        if len(name) <= limit:
            break
        initials = " ".join([*(f"{word[0]}." for word in words[:n]), *words[n:]])
        name = f"{family}, {initials}" if comma else f"{initials} {name.split()[-1]}"
    if len(name) > limit and comma and words:
        name = f"{family}, {words[0][0]}."  # the first initial only
    return name if len(name) <= limit else name[: limit - 1] + "…"


def user_text(value: object, *, style: str = "", limit: int | None = None) -> Text:
    """A `Text` holding `value` literally: square brackets stay brackets, escapes are gone.
    `limit` shortens it to that many characters at a word (see `shorten`)."""
    text = clean_line("" if value is None else str(value))
    return Text(text if limit is None else shorten(text, limit), style=style)


def user_block(value: str) -> Text:
    """Several lines people typed (a note), literally, each line as `user_text` shows
    one: its line breaks kept, escapes gone."""
    return Text(clean_block(value))


def counted(count: int, noun: str) -> str:
    """ "1 household", "12 households"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def due_text(day: date, today: date) -> str:
    """A day something is due, as My week, the record and the contact log show it: "! "
    before a day that has passed (overdue), two spaces before one that has not, so a
    column of them lines up."""
    return ("! " if day < today else "  ") + day.isoformat()


def next_contact_text(day: date | None, today: date) -> str:
    """When the household's next contact is due, "!" marking one overdue."""
    return due_text(day, today).lstrip() if day else "none set"
