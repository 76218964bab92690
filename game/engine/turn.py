"""The working context of one resolution: mutable copies of the state's arrays, the channel and
modifier levels, and the causes recorded for the report. Mechanics read and write it in order;
`resolve` builds a new GameState from it, so the input state is never touched."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.luck import Luck
from game.engine.state import GameState
from game.engine.world import Tiles, World

F = NDArray[np.floating[Any]]


@dataclass
class Turn:
    world: World
    luck: Luck  # the year's dice for every game (see luck.py)
    t: int
    year: int
    nat: F  # (I, B, P) indicator-major working copy of state.nation
    reg: F  # (J, R, B) region indicators, game axis last
    alignment: F  # (P, R, B) power-major working copies, game axis last
    adoption: F
    ties: F
    lever_stock: F
    policy: NDArray[np.int64]
    chan: F  # (C, B, P) channel levels
    mods: F  # (M, B, P) policy modifiers
    prev: F  # (I, B, P) nation at the start of the turn, read-only
    alive: NDArray[np.bool_]  # (B, P) games still running, repeated for each power
    live: F  # (B, P) the same as 0/1 numbers in the engine's float type
    live_game: F  # (B,) the same once per game
    const: Tiles  # (B, P) per-power constants of the World, full size (see Tiles)
    causes: dict[int, dict[str, F]] = field(default_factory=dict)
    flags: dict[str, Any] = field(default_factory=dict)  # values passed between mechanics
    gdp_shock: F | None = None  # (B, P) multiplicative output shocks (events, crashes)
    explain: bool = True  # record causes for the report (tournaments switch it off for speed)
    network: F | None = None  # (B, P, P) standards networks merged by agreements
    controls_on: F | None = None  # (B, P) export-control pressure each power suffers

    @property
    def coef(self) -> dict[str, dict[str, float]]:
        return self.world.coef

    def cause(self, column: int, name: str, amount: F) -> None:
        """Record that `name` moved indicator `column` by `amount` (B, P) this turn."""
        if not self.explain:
            return
        table = self.causes.setdefault(column, {})
        if name in table:
            table[name] = table[name] + amount
        else:
            table[name] = amount

    def add(self, column: int, name: str, amount: F) -> None:
        """Change an indicator and record the cause in one step."""
        self.nat[column] += amount
        self.cause(column, name, amount)

    def set(self, column: int, name: str, value: F) -> None:
        """Move an indicator to a new value under one cause. The report explains a derived
        indicator by what makes up its value and a stock by what changed it, so the cause
        recorded is the value or the change accordingly."""
        if self.explain:
            self.cause(column, name, value if self.world.derived_mask[column] else value - self.nat[column])
        self.nat[column] = value


# Sums, means and maxima over the powers of each game, column by column: numpy reduces a short
# last axis one element at a time (about 25 times slower). The sum adds the powers in order,
# as numpy does for a (B, P) table, so the numbers are the same.
def power_sum(x: F) -> F:
    """(B, P) -> (B,) the total over each game's powers."""
    total = x[:, 0].copy()
    for p in range(1, x.shape[1]):
        total += x[:, p]
    return total


def power_mean(x: F) -> F:
    """(B, P) -> (B,) the mean over each game's powers."""
    return power_sum(x) / x.shape[1]


def power_max(x: F) -> F:
    """(B, P) -> (B,) the largest value among each game's powers."""
    top = x[:, 0].copy()
    for p in range(1, x.shape[1]):
        np.maximum(top, x[:, p], out=top)
    return top


def power_any(x: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """(B, P) -> (B,) whether any of each game's powers is marked."""
    found = x[:, 0].copy()
    for p in range(1, x.shape[1]):
        found |= x[:, p]
    return found


def each_power(v: F, powers: int) -> F:
    """(B,) -> (B, P) the game's value repeated for each power, as a full table (subtracting a
    (B, 1) column from a (B, P) table would run two elements at a time)."""
    return np.repeat(v, powers).reshape(-1, powers)


def open_turn(state: GameState, luck: Luck, explain: bool = True) -> Turn:
    """Working copies in indicator-major layout: `nat[N.GDP]` is a contiguous (B, P) array,
    which makes the mechanics' column arithmetic several times faster than strided slices."""
    w = state.world
    # full (B, P) rather than a (B, 1) column: numpy broadcasts a column over two powers slowly
    alive = np.repeat(~state.over, w.n_powers).reshape(state.batch, w.n_powers)
    return Turn(
        world=w, luck=luck, t=state.turn, year=state.year,
        nat=state.nat.copy(), reg=state.reg.copy(),
        alignment=state.align, adoption=state.adopt, ties=state.tie,  # replaced, never mutated
        lever_stock=state.lever_stock, policy=state.policy,  # replaced by _orders
        chan=np.empty(0), mods=np.empty(0),  # set by _orders
        prev=state.nat, alive=alive, live=alive.astype(state.nat.dtype),
        live_game=(~state.over).astype(state.nat.dtype), const=w.per_game(state.batch),
        explain=explain,
    )
