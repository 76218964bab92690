"""Hot-path helpers of the mechanics: the same numbers as the plain numpy expressions they
replace, arranged for speed (row loops over the short power axis, contiguous copies, lookup
tables, flattened gathers). The mechanics call them so that they can read as the rules.

Why the row loops: numpy reduces or broadcasts over a short last axis (two or three powers) one
element at a time, about 25 times slower than arithmetic on whole contiguous rows. Every sum
here adds the powers in order, as numpy does for a (B, P) table, so the numbers are the same.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.world import World

F = NDArray[np.floating[Any]]
I_ = NDArray[np.int64]
B_ = NDArray[np.bool_]


# ---------------------------------------------------------------- over the powers of each game
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


def power_any(x: B_) -> B_:
    """(B, P) -> (B,) whether any of each game's powers is marked."""
    found = x[:, 0].copy()
    for p in range(1, x.shape[1]):
        found |= x[:, p]
    return found


def each_power(v: F, powers: int) -> F:
    """(B,) -> (B, P) the game's value repeated for each power, as a full table (subtracting a
    (B, 1) column from a (B, P) table would run two elements at a time)."""
    return np.repeat(v, powers).reshape(-1, powers)


def rivals_total(table: F, powers: int) -> F:
    """(B, P) -> (B, P) for each power, the sum of its rivals' values."""
    return each_power(power_sum(table), powers) - table


def rivals_unlifted(lifted: F, ctrl: F) -> F:
    """(B, P) sum over rivals q of ctrl[:, q] where lifted[:, p, q] is 0: the rivals' total less
    what a truce lifts, so that a game without a truce loses exact zeros and comes out the same
    whether or not another game of its batch has one (a search's copies of a game, the vector
    env's games)."""
    P = ctrl.shape[1]
    on = rivals_total(ctrl, P)
    for p in range(P):
        for q in range(P):
            if q != p:
                on[:, p] -= lifted[:, p, q] * ctrl[:, q]
    return on


def normal_cdf(x: F) -> F:
    """Standard normal CDF (tanh approximation, error < 3e-4), without needing scipy."""
    return 0.5 * (1 + np.tanh(0.7978845608 * x * (1 + 0.044715 * x * x)))


# ---------------------------------------------------------------- region tables (P, R, B)
def softmax0(u: F) -> F:
    """Softmax over the first (power) axis."""
    z = u - u.max(axis=0)
    np.exp(z, out=z)
    z /= z.sum(axis=0)
    return z


def blend(keep: F, old: F, weight: F, new: F) -> F:
    """keep·old + weight·new, reusing `new` (a fresh array) and the first product in place; the
    numbers and type are those of the plain expression."""
    if new.dtype == np.result_type(new, weight):
        new *= weight
    else:
        new = new * weight
    out = keep * old
    if out.dtype == np.result_type(out, new):
        out += new
        return out
    return out + new


def rows(x: F) -> F:
    """(B, P) -> contiguous (P, 1, B), ready to broadcast over regions."""
    return np.ascontiguousarray(x.T)[:, None, :]


def region_share(region_gdp: F, table: F) -> F:
    """(B, P) GDP-weighted share of the regions, from a (P, R, B) table and (R, B) region GDP."""
    weights = region_gdp / region_gdp.sum(axis=0)
    # region by region, in order: einsum sums a single game's regions in another order than a
    # batch's, and a game must come out the same alone and copied K times (the search's copies)
    total = table[:, 0] * weights[0]
    for r in range(1, weights.shape[0]):
        total += table[:, r] * weights[r]
    return np.ascontiguousarray(total.T)


def region_pull(alignment: F, rel: F) -> F:
    """(R, B) each region's alignment-weighted sum of the (P, B) per-power values."""
    return np.einsum("prb,pb->rb", alignment, rel)


