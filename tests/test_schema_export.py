"""The JSON Schema shipped for editors matches the models, the shipped YAML points at it and
validates against it, and it catches the mistakes a modder makes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from game.cli import main
from game.rules import editor_schema
from game.rules.loader import RULES_DIR, SCENARIOS_DIR

SHIPPED = [(path, "scenario") for path in sorted(SCENARIOS_DIR.glob("*.yaml"))] + [
    (RULES_DIR / f"{kind}.yaml", kind) for kind in editor_schema.KINDS if kind != "scenario"]


@pytest.mark.parametrize("kind", editor_schema.KINDS)
def test_shipped_schema_is_up_to_date(kind: str) -> None:
    shipped = editor_schema.shipped_path(kind)
    assert shipped.read_text(encoding="utf-8") == editor_schema.text(kind), (
        f"{shipped} is out of date with the models: run `systemic schema --write`")


@pytest.mark.parametrize(("path", "kind"), SHIPPED, ids=[p.name for p, _ in SHIPPED])
def test_shipped_yaml_names_and_passes_its_schema(path: Path, kind: str) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == editor_schema.modeline(kind)
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == editor_schema.shipped_path(kind).resolve()
    schema = json.loads(target.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_schema_flags_a_misspelt_coefficient_and_a_wrong_type() -> None:
    validator = jsonschema.Draft202012Validator(editor_schema.json_schema("mechanics"))
    good = yaml.safe_load((RULES_DIR / "mechanics.yaml").read_text(encoding="utf-8"))
    good["mechanics"]["protest"]["muu"] = good["mechanics"]["protest"].pop("mu")
    assert any("muu" in e.message for e in validator.iter_errors(good))
    scenario = jsonschema.Draft202012Validator(editor_schema.json_schema("scenario"))
    spec = yaml.safe_load((SCENARIOS_DIR / "digital-leninism-2017.yaml").read_text(encoding="utf-8"))
    spec["powers"][0]["gdp"] = "lots"
    assert list(scenario.iter_errors(spec))


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "events"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == editor_schema.json_schema("events")
    assert "events" in printed["properties"]
