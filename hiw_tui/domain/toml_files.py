"""Reading a TOML file an organisation supplies (a Star framework, its targets) into a
checked model, with one line saying what is wrong when it cannot be used."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from hiw_tui.domain.text import clean_line

Model = TypeVar("Model", bound=BaseModel)


def read_toml(path: Path, model: type[Model], *, what: str, error: type[ValueError]) -> Model:
    """`path` read as `model`; raises `error` naming `what` the file is and the problem."""
    try:
        return model.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except OSError as problem:
        raise error(f"Cannot read the {what} {path}: {problem.strerror}") from problem
    except tomllib.TOMLDecodeError as problem:
        raise error(f"The {what} {path} is not valid TOML: {problem}") from problem
    except ValidationError as problem:
        problems = "; ".join(
            f"{'.'.join(map(str, item['loc'])) or 'file'}: {clean_line(str(item['msg']))}"
            for item in problem.errors()
        )
        raise error(f"The {what} {path} is incomplete: {problems}") from problem
