"""One validator for rules and scenario files: one list of located problems.

Every problem reads `file:line:col: error: <object>: <message>`, so a modder or teacher can jump
straight to the line at fault. Nothing here raises for bad input; callers decide what to do with
the list.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from game.rules.yamlpos import Located, Mark, Path_


@dataclass(frozen=True)
class Problem:
    mark: Mark
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.mark}: {self.severity}: {self.message}"


_SINGULAR = {
    "indicators": "indicator", "levers": "lever", "policies": "policy", "options": "option",
    "doctrines": "doctrine", "events": "event", "choices": "choice", "situations": "situation",
    "agreements": "agreement", "regions": "region", "powers": "power", "effects": "effect",
    "conditions": "condition", "verdicts": "verdict",
}


def object_name(data: Any, path: Path_) -> str:
    """Name the innermost object with an id along a path, e.g. "event 'data_breach'"."""
    name = ""
    node = data
    parent_key: str | int | None = None
    for step in path:
        if isinstance(node, dict) and step in node:
            parent_key, node = step, node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            kind = _SINGULAR.get(str(parent_key), str(parent_key))
            ident = node.get("id") if isinstance(node, dict) else None
            name = f"{kind} '{ident}'" if isinstance(ident, str) else f"{kind} #{step + 1}"
        else:
            break
    if not name and isinstance(data, dict) and isinstance(data.get("id"), str):
        name = f"scenario '{data['id']}'"
    return name


def suggest(word: str, choices: typing.Iterable[str]) -> str:
    """A did-you-mean tail for an unknown name, or "" when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _model_of(annotation: Any) -> Any:
    """Strip Optional/Annotated/list/dict down to a model class or a Literal, for suggestions."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_of(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                return _model_of(arg)
    return annotation


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at the mapping a pydantic error location points into."""
    current: Any = model
    for step in loc:
        current = _model_of(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(step))
            if field is None:
                return []
            current = field.annotation
            continue
        origin = typing.get_origin(current)
        args = typing.get_args(current)
        if origin is list and args:
            current = args[0]
        elif origin is dict and len(args) == 2:
            current = args[1]
        else:
            return []
    current = _model_of(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    if typing.get_origin(current) is dict:
        key_type = _model_of(typing.get_args(current)[0])
        if typing.get_origin(key_type) is Literal:
            return [str(a) for a in typing.get_args(key_type)]
    return []


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def schema_problems(located: Located, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    """Validate located data against a model: (model instance or None, problems)."""
    problems = [
        Problem(mark, f"{object_name(located.data, path[:-1]) or 'file'}: "
                      f"duplicate key '{path[-1]}'")
        for path, mark in located.duplicates
    ]
    if not isinstance(located.data, dict):
        kind = type(located.data).__name__
        problems.append(Problem(located.mark(()), f"expected a mapping at the top level, got {kind}"))
        return None, problems
    try:
        instance = model.model_validate(located.data)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(_describe(located, model, err))
        return None, problems
    return (instance if not problems else None), problems


def _describe(located: Located, model: type[BaseModel], err: Any) -> Problem:
    loc: tuple[Any, ...] = tuple(err["loc"])
    kind = err["type"]
    # pydantic reports dict-key errors as (..., key, "[key]")
    if len(loc) >= 2 and loc[-1] == "[key]":
        loc = loc[:-1]
        kind = "bad_key"
    data_path: Path_ = tuple(p for p in loc if isinstance(p, str | int))
    owner = object_name(located.data, data_path) or object_name(located.data, data_path[:-1])
    prefix = f"{owner}: " if owner else ""
    field = str(loc[-1]) if loc else ""
    if kind in ("extra_forbidden", "bad_key"):
        allowed = _allowed_keys(model, loc[:-1])
        what = "key" if kind == "extra_forbidden" else "name"
        msg = f"unknown {what} '{field}'{suggest(field, allowed)}"
        if kind == "bad_key" and allowed:
            msg += f"; expected one of: {', '.join(allowed)}"
        return Problem(located.mark(data_path, key=True), prefix + msg)
    if kind == "missing":
        return Problem(located.mark(data_path[:-1]), prefix + f"missing required field '{field}'")
    value = err.get("input")
    message = err["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    if kind == "literal_error" and isinstance(value, str):
        expected = err.get("ctx", {}).get("expected", "")
        options = [e.strip(" '") for e in str(expected).replace(" or ", ",").split(",")]
        message = f"unknown value {value!r}{suggest(value, options)}; expected {expected}"
        return Problem(located.mark(data_path), prefix + f"{field}: {message}")
    if kind == "string_pattern_mismatch":
        message = "ids are lower-case letters, digits and '_', starting with a letter"
    if field and not isinstance(loc[-1], int) and kind not in ("value_error", "assertion_error"):
        return Problem(located.mark(data_path), prefix + f"{field}: {message} (got {_short(value)})")
    return Problem(located.mark(data_path), prefix + message)
