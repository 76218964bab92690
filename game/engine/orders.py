"""Orders: what a power decides each turn, as small value objects that round-trip through JSON.

People and AI players give the same Orders. Two kinds of bad orders are told apart, as a chess
library tells an invalid move from an illegal one: `MalformedOrders` cannot be read at all (not
JSON, a wrong shape, an unknown lever, policy, option or power: the client's fault), while
`IllegalOrders` are well formed but break the rules of play now (a lever closed to the doctrine,
changes the political capital cannot pay for, a budget over 100%: the player's choice, told in
the player's words). `check_orders` raises either; `encode` turns one game's orders into the
engine's batched arrays.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine import rules_of_play as play
from game.engine.state import GameState
from game.engine.world import World


class OrderError(ValueError):
    """Orders that cannot be played: `power`, `order` (a path such as "budget.antitrust") and `reason`."""

    def __init__(self, power: str, order: str, reason: str) -> None:
        super().__init__(f"power '{power}': order '{order}': {reason}")
        self.power, self.order, self.reason = power, order, reason


class MalformedOrders(OrderError):
    """Orders that cannot be read: bad JSON, a wrong shape or an unknown id (the client's fault).
    The message locates the fault for whoever wrote the client."""


class IllegalOrders(OrderError):
    """Well-formed orders the rules do not allow now (the player's choice). The message is the
    reason, in words a player understands."""

    def __str__(self) -> str:
        return self.reason


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
            raise MalformedOrders("?", "orders", "expected a JSON object")
        power = data.get("power")
        if not isinstance(power, str):
            raise MalformedOrders("?", "power", "missing or not a string")
        known = {"power", "budget", "policies", "answers", "propose", "accept", "withdraw"}
        for key in data:
            if key not in known:
                raise MalformedOrders(power, str(key), f"unknown field; expected one of {sorted(known)}")

        def mapping(name: str, kind: type | tuple[type, ...], what: str) -> dict[str, Any]:
            value = data.get(name, {})
            if not isinstance(value, dict) or not all(
                    isinstance(k, str) and isinstance(v, kind) and not isinstance(v, bool)
                    for k, v in value.items()):
                raise MalformedOrders(power, name, f"expected an object of {what}")
            return value

        def pairs(name: str) -> tuple[tuple[str, str], ...]:
            value = data.get(name, [])
            if not isinstance(value, list) or not all(
                    isinstance(x, list | tuple) and len(x) == 2 and all(isinstance(s, str) for s in x)
                    for x in value):
                raise MalformedOrders(power, name, "expected a list of [agreement, power] pairs")
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
            raise MalformedOrders("?", "orders", f"not valid JSON: {exc.msg}") from None
        return cls.from_json(data)


def policy_change_cost(world: World, state: GameState, orders: Orders, game: int = 0) -> float:
    """Political capital the orders' policy changes would cost (the rules of play's price)."""
    return play.policy_change_cost(world, state, orders.power, orders.policies, game)


def unaffordable(cost: float, capital: float) -> str:
    """The player's reason when policy changes cost more political capital than is in hand."""
    return f"Not enough political capital: these policy changes cost {cost:.0f}, you have {capital:.0f}."


def check_form(world: World, orders: Orders) -> None:
    """Raise MalformedOrders if an order names a power, lever, policy, option, dilemma, choice or
    agreement that does not exist, or a share outside 0..1: what no player could have chosen."""
    who = orders.power
    if who not in world.power_ids:
        raise MalformedOrders(who, "power", f"no such power; powers are {', '.join(world.power_ids)}")
    for lever, share in orders.budget.items():
        if lever not in world.lever_ids:
            raise MalformedOrders(who, f"budget.{lever}", "no such lever")
        if not np.isfinite(share) or not 0.0 <= share <= 1.0:
            raise MalformedOrders(who, f"budget.{lever}", f"share {share} must be between 0 and 1")
    for pol, option in orders.policies.items():
        if pol not in world.policy_ids:
            raise MalformedOrders(who, f"policies.{pol}", "no such policy")
        q = world.policy_ids.index(pol)
        if option not in world.option_ids[q]:
            raise MalformedOrders(who, f"policies.{pol}",
                                  f"no option '{option}'; options are {', '.join(world.option_ids[q])}")
    for event, choice in orders.answers.items():
        if event not in world.event_ids:
            raise MalformedOrders(who, f"answers.{event}", "no such dilemma")
        choices = [c.id for c in world.scenario.rules.events[world.event_ids.index(event)].choices]
        if choice not in choices:
            raise MalformedOrders(who, f"answers.{event}", f"no choice '{choice}'; choices are {', '.join(choices)}")
    for kind, items in (("propose", orders.propose), ("accept", orders.accept), ("withdraw", orders.withdraw)):
        for agreement, partner in items:
            if agreement not in world.agreement_ids:
                raise MalformedOrders(who, f"{kind}.{agreement}", "no such agreement")
            if partner not in world.power_ids or partner == who:
                raise MalformedOrders(who, f"{kind}.{agreement}", f"'{partner}' is not another power")


def check_rules(world: World, state: GameState, orders: Orders, game: int = 0) -> None:
    """Raise IllegalOrders if well-formed orders (`check_form`) break the rules of play for this
    power now; the message is the player's reason."""
    who = orders.power
    p = world.power_index(who)
    rules = world.scenario.rules
    doctrine = world.doctrine(who).name
    if state.collapsed[game, p]:
        raise IllegalOrders(who, "power", "Your regime has collapsed: it gives no more orders.")
    legal = play.legal_orders(world, state, p, game)
    for lever in orders.budget:
        i = world.lever_ids.index(lever)
        if not legal.levers[i]:
            raise IllegalOrders(who, f"budget.{lever}", f"The {rules.levers[i].name} lever is not open to {doctrine}.")
    total = play.budget_total(orders.budget)
    if not play.budget_fits(total):
        raise IllegalOrders(who, "budget", f"Your budget shares add up to {100 * total:.0f}%; "
                                           "together they may be at most 100%.")
    for pol in orders.policies:
        q = world.policy_ids.index(pol)
        if not world.policy_open[p, q]:
            raise IllegalOrders(who, f"policies.{pol}", f"The {rules.policies[q].name} policy is not open to "
                                                        f"{doctrine}.")
    cost = policy_change_cost(world, state, orders, game)
    capital = play.capital(state, p, game)
    if not play.affordable(cost, capital):
        raise IllegalOrders(who, "policies", unaffordable(cost, capital))
    for event in orders.answers:
        e = world.event_ids.index(event)
        if state.pending[game, p] != e:
            raise IllegalOrders(who, f"answers.{event}", f"The dilemma '{rules.events[e].name}' is not waiting for "
                                                         "your answer.")
    for kind, items in (("propose", orders.propose), ("accept", orders.accept), ("withdraw", orders.withdraw)):
        mask = {"propose": legal.propose, "accept": legal.accept, "withdraw": legal.withdraw}[kind]
        for agreement, partner in items:
            a, q = world.agreement_ids.index(agreement), world.power_index(partner)
            name, partner_name = rules.agreements[a].name, world.power_names[q]
            if not legal.propose[a, q]:
                raise IllegalOrders(who, f"{kind}.{agreement}", f"The {name} is not open to both you and "
                                                                f"{partner_name}.")
            if not mask[a, q]:
                raise IllegalOrders(who, f"{kind}.{agreement}", f"{partner_name} has not offered you the {name}.")


def check_orders(world: World, state: GameState, orders: Orders, game: int = 0) -> None:
    """Raise MalformedOrders if an order names something that does not exist, IllegalOrders if
    the rules of play do not allow it for this power now."""
    check_form(world, orders)
    check_rules(world, state, orders, game)


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

    def rows(self, games: NDArray[np.int64]) -> BatchOrders:
        """New orders made of these orders' rows for `games` (repeat one game's orders with zeros)."""
        return BatchOrders(**{f.name: getattr(self, f.name)[games] for f in fields(BatchOrders)})


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
