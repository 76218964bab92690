"""JSON Schema of the scenario and rules files, generated from the pydantic models in schema.py,
so that a modder's editor validates and completes the files as they type (VS Code's YAML
extension reads the `# yaml-language-server: $schema=...` line at the top of each shipped file).

The schema files shipped beside the scenarios and the rules are written by `systemic schema
--write`; a test checks that they match the models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from game.rules import schema
from game.rules.contract import COEFFICIENTS
from game.rules.loader import RULES_DIR, SCENARIOS_DIR

KINDS: tuple[str, ...] = ("scenario", *schema.RULE_FILES)
SCHEMAS_DIR = RULES_DIR / "schemas"


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of file: `scenario` or a rules file (`mechanics`, `events`...)."""
    model = schema.ScenarioFile if kind == "scenario" else schema.RULE_FILES[kind]
    body = model.model_json_schema()
    # the models take any group and coefficient names (the loader checks them against the
    # contract); the schema names them, so an editor completes them and flags a misspelling
    if kind == "mechanics":
        body["properties"]["mechanics"] = _by_coefficient({"$ref": "#/$defs/Coefficient"})
    elif kind == "scenario":
        body["properties"]["overrides"] = _by_coefficient({"type": "number"}) | {"default": {}}
    title = "Systemic scenario file" if kind == "scenario" else f"Systemic rules file: {kind}.yaml"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **body, "title": title}


def _by_coefficient(value: dict[str, Any]) -> dict[str, Any]:
    """An object of the contract's mechanics groups, each an object of its coefficients."""
    return {"type": "object", "additionalProperties": False, "properties": {
        group: {"type": "object", "additionalProperties": False,
                "properties": {name: value for name in names}}
        for group, names in COEFFICIENTS.items()}}


def shipped_path(kind: str) -> Path:
    """Where the schema of `kind` ships: beside the scenarios, or in the rules' schemas folder."""
    return SCENARIOS_DIR / "scenario.schema.json" if kind == "scenario" else SCHEMAS_DIR / f"{kind}.schema.json"


def text(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def modeline(kind: str) -> str:
    """The comment that points an editor at the schema, relative to the shipped file."""
    target = "scenario.schema.json" if kind == "scenario" else f"schemas/{kind}.schema.json"
    return f"# yaml-language-server: $schema={target}"


def write_shipped() -> list[Path]:
    """(Re)write every shipped schema file; returns the paths written."""
    SCHEMAS_DIR.mkdir(exist_ok=True)
    written = []
    for kind in KINDS:
        path = shipped_path(kind)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text(kind), encoding="utf-8")
        tmp.replace(path)  # atomically: an editor never reads half a schema
        written.append(path)
    return written
