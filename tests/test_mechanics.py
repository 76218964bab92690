"""The turn's declared pipeline holds: each mechanic touches only what it declares, reads nothing
a later mechanic has yet to compute, and the indicator columns and coefficients match the
rules contract."""

from __future__ import annotations

import ast
import inspect
from dataclasses import fields

import numpy as np
import pytest
import yaml

from game.ai.personas import decide_batch, persona
from game.engine import BatchOrders, build_world, new_game, resolve
from game.engine.mechanics import TURN
from game.engine.turn import RULE_DRIVEN, Turn, open_turn
from game.engine.world import RX, N
from game.rules.contract import COEFFICIENTS, POWER_INDICATORS, REGION_INDICATORS, Coefficients
from game.rules.loader import RULES_DIR, load_scenario

# What every mechanic may use without declaring it: the turn's fixed context and its methods.
CONTEXT = {"world", "state", "rng", "t", "year", "prev", "alive", "live", "live_game", "const", "explain",
           "coef", "causes", "add", "set", "cause"}
# Turn fields open_turn fills from the GameState: a mechanic may read them before anyone writes them.
FROM_STATE = {"nat", "reg", "alignment", "adoption", "ties", "lever_stock", "policy", "agreement", "proposal",
              "fading", "growth_memory", "expected", "honeymoon", "cumulative_output", "labour", "levels",
              "situation", "collapsed", "pending", "cooldown", "orders"}
TURN_FIELDS = {f.name for f in fields(Turn)}
NAMES = set(POWER_INDICATORS) | set(REGION_INDICATORS) | TURN_FIELDS | RULE_DRIVEN


def column_names() -> tuple[dict[str, str], dict[str, str]]:
    """N's and RX's attribute names -> indicator ids."""
    power = {k: POWER_INDICATORS[v] for k, v in vars(N).items() if isinstance(v, int)}
    region = {k: REGION_INDICATORS[v] for k, v in vars(RX).items() if isinstance(v, int)}
    return power, region


def test_every_contract_indicator_has_exactly_one_column_name() -> None:
    power, region = column_names()
    assert sorted(power.values()) == sorted(POWER_INDICATORS)
    assert sorted(region.values()) == sorted(REGION_INDICATORS)


def test_typed_coefficients_match_mechanics_yaml() -> None:
    shipped = yaml.safe_load((RULES_DIR / "mechanics.yaml").read_text(encoding="utf-8"))["mechanics"]
    assert {g: tuple(sorted(v)) for g, v in shipped.items()} == {g: tuple(sorted(v)) for g, v in COEFFICIENTS.items()}
    values = {g: {k: c["value"] for k, c in v.items()} for g, v in shipped.items()}
    typed = Coefficients.from_values(values)
    assert typed.protest.mu == shipped["protest"]["mu"]["value"]
    assert typed.planning.lambda_ == typed.planning["lambda"] == shipped["planning"]["lambda"]["value"]


def test_declarations_name_real_things() -> None:
    for step in TURN:
        unknown = [n for n in step.reads + step.writes if n not in NAMES]
        assert not unknown, f"{step.name}: {unknown} are neither indicators nor Turn fields"


def test_no_mechanic_reads_what_a_later_one_computes() -> None:
    """Values handed between mechanics (not carried over from the state) are written before read."""
    written: set[str] = set()
    for step in TURN:
        early = [n for n in step.reads if n in TURN_FIELDS and n not in FROM_STATE and n not in written]
        assert not early, f"{step.name} reads {early} before any mechanic writes them"
        written |= set(step.writes)


def test_each_module_uses_only_what_its_mechanics_declare() -> None:
    """Static check: every `tn.field`, `N.COLUMN` and `RX.COLUMN` a mechanics module uses is declared
    by one of its mechanics (reads or writes)."""
    power, region = column_names()
    modules = {inspect.getmodule(step.run) for step in TURN}
    for module in modules:
        declared: set[str] = set()
        for step in TURN:
            if inspect.getmodule(step.run) is module:
                declared |= set(step.reads) | set(step.writes)
        used: set[str] = set()
        for node in ast.walk(ast.parse(inspect.getsource(module))):  # type: ignore[arg-type]
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id == "tn" and node.attr not in CONTEXT:
                    used.add(node.attr)
                elif node.value.id == "N":
                    used.add(power[node.attr])
                elif node.value.id == "RX":
                    used.add(region[node.attr])
        if "every indicator" in declared:
            used -= set(POWER_INDICATORS) | set(REGION_INDICATORS) | {"nat", "reg"}
        used -= {"nat", "reg"}  # the indicator tables themselves; their columns are checked above
        missing = used - declared
        assert not missing, f"{module.__name__} uses {sorted(missing)} without declaring them"  # type: ignore[union-attr]


def _snapshot(tn: Turn) -> dict[str, object]:
    out: dict[str, object] = {}
    for f in fields(Turn):
        if f.name in CONTEXT:
            continue
        v = getattr(tn, f.name)
        out[f.name] = v.copy() if isinstance(v, np.ndarray) else v
    return out


def _changed(before: object, after: object) -> bool:
    if isinstance(before, np.ndarray) and isinstance(after, np.ndarray):
        return before.shape != after.shape or not np.array_equal(before, after, equal_nan=True)
    if isinstance(before, dict) or isinstance(after, dict):
        return before is not after
    return before is not after and not (before is None and after is None)


@pytest.mark.parametrize("scenario", ["digital-leninism-2017", "transatlantic-2017"])
def test_each_mechanic_changes_only_what_it_declares(scenario: str) -> None:
    """Run the pipeline step by step on games with busy orders (policy changes, offers of every
    agreement, answers to dilemmas) and compare the turn before and after each mechanic."""
    world = build_world(load_scenario(scenario))
    rng = np.random.default_rng(3)
    state = new_game(world, 64)
    power_of = {k: v for k, v in zip(POWER_INDICATORS, range(len(POWER_INDICATORS)), strict=True)}
    region_of = {k: v for k, v in zip(REGION_INDICATORS, range(len(REGION_INDICATORS)), strict=True)}
    seen: set[str] = set()
    for _ in range(8):
        orders = BatchOrders.hold(state)
        for p in range(world.n_powers):
            decide_batch(state, p, persona("random"), rng, orders)
        orders.propose[:] = True
        orders.accept[:] = True
        tn = open_turn(state, orders, np.random.default_rng(9))
        for step in TURN:
            before = _snapshot(tn)
            step(tn)
            after = _snapshot(tn)
            touched = {name for name in before if _changed(before[name], after[name])}
            nat_before, nat_after = before["nat"], after["nat"]
            reg_before, reg_after = before["reg"], after["reg"]
            assert isinstance(nat_before, np.ndarray) and isinstance(nat_after, np.ndarray)
            assert isinstance(reg_before, np.ndarray) and isinstance(reg_after, np.ndarray)
            touched -= {"nat", "reg"}
            touched |= {i for i, k in power_of.items() if not np.array_equal(nat_before[k], nat_after[k])}
            touched |= {i for i, k in region_of.items() if not np.array_equal(reg_before[k], reg_after[k])}
            if RULE_DRIVEN & set(step.writes):  # effects the rules files choose: any indicator
                touched -= set(POWER_INDICATORS) | set(REGION_INDICATORS)
            undeclared = touched - set(step.writes)
            assert not undeclared, f"{step.name} changed {sorted(undeclared)} without declaring them"
            seen |= touched
        state, _ = resolve(state, orders, np.random.default_rng(9))
    assert {"stability", "signed", "answered", "network"} <= seen, "the busy orders should exercise these"