def pooled_networks(network: F, quality: F, adoption: F, merge_bonus: float) -> tuple[F, F]:
    """Standards networks merged by agreements: for each power, the best quality among its
    partners (plus `merge_bonus` where a network is merged) and the (P, R, B) installed base of
    its partners. Partner by partner (numpy runs reductions over the short partner axis element
    by element); the sums add partners in order, as the einsum this replaces did."""
    P = network.shape[1]
    partners = network[:, :, 0].copy()
    # a partner's quality counts only through a merged network (a weight of 1), not through the
    # partial interoperability of allies' networks
    best = np.where(network[:, :, 0] >= 1, each_power(quality[:, 0], P), -np.inf)
    installed = np.zeros(adoption.shape, dtype=np.result_type(network, adoption))  # (P, R, B)
    for p in range(P):
        installed[p] += network[:, p, 0] * adoption[0]
    for q in range(1, P):
        partners += network[:, :, q]
        np.maximum(best, np.where(network[:, :, q] >= 1, each_power(quality[:, q], P), -np.inf), out=best)
        for p in range(P):
            installed[p] += network[:, p, q] * adoption[q]
    merged = partners >= 2  # a power and at least one whole partner network
    # in the quality's own type: a float64 bonus table rounded every game's utility differently
    # from a batch without a common standard
    return best + (merge_bonus * merged).astype(best.dtype), installed


# ---------------------------------------------------------------- agreements
def pair_sides(x: B_, cell: I_, mirror: I_) -> tuple[B_, B_]:
    """(B, A, P, P) -> the (B, pairs, A) tables of each (p < q) pair's cells [p, q] and their
    mirror cells [q, p], gathered from the flattened tables: numpy handles a few wide gathers much
    faster than logic on the tiny trailing (P, P) axes of the full tables."""
    flat = x.reshape(x.shape[0], -1)
    return flat[:, cell], flat[:, mirror]


def from_pairs(pairs: B_, cell: I_, mirror: I_, like: B_) -> B_:
    """(B, pairs, A) -> the symmetric (B, A, P, P) table."""
    out = np.zeros_like(like)
    flat = out.reshape(out.shape[0], -1)
    flat[:, cell] = pairs
    flat[:, mirror] = pairs
    return out


def by_pair(pair_table: B_, pair_p: I_, pair_q: I_, powers: int) -> B_:
    """(B, pairs) -> the symmetric (B, P, P) table."""
    out = np.zeros((pair_table.shape[0], powers, powers), dtype=bool)
    out[:, pair_p, pair_q] = pair_table
    out[:, pair_q, pair_p] = pair_table
    return out


def per_power(held: B_, by_pair_: B_, value: F, by_set: F | None, pair_p: I_, pair_q: I_, dtype: Any) -> F:
    """(B, P) the sum of `value` over the agreements each power holds with anyone; `held` is the
    (B, A, P, P) table and `by_pair_` the same as (B, pairs, A)."""
    if by_set is None:
        return np.tensordot(held.any(axis=3).astype(dtype), value, axes=([1], [0]))
    # the set of agreements of each pair as a number (bit a: agreement a), exact in float32
    bits = (by_pair_.astype(np.float32) @ (2.0 ** np.arange(by_pair_.shape[2], dtype=np.float32)))
    code = bits.astype(np.intp)  # (B, pairs)
    mine = np.zeros(held.shape[0:1] + held.shape[2:3], dtype=np.intp)  # (B, P)
    for k in range(code.shape[1]):
        mine[:, pair_p[k]] |= code[:, k]
        mine[:, pair_q[k]] |= code[:, k]
    # one lookup of the power's whole set in the table of every set's sum
    return by_set[mine]


# ---------------------------------------------------------------- dilemmas
# (game, power) pairs are handled as positions in the flattened (B, P) tables: one index array,
# not two, so every gather is a 1-D take.
def pending_answers(pending: I_, answer: I_, choice_count: I_) -> tuple[I_, I_, I_]:
    """Positions of the pending dilemmas, their events and the choices taken (an answer out of
    range takes the nearest choice)."""
    at = np.flatnonzero(pending >= 0)
    event = pending.ravel()[at]
    choice = np.clip(answer.ravel()[at], 0, choice_count[event] - 1)
    return at, event, choice


def at_positions(shape: tuple[int, ...], at: I_, values: I_) -> I_:
    """A (B, P) table holding `values` at the flat positions `at` and -1 elsewhere."""
    out = np.full(shape, -1, dtype=np.int64)
    out.ravel()[at] = values
    return out


