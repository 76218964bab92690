"""One validator for rules and scenario files: one list of located problems.

Every problem reads `file:line:col: error: <object>: <message>`, so a modder or teacher can jump
straight to the line at fault. Nothing here raises for bad input; callers decide what to do with
the list.
"""

from __future__ import annotations

import difflib
import math
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
    """Name the objects along a path, e.g. "event 'data_breach', choice 'punish', effect #2"."""
    names: list[str] = []
    node = data
    parent_key: str | int | None = None
    for step in path:
        if isinstance(node, dict) and step in node:
            parent_key, node = step, node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            kind = _SINGULAR.get(str(parent_key), str(parent_key))
            ident = node.get("id") if isinstance(node, dict) else None
            names.append(f"{kind} '{ident}'" if isinstance(ident, str) else f"{kind} #{step + 1}")
        else:
            break
    if not names and isinstance(data, dict) and isinstance(data.get("id"), str):
        names.append(f"scenario '{data['id']}'")
    # an unnamed inner object (effect #2) is found through its named owners: event 'x', choice 'y'
    return ", ".join(names)


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


def _annotation_at(model: type[BaseModel], path: Path_) -> Any:
    """The declared type of the value at a data path (None when the path leaves the schema)."""
    current: Any = model
    for step in path:
        current = _model_of(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(step))
            if field is None:
                return None
            current = field.annotation
            continue
        origin, args = typing.get_origin(current), typing.get_args(current)
        if origin is list and args:
            current = args[0]
        elif origin is dict and len(args) == 2:
            current = args[1]
        elif origin is tuple and args and isinstance(step, int) and step < len(args):
            current = args[step]
        else:
            return None
    return current


def _walk(data: Any, path: Path_ = ()) -> typing.Iterator[tuple[Path_, Any]]:
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk(value, (*path, index))


def _scalar_problems(located: Located, model: type[BaseModel]) -> tuple[list[Problem], set[Path_]]:
    """Values pydantic would let through but a modder never means: `.nan`/`.inf`, and YAML
    booleans (`yes`, `no`, `on`, `true`) where a number is expected."""
    problems: list[Problem] = []
    paths: set[Path_] = set()
    for path, value in _walk(located.data):
        if isinstance(value, bool):
            expected = _model_of(_annotation_at(model, path))
            if expected in (int, float):
                message = "expected a number, got a true/false value (YAML reads yes/no/on/off as booleans)"
            else:
                continue
        elif isinstance(value, float) and not math.isfinite(value):
            message = f"expected a finite number, got {value}"
        else:
            continue
        owner = object_name(located.data, path) or object_name(located.data, path[:-1])
        field = f"{path[-1]}: " if path and isinstance(path[-1], str) else ""
        problems.append(Problem(located.mark(path), f"{owner + ': ' if owner else ''}{field}{message}"))
        paths.add(path)
    return problems, paths


