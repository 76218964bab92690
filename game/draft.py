"""A human power's draft orders for this turn, and the projection of their main effects.

One draft for every way people play: the desktop screens edit it and End turn turns it into
`Orders`; the classroom reads each team's page into it (`Draft.read`) and submits it. It asks the
rules of play (`game.engine.rules_of_play`) what is legal and what it costs, and tells the two kinds
of bad orders apart: a draft that cannot be read is refused at once (`MalformedOrders`, the
client's fault); a draft the rules do not allow now (`IllegalOrders`, the player's choice) may be
kept while the player edits it, and is refused with the reason when submitted (`check`).
Nothing here changes the game; the projection resolves a throwaway copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from game.ai.personas import decide, decide_batch
from game.engine import BatchOrders, MalformedOrders, Orders, decode, encode, resolve, status_quo_orders
from game.engine import rules_of_play as play
from game.engine.orders import check_form, check_orders, unaffordable
from game.match import HUMAN, Game

# What the projection and the turn report summarise first.
MAIN_INDICATORS = ("gdp", "growth", "stability", "political_capital", "data_stock", "ai_capability",
                   "champions", "standards_share", "model_adoption")
# Simulated years behind a projection: enough for a steady median, cheap for the batched engine.
PROJECTION_DRAWS = 32
YEARS_AHEAD = 5  # the end-turn dialog's longer view: levers build stocks that act over years


@dataclass
class Draft:
    """One power's orders as the player edits them."""

    game: Game
    power: str
    budget: dict[str, float] = field(default_factory=dict)
    policies: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    propose: set[tuple[str, str]] = field(default_factory=set)
    accept: set[tuple[str, str]] = field(default_factory=set)
    withdraw: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def start(cls, game: Game, power: str) -> Draft:
        """Last turn's budget split (or the opening one) and the policies in force."""
        w, s = game.world, game.state
        p = w.power_index(power)
        last = game.orders_log[-1].get(power) if game.orders_log else None
        if last is not None:
            budget = {k: float(v) for k, v in last["budget"].items()}
            budget = {k: v for k, v in budget.items() if w.lever_open[p, w.lever_ids.index(k)]}
        else:
            budget = play.opening_budget(w, power)
        policies = {pol: w.option_ids[q][int(s.policy[0, p, q])]
                    for q, pol in enumerate(w.policy_ids) if w.policy_open[p, q]}
        return cls(game=game, power=power, budget=budget, policies=policies)

    @classmethod
    def read(cls, game: Game, power: str, payload: object) -> Draft:
        """A draft from a client's JSON (the classroom page's); MalformedOrders if it cannot be
        read. It may still be illegal: `check` says so when it is submitted."""
        if not isinstance(payload, dict):
            raise MalformedOrders(power, "orders", "expected a JSON object")
        orders = Orders.from_json({**payload, "power": power})
        check_form(game.world, orders)
        return cls(game=game, power=power, budget=dict(orders.budget), policies=dict(orders.policies),
                   answers=dict(orders.answers), propose=set(orders.propose), accept=set(orders.accept),
                   withdraw=set(orders.withdraw))

    def to_json(self) -> dict[str, object]:
        """The draft as written (shares of nothing and stale answers included), for the page and saves."""
        return Orders(self.power, budget=dict(self.budget), policies=dict(self.policies), answers=dict(self.answers),
                      propose=tuple(sorted(self.propose)), accept=tuple(sorted(self.accept)),
                      withdraw=tuple(sorted(self.withdraw))).to_json()

    def check(self) -> Orders:
        """The orders this draft gives, if the rules allow them now; IllegalOrders (the player's
        reason) or MalformedOrders otherwise."""
        orders = self.orders()
        check_orders(self.game.world, self.game.state, orders)
        return orders

    # ------------------------------------------------------------ budget
    def levers(self) -> list[str]:
        w = self.game.world
        p = w.power_index(self.power)
        return [lev for i, lev in enumerate(w.lever_ids) if w.lever_open[p, i]]

    def allocated(self) -> float:
        return sum(self.budget.values())

    def set_share(self, lever: str, share: float) -> float:
        """Set a lever's share of the budget, capped so the shares never exceed the budget."""
        if lever not in self.levers():
            return 0.0
        value = round(min(max(0.0, float(share)), play.budget_room(self.budget, lever)), 4)
        self.budget[lever] = value
        return value

    def budget_money(self) -> float:
        """The discretionary budget this year, in US$ bn."""
        w = self.game.world
        p = w.power_index(self.power)
        return float(w.budget_share[p]) * self.game.value(self.power, "gdp") * 1000.0

    # ------------------------------------------------------------ policies
    def current_option(self, policy: str) -> str:
        w, s = self.game.world, self.game.state
        q = w.policy_ids.index(policy)
        return w.option_ids[q][int(s.policy[0, w.power_index(self.power), q])]

    def change_cost(self, policy: str) -> float:
        return play.change_price(self.game.world, policy)

    def policy_cost(self, policies: dict[str, str] | None = None) -> float:
        chosen = policies if policies is not None else self.policies
        return play.policy_change_cost(self.game.world, self.game.state, self.power, chosen)

    def capital(self) -> float:
        return self.game.value(self.power, "political_capital")

    def set_policy(self, policy: str, option: str) -> str | None:
        """Choose an option; returns a one-line reason if it cannot be afforded (nothing changes)."""
        trial = dict(self.policies, **{policy: option})
        cost = self.policy_cost(trial)
        if not play.affordable(cost, self.capital()):
            return unaffordable(cost, self.capital())
        self.policies = trial
        return None

    # ------------------------------------------------------------ dilemmas and agreements
    def pending(self) -> str | None:
        w, s = self.game.world, self.game.state
        e = int(s.pending[0, w.power_index(self.power)])
        return w.event_ids[e] if e >= 0 else None

    def answer(self, event: str, choice: str) -> None:
        self.answers = {event: choice}

    def toggle(self, kind: str, agreement: str, partner: str) -> bool:
        """Flip a proposal, acceptance or withdrawal; returns whether it is now on."""
        bucket = {"propose": self.propose, "accept": self.accept, "withdraw": self.withdraw}[kind]
        key = (agreement, partner)
        if key in bucket:
            bucket.discard(key)
            return False
        bucket.add(key)
        return True

    # ------------------------------------------------------------ orders and projection
    def orders(self) -> Orders:
        answers = {k: v for k, v in self.answers.items() if k == self.pending()}
        return Orders(self.power, budget={k: v for k, v in self.budget.items() if v > 0},
                      policies=dict(self.policies), answers=answers,
                      propose=tuple(sorted(self.propose)), accept=tuple(sorted(self.accept)),
                      withdraw=tuple(sorted(self.withdraw)))

    def project(self, seed: int = 12345, draws: int = PROJECTION_DRAWS) -> dict[str, tuple[float, float]]:
        """Main indicators now and their median after one year with these orders, on throwaway copies.

        One simulated year would show one roll of the dice (a crash, a lost election) as if it were
        the plan's effect; the batched engine resolves `draws` copies of the year at once and the
        median is the likely course. AI seats decide with a throwaway generator (the game's AI
        stream is untouched); other human seats are assumed to hold their course, so no one's
        secret draft leaks.
        """
        g = self.game
        rng = np.random.default_rng(seed)
        others: list[Orders] = []
        for pid, who in g.seats.items():
            if pid == self.power or g.collapsed(pid):
                continue
            if who == HUMAN:
                others.append(decode(g.state, status_quo_orders(g.state), 0)[pid])
            else:
                # a level's search would stall the window: the projection assumes its persona's style
                others.append(decide(g.state, pid, g.style(pid), np.random.default_rng(seed + 1)))
        one = encode(g.state, [self.orders(), *others], check=False)
        copies = np.zeros(draws, dtype=np.int64)
        batch = one.rows(copies)
        after, _ = resolve(g.state.select(copies), batch, rng, explain=False)
        p = g.world.power_index(self.power)
        return {k: (g.value(self.power, k), float(np.median(after.nat[g.world.column(k), :, p])))
                for k in MAIN_INDICATORS}

    def project_years(self, years: int = YEARS_AHEAD, seed: int = 12345,
                      draws: int = PROJECTION_DRAWS // 2) -> dict[str, tuple[float, float]]:
        """Main indicators after `years` years keeping this budget split and these policies, and
        after keeping last year's split instead (medians of `draws` simulated courses on the same
        luck): the difference is what the drafted orders do once the levers' stocks have built up,
        which one year barely shows. AI seats play their persona's style each year, other human
        seats hold their course; this year's dilemma answer and offers count in the first year only."""
        g = self.game
        w = g.world
        p = w.power_index(self.power)
        years = min(years, w.n_turns - g.state.turn)
        out: dict[str, list[float]] = {k: [] for k in MAIN_INDICATORS}
        for mine in (self.orders(), Draft.start(g, self.power).orders()):
            rng = np.random.default_rng(seed)
            ai_rng = np.random.default_rng(seed + 1)
            humans = [decode(g.state, status_quo_orders(g.state), 0)[pid] for pid, who in g.seats.items()
                      if who == HUMAN and pid != self.power and not g.collapsed(pid)]
            first = encode(g.state, [mine, *humans], check=False)
            state = g.state.select(np.zeros(draws, dtype=np.int64))
            for year in range(years):
                orders = first.rows(np.zeros(draws, dtype=np.int64))
                if year:  # later years: the same split and policies, no answers or offers
                    later = BatchOrders.hold(state)
                    orders.answer, orders.propose = later.answer, later.propose
                    orders.accept, orders.withdraw = later.accept, later.withdraw
                for pid, who in g.seats.items():
                    if who != HUMAN and not g.collapsed(pid):
                        decide_batch(state, w.power_index(pid), g.style(pid), ai_rng, orders)
                state, _ = resolve(state, orders, rng, explain=False)
            for k in MAIN_INDICATORS:
                out[k].append(float(np.median(state.nat[w.column(k), :, p])))
        return {k: (v[0], v[1]) for k, v in out.items()}
