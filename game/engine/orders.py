"""Orders: what a power decides each turn, as small value objects that round-trip through JSON.

People and AI players give the same Orders. `check_orders` says exactly which order of which
power is illegal and why; `encode` turns one game's orders into the engine's batched arrays.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.state import GameState
from game.engine.world import N, World


class OrderError(ValueError):
    """An illegal order; the message names the power, the order and the reason."""

    def __init__(self, power: str, order: str, reason: str) -> None:
        super().__init__(f"power '{power}': order '{order}': {reason}")
        self.power, self.order, self.reason = power, order, reason


@dataclass(frozen=True)
class Orders:
    """One power's orders for one turn."""

    power: str
    budget: Mapping[str, float] = field(default_factory=dict)
    policies: Mapping[str, str] = field(default_factory=dict)
    answers: Mapping[str, str] = field(default_factory=dict)
    propose: tuple[tuple[str, str], ...] = ()  # (agreement, partner power)
    accept: tuple[tuple[str, str], ...] = ()
    withdraw: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "power": self.power,
            "budget": {k: float(v) for k, v in sorted(self.budget.items())},
            "policies": dict(sorted(self.policies.items())),
            "answers": dict(sorted(self.answers.items())),
            "propose": [list(x) for x in self.propose],
            "accept": [list(x) for x in self.accept],
            "withdraw": [list(x) for x in self.withdraw],
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True)

    @classmethod
    def from_json(cls, data: Any) -> Orders:
        """Build orders from decoded JSON; raise OrderError on a malformed shape."""
        if not isinstance(data, dict):
            raise OrderError("?", "orders", "expected a JSON object")
        power = data.get("power")
        if not isinstance(power, str):
            raise OrderError("?", "power", "missing or not a string")
        known = {"power", "budget", "policies", "answers", "propose", "accept", "withdraw"}
        for key in data:
            if key not in known:
                raise OrderError(power, str(key), f"unknown field; expected one of {sorted(known)}")

        def mapping(name: str, kind: type | tuple[type, ...], what: str) -> dict[str, Any]:
            value = data.get(name, {})
            if not isinstance(value, dict) or not all(
                    isinstance(k, str) and isinstance(v, kind) and not isinstance(v, bool)
                    for k, v in value.items()):
                raise OrderError(power, name, f"expected an object of {what}")
            return value

        def pairs(name: str) -> tuple[tuple[str, str], ...]:
            value = data.get(name, [])
            if not isinstance(value, list) or not all(
                    isinstance(x, list | tuple) and len(x) == 2 and all(isinstance(s, str) for s in x)
                    for x in value):
                raise OrderError(power, name, "expected a list of [agreement, power] pairs")
            return tuple((str(a), str(b)) for a, b in value)

        budget = mapping("budget", (int, float), "lever shares (numbers)")
        return cls(power=power, budget={k: float(v) for k, v in budget.items()},
                   policies=mapping("policies", str, "policy options (strings)"),
                   answers=mapping("answers", str, "dilemma choices (strings)"),
                   propose=pairs("propose"), accept=pairs("accept"), withdraw=pairs("withdraw"))

    @classmethod
    def loads(cls, text: str) -> Orders:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise OrderError("?", "orders", f"not valid JSON: {exc.msg}") from None
        return cls.from_json(data)


def policy_change_cost(world: World, state: GameState, orders: Orders, game: int = 0) -> float:
    """Political capital the orders' policy changes would cost."""
    p = world.power_index(orders.power)
    scale = world.coef["politics"]["policy_change_scale"]
    cost = 0.0
    for pol, option in orders.policies.items():
        q = world.policy_ids.index(pol)
        if world.option_ids[q].index(option) != state.policy[game, p, q]:
            cost += world.change_cost[q] * scale
    return cost


def check_orders(world: World, state: GameState, orders: Orders, game: int = 0) -> None:
    """Raise OrderError if any order is illegal for this power in this state."""
    who = orders.power
    if who not in world.power_ids:
        raise OrderError(who, "power", f"no such power; powers are {', '.join(world.power_ids)}")
    p = world.power_index(who)
    doctrine = world.doctrine_of[p]
    if state.collapsed[game, p]:
        raise OrderError(who, "power", "this regime has collapsed and gives no more orders")
    total = 0.0
    for lever, share in orders.budget.items():
        if lever not in world.lever_ids:
            raise OrderError(who, f"budget.{lever}", "no such lever")
        if not world.lever_open[p, world.lever_ids.index(lever)]:
            raise OrderError(who, f"budget.{lever}", f"not open to doctrine '{doctrine}'")
        if not np.isfinite(share) or not 0.0 <= share <= 1.0:
            raise OrderError(who, f"budget.{lever}", f"share {share} must be between 0 and 1")
        total += share
    if total > 1.0 + 1e-4:
        raise OrderError(who, "budget", f"shares add up to {total:.3f}; they must total at most 1")
    for pol, option in orders.policies.items():
        if pol not in world.policy_ids:
            raise OrderError(who, f"policies.{pol}", "no such policy")
        q = world.policy_ids.index(pol)
        if not world.policy_open[p, q]:
            raise OrderError(who, f"policies.{pol}", f"not open to doctrine '{doctrine}'")
        if option not in world.option_ids[q]:
            raise OrderError(who, f"policies.{pol}",
                             f"no option '{option}'; options are {', '.join(world.option_ids[q])}")
    cost = policy_change_cost(world, state, orders, game)
    capital = state.nation[game, p, N.POLITICAL_CAPITAL]
    if cost > capital + 1e-9:
        raise OrderError(who, "policies", f"changes cost {cost:.0f} political capital but only "
                                          f"{capital:.0f} is available")
    pending = state.pending[game, p]
    for event, choice in orders.answers.items():
        if pending < 0 or world.event_ids[pending] != event:
            raise OrderError(who, f"answers.{event}", "that dilemma is not pending for this power")
        choices = [c.id for c in world.scenario.rules.events[pending].choices]
        if choice not in choices:
            raise OrderError(who, f"answers.{event}", f"no choice '{choice}'; choices are {', '.join(choices)}")
    for kind, items in (("propose", orders.propose), ("accept", orders.accept), ("withdraw", orders.withdraw)):
        for agreement, partner in items:
            if agreement not in world.agreement_ids:
                raise OrderError(who, f"{kind}.{agreement}", "no such agreement")
            a = world.agreement_ids.index(agreement)
            if partner not in world.power_ids or partner == who:
                raise OrderError(who, f"{kind}.{agreement}", f"'{partner}' is not another power")
            q = world.power_index(partner)
            if not (world.agreement_open[p, a] and world.agreement_open[q, a]):
                raise OrderError(who, f"{kind}.{agreement}", "not open to both powers' doctrines")
            if kind == "accept" and not state.proposal[game, a, q, p]:
                raise OrderError(who, f"accept.{agreement}", f"'{partner}' has not offered it")


