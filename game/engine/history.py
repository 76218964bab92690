"""History mode: a scenario's scheduled, sourced events fire in their years.

A history event either *happens* (its effects land on the named powers or regions in its year,
whatever anyone decides) or is a *dilemma* put to one power, answered with that year's orders
through the ordinary dilemma machinery (events.answer_dilemmas): history dilemmas are appended to
the world's event tables, closed to the random deck, with the choice history took listed first,
so an unanswered dilemma, the status-quo persona and every other AI take it; a person may choose
otherwise. While history runs the random deck is silent; from the year after `until` (players may
leave history at any year) the ordinary random deck takes over.

History mode is opt-in: a game plays it only when its World was built from `enable(scenario, ...)`;
for any other World every function here returns at once, so games without history are untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.turn import Mechanic, Turn, mechanic
from game.engine.world import World
from game.rules import schema
from game.rules.loader import Scenario

F = NDArray[np.floating[Any]]
I_ = NDArray[np.int64]

# A doctrine id no power has: history dilemmas are never drawn by the random deck.
CLOSED = "history_only"


@dataclass
class HistoryScenario(Scenario):
    """A scenario played in history mode: its deck's events fire up to and including `until`."""

    history_until: int = 0
    base: Scenario | None = None  # the scenario as loaded, without the history dilemmas


def deck(scenario: Scenario) -> schema.HistorySpec | None:
    return scenario.spec.history


def default_until(scenario: Scenario) -> int | None:
    """The scenario's own setting: the last year of history if history is on, else None."""
    spec = scenario.spec.history
    if spec is None or not spec.enabled:
        return None
    return last_year(scenario) if spec.until is None else spec.until


def last_year(scenario: Scenario) -> int:
    """The year of the deck's last event (the natural end of history mode)."""
    spec = scenario.spec.history
    assert spec is not None
    return max([e.year for e in spec.events] + [c.year for c in spec.course] + [scenario.spec.start_year])


def enable(scenario: Scenario, until: int | None) -> Scenario:
    """The scenario in history mode up to `until` (inclusive); None or a scenario without a deck
    gives the scenario back unchanged (history off)."""
    base = scenario.base if isinstance(scenario, HistoryScenario) and scenario.base else scenario
    if until is None or base.spec.history is None:
        return base
    until = max(base.spec.start_year, min(until, base.spec.end_year))
    dilemmas = [_as_event(e) for e in base.spec.history.events if e.choices]
    rules = replace(base.rules, events=[*base.rules.events, *dilemmas])
    made = HistoryScenario(path=base.path, spec=base.spec, rules=rules, regions=base.regions,
                           coefficients=base.coefficients, playable_regions=base.playable_regions,
                           history_until=until, base=base)
    return made


def until(world: World) -> int | None:
    """The last year of history in this world, or None when history is off."""
    scen = world.scenario
    return scen.history_until if isinstance(scen, HistoryScenario) else None


def _as_event(event: schema.HistoryEvent) -> schema.EventDef:
    """A history dilemma in the shape of a rules event, the historical choice first."""
    choices = sorted(event.choices, key=lambda c: c.id != event.historical)
    return schema.EventDef(id=event.id, name=f"{event.name} ({event.year})", text=event.text,
                           doctrines=[CLOSED], weight=1.0, cooldown=0, choices=choices,
                           source=event.source)


@dataclass(frozen=True)
class _Plan:
    """The deck compiled for one world: per year, the effects to apply and the dilemmas to put."""

    effects: dict[int, list[tuple[str, int, F | None, float, str]]]  # year -> (kind, column, power mask, add, cause)
    regions: dict[int, list[tuple[int, I_, float, str]]]  # year -> (column, region rows, add, cause)
    dilemmas: dict[int, list[tuple[int, int]]]  # year -> (power, event index)
    news: dict[int, list[str]]


def _plan(world: World) -> _Plan:
    if "history plan" in world.memo:
        plan: _Plan = world.memo["history plan"]
        return plan
    spec = world.scenario.spec.history
    assert spec is not None
    effects: dict[int, list[tuple[str, int, F | None, float, str]]] = {}
    regions: dict[int, list[tuple[int, I_, float, str]]] = {}
    dilemmas: dict[int, list[tuple[int, int]]] = {}
    news: dict[int, list[str]] = {}
    P = world.n_powers
    for event in spec.events:
        cause = f"history: {event.name}"
        for eff in event.effects:
            if eff.scope == "regions":
                rows = [world.region_ids.index(r) for r in eff.regions] or list(range(world.n_regions))
                col = world.region_indicator_ids.index(eff.target)
                regions.setdefault(event.year, []).append((col, np.array(rows, dtype=np.int64), eff.add, cause))
                continue
            mask = None
            if eff.power is not None:
                mask = np.zeros(P, dtype=world.lo.dtype)
                mask[world.power_index(eff.power)] = 1.0
            kind = "growth" if eff.target == "growth" else "stock"
            effects.setdefault(event.year, []).append((kind, world.column(eff.target), mask, eff.add, cause))
        if event.choices:
            assert event.power is not None
            dilemmas.setdefault(event.year, []).append(
                (world.power_index(event.power), world.event_ids.index(event.id)))
        else:
            news.setdefault(event.year, []).append(f"{event.year}: {event.name}")
    plan = _Plan(effects, regions, dilemmas, news)
    world.memo["history plan"] = plan
    return plan


@mechanic("history: this year's events",
          reads=("year", "live", "gdp_shock"),
          writes=("gdp_shock", "stocks history touches", "regions history touches"))
