"""Dilemmas, situations, agreements and fading effects (Democracy 4's model): dilemmas fire from
weighted conditions with cooldowns; situations switch on at one threshold and off at a lower one;
effects may arrive over several turns and fade, like grudges."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.turn import Turn, each_power
from game.engine.world import World

F = NDArray[np.floating[Any]]
I_ = NDArray[np.int64]
B_ = NDArray[np.bool_]


def answer_dilemmas(tn: Turn, pending: I_, answer: I_, fading: F) -> tuple[dict[int, F] | None, F, I_, I_]:
    """Apply the chosen answer of each pending dilemma (an unanswered one takes its first choice).
    Effects on stocks apply now, on `growth` as this year's output shock, on derived indicators
    after the mechanics (returned by column), and fading ones go to the fading buffer (B, P, I)."""
    w = tn.world
    shape = pending.shape
    B, P = shape
    # (game, power) pairs as positions in the flattened (B, P) tables: one index array, not two
    at = np.flatnonzero(pending >= 0)
    event = pending.ravel()[at]
    choice = np.clip(answer.ravel()[at], 0, w.choice_count[event] - 1)
    answered = np.full(shape, -1, dtype=np.int64)
    chosen = np.full(shape, -1, dtype=np.int64)
    answered.ravel()[at], chosen.ravel()[at] = event, choice
    tn.gdp_shock = None
    if at.size == 0:
        return None, fading, answered, chosen
    # which effects exist is read off the small (event x choice) tables, once per distinct
    # answer, rather than off the (answers x indicators) gathers
    E, C, I = w.effect_self.shape
    code = event * C + choice  # (n,) the answer as a row of the flattened (E * C, ...) tables
    given = np.zeros(E * C, dtype=bool)
    given[code] = True
    regional = w.effect_regions.reshape(E * C, -1)
    hits = np.flatnonzero(np.any(regional, axis=1)[code])
    if hits.size:
        add = np.zeros((B, regional.shape[1]), dtype=tn.reg.dtype)
        np.add.at(add, at[hits] // P, regional[code[hits]])
        for j in np.flatnonzero(regional[given].any(axis=0)):
            tn.reg[j] += add[:, j]  # every region of the game alike
    fade = w.effect_fading.reshape(E * C, I)
    hits = np.flatnonzero(np.any(fade, axis=1)[code])
    if hits.size:
        fading = fading.copy()
        fading.reshape(B * P, I)[at[hits]] += fade[code[hits]]
    own, rival = w.effect_self.reshape(E * C, I), w.effect_rivals.reshape(E * C, I)
    cols = np.flatnonzero(own[given].any(axis=0) | rival[given].any(axis=0))
    # every touched indicator at once, as (column, game, power) tables that are zero elsewhere
    effect = np.zeros((cols.size, B * P), dtype=tn.nat.dtype)
    effect[:, at] = own[:, cols].T[:, code]
    effect = effect.reshape(cols.size, B, P)
    for k in np.flatnonzero(rival[given][:, cols].any(axis=0)).tolist():
        # a power's rival effects fall on every other power of its game, not on itself
        theirs = np.zeros(B * P, dtype=tn.nat.dtype)
        theirs[at] = rival[code, cols[k]]
        theirs = theirs.reshape(B, P)
        total = theirs[:, 0].copy()
        for q in range(1, P):
            total += theirs[:, q]
        effect[k] += each_power(total, P)
        effect[k] -= theirs
    growth_col = w.indicator_ids.index("growth")
    later: dict[int, F] = {}
    for k, col in enumerate(cols.tolist()):
        if col == growth_col:
            tn.gdp_shock = 1 + effect[k]
        elif w.derived_mask[col]:
            later[int(col)] = effect[k]
        else:
            tn.add(int(col), "dilemma decisions", effect[k])
    return later or None, fading, answered, chosen


def apply_fading(tn: Turn, fading: F, later: dict[int, F] | None) -> F:
    """Add this turn's share of fading effects and the event effects on derived indicators."""
    fade = tn.coef["politics"]["grudge_fade"]
    # only the indicators some dilemma fades into can hold anything: gather those columns once,
    # indicator-major, instead of passing over the whole (B, P, I) buffer for each
    cols = w_fading_columns(tn)
    held = np.ascontiguousarray(np.moveaxis(fading[:, :, cols], 2, 0)) if cols else fading[:0]
    active = [k for k in range(len(cols)) if held[k].any()]
    for k in active:
        tn.add(cols[k], "lingering effects of past decisions", held[k] * (1 - fade))
    for col, effect in (later or {}).items():
        tn.add(col, "dilemma decisions", effect)
    if not active:
        return fading
    faded = np.zeros_like(fading)  # every other indicator holds nothing to fade
    faded[:, :, cols] = np.moveaxis(held * fade, 0, 2)
    return faded