@dataclass
class BatchOrders:
    """Orders for a whole batch in array form: what the engine consumes."""

    budget: NDArray[np.float64]  # (B, P, L) shares
    policy: NDArray[np.int64]  # (B, P, Q) requested options
    answer: NDArray[np.int64]  # (B, P) choice for the pending dilemma, -1 = default
    propose: NDArray[np.bool_]  # (B, A, P, P)
    accept: NDArray[np.bool_]
    withdraw: NDArray[np.bool_]

    @classmethod
    def hold(cls, state: GameState) -> BatchOrders:
        """Keep every policy, spend nothing, answer nothing (the shape every order starts from)."""
        w = state.world
        B, P = state.batch, w.n_powers
        A = len(w.agreement_ids)
        return cls(budget=np.zeros((B, P, len(w.lever_ids))), policy=state.policy.copy(),
                   answer=np.full((B, P), -1, dtype=np.int64),
                   propose=np.zeros((B, A, P, P), dtype=bool), accept=np.zeros((B, A, P, P), dtype=bool),
                   withdraw=np.zeros((B, A, P, P), dtype=bool))


def encode(state: GameState, orders: Sequence[Orders] | Mapping[str, Orders], *, game: int = 0,
           into: BatchOrders | None = None, check: bool = True) -> BatchOrders:
    """Write one game's orders (one per power; powers without orders hold) into batch arrays."""
    w = state.world
    batch = into if into is not None else BatchOrders.hold(state.select(slice(game, game + 1)))
    row = game if into is not None else 0
    items = list(orders.values()) if isinstance(orders, Mapping) else list(orders)
    for o in items:
        if check:
            check_orders(w, state, o, game)
        p = w.power_index(o.power)
        batch.budget[row, p] = 0.0
        for lever, share in o.budget.items():
            batch.budget[row, p, w.lever_ids.index(lever)] = share
        for pol, option in o.policies.items():
            q = w.policy_ids.index(pol)
            batch.policy[row, p, q] = w.option_ids[q].index(option)
        pending = state.pending[game, p]
        for event, choice in o.answers.items():
            if pending >= 0 and w.event_ids[pending] == event:
                choices = [c.id for c in w.scenario.rules.events[pending].choices]
                batch.answer[row, p] = choices.index(choice)
        for table, items_ in ((batch.propose, o.propose), (batch.accept, o.accept), (batch.withdraw, o.withdraw)):
            for agreement, partner in items_:
                table[row, w.agreement_ids.index(agreement), p, w.power_index(partner)] = True
    return batch


def decode(state: GameState, batch: BatchOrders, game: int = 0) -> dict[str, Orders]:
    """The Orders objects equivalent to one game's row of batch orders (for saves and the UI)."""
    w = state.world
    out: dict[str, Orders] = {}
    for p, pid in enumerate(w.power_ids):
        if state.collapsed[game, p]:
            continue
        budget = {lv: float(batch.budget[game, p, i]) for i, lv in enumerate(w.lever_ids)
                  if batch.budget[game, p, i] > 0}
        policies = {pol: w.option_ids[q][int(batch.policy[game, p, q])]
                    for q, pol in enumerate(w.policy_ids) if w.policy_open[p, q]}
        answers: dict[str, str] = {}
        pending = state.pending[game, p]
        if pending >= 0 and batch.answer[game, p] >= 0:
            choices = [c.id for c in w.scenario.rules.events[pending].choices]
            answers[w.event_ids[pending]] = choices[int(batch.answer[game, p])]

        def pairs(table: NDArray[np.bool_], p: int = p) -> tuple[tuple[str, str], ...]:
            a_idx, q_idx = np.nonzero(table[game, :, p, :])
            return tuple((w.agreement_ids[a], w.power_ids[q]) for a, q in zip(a_idx, q_idx, strict=True))

        out[pid] = Orders(power=pid, budget=budget, policies=policies, answers=answers,
                          propose=pairs(batch.propose), accept=pairs(batch.accept),
                          withdraw=pairs(batch.withdraw))
    return out