def happen(tn: Turn) -> None:
    """Apply the effects of this year's history events (before production): stocks at once,
    growth as this year's output shock, region indicators in the named regions."""
    last = until(tn.world)
    year = tn.year + 1  # the year this turn resolves
    if last is None or year > last:
        return
    plan = _plan(tn.world)
    for kind, col, mask, add, cause in plan.effects.get(year, []):
        amount = tn.live * (add if mask is None else add * mask)
        if kind == "growth":
            shock = tn.gdp_shock if tn.gdp_shock is not None else np.ones_like(tn.live)
            tn.gdp_shock = shock * (1 + amount)
        else:
            tn.add(col, cause, amount.astype(tn.nat.dtype))
    for col, rows, add, _cause in plan.regions.get(year, []):
        tn.reg[col][rows] += np.float32(add) * tn.live_game[None, :]


def put_dilemmas(world: World, year: int, pending: I_) -> I_:
    """`pending` with the history dilemmas of `year` put to their powers."""
    last = until(world)
    if last is None or year > last:
        return pending
    todo = _plan(world).dilemmas.get(year)
    if not todo:
        return pending
    pending = pending.copy()
    for p, e in todo:
        pending[:, p] = e
    return pending


@mechanic("history: next year's dilemmas",
          reads=("year", "answered", "pending", "cooldown", "collapsed"),
          writes=("pending", "cooldown", "fired"))
def schedule(tn: Turn) -> None:
    """After the random deck has drawn next year's dilemmas: while next year is history, its draws
    are set aside (the deck is silent) and next year's history dilemmas are put instead."""
    last = until(tn.world)
    year = tn.year + 2  # the year in which dilemmas drawn now are answered
    if last is None or year > last:
        return
    pending_after = np.where(tn.answered >= 0, -1, tn.state.pending)
    put = np.where(tn.alive, put_dilemmas(tn.world, year, pending_after), pending_after)
    pending = np.where(tn.collapsed, -1, put)  # a fallen regime faces no more dilemmas
    tn.fired = np.where((pending >= 0) & (pending != pending_after), pending, -1)
    tn.pending, tn.cooldown = pending, tn.state.cooldown


def turn(steps: tuple[Mechanic, ...], world: World) -> tuple[Mechanic, ...]:
    """The turn's mechanics: `steps` itself without history; in history mode with this year's
    events before production and history's dilemmas after the random draw."""
    if until(world) is None:
        return steps
    if "history turn" not in world.memo:
        names = [s.name for s in steps]
        at = names.index("production")
        with_events = (*steps[:at], happen, *steps[at:])
        world.memo["history turn"] = (*with_events, schedule)
    made: tuple[Mechanic, ...] = world.memo["history turn"]
    return made


def opening(state: Any) -> Any:
    """A new game's state with what history has already put in place: the agreements in force
    when the scenario opens (a present-day start) and, in history mode, the first year's history
    dilemmas pending."""
    w = state.world
    in_force = w.scenario.spec.agreements
    if in_force:
        agreement = state.agreement.copy()
        for entry in in_force:
            a = w.agreement_ids.index(entry.id)
            p, q = (w.power_index(pid) for pid in entry.powers)
            agreement[:, a, p, q] = agreement[:, a, q, p] = True
        state = state.copy_with(agreement=agreement)
    if until(w) is None:
        return state
    pending = put_dilemmas(w, w.start_year + 1, state.pending)
    return state if pending is state.pending else state.copy_with(pending=pending)


def leave(state: Any, year: int) -> Any:
    """The state after the players leave history at `year` (its last year of history): the world
    is rebuilt with the shorter history, and dilemmas history had put for later years are dropped."""
    from game.engine.world import build_world

    w = state.world
    if until(w) is None:
        return state
    scen = w.scenario
    assert isinstance(scen, HistoryScenario) and scen.base is not None
    new_world = build_world(enable(scen.base, year))
    pending = state.pending
    if year < state.year + 1:  # the pending dilemmas belong to a year no longer in history
        closed = np.array([CLOSED in e.doctrines for e in w.scenario.rules.events])
        pending = np.where(closed[np.maximum(pending, 0)] & (pending >= 0), -1, pending)
    return state.copy_with(world=new_world, pending=pending)


def news(world: World, year: int) -> list[str]:
    """Headlines of the history events that happened in `year` (dilemmas have their own)."""
    last = until(world)
    if last is None or year > last:
        return []
    return list(_plan(world).news.get(year, []))


def prefer_historical(world: World, table: F) -> F:
    """A persona's (E, choices) liking of each dilemma's choices, with the historical choice (the
    first) of every history dilemma preferred: the AI's default is what history did."""
    if until(world) is None:
        return table
    table = table.copy()
    for e, event in enumerate(world.scenario.rules.events):
        if CLOSED in event.doctrines:
            table[e, 0] = np.inf
    return table


def course_policies(world: World, year: int) -> dict[int, dict[int, int]]:
    """The historical course's policy settings in force in `year`: power -> policy -> option,
    cumulating every course step up to that year."""
    spec = world.scenario.spec.history
    out: dict[int, dict[int, int]] = {}
    if spec is None:
        return out
    for step in sorted(spec.course, key=lambda s: s.year):
        if step.year > year:
            break
        p = world.power_index(step.power)
        for policy, option in step.policies.items():
            q = world.policy_ids.index(policy)
            out.setdefault(p, {})[q] = world.option_ids[q].index(option)
    return out