def w_fading_columns(tn: Turn) -> list[int]:
    """Indicator columns any dilemma choice has a fading effect on, in column order."""
    w = tn.world
    if "fading columns" not in w.memo:
        w.memo["fading columns"] = np.flatnonzero(np.any(w.effect_fading, axis=(0, 1))).tolist()
    cols: list[int] = w.memo["fading columns"]
    return cols


def agreements(tn: Turn, agreement: B_, proposal: B_, propose: B_, accept: B_,
               withdraw: B_) -> tuple[B_, B_, B_]:
    """Sign agreements offered last turn and accepted now, or offered by both sides at once;
    withdrawal by either side ends one. Offers not taken up expire after a turn."""
    w = tn.world
    B, A, P, _ = agreement.shape
    tn.network = None
    tn.flags["controls_lifted"] = None
    tn.flags["agreement_sharing"] = 0.0
    if not (agreement.any() or proposal.any() or propose.any() or accept.any()):
        return agreement, np.zeros_like(proposal), np.zeros_like(agreement)
    # Work on (game, pair, agreement) tables: each (p < q) pair's cells and their mirror cells
    # [q, p] gathered from the flattened (A, P, P) tables. Numpy handles a few wide gathers much
    # faster than logic on the tiny trailing (P, P) axes of the full tables.
    cell, mirror = w.agreement_cell, w.agreement_cell_mirror

    def sides(x: B_) -> tuple[B_, B_]:
        flat = x.reshape(B, A * P * P)
        return flat[:, cell], flat[:, mirror]

    offer_pq, offer_qp = sides(propose)
    standing_pq, standing_qp = sides(proposal)
    took_pq, took_qp = sides(accept)
    quit_pq, quit_qp = sides(withdraw)
    held = agreement.reshape(B, A * P * P)[:, cell]  # the table is symmetric: one side suffices
    signed = (offer_pq & offer_qp) | (took_pq & standing_qp) | (took_qp & standing_pq)
    now = (held | signed) & ~(quit_pq | quit_qp)  # (B, pairs, A)
    new = np.zeros_like(agreement)
    offers = np.zeros_like(proposal)
    flat_new, flat_offers = new.reshape(B, -1), offers.reshape(B, -1)
    flat_new[:, cell] = now
    flat_new[:, mirror] = now
    flat_offers[:, cell] = offer_pq & ~now
    flat_offers[:, mirror] = offer_qp & ~now
    fresh = new & ~agreement
    if now.any():
        merged = _by_pair(w, np.any(now[:, :, w.agreement_merges], axis=2))
        if merged.any():
            # in the engine's float type: a float64 network would silently promote every region
            # table after it (and leave rounding residue in the model-adoption explanation)
            tn.network = np.minimum(np.eye(P, dtype=tn.nat.dtype)[None] + merged, 1.0)
        lifted = _by_pair(w, np.any(now[:, :, w.agreement_lifts_controls], axis=2))
        if lifted.any():
            tn.flags["controls_lifted"] = lifted.astype(tn.nat.dtype)
        tn.flags["agreement_sharing"] = np.minimum(
            _per_power(tn, new, now, w.agreement_data_sharing, w.agreement_sharing_by_set), 1.0)
        if fresh.any():
            trust = _per_power(tn, fresh, now & ~held, w.agreement_trust, w.agreement_trust_by_set)
            tn.add(w.indicator_ids.index("privacy_trust"), "agreements signed", trust)
    return new, offers, fresh


def _by_pair(w: World, pair_table: B_) -> B_:
    """(B, pairs) -> the symmetric (B, P, P) table."""
    out = np.zeros((pair_table.shape[0], len(w.power_ids), len(w.power_ids)), dtype=bool)
    out[:, w.pair_p, w.pair_q] = pair_table
    out[:, w.pair_q, w.pair_p] = pair_table
    return out


def _per_power(tn: Turn, held: B_, by_pair: B_, value: F, by_set: F | None) -> F:
    """(B, P) the sum of `value` over the agreements each power holds with anyone; `held` is the
    (B, A, P, P) table and `by_pair` the same as (B, pairs, A)."""
    w = tn.world
    if by_set is None:
        return np.tensordot(held.any(axis=3).astype(tn.nat.dtype), value, axes=([1], [0]))
    # the set of agreements of each pair as a number (bit a: agreement a), exact in float32
    bits = (by_pair.astype(np.float32) @ (2.0 ** np.arange(by_pair.shape[2], dtype=np.float32)))
    code = bits.astype(np.intp)  # (B, pairs)
    mine = np.zeros(held.shape[0:1] + held.shape[2:3], dtype=np.intp)  # (B, P)
    for k in range(code.shape[1]):
        mine[:, w.pair_p[k]] |= code[:, k]
        mine[:, w.pair_q[k]] |= code[:, k]
    # one lookup of the power's whole set in the table of every set's sum
    return by_set[mine]


