"""The read-only game definition compiled from a scenario: ids, index maps and numpy tables.

A World is made once per scenario and shared by every state of every game in a batch
(OpenSpiel's Game/State split); nothing in it changes during play.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from game.rules import schema
from game.rules.contract import POWER_INDICATORS, REGION_INDICATORS, Coefficients
from game.rules.loader import Scenario

T = TypeVar("T")
F = NDArray[np.floating[Any]]
B_ = NDArray[np.bool_]
I_ = NDArray[np.int64]


def _columns(order: tuple[str, ...]) -> Callable[[str], int]:
    def column(indicator: str) -> int:
        return order.index(indicator)  # a ValueError at import if the contract lacks it
    return column


_power, _region = _columns(POWER_INDICATORS), _columns(REGION_INDICATORS)


class N:
    """Column of each engine indicator on the nation axis, read off the contract's order
    (POWER_INDICATORS); tests check that every contract indicator has exactly one name here."""

    GDP = _power("gdp")
    GROWTH = _power("growth")
    REPORTED_GROWTH = _power("reported_growth")
    GDP_PER_CAPITA = _power("gdp_per_capita")
    TFP = _power("tfp")
    CAPITAL = _power("capital")
    EFFICIENCY = _power("efficiency")
    PLANNING_SHARE = _power("planning_share")
    COVERAGE = _power("coverage")
    DATA_STOCK = _power("data_stock")
    DATA_QUALITY = _power("data_quality")
    AI = _power("ai_capability")
    CONCENTRATION = _power("concentration")
    PRIVACY_TRUST = _power("privacy_trust")
    SURVEILLANCE = _power("surveillance")
    INFORMATION_GAP = _power("information_gap")
    GRIEVANCE = _power("grievance")
    PROTEST = _power("protest")
    LEGITIMACY = _power("legitimacy")
    APPROVAL = _power("approval")
    STABILITY = _power("stability")
    POLARISATION = _power("polarisation")
    POLITICAL_CAPITAL = _power("political_capital")
    BUBBLE = _power("bubble")
    CHAMPIONS = _power("champions")
    CHAMPION_COST = _power("champion_cost")
    STANDARDS_SHARE = _power("standards_share")
    MODEL_ADOPTION = _power("model_adoption")
    DECOUPLING = _power("decoupling")


class RX:
    """Column of each region indicator (order of REGION_INDICATORS)."""

    GDP = _region("region_gdp")
    GROWTH = _region("region_growth")
    UNREST = _region("unrest")
    AUTOCRACY = _region("autocracy")
    INTERNET = _region("internet")


# Indicators recomputed from scratch every turn; event effects on them are applied after the
# mechanics (and fade), while effects on stocks are applied before the mechanics run.
DERIVED = ("growth", "reported_growth", "gdp_per_capita", "efficiency", "planning_share",
           "information_gap", "grievance", "stability", "standards_share", "model_adoption",
           "decoupling")

# The engine computes in single precision: twice the numbers per memory access, and game
# indicators need nowhere near double precision. Every table and state array uses this type.
DTYPE = np.float32

CH = {name: i for i, name in enumerate(schema.CHANNELS)}
MOD = {name: i for i, name in enumerate(schema.MODIFIERS)}
OPS = ("<", "<=", ">", ">=")


@dataclass(frozen=True)
class World:
    scenario: Scenario
    power_ids: tuple[str, ...]
    power_names: tuple[str, ...]
    region_ids: tuple[str, ...]
    region_names: tuple[str, ...]
    doctrine_of: tuple[str, ...]
    indicator_ids: tuple[str, ...]
    region_indicator_ids: tuple[str, ...]
    lever_ids: tuple[str, ...]
    policy_ids: tuple[str, ...]
    option_ids: tuple[tuple[str, ...], ...]
    event_ids: tuple[str, ...]
    situation_ids: tuple[str, ...]
    agreement_ids: tuple[str, ...]
    start_year: int
    end_year: int
    coef: Coefficients  # the mechanics' coefficients, typed by group (tn.coef.protest.mu)
    # per-indicator bounds, on the nation and region axes
    lo: F
    hi: F
    region_lo: F
    region_hi: F
    derived_mask: B_
    # doctrine properties per power
    autocratic: B_
    elections: B_
    same_doctrine: F  # (P, P) 1 where two powers follow one doctrine (a camp, for hedging regions)
    budget_share: F
    capital_per_turn: F
    collapse_legitimacy: F
    collapse_protest: F
    # levers and policies
    lever_open: B_  # (P, L)
    lever_channels: F  # (L, C)
    lever_depreciation: F  # (L,)
    lever_retention: F  # (L, 1, 1) share of a lever's stock kept from one year to the next
    lever_closed: tuple[tuple[int, int], ...]  # (lever, power) pairs the doctrine does not allow
    policy_open: B_  # (P, Q)
    option_count: I_  # (Q,)
    option_modifiers: F  # (Q, O, M)
    option_modifiers_t: F  # (Q, M, O) the same, laid out for gathering by option
    policy_stride: I_  # (Q,) mixed-radix weights turning a power's options into one profile number
    # (M, P * profiles) modifiers of every profile of every power (column p * profiles + profile),
    # when there are few enough profiles
    policy_table: F | None
    change_cost: F  # (Q,)
    # economy constants per power
    alpha: F
    depreciation: F
    saving: F
    labour_growth: F
    human_capital: F
    population: F
    rd_share: F
    tfp_growth: F
    start_growth: F
    par_growth: F  # growth the swing regions judge a power against
    score_par_growth: F  # growth its productivity score is measured against
    standard_quality: F
    base_trust: F
    region_growth: F  # (R,)
    region_unrest: F  # (R,)
    election_year: B_  # (T, P)
    congress_year: B_  # (T, P)
    # events: (E, K) conditions, flattened
    event_open: B_  # (P, E)
    event_weight: F  # (E,)
    event_cdf: F  # (P, E) cumulative share of weight among the events open to each power
    event_cooldown: I_  # (E,)
    event_scale: I_  # (E,) modifier column scaling the weight, or -1
    cond_kind: I_  # (E, K): 0 none, 1 indicator, 2 policy, 3 year
    cond_index: I_  # indicator column or policy index
    cond_op: I_
    cond_value: F  # threshold, option index, or year_from
    cond_value2: F  # year_to
    cond_sign: F  # (E, K) +1 for < and <=, -1 for > and >=: every comparison becomes a "below"
    cond_strict: B_  # (E, K) < or >
    cond_option: I_  # (E, K) the option a policy condition asks for
    choice_count: I_  # (E,)
    effect_self: F  # (E, Ch, I) immediate, on the deciding power
    effect_rivals: F  # (E, Ch, I)
    effect_regions: F  # (E, Ch, J)
    effect_fading: F  # (E, Ch, I) spread over the following turns
    # situations
    situation_open: B_  # (P, S)
    situation_indicator: I_
    situation_on: F
    situation_off: F
    situation_effect: F  # (S, I) per turn while active
    # agreements
    agreement_open: B_  # (P, A)
    agreement_merges: B_
    agreement_lifts_controls: B_
    agreement_data_sharing: F
    agreement_trust: F
    # the same summed over every set of agreements a power may hold (bit a = agreement a), so a
    # turn looks a power's total up instead of summing; None when there are too many agreements
    agreement_sharing_by_set: F | None
    agreement_trust_by_set: F | None
    # pairs of powers p < q, and where agreement a of pair k sits in a game's flattened (A, P, P)
    # table, as [p, q] (cell) and [q, p] (cell_mirror): (pairs, A), pair-major
    pair_p: I_
    pair_q: I_
    agreement_cell: I_
    agreement_cell_mirror: I_
    # victory
    score_weights: dict[str, float]
    # per-power constants repeated for each batch size met so far (see `per_game`)
    # (not init fields: a World made by dataclasses.replace, with other numbers, starts empty)
    _tiles: dict[int, Tiles] = field(default_factory=dict, init=False, repr=False, compare=False)
    # tables other modules derive from this World once and look up every turn (e.g. a
    # persona's judgement of every dilemma's choices); never game state
    memo: dict[object, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def n_powers(self) -> int:
        return len(self.power_ids)

    @property
    def n_regions(self) -> int:
        return len(self.region_ids)

    @property
    def n_turns(self) -> int:
        return self.end_year - self.start_year

    def column(self, indicator: str) -> int:
        return self.indicator_ids.index(indicator)

    def power_index(self, power: str) -> int:
        return self.power_ids.index(power)

    def doctrine(self, power: str) -> schema.DoctrineDef:
        ident = self.doctrine_of[self.power_index(power)]
        return next(d for d in self.scenario.rules.doctrines if d.id == ident)

    def __getstate__(self) -> dict[str, Any]:
        # the caches are rebuilt on demand: a World sent to worker processes travels without them
        return {k: v for k, v in self.__dict__.items() if k not in ("_tiles", "memo")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in (state | {"_tiles": {}, "memo": {}}).items():
            object.__setattr__(self, k, v)

    @property
    def has_allies(self) -> bool:
        """Whether two powers follow one doctrine (only then can allies' networks interoperate)."""
        if "has allies" not in self.memo:
            self.memo["has allies"] = bool((self.same_doctrine.sum(axis=1) > 1).any())
        allies: bool = self.memo["has allies"]
        return allies

    def allied_networks(self, interop: float) -> F:
        """(1, P, P) each power's own network (1) and, with weight `interop`, those of the powers
        of its doctrine (made once per value)."""
        key = ("allied networks", interop)
        if key not in self.memo:
            P = len(self.power_ids)
            eye = np.eye(P, dtype=DTYPE)
            self.memo[key] = (eye + np.float32(interop) * (self.same_doctrine - eye))[None].astype(DTYPE)
        table: F = self.memo[key]
        return table

    def per_game(self, batch: int) -> Tiles:
        """The per-power constants as full (B, P) tables for a batch of this size (made once)."""
        if batch not in self._tiles:
            if len(self._tiles) >= 8:  # a few batch sizes recur; start afresh past that
                self._tiles.clear()
            self._tiles[batch] = Tiles(self, batch)
        return self._tiles[batch]


class Tiles:
    """Per-power constants repeated for every game of a batch, as contiguous (B, P) tables.

    Numpy runs an operation between a (B, P) array and a (P,) vector two elements at a time
    (the broadcast axis cannot be merged), about fifteen times slower than between two (B, P)
    arrays; the mechanics use these tables instead. The values are the World's, unchanged."""

    def __init__(self, w: World, batch: int) -> None:
        def rep(v: np.ndarray) -> np.ndarray:
            return np.ascontiguousarray(np.broadcast_to(v, (batch, *v.shape[-1:])))

        self.base_trust, self.elections, self.alpha = rep(w.base_trust), rep(w.elections), rep(w.alpha)
        self.human_capital, self.saving, self.depreciation = rep(w.human_capital), rep(w.saving), rep(w.depreciation)
        self.labour_growth, self.population = rep(w.labour_growth), rep(w.population)
        self.par_growth, self.standard_quality = rep(w.par_growth), rep(w.standard_quality)
        self.capital_per_turn = rep(w.capital_per_turn)
        self.collapse_legitimacy, self.collapse_protest = rep(w.collapse_legitimacy), rep(w.collapse_protest)
        self.budget_points = rep(w.budget_share * 100)  # the budget in points of GDP
        profiles = 0 if w.policy_table is None else w.policy_table.shape[1] // w.n_powers
        self.profile_offset = rep(np.arange(w.n_powers) * profiles)  # first policy-table column per power
        self.situation_open = np.ascontiguousarray(  # (S, B, P)
            np.broadcast_to(w.situation_open.T[:, None, :], (w.situation_open.shape[1], batch, w.n_powers)))
        # (T, B, P) calendars
        self.election_year = np.ascontiguousarray(
            np.broadcast_to(w.election_year[:, None, :], (len(w.election_year), batch, w.n_powers)))
        self.congress_year = np.ascontiguousarray(
            np.broadcast_to(w.congress_year[:, None, :], (len(w.congress_year), batch, w.n_powers)))


def in_engine_dtype(obj: T) -> T:
    """The same dataclass with every float64 array converted to the engine's float type."""
    changes = {f.name: getattr(obj, f.name).astype(DTYPE) for f in fields(obj)  # type: ignore[arg-type]
               if isinstance(getattr(obj, f.name), np.ndarray) and getattr(obj, f.name).dtype == np.float64}
    return replace(obj, **changes)  # type: ignore[type-var]


def _strides(rules: object) -> I_:
    counts = [len(p.options) for p in rules.policies]  # type: ignore[attr-defined]
    strides = np.ones(len(counts), dtype=np.int64)
    for q in range(len(counts) - 2, -1, -1):
        strides[q] = strides[q + 1] * counts[q + 1]
    return strides


def _policy_table(rules: object, option_modifiers: F, powers: list[schema.PowerSetup]) -> F | None:
    """Modifiers of every combination of policy options, per power (closed policies count zero),
    so the engine looks a power's modifiers up instead of summing them each turn."""
    policies = rules.policies  # type: ignore[attr-defined]
    counts = [len(p.options) for p in policies]
    profiles = int(np.prod(counts))
    if profiles > 50_000:
        return None
    grids = np.stack(np.unravel_index(np.arange(profiles), counts), axis=1)  # (profiles, Q)
    table = np.zeros((len(powers), option_modifiers.shape[2], profiles))
    for p, power in enumerate(powers):
        for q, pol in enumerate(policies):
            if power.doctrine in pol.doctrines:
                table[p] += option_modifiers[q, grids[:, q]].T
    # power-major columns: one gather by (power, profile) gives a contiguous (M, B, P) table
    return np.ascontiguousarray(table.transpose(1, 0, 2)).reshape(table.shape[1], -1)


def _event_cdf(open_: B_, weight: F) -> F:
    w = open_ * weight[None, :]
    total = np.maximum(w.sum(axis=1, keepdims=True), 1e-12)
    return np.cumsum(w, axis=1) / total


def _by_set(values: list[float]) -> F | None:
    """(2**A,) the sum of `values` over every subset of agreements, in the engine's type."""
    if len(values) > 16:
        return None
    bits = (np.arange(1 << len(values))[:, None] >> np.arange(len(values))) & 1
    return np.dot(bits.astype(DTYPE), np.array(values, dtype=DTYPE))


def _pair_cells(A: int, P: int) -> tuple[I_, I_, I_, I_]:
    pairs = [(p, q) for p in range(P) for q in range(p + 1, P)]
    cell = np.arange(A * P * P, dtype=np.int64).reshape(A, P, P)
    return (np.array([p for p, _ in pairs], dtype=np.int64).reshape(-1),
            np.array([q for _, q in pairs], dtype=np.int64).reshape(-1),
            np.array([[cell[a, p, q] for a in range(A)] for p, q in pairs], dtype=np.int64).reshape(-1, A),
            np.array([[cell[a, q, p] for a in range(A)] for p, q in pairs], dtype=np.int64).reshape(-1, A))


def build_world(scenario: Scenario) -> World:
    """Compile a validated scenario into the engine's tables."""
    rules, spec = scenario.rules, scenario.spec
    coef = Coefficients.from_values(scenario.coefficients)
    power_ind, region_ind = _indicator_order(scenario)
    pair_p, pair_q, cell, cell_mirror = _pair_cells(len(rules.agreements), len(spec.powers))
    weights = {str(k): v for table in (rules.victory.score_weights, spec.score_weights) for k, v in table.items()}
    return in_engine_dtype(World(
        scenario=scenario,
        power_ids=tuple(p.id for p in spec.powers),
        power_names=tuple(p.name for p in spec.powers),
        region_ids=tuple(r.id for r in scenario.regions),
        region_names=tuple(r.name for r in scenario.regions),
        doctrine_of=tuple(p.doctrine for p in spec.powers),
        indicator_ids=tuple(power_ind),
        region_indicator_ids=tuple(region_ind),
        lever_ids=tuple(lv.id for lv in rules.levers),
        policy_ids=tuple(p.id for p in rules.policies),
        option_ids=tuple(tuple(o.id for o in p.options) for p in rules.policies),
        event_ids=tuple(e.id for e in rules.events),
        situation_ids=tuple(s.id for s in rules.situations),
        agreement_ids=tuple(a.id for a in rules.agreements),
        start_year=spec.start_year,
        end_year=spec.end_year,
        coef=coef,
        **_bounds(scenario, power_ind, region_ind),
        **_doctrine_tables(scenario),
        **_lever_and_policy_tables(scenario),
        **_economy_tables(scenario, coef),
        **_event_tables(scenario, power_ind, region_ind),
        **_situation_tables(scenario, power_ind),
        **_agreement_tables(scenario),
        pair_p=pair_p, pair_q=pair_q, agreement_cell=cell, agreement_cell_mirror=cell_mirror,
        score_weights=weights,
    ))


def _indicator_order(scenario: Scenario) -> tuple[list[str], list[str]]:
    """Power and region indicators in column order: the contract's first, then the rules' own."""
    rules = scenario.rules
    indicators = [i.id for i in rules.indicators if i.scope == "power"]
    power_ind = list(POWER_INDICATORS) + [i for i in indicators if i not in POWER_INDICATORS]
    region_ind = list(REGION_INDICATORS) + [
        i.id for i in rules.indicators if i.scope == "region" and i.id not in REGION_INDICATORS]
    return power_ind, region_ind


def _bounds(scenario: Scenario, power_ind: list[str], region_ind: list[str]) -> dict[str, Any]:
    by_id = {i.id: i for i in scenario.rules.indicators}
    return dict(
        lo=np.array([by_id[i].bounds[0] for i in power_ind]),
        hi=np.array([by_id[i].bounds[1] for i in power_ind]),
        region_lo=np.array([by_id[i].bounds[0] for i in region_ind]),
        region_hi=np.array([by_id[i].bounds[1] for i in region_ind]),
        derived_mask=np.array([i in DERIVED for i in power_ind]),
    )


def _each(items: Sequence[Any], **fields_: str) -> dict[str, np.ndarray]:
    """{field: array of each item's attribute}, e.g. _each(powers, start_growth="growth")."""
    return {name: np.array([getattr(it, attr) for it in items]) for name, attr in fields_.items()}


def _doctrine_tables(scenario: Scenario) -> dict[str, Any]:
    """Each power's doctrine properties and calendar."""
    spec, powers = scenario.spec, scenario.spec.powers
    doctrines = [next(d for d in scenario.rules.doctrines if d.id == p.doctrine) for p in powers]
    years = range(spec.start_year, spec.end_year + 1)
    T, P = len(years), len(powers)
    return _each(doctrines, autocratic="autocratic", elections="elections", budget_share="budget_share",
                 capital_per_turn="capital_per_turn", collapse_legitimacy="collapse_legitimacy_below",
                 collapse_protest="collapse_protest_above") | dict(
        election_year=np.array([[y in p.election_years for p in powers] for y in years]).reshape(T, P),
        congress_year=np.array([[y in p.congress_years for p in powers] for y in years]).reshape(T, P),
        same_doctrine=np.array([[p.doctrine == q.doctrine for q in powers] for p in powers], dtype=DTYPE),
    )


def _lever_and_policy_tables(scenario: Scenario) -> dict[str, Any]:
    """What each lever's money buys and each policy option's modifiers, and who may use them."""
    rules, powers = scenario.rules, scenario.spec.powers
    P, L, C = len(powers), len(rules.levers), len(schema.CHANNELS)
    Q, M = len(rules.policies), len(schema.MODIFIERS)
    O = max(len(p.options) for p in rules.policies)
    lever_open = np.array([[d.doctrine in lv.doctrines for lv in rules.levers] for d in powers]).reshape(P, L)
    lever_channels = np.zeros((L, C))
    for i, lv in enumerate(rules.levers):
        for ch, w in lv.channels.items():
            lever_channels[i, CH[ch]] = w
    option_modifiers = np.zeros((Q, O, M))
    for q, pol in enumerate(rules.policies):
        for o, opt in enumerate(pol.options):
            for mod, v in opt.modifiers.items():
                option_modifiers[q, o, MOD[mod]] = v
    depreciation = [lv.depreciation for lv in rules.levers]
    return dict(
        lever_open=lever_open,
        lever_channels=lever_channels,
        lever_depreciation=np.array(depreciation),
        lever_retention=(1 - np.array(depreciation, dtype=DTYPE))[:, None, None],
        lever_closed=tuple((int(lv), int(p)) for p, lv in zip(*np.nonzero(~lever_open), strict=True)),
        policy_open=np.array([[p.doctrine in pol.doctrines for pol in rules.policies] for p in powers]).reshape(P, Q),
        option_count=np.array([len(p.options) for p in rules.policies], dtype=np.int64),
        option_modifiers=option_modifiers,
        option_modifiers_t=np.ascontiguousarray(option_modifiers.transpose(0, 2, 1)),
        policy_stride=_strides(rules),
        policy_table=_policy_table(rules, option_modifiers, powers),
        change_cost=np.array([p.change_cost for p in rules.policies]),
    )


def _economy_tables(scenario: Scenario, coef: Coefficients) -> dict[str, Any]:
    """Per-power economy constants and the swing regions' usual growth and unrest."""
    powers, start = scenario.spec.powers, coef.start
    names = ("alpha", "depreciation", "saving", "labour_growth", "human_capital", "population", "rd_share",
             "tfp_growth", "par_growth", "standard_quality")
    return _each(powers, start_growth="growth", **{n: n for n in names}) | dict(
        score_par_growth=np.array([p.par_growth if p.score_par_growth is None else p.score_par_growth
                                   for p in powers]),
        base_trust=np.array([start.trust_base + start.trust_per_freedom * p.freedom for p in powers]),
        region_growth=np.array([r.growth for r in scenario.regions]),
        region_unrest=np.array([r.unrest for r in scenario.regions]),
    )


def _open_to(powers: list[schema.PowerSetup], items: list[schema.EventDef] | list[schema.SituationDef]) -> B_:
    """(P, items) whether each item is open to each power's doctrine (no list: open to all)."""
    return np.array([[not it.doctrines or p.doctrine in it.doctrines for it in items]
                     for p in powers], dtype=bool).reshape(len(powers), len(items))


def _event_tables(scenario: Scenario, power_ind: list[str], region_ind: list[str]) -> dict[str, Any]:
    """Dilemmas: who may draw them, their weights and cooldowns, their conditions flattened to
    (E, K) tables, and their choices' effects as (E, choices, indicators) tables."""
    rules, powers = scenario.rules, scenario.spec.powers
    col = {name: k for k, name in enumerate(power_ind)}
    rcol = {name: k for k, name in enumerate(region_ind)}
    policy_ids = [p.id for p in rules.policies]
    E = len(rules.events)
    K = max([len(e.conditions) for e in rules.events] + [1])
    cond_kind = np.zeros((E, K), dtype=np.int64)
    cond_index = np.zeros((E, K), dtype=np.int64)
    cond_op = np.zeros((E, K), dtype=np.int64)
    cond_value = np.zeros((E, K))
    cond_value2 = np.zeros((E, K))
    Ch = 3
    I, J = len(power_ind), len(region_ind)
    effect_self = np.zeros((E, Ch, I))
    effect_rivals = np.zeros((E, Ch, I))
    effect_regions = np.zeros((E, Ch, J))
    effect_fading = np.zeros((E, Ch, I))
    for e, ev in enumerate(rules.events):
        for k, cond in enumerate(ev.conditions):
            if cond.indicator is not None:
                cond_kind[e, k], cond_index[e, k] = 1, col[cond.indicator]
                cond_op[e, k], cond_value[e, k] = OPS.index(cond.op), cond.value
            elif cond.policy is not None:
                q = policy_ids.index(cond.policy)
                cond_kind[e, k], cond_index[e, k] = 2, q
                options = [o.id for o in rules.policies[q].options]
                cond_value[e, k] = options.index(str(cond.option))
            else:
                cond_kind[e, k] = 3
                cond_value[e, k] = cond.year_from if cond.year_from is not None else -1e9
                cond_value2[e, k] = cond.year_to if cond.year_to is not None else 1e9
        for c, choice in enumerate(ev.choices):
            for eff in choice.effects:
                if eff.scope == "regions":
                    effect_regions[e, c, rcol[eff.target]] += eff.add
                elif eff.fade_turns > 0 and eff.scope == "self":
                    effect_fading[e, c, col[eff.target]] += eff.add
                elif eff.scope == "self":
                    effect_self[e, c, col[eff.target]] += eff.add
                else:
                    effect_rivals[e, c, col[eff.target]] += eff.add
    event_open = _open_to(powers, rules.events)
    weight = np.array([e.weight for e in rules.events])
    return dict(
        event_open=event_open,
        event_weight=weight,
        event_cdf=_event_cdf(_open_to(powers, rules.events), weight),
        event_cooldown=np.array([e.cooldown for e in rules.events], dtype=np.int64),
        event_scale=np.array([MOD[e.scale_by] if e.scale_by else -1 for e in rules.events], dtype=np.int64),
        cond_kind=cond_kind, cond_index=cond_index, cond_op=cond_op,
        cond_value=cond_value, cond_value2=cond_value2,
        cond_sign=np.where(cond_op <= 1, 1.0, -1.0), cond_strict=(cond_op == 0) | (cond_op == 2),
        cond_option=np.where(cond_kind == 2, cond_value, 0).astype(np.int64),
        choice_count=np.array([len(e.choices) for e in rules.events], dtype=np.int64),
        effect_self=effect_self, effect_rivals=effect_rivals,
        effect_regions=effect_regions, effect_fading=effect_fading,
    )


def _situation_tables(scenario: Scenario, power_ind: list[str]) -> dict[str, Any]:
    rules = scenario.rules
    col = {name: k for k, name in enumerate(power_ind)}
    situation_effect = np.zeros((len(rules.situations), len(power_ind)))
    for s, sit in enumerate(rules.situations):
        for eff in sit.effects:
            if eff.scope == "self":
                situation_effect[s, col[eff.target]] += eff.add
    return dict(
        situation_open=_open_to(scenario.spec.powers, rules.situations),
        situation_indicator=np.array([col[s.indicator] for s in rules.situations], dtype=np.int64),
        situation_on=np.array([s.on_above for s in rules.situations]),
        situation_off=np.array([s.off_below for s in rules.situations]),
        situation_effect=situation_effect,
    )


def _agreement_tables(scenario: Scenario) -> dict[str, Any]:
    agreements, powers = scenario.rules.agreements, scenario.spec.powers
    return dict(
        agreement_open=np.array([[p.doctrine in a.doctrines for a in agreements]
                                 for p in powers]).reshape(len(powers), len(agreements)),
        agreement_merges=np.array([a.merges_standards for a in agreements], dtype=bool),
        agreement_lifts_controls=np.array([a.lifts_export_controls for a in agreements], dtype=bool),
        agreement_data_sharing=np.array([a.data_sharing for a in agreements]),
        agreement_trust=np.array([a.trust for a in agreements]),
        agreement_sharing_by_set=_by_set([a.data_sharing for a in agreements]),
        agreement_trust_by_set=_by_set([a.trust for a in agreements]),
    )