class AnswerEffects:
    """The effects of a batch of chosen answers, gathered from the (event, choice, ...) tables:
    `regions` (region indicator, (B,) amount added to every region of a game), `fading` (flat
    positions and (n, I) rows to add to the fading buffer), `output_shock` (the (B, P) effect on
    growth, or None) and `indicators` (column, (B, P) change, zero for powers not concerned)."""

    def __init__(self, w: World, at: I_, event: I_, choice: I_, B: int, P: int, dtype: Any, reg_dtype: Any) -> None:
        # which effects exist is read off the small (event x choice) tables, once per distinct
        # answer, rather than off the (answers x indicators) gathers
        E, C, I = w.effect_self.shape
        code = event * C + choice  # (n,) the answer as a row of the flattened (E * C, ...) tables
        given = np.zeros(E * C, dtype=bool)
        given[code] = True
        self.regions: list[tuple[int, F]] = []
        regional = w.effect_regions.reshape(E * C, -1)
        hits = np.flatnonzero(np.any(regional, axis=1)[code])
        if hits.size:
            add = np.zeros((B, regional.shape[1]), dtype=reg_dtype)
            np.add.at(add, at[hits] // P, regional[code[hits]])
            self.regions = [(int(j), add[:, j]) for j in np.flatnonzero(regional[given].any(axis=0))]
        fade = w.effect_fading.reshape(E * C, I)
        hits = np.flatnonzero(np.any(fade, axis=1)[code])
        self.fading_at, self.fading_rows = at[hits], fade[code[hits]]
        own, rival = w.effect_self.reshape(E * C, I), w.effect_rivals.reshape(E * C, I)
        cols = np.flatnonzero(own[given].any(axis=0) | rival[given].any(axis=0))
        own_by_col, rival_by_col = _effects_by_column(w)
        # each (game, power) position's answer as a row of the tables, the zero row where it gives
        # none: a touched indicator's (game, power) table is then one take from a short row
        answer_row = np.full(B * P, E * C, dtype=np.intp)
        answer_row[at] = code
        effect = np.empty((cols.size, B * P), dtype=dtype)
        for k, col in enumerate(cols.tolist()):
            effect[k] = own_by_col[col].take(answer_row)
        effect = effect.reshape(cols.size, B, P)
        for k in np.flatnonzero(rival[given][:, cols].any(axis=0)).tolist():
            # a power's rival effects fall on every other power of its game, not on itself
            theirs = rival_by_col[cols[k]].take(answer_row).astype(dtype, copy=False).reshape(B, P)
            total = theirs[:, 0].copy()
            for q in range(1, P):
                total += theirs[:, q]
            effect[k] += each_power(total, P)
            effect[k] -= theirs
        # an answer's effect on growth is an output shock of this year (production applies it)
        growth = w.indicator_ids.index("growth")
        self.output_shock: F | None = None
        self.indicators: list[tuple[int, F]] = []
        for k, col in enumerate(cols.tolist()):
            if col == growth:
                self.output_shock = effect[k]
            else:
                self.indicators.append((int(col), effect[k]))


def _effects_by_column(w: World) -> tuple[F, F]:
    """The answers' own and rival effects as (I, E * C + 1) tables, indicator-major, with a zero
    last column for a (game, power) that answers nothing (made once per World)."""
    if "effects by column" not in w.memo:
        E, C, I = w.effect_self.shape
        tables = []
        for table in (w.effect_self, w.effect_rivals):
            flat = table.reshape(E * C, I)
            padded = np.concatenate([flat, np.zeros((1, I), dtype=flat.dtype)])
            tables.append(np.ascontiguousarray(padded.T))
        w.memo["effects by column"] = tuple(tables)
    own, rival = w.memo["effects by column"]
    return own, rival


def fading_columns(w: World) -> list[int]:
    """Indicator columns any dilemma choice has a fading effect on, in column order."""
    if "fading columns" not in w.memo:
        w.memo["fading columns"] = np.flatnonzero(np.any(w.effect_fading, axis=(0, 1))).tolist()
    cols: list[int] = w.memo["fading columns"]
    return cols


def candidate_events(w: World, u_pick: F, at: I_ | None, P: int) -> I_:
    """For each trying power (flat positions `at`; None: every position), the event its uniform
    draw picks among the events open to its doctrine, by weight: a search in the power's
    cumulative weights, column by column. (It was one search of a table stacking power q's
    weights shifted up by 2q in double precision: the shift is exact, so the comparisons, and
    the events, are the same.)"""
    E = len(w.event_ids)
    picked = np.empty(u_pick.shape, dtype=np.intp)
    for q in range(P):
        picked[:, q] = np.searchsorted(w.event_cdf[q], u_pick[:, q], side="right")
    e = picked.ravel() if at is None else picked.ravel()[at]
    np.minimum(e, E - 1, out=e)
    return e


def positions(n: int) -> I_:
    """0..n-1, the flat (game, power) positions of a batch (made once per size, read-only)."""
    if n not in _POSITIONS:
        if len(_POSITIONS) >= 16:
            _POSITIONS.clear()
        made = np.arange(n)
        made.setflags(write=False)
        _POSITIONS[n] = made
    return _POSITIONS[n]


_POSITIONS: dict[int, I_] = {}


def event_open_flat(w: World) -> B_:
    """(P * E,) whether power p's doctrine may draw event e, at p * E + e (made once per World)."""
    if "event open flat" not in w.memo:
        w.memo["event open flat"] = np.ascontiguousarray(w.event_open).ravel()
    flat: B_ = w.memo["event open flat"]
    return flat


def flat_gather(table: F, rows_: I_, at: I_) -> F:
    """table[rows_[i]] at flat (game, power) position at[i], from a (X, B, P) table."""
    flat = np.ascontiguousarray(table).ravel()
    return flat[rows_ * table[0].size + at]


def _condition_slots(w: World) -> list[tuple[Any, ...]]:
    """Each condition slot's per-event tables, ready for 1-D takes (made once per World): the
    indicator row and the policy read (0 where the slot is not of that kind), sign, signed
    threshold, strictness, wanted option, and whether any event has an indicator or a policy
    condition in the slot (a slot no event uses that way is skipped)."""
    if "condition slots" not in w.memo:
        slots = []
        for k in range(w.cond_kind.shape[1]):
            kind = w.cond_kind[:, k]
            on_indicator, on_policy = kind == 1, kind == 2
            sign = np.ascontiguousarray(w.cond_sign[:, k])
            slots.append((
                bool(on_indicator.any()), np.where(on_indicator, w.cond_index[:, k], 0), ~on_indicator, sign,
                sign * np.ascontiguousarray(w.cond_value[:, k]), np.ascontiguousarray(w.cond_strict[:, k]),
                bool(on_policy.any()), np.where(on_policy, w.cond_index[:, k], 0), ~on_policy,
                np.ascontiguousarray(w.cond_option[:, k])))
        w.memo["condition slots"] = slots
    out: list[tuple[Any, ...]] = w.memo["condition slots"]
    return out


def conditions_hold(w: World, nat: F, policy: I_, year: int, at: I_, e: I_) -> B_:
    """Whether every condition of candidate event e[i] holds for the (game, power) at flat
    position at[i]. Year conditions are the same in every game, so they are checked per event."""
    key = ("events open in year", year)
    if key not in w.memo:
        is_year = w.cond_kind == 3
        w.memo[key] = np.all(~is_year | ((w.cond_value <= year) & (year <= w.cond_value2)), axis=1)  # (E,)
    ok = w.memo[key][e]
    games = nat[0].size  # B * P
    flat_nat = np.ascontiguousarray(nat).ravel()
    flat_policy = np.ascontiguousarray(policy).ravel()
    Q = policy.shape[-1]
    for (any_indicator, row, not_indicator, sign, signed_threshold, strict,
         any_policy, read, not_policy, option) in _condition_slots(w):
        # a condition of another kind (or none) holds here: the slot's tables mark it
        if any_indicator:
            value = sign.take(e) * flat_nat[row.take(e) * games + at]
            threshold = signed_threshold.take(e)
            below = np.where(strict.take(e), value < threshold, value <= threshold)
            below |= not_indicator.take(e)
            ok &= below
        if any_policy:
            held = flat_policy[at * Q + read.take(e)] == option.take(e)
            held |= not_policy.take(e)
            ok &= held
    return ok