def situations(tn: Turn, active: B_) -> B_:
    """Switch situations on above one threshold and off below a lower one; apply their effects.
    Takes and returns (B, P, S)."""
    w = tn.world
    value = tn.nat[w.situation_indicator]  # (S, B, P)
    on = value > w.situation_on[:, None, None]
    off = value < w.situation_off[:, None, None]
    was = np.ascontiguousarray(active.transpose(2, 0, 1))
    now = np.where(was, ~off, on)
    now &= tn.const.situation_open  # (S, B, P): a broadcast (S, 1, P) mask runs P elements at a time
    now &= tn.alive
    for s, sit in enumerate(w.scenario.rules.situations):
        effect = w.situation_effect[s]
        if not np.any(effect) or not now[s].any():
            continue
        for col in np.flatnonzero(effect):
            tn.add(int(col), f"situation: {sit.name}", now[s] * effect[col])
    return np.ascontiguousarray(now.transpose(1, 2, 0))


def draw_dilemmas(tn: Turn, cooldown: NDArray[np.int16], pending_after: I_) -> tuple[I_, NDArray[np.int16]]:
    """With chance `events.rate` a power without a pending dilemma draws a candidate among the
    events open to its doctrine, by weight; it fires if its conditions hold, its cooldown has
    passed and (for `scale_by` events) with the policy modifier's chance. So each event fires
    with probability rate x weight share x [eligible], and drawing costs the same whatever the
    number of events."""
    w = tn.world
    B, P = pending_after.shape
    E = len(w.event_ids)
    u_try, u_pick, u_accept = (tn.luck.dilemma[:, k] for k in range(3))
    trying = (u_try < tn.coef["events"]["rate"]) & (pending_after < 0) & tn.alive
    # only the trying powers draw a candidate and have its conditions checked; (game, power)
    # pairs are positions in the flattened (B, P) tables, so every gather is a 1-D take
    at = np.flatnonzero(trying)
    power = at % P
    # every power's cumulative weights in one sorted table: power q's shifted up by 2q, in double
    # precision where the shift is exact, so one search serves all powers with the same result
    if "stacked event cdf" not in w.memo:
        shift = 2.0 * np.arange(P)[:, None]
        w.memo["stacked event cdf"] = (w.event_cdf.astype(np.float64) + shift).ravel()
    pick = u_pick.ravel()[at].astype(np.float64) + 2.0 * power
    e = np.searchsorted(w.memo["stacked event cdf"], pick, side="right") - power * E
    np.minimum(e, E - 1, out=e)
    # the cheap tests first (open, cooled down, accepted), the conditions on what passes them
    fire = w.event_open[power, e]
    fire &= cooldown.ravel()[at * E + e] <= tn.t + 1
    scale = w.event_scale[e]
    chance = np.ones(e.size, dtype=u_accept.dtype)
    scaled = np.flatnonzero(scale >= 0)  # events whose chance a policy modifier sets
    if scaled.size:
        mods = np.ascontiguousarray(tn.mods).ravel()
        chance[scaled] = np.clip(mods[scale[scaled] * (B * P) + at[scaled]], 0, 1)
    fire &= u_accept.ravel()[at] < chance
    at, e = at[fire], e[fire]
    fire = _conditions_hold(tn, at, e)
    at, e = at[fire], e[fire]
    new_pending = pending_after.copy()
    new_pending.ravel()[at] = e
    cooldown = cooldown.copy()
    cooldown.reshape(B * P, E)[at, e] = tn.t + 1 + w.event_cooldown[e]
    return new_pending, cooldown


def _conditions_hold(tn: Turn, at: I_, e: I_) -> B_:
    """Whether every condition of candidate event e[i] holds for the (game, power) at flat
    position at[i]. Year conditions are the same in every game, so they are checked per event."""
    w = tn.world
    year = tn.year + 1
    is_year = w.cond_kind == 3
    year_ok = np.all(~is_year | ((w.cond_value <= year) & (year <= w.cond_value2)), axis=1)  # (E,)
    ok = year_ok[e]
    games = tn.nat[0].size  # B * P
    nat = np.ascontiguousarray(tn.nat).ravel()
    policy = np.ascontiguousarray(tn.policy).ravel()
    Q = tn.policy.shape[-1]

    def slot(table: np.ndarray, k: int) -> np.ndarray:
        """Condition k of each candidate: a 1-D take from a contiguous (E,) row."""
        return np.ascontiguousarray(table[:, k]).take(e)

    for k in range(w.cond_kind.shape[1]):
        kind, index = slot(w.cond_kind, k), slot(w.cond_index, k)
        sign, thr = slot(w.cond_sign, k), slot(w.cond_value, k)
        value = sign * nat[np.where(kind == 1, index, 0) * games + at]
        below = np.where(slot(w.cond_strict, k), value < sign * thr, value <= sign * thr)
        ok &= np.where(kind == 1, below, True)
        chosen = policy[at * Q + np.where(kind == 2, index, 0)]
        ok &= np.where(kind == 2, chosen == slot(w.cond_option, k), True)
    return ok
