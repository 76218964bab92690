"""Game state: numpy arrays with a leading game axis (a single game is a batch of one)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.rules_of_play import opening_budgets
from game.engine.world import CH, MOD, RX, N, World, in_engine_dtype

F = NDArray[np.floating[Any]]


# Arrays stored with the game axis second (indicator- or power-major), so the engine's column
# arithmetic runs on contiguous memory; the properties give the (game, ...) views callers read.
_GAME_AXIS_1 = frozenset({"nat", "lever_stock"})
_GAME_AXIS_LAST = frozenset({"reg", "align", "adopt", "tie"})


def _game_axis(name: str) -> int:
    return 1 if name in _GAME_AXIS_1 else -1 if name in _GAME_AXIS_LAST else 0


def _at(axis: int, games: Any) -> tuple[Any, ...]:
    """An index selecting `games` on `axis` (0, 1 or -1)."""
    return (Ellipsis, games) if axis == -1 else (slice(None),) * axis + (games,)


@dataclass(frozen=True)
class GameState:
    """Everything that changes during play, for B games at once. Never mutated after creation."""

    world: World
    turn: int
    nat: F  # (I, B, P) indicators per power, indicator-major; read it as `nation`
    reg: F  # (J, R, B) indicators per swing region; read it as `region`
    align: F  # (P, R, B) which power's model a region leans to; read it as `alignment`
    adopt: F  # (P, R, B) share of a region on each power's standard; read it as `adoption`
    tie: F  # (P, R, B) infrastructure ties; read it as `ties`
    lever_stock: F  # (L, B, P) accumulated spending on each lever, points of GDP
    policy: NDArray[np.int64]  # (B, P, Q) chosen option per policy
    pending: NDArray[np.int64]  # (B, P) dilemma awaiting an answer, -1 for none
    cooldown: NDArray[np.int16]  # (B, P, E) first turn an event may fire again (small: copied each turn)
    situation: NDArray[np.bool_]  # (B, P, S) active situations
    agreement: NDArray[np.bool_]  # (B, A, P, P) signed agreements (symmetric)
    proposal: NDArray[np.bool_]  # (B, A, P, P) offers from row power to column power
    fading: F  # (B, P, I) effects still to arrive, fading each turn (grudges)
    expected_growth: F  # (B, P) what citizens have come to expect
    growth_memory: F  # (B, P) recent perceived growth (inertia)
    honeymoon: F  # (B, P) approval bonus of a new government, fading
    tfp_scale: F  # (B, P) level calibration so that 2017 output matches the data
    tfp_trend: F  # (B, P) TFP growth not explained by the mechanics (calibrated to the data)
    levels: F  # (B, P, 6) last turn's output multipliers, to explain growth by its sources
    stability_mean: F  # (B, P) running mean of stability, for the score
    labour: F  # (B, P) effective labour index
    cumulative_output: F  # (B, P) champions' learning-by-doing base
    crisis_turns: NDArray[np.int64]  # (B,) consecutive turns of global crisis
    collapsed: NDArray[np.bool_]  # (B, P)
    over: NDArray[np.bool_]  # (B,)

    @property
    def nation(self) -> F:
        """(B, P, I) indicators per game and power (a view)."""
        return self.nat.transpose(1, 2, 0)

    @property
    def region(self) -> F:
        """(B, R, J) indicators per game and swing region (a view)."""
        return self.reg.transpose(2, 1, 0)

    @property
    def alignment(self) -> F:
        """(B, R, P) lean of each region toward each power's model (rows sum to 1)."""
        return self.align.transpose(2, 1, 0)

    @property
    def adoption(self) -> F:
        """(B, R, P) share of each region on each power's technical standard."""
        return self.adopt.transpose(2, 1, 0)

    @property
    def ties(self) -> F:
        """(B, R, P) infrastructure ties of each region with each power."""
        return self.tie.transpose(2, 1, 0)

    @property
    def batch(self) -> int:
        return int(self.over.shape[0])

    @property
    def year(self) -> int:
        return self.world.start_year + self.turn

    @property
    def finished(self) -> bool:
        return bool(self.over.all())

    def value(self, power: str, indicator: str, game: int = 0) -> float:
        w = self.world
        return float(self.nat[w.column(indicator), game, w.power_index(power)])

    def _each_array(self, pick: Any) -> GameState:
        """A state of `pick(array, index)` for every array, `index` selecting on its game axis."""
        out: dict[str, object] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = pick(v, _game_axis(f.name)) if isinstance(v, np.ndarray) else v
        return GameState(**out)  # type: ignore[arg-type]

    def select(self, games: NDArray[np.int64] | slice) -> GameState:
        """A sub-batch (copies), e.g. one game out of many."""
        if isinstance(games, slice):
            return self._each_array(lambda v, axis: v[_at(axis, games)].copy(order="C"))
        # a take is already a new C-ordered array: one pass, not a gather and then a copy
        return self._each_array(lambda v, axis: np.ascontiguousarray(np.take(v, games, axis=axis)))

    def window(self, start: int, stop: int) -> GameState:
        """Games start..stop-1 as views, without copying: for readers (a persona deciding for a
        block of a search's rollout); the engine itself wants `select`'s contiguous copies."""
        return self._each_array(lambda v, axis: v[_at(axis, slice(start, stop))])

    @staticmethod
    def join(states: list[GameState]) -> GameState:
        """Batches of the same World and turn, one after another on the game axis."""
        first = states[0]
        if any(s.turn != first.turn or s.world is not first.world for s in states):
            raise ValueError("only batches of the same world and turn can be joined")
        out: dict[str, object] = {}
        for f in fields(first):
            v = getattr(first, f.name)
            out[f.name] = np.concatenate([getattr(s, f.name) for s in states], axis=_game_axis(f.name)) \
                if isinstance(v, np.ndarray) else v
        return GameState(**out)  # type: ignore[arg-type]

    def arrays(self) -> dict[str, np.ndarray]:
        """Every array, in the (game, ...) layout, by name (for tests and saves)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)
               if isinstance(getattr(self, f.name), np.ndarray)
               and f.name not in _GAME_AXIS_1 | _GAME_AXIS_LAST}
        out |= {"nation": self.nation, "region": self.region, "alignment": self.alignment,
                "adoption": self.adoption, "ties": self.ties}
        return out

    def copy_with(self, **changes: object) -> GameState:
        return replace(self, **changes)  # type: ignore[arg-type]


# repression's channels: their returns fall off fast (see `budget.control_half_stock`)
CONTROL_CHANNELS = ("surveillance", "censorship")


def channel_half_stocks(world: World) -> F:
    """(C, 1, 1) each channel's half stock h: `budget.half_stock`, except the repression channels
    (surveillance, censorship) on `budget.control_half_stock`."""
    key = "channel half stocks"
    if key not in world.memo:
        from game.engine.world import CH
        b = world.coef.budget
        h = np.full((len(CH), 1, 1), b.half_stock, dtype=world.lever_channels.dtype)
        for name in CONTROL_CHANNELS:
            h[CH[name]] = b.control_half_stock
        h.setflags(write=False)
        world.memo[key] = h
    found: F = world.memo[key]
    return found


def channel_gain(world: World) -> F:
    """(C, 1, P) the factor that keeps each power's channels at their 2017 levels on the lever
    curve x/(x+h) (see `channel_half_stocks`): the start-year levels are the scenario's calibration
    (they were x0/(x0+1) at each power's 2017 stock x0), and the curve sets how spending moves
    them from there. (x0+h)/(x0+1) is that ratio, and stays finite for a channel unfunded in 2017."""
    key = "channel gain"
    if key not in world.memo:
        from game.engine.rules_of_play import opening_budgets  # rules_of_play imports this module
        h = channel_half_stocks(world)[:, 0, :]  # (C, 1)
        stock = opening_budgets(world) * world.budget_share[:, None] * 100 / world.lever_depreciation[None, :]
        x0 = (stock @ world.lever_channels).T  # (C, P) each power's 2017 channel stocks
        gain = ((x0 + h) / (x0 + 1.0))[:, None, :].astype(world.lever_channels.dtype)
        gain.setflags(write=False)
        world.memo[key] = gain
    found: F = world.memo[key]
    return found


def channels(world: World, lever_stock: F) -> F:
    """(C, B, P) channel levels from lever stocks (L, B, P): diminishing returns, x/(x+h) scaled
    to each power's 2017 level (see `channel_gain`); at h = 1 the plain x/(x+1)."""
    L, B, P = lever_stock.shape
    x = (world.lever_channels.T @ lever_stock.reshape(L, B * P)).reshape(-1, B, P)
    b = world.coef.budget
    if b.half_stock == 1.0 and b.control_half_stock == 1.0:
        denominator = x + 1.0
        np.divide(x, denominator, out=x)
        return x
    denominator = x + channel_half_stocks(world)
    np.divide(x, denominator, out=x)
    x *= channel_gain(world)
    return x


def modifiers(world: World, policy: NDArray[np.int64]) -> F:
    """(M, B, P) sum of the chosen policy options' modifiers (closed policies count zero)."""
    if world.policy_table is not None:
        # one lookup per power in the table of every policy profile
        column = policy @ world.policy_stride  # (B, P) each power's profile
        column += world.per_game(policy.shape[0]).profile_offset  # power p's block of columns
        return np.take(world.policy_table, column, axis=1)
    total = np.zeros((world.option_modifiers.shape[2], *policy.shape[:2]), dtype=world.lo.dtype)
    for q in range(policy.shape[-1]):
        if world.policy_open[:, q].any():
            total += world.option_modifiers_t[q][:, policy[:, :, q]] * world.policy_open[:, q]
    return total


def initial_state(world: World, batch: int = 1) -> GameState:
    """The scenario's 2017 (or start-year) situation, repeated for `batch` games."""
    spec = world.scenario.spec
    rules = world.scenario.rules
    P, R = world.n_powers, world.n_regions
    I, J = len(world.indicator_ids), len(world.region_indicator_ids)
    Q = len(world.policy_ids)
    E, S, A = len(world.event_ids), len(world.situation_ids), len(world.agreement_ids)
    nation = np.zeros((P, I))
    for k in range(len(world.indicator_ids)):
        lo, hi = world.lo[k], world.hi[k]
        nation[:, k] = lo if lo > 0 else 0.0 if hi > 0 else hi

    # start at the steady state of the opening budget, so a status-quo run is calm (worked in the
    # single precision of the world's tables, as it always has been)
    opening = opening_budgets(world).astype(world.budget_share.dtype)
    lever_stock = (opening * world.budget_share[:, None] * 100 / world.lever_depreciation[None, :]).astype(np.float64)
    policy = np.zeros((P, Q), dtype=np.int64)
    for p, setup in enumerate(spec.powers):
        for pol, option in setup.policies.items():
            q = world.policy_ids.index(pol)
            policy[p, q] = world.option_ids[q].index(option)
    chan = channels(world, lever_stock.T[:, None, :])[:, 0].T  # (P, C)
    mods = modifiers(world, policy[None])[:, 0].T  # (P, M)
    # the mechanics package imports this module: its stability formula is looked up when a game starts
    from game.engine.mechanics.stability import stability_parts
    st = world.coef.start

    for p, s in enumerate(spec.powers):
        nation[p, N.GDP] = s.gdp
        nation[p, N.GROWTH] = s.growth
        nation[p, N.REPORTED_GROWTH] = s.growth
        nation[p, N.GDP_PER_CAPITA] = s.gdp / s.population * 1e3
        nation[p, N.TFP] = s.tfp
        nation[p, N.CAPITAL] = s.capital_output * s.gdp
        nation[p, N.COVERAGE] = s.internet
        gap = st.autocracy_data_gap if world.autocratic[p] else 0.0
        nation[p, N.DATA_QUALITY] = st.data_quality - gap * (1 - s.freedom / 100)
        nation[p, N.AI] = st.ai_per_rd * s.rd_share * 100 * s.internet
        nation[p, N.CONCENTRATION] = s.concentration
        nation[p, N.PRIVACY_TRUST] = world.base_trust[p]
        nation[p, N.SURVEILLANCE] = chan[p, CH["surveillance"]]
        nation[p, N.LEGITIMACY] = s.legitimacy
        nation[p, N.APPROVAL] = s.approval
        nation[p, N.POLARISATION] = st.polarisation_elections if world.elections[p] else st.polarisation_party_state
        nation[p, N.GRIEVANCE] = st.grievance
        nation[p, N.PROTEST] = st.protest
        # the stability mechanic's own formula, so the first turn shows no artificial jump
        nation[p, N.STABILITY] = sum(stability_parts(world.coef, st.protest, st.grievance,
                                                     nation[p, N.POLARISATION]).values())
        nation[p, N.POLITICAL_CAPITAL] = st.political_capital
        nation[p, N.BUBBLE] = max(0.0, st.bubble + st.bubble_per_credit * mods[p, MOD["credit_growth"]])
        nation[p, N.CHAMPIONS] = s.champions
        nation[p, N.CHAMPION_COST] = 1.0 / max(st.min_standard_quality, s.standard_quality)
        nation[p, N.PLANNING_SHARE] = np.clip(mods[p, MOD["planning_share"]], 0, world.coef.planning.max_share)
    c = world.coef.data
    gdp = nation[:, N.GDP]
    inflow = c.inflow * gdp * nation[:, N.COVERAGE]
    nation[:, N.DATA_STOCK] = inflow / c.decay

    region = np.zeros((R, J))
    alignment = np.full((R, P), 1.0 / P)
    adoption = np.zeros((R, P))
    ties = np.zeros((R, P))
    for r, reg in enumerate(world.scenario.regions):
        region[r, RX.GDP] = reg.gdp
        region[r, RX.GROWTH] = reg.growth
        region[r, RX.UNREST] = reg.unrest
        region[r, RX.AUTOCRACY] = reg.autocracy
        region[r, RX.INTERNET] = reg.internet
        for table, target, default in ((reg.alignment, alignment, 1.0 / P), (reg.adoption, adoption, 0.0),
                                       (reg.ties, ties, 0.0)):
            for p, pid in enumerate(world.power_ids):
                target[r, p] = table.get(pid, default)
        alignment[r] /= max(alignment[r].sum(), 1e-9)
        if adoption[r].sum() > 1.0:
            adoption[r] /= adoption[r].sum()
    gdp_w = region[:, RX.GDP] / region[:, RX.GDP].sum()
    nation[:, N.STANDARDS_SHARE] = gdp_w @ adoption
    nation[:, N.MODEL_ADOPTION] = gdp_w @ alignment
    del rules

    def rep(a: np.ndarray) -> np.ndarray:
        return np.repeat(a[None], batch, axis=0)

    def rep1(a: np.ndarray) -> np.ndarray:
        """(X, Y) -> (Y, batch, X): a per-game table in the engine's layout."""
        return np.ascontiguousarray(np.repeat(a.T[:, None, :], batch, axis=1))

    def rep_last(a: np.ndarray) -> np.ndarray:
        """(R, X) -> (X, R, batch): a region table with the game axis last."""
        return np.ascontiguousarray(np.repeat(a.T[:, :, None], batch, axis=2))

    return in_engine_dtype(GameState(
        world=world,
        turn=0,
        nat=rep1(np.clip(nation, world.lo, world.hi)),
        reg=rep_last(region),
        align=rep_last(alignment),
        adopt=rep_last(adoption),
        tie=rep_last(ties),
        lever_stock=rep1(lever_stock),
        policy=rep(policy),
        pending=np.full((batch, P), -1, dtype=np.int64),
        cooldown=np.zeros((batch, P, E), dtype=np.int16),
        situation=np.zeros((batch, P, S), dtype=bool),
        agreement=np.zeros((batch, A, P, P), dtype=bool),
        proposal=np.zeros((batch, A, P, P), dtype=bool),
        fading=np.zeros((batch, P, I)),
        expected_growth=rep(world.start_growth.copy()),
        growth_memory=rep(world.start_growth.copy()),
        honeymoon=np.zeros((batch, P)),
        tfp_scale=np.ones((batch, P)),  # both set by the production mechanic's calibration
        tfp_trend=np.zeros((batch, P)),
        levels=np.ones((batch, P, 6)),
        stability_mean=rep(nation[:, N.STABILITY].copy()),
        labour=np.ones((batch, P)),
        cumulative_output=np.ones((batch, P)),
        crisis_turns=np.zeros(batch, dtype=np.int64),
        collapsed=np.zeros((batch, P), dtype=bool),
        over=np.zeros(batch, dtype=bool),
    ))