def schema_problems(located: Located, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    """Validate located data against a model: (model instance or None, problems in file order)."""
    problems = [
        Problem(mark, f"{object_name(located.data, path[:-1]) or 'file'}: "
                      f"duplicate key '{path[-1]}' (first given at line {located.mark(path, key=True).line})")
        for path, mark in located.duplicates
    ]
    if not isinstance(located.data, dict):
        kind = _KIND.get(type(located.data).__name__, type(located.data).__name__)
        problems.append(Problem(located.mark(()), f"expected a mapping of key: value pairs at the top "
                                                  f"level (starting with 'format_version: 1'), got {kind}"))
        return None, problems
    found, skip = _scalar_problems(located, model)
    problems.extend(found)
    try:
        instance = model.model_validate(located.data)
    except ValidationError as exc:
        errors = [e for e in exc.errors() if tuple(e["loc"]) not in skip]
        # a misspelt key also leaves its real field missing: report it once, with the did-you-mean
        meant: set[tuple[Any, ...]] = set()
        for err in errors:
            if err["type"] == "extra_forbidden":
                loc = tuple(err["loc"])
                close = difflib.get_close_matches(str(loc[-1]), _allowed_keys(model, loc[:-1]), n=1, cutoff=0.6)
                if close:
                    meant.add((*loc[:-1], close[0]))
        for err in errors:
            if err["type"] == "missing" and tuple(err["loc"]) in meant:
                continue
            problems.append(_describe(located, model, err))
        instance = None
    problems.sort(key=lambda p: (p.mark.line, p.mark.col))
    return (instance if not problems else None), problems


_KIND = {"list": "a list", "str": "text", "int": "a number", "float": "a number", "bool": "true/false",
         "NoneType": "nothing", "dict": "a mapping"}

# pydantic's wording, rewritten for a modder: what was expected, in the game's terms
_EXPECTED = {
    "float_type": "expected a number", "float_parsing": "expected a number",
    "int_type": "expected a whole number", "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number", "string_type": "expected text",
    "bool_type": "expected true or false", "bool_parsing": "expected true or false",
    "dict_type": "expected a mapping of key: value pairs", "list_type": "expected a list",
    "tuple_type": "expected a list", "model_type": "expected a mapping of key: value pairs",
    "model_attributes_type": "expected a mapping of key: value pairs",
}
_BOUNDS = {"greater_than_equal": ("ge", "must be at least"), "greater_than": ("gt", "must be greater than"),
           "less_than_equal": ("le", "must be at most"), "less_than": ("lt", "must be less than")}


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
    ctx = err.get("ctx", {})
    value = err.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        hint = suggest(field, allowed)
        if not hint and 0 < len(allowed) <= 12:
            hint = f"; allowed keys: {', '.join(allowed)}"
        return Problem(located.mark(data_path, key=True), prefix + f"unknown key '{field}'{hint}")
    if kind == "bad_key":
        allowed = _allowed_keys(model, loc[:-1])
        parent = f"{loc[-2]}: " if len(loc) >= 2 and isinstance(loc[-2], str) else ""
        if allowed:
            msg = f"unknown name '{field}'{suggest(field, allowed)}; expected one of: {', '.join(allowed)}"
        else:
            msg = f"'{field}' is not a valid id (lower-case letters, digits and '_', starting with a letter)"
        return Problem(located.mark(data_path, key=True), prefix + parent + msg)
    if kind == "missing":
        parent = _model_of(_annotation_at(model, data_path[:-1]))
        if isinstance(loc[-1], int) and typing.get_origin(parent) is tuple:
            size = len(typing.get_args(parent))
            got = len(value) if isinstance(value, list | tuple) else loc[-1]
            name = f"{loc[-2]}: " if len(loc) >= 2 else ""
            return Problem(located.mark(data_path[:-1]), prefix + f"{name}expected {size} items, got {got}")
        return Problem(located.mark(data_path[:-1]), prefix + f"missing required field '{field}'")
    message = err["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    if kind in ("value_error", "assertion_error"):
        # a check across fields names the field at fault first ("end_year (2010) must ..."):
        # point at that field's line rather than at the start of the whole object
        target = data_path
        node: Any = located.data
        for step in data_path:
            if isinstance(node, dict):
                node = node.get(step)
            elif isinstance(node, list) and isinstance(step, int) and step < len(node):
                node = node[step]
            else:
                node = None
        first = message.split(" ", 1)[0]
        if isinstance(node, dict) and first in node:
            target = (*data_path, first)
        return Problem(located.mark(target, key=target != data_path), prefix + message)
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        if isinstance(value, str):
            options = [e.strip(" '") for e in expected.replace(" or ", ",").split(",")]
            message = f"unknown value {value!r}{suggest(value, options)}; expected {expected}"
            return Problem(located.mark(data_path), prefix + f"{field}: {message}")
        message = f"expected {expected}"
    elif kind == "string_pattern_mismatch":
        message = "ids are lower-case letters, digits and '_', starting with a letter"
    elif kind in _EXPECTED:
        message = _EXPECTED[kind]
    elif kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        message = f"{words} {ctx.get(key)}"
    elif kind in ("too_short", "too_long"):
        bound = ctx.get("min_length" if kind == "too_short" else "max_length")
        words = "at least" if kind == "too_short" else "at most"
        message = f"expected {words} {bound} item{'s' if bound != 1 else ''}, got {ctx.get('actual_length')}"
        return Problem(located.mark(data_path), prefix + f"{field}: {message}")
    elif kind in ("string_too_long", "string_too_short"):
        bound = ctx.get("max_length" if kind == "string_too_long" else "min_length")
        words = "at most" if kind == "string_too_long" else "at least"
        message = f"must be {words} {bound} characters long"
    if field and not isinstance(loc[-1], int):
        return Problem(located.mark(data_path), prefix + f"{field}: {message} (got {_short(value)})")
    return Problem(located.mark(data_path), prefix + f"{message} (got {_short(value)})")


def raw_reference_problems(located: Located, doctrines: set[str], levers: dict[str, set[str]],
                           policies: dict[str, tuple[set[str], list[str]]],
                           found: list[Problem]) -> list[Problem]:
    """The cross-references of a scenario whose shape has problems: doctrines, budget levers and
    policy options of each power, read from the raw YAML, so that a misspelt key does not hide an
    unknown lever further down. Lines that already have a problem are left to it (one mistake, one
    message). `levers` maps a lever to the doctrines it is open to; `policies` a policy to its
    doctrines and options."""
    taken = {(p.mark.file, p.mark.line) for p in found}
    out: list[Problem] = []

    def add(mark: Mark, message: str) -> None:
        if (mark.file, mark.line) not in taken:
            out.append(Problem(mark, message))
    powers = located.data.get("powers") if isinstance(located.data, dict) else None
    for index, power in enumerate(powers if isinstance(powers, list) else []):
        if not isinstance(power, dict):
            continue
        base, who = ("powers", index), f"power '{power.get('id', index)}'"
        doctrine = power.get("doctrine")
        if isinstance(doctrine, str) and doctrine not in doctrines:
            add(located.mark((*base, "doctrine")),
                f"{who}: unknown doctrine '{doctrine}'{suggest(doctrine, doctrines)}")
            continue
        budget, chosen = power.get("budget"), power.get("policies")
        for lever in budget if isinstance(budget, dict) else {}:
            mark = located.mark((*base, "budget", lever), key=True)
            if lever not in levers:
                add(mark, f"{who}: unknown lever '{lever}'{suggest(str(lever), levers)}")
            elif isinstance(doctrine, str) and doctrine not in levers[lever]:
                add(mark, f"{who}: lever '{lever}' is not open to doctrine '{doctrine}'")
        for policy, option in (chosen if isinstance(chosen, dict) else {}).items():
            if policy not in policies:
                add(located.mark((*base, "policies", policy), key=True),
                    f"{who}: unknown policy '{policy}'{suggest(str(policy), policies)}")
                continue
            open_to, options = policies[policy]
            if isinstance(doctrine, str) and doctrine not in open_to:
                add(located.mark((*base, "policies", policy), key=True),
                    f"{who}: policy '{policy}' is not open to doctrine '{doctrine}'")
            if option not in options:
                add(located.mark((*base, "policies", policy)), f"{who}: policy '{policy}' has no option "
                    f"'{option}'{suggest(str(option), options)}; options: {', '.join(options)}")
    return out
