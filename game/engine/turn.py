"""The working context of one resolution: the state and orders it starts from, mutable copies of
the state's arrays, and typed fields that carry values from one mechanic to the next. Each
mechanic declares which of these it reads and writes (see `game.engine.mechanics`); `resolve`
builds a new GameState from the Turn, so the input state is never touched."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.luck import Luck
from game.engine.orders import BatchOrders
from game.engine.state import GameState
from game.engine.world import Tiles, World
from game.rules.contract import Coefficients

F = NDArray[np.floating[Any]]
I_ = NDArray[np.int64]
B_ = NDArray[np.bool_]


# Declarations for effects whose targets the rules files choose (dilemma answers, situations) or
# that apply to every indicator (limits): the pipeline tests accept any indicator for these.
RULE_DRIVEN = frozenset({
    "stocks answers touch", "regions answers touch", "indicators answers touch",
    "indicators situations watch", "indicators situations touch", "indicators conditions name",
    "every indicator",
})


class _Unset(np.ndarray):
    """An empty array that dataclasses accept as a shared default (it hashes by identity)."""

    __hash__ = object.__hash__  # type: ignore[assignment]


# Placeholder of a field a mechanic sets before any later mechanic reads it (the pipeline tests
# check that order); shared, since building thirty empty arrays a turn costs a single game ~3%.
_UNSET: Any = np.empty(0).view(_Unset)


@dataclass(slots=True)
class Turn:
    # ---- what the turn starts from (read-only)
    world: World
    state: GameState
    orders: BatchOrders
    luck: Luck  # the year's dice for every game (see luck.py)
    t: int
    year: int
    prev: F  # (I, B, P) nation at the start of the turn
    alive: B_  # (B, P) games still running, repeated for each power
    live: F  # (B, P) the same as 0/1 numbers in the engine's float type
    live_game: F  # (B,) the same once per game
    const: Tiles  # (B, P) per-power constants of the World, full size (see Tiles)
    explain: bool = True  # record causes for the report (tournaments switch it off for speed)

    # ---- the game's state, as it changes during the turn (started from the GameState)
    nat: F = _UNSET  # (I, B, P) indicator-major copy of state.nation
    reg: F = _UNSET  # (J, R, B) region indicators, game axis last
    alignment: F = _UNSET  # (P, R, B) power-major, game axis last
    adoption: F = _UNSET
    ties: F = _UNSET
    lever_stock: F = _UNSET  # (L, B, P)
    policy: I_ = _UNSET  # (B, P, Q)
    agreement: B_ = _UNSET  # (B, A, P, P)
    proposal: B_ = _UNSET
    fading: F = _UNSET  # (B, P, I) effects still to arrive
    growth_memory: F = _UNSET  # (B, P)
    expected: F = _UNSET  # (B, P) expected growth
    honeymoon: F = _UNSET  # (B, P)
    cumulative_output: F = _UNSET  # (B, P) champions' learning base
    labour: F = _UNSET  # (B, P)
    levels: F = _UNSET  # (6, B, P) output multipliers (LEVELS)
    situation: B_ = _UNSET  # (B, P, S)
    collapsed: B_ = _UNSET  # (B, P) collapsed this turn or before
    pending: I_ = _UNSET  # (B, P) dilemma awaiting an answer, -1 none
    cooldown: NDArray[np.int16] = _UNSET  # (B, P, E)

    # ---- values handed from one mechanic to the next
    chan: F = _UNSET  # (C, B, P) channel levels
    mods: F = _UNSET  # (M, B, P) policy modifiers
    refused: B_ = _UNSET  # (B, P) policy changes refused
    signed: B_ = _UNSET  # (B, A, P, P) agreements signed this turn
    network: F | None = None  # (B, P, P) standards networks merged by agreements
    controls_lifted: F | None = None  # (B, P, P) 1 where a truce lifts the column power's controls
    agreement_sharing: F | float = 0.0  # (B, P) data sharing agreed with other powers
    answered: I_ = _UNSET  # (B, P) dilemma answered this turn, -1 none
    choice: I_ = _UNSET  # (B, P) the choice taken
    gdp_shock: F | None = None  # (B, P) multiplicative output shocks of this turn's answers
    derived_effects: dict[int, F] | None = None  # answers' effects on derived indicators, by column
    # answers' fading effects, not yet in the fading buffer: (flat (game, power) positions, (n, I)
    # rows); the lingering effects add them to the buffer's fading columns only
    fading_added: tuple[I_, F] | None = None
    data_sharing: F = _UNSET  # (B, P) share of data shared
    data_intensity: F = _UNSET  # (B, P) effective data per unit of output
    data_tfp: F = _UNSET  # (B, P) productivity from data
    control: F = _UNSET  # (B, P) the regime's control of the streets
    coordination: F = _UNSET  # (B, P) citizens' coordination online
    ai_control: F = _UNSET  # (B, P) how far AI makes control effective
    controls_on: F = _UNSET  # (B, P) export-control pressure suffered
    competitiveness: F = _UNSET  # (B, P) of the national champions
    crash: B_ = _UNSET  # (B, P) financial crash this turn
    credit_level: F = _UNSET  # (B, P) short-run output from credit
    election: NDArray[np.int8] = _UNSET  # (B, P) 0 none, 1 won, 2 lost
    congress: NDArray[np.int8] = _UNSET  # (B, P) 0 none, 1 strong, 2 struggle
    collapse: B_ = _UNSET  # (B, P) collapsed this turn
    fired: I_ = _UNSET  # (B, P) dilemma newly pending, -1 none
    turnover: NDArray[np.int8] | None = None  # (R, B) patron of a swing region's new government, -1 none

    causes: dict[int, dict[str, F]] = field(default_factory=dict)

    @property
    def coef(self) -> Coefficients:
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
        if self.explain:  # checked here too: a turn makes hundreds of these calls
            self.cause(column, name, amount)

    def set(self, column: int, name: str, value: F) -> None:
        """Move an indicator to a new value under one cause. The report explains a derived
        indicator by what makes up its value and a stock by what changed it, so the cause
        recorded is the value or the change accordingly."""
        if self.explain:
            self.cause(column, name, value if self.world.derived_mask[column] else value - self.nat[column])
        self.nat[column] = value


def open_turn(state: GameState, orders: BatchOrders, luck: Luck, explain: bool = True) -> Turn:
    """Working copies in indicator-major layout: `nat[N.GDP]` is a contiguous (B, P) array,
    which makes the mechanics' column arithmetic several times faster than strided slices.
    Arrays the mechanics replace rather than change in place start as the state's own."""
    w = state.world
    # full (B, P) rather than a (B, 1) column: numpy broadcasts a column over two powers slowly
    alive = np.repeat(~state.over, w.n_powers).reshape(state.batch, w.n_powers)
    return Turn(
        world=w, state=state, orders=orders, luck=luck, t=state.turn, year=state.year,
        prev=state.nat, alive=alive, live=alive.astype(state.nat.dtype),
        live_game=(~state.over).astype(state.nat.dtype), const=w.per_game(state.batch),
        explain=explain,
        nat=state.nat.copy(), reg=state.reg.copy(),
        alignment=state.align, adoption=state.adopt, ties=state.tie,
        lever_stock=state.lever_stock, policy=state.policy,
        agreement=state.agreement, proposal=state.proposal, fading=state.fading,
        growth_memory=state.growth_memory, expected=state.expected_growth, honeymoon=state.honeymoon,
        cumulative_output=state.cumulative_output, labour=state.labour,
        levels=state.levels.transpose(2, 0, 1), situation=state.situation, collapsed=state.collapsed,
        pending=state.pending, cooldown=state.cooldown,
    )


@dataclass(frozen=True)
class Mechanic:
    """One step of the turn: a rule of the game that reads some of the Turn and writes some of it.

    `reads` and `writes` name indicators (by id, e.g. "stability"), region indicators and Turn
    fields (e.g. "crash"); the engine's tests check them against what the step really touches."""

    name: str
    run: Callable[[Turn], None]
    reads: tuple[str, ...]
    writes: tuple[str, ...]

    def __call__(self, tn: Turn) -> None:
        self.run(tn)


def mechanic(name: str, *, reads: tuple[str, ...], writes: tuple[str, ...]
             ) -> Callable[[Callable[[Turn], None]], Mechanic]:
    """Declare a function `(tn: Turn) -> None` as a mechanic of the turn."""
    def wrap(run: Callable[[Turn], None]) -> Mechanic:
        return Mechanic(name, run, reads, writes)
    return wrap
