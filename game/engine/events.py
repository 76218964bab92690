"""Dilemmas, situations, agreements and fading effects (Democracy 4's model): dilemmas fire from
weighted conditions with cooldowns; situations switch on at one threshold and off at a lower one;
effects may arrive over several turns and fade, like grudges."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.turn import Turn

F = NDArray[np.floating[Any]]
I_ = NDArray[np.int64]
B_ = NDArray[np.bool_]


def _scatter(shape: tuple[int, int], b: I_, p: I_, values: F) -> F:
    out = np.zeros(shape)
    out[b, p] = values
    return out


def answer_dilemmas(tn: Turn, pending: I_, answer: I_, fading: F) -> tuple[dict[int, F] | None, F, I_, I_]:
    """Apply the chosen answer of each pending dilemma (an unanswered one takes its first choice).
    Effects on stocks apply now, on `growth` as this year's output shock, on derived indicators
    after the mechanics (returned by column), and fading ones go to the fading buffer (B, P, I)."""
    w = tn.world
    shape = pending.shape
    b, p = np.nonzero(pending >= 0)
    event = pending[b, p]
    choice = np.clip(answer[b, p], 0, w.choice_count[event] - 1)
    answered = np.full(shape, -1, dtype=np.int64)
    chosen = np.full(shape, -1, dtype=np.int64)
    answered[b, p], chosen[b, p] = event, choice
    tn.gdp_shock = None
    if b.size == 0:
        return None, fading, answered, chosen
    own = w.effect_self[event, choice]  # (n, I)
    rival = w.effect_rivals[event, choice]
    regional = w.effect_regions[event, choice]  # (n, J)
    if np.any(regional):
        add = np.zeros((len(w.region_indicator_ids), shape[0]), dtype=tn.reg.dtype)
        np.add.at(add.T, b, regional)
        tn.reg += add[:, None, :]
    fade = w.effect_fading[event, choice]
    if np.any(fade):
        fading = fading.copy()
        fading[b, p] += fade
    growth_col = w.indicator_ids.index("growth")
    later: dict[int, F] = {}
    has_rival = bool(np.any(rival))
    for col in np.flatnonzero(np.any(own != 0, axis=0) | np.any(rival != 0, axis=0)):
        effect = np.zeros(shape, dtype=tn.nat.dtype)
        effect[b, p] = own[:, col]
        if has_rival and np.any(rival[:, col]):
            per_game = np.zeros(shape[0], dtype=tn.nat.dtype)
            np.add.at(per_game, b, rival[:, col])
            effect += per_game[:, None]
            effect[b, p] -= rival[:, col]  # a power's rival effects fall on the others, not itself
        if col == growth_col:
            tn.gdp_shock = 1 + effect
        elif w.derived_mask[col]:
            later[int(col)] = effect
        else:
            tn.add(int(col), "dilemma decisions", effect)
    return later or None, fading, answered, chosen


def apply_fading(tn: Turn, fading: F, later: dict[int, F] | None) -> F:
    """Add this turn's share of fading effects and the event effects on derived indicators."""
    fade = tn.coef["politics"]["grudge_fade"]
    active = np.flatnonzero(np.abs(fading).sum(axis=(0, 1)) > 0) if fading.any() else np.zeros(0, int)
    for col in active:
        tn.add(int(col), "lingering effects of past decisions", fading[:, :, col] * (1 - fade))
    for col, effect in (later or {}).items():
        tn.add(col, "dilemma decisions", effect)
    return fading * fade if active.size else fading


def agreements(tn: Turn, agreement: B_, proposal: B_, propose: B_, accept: B_,
               withdraw: B_) -> tuple[B_, B_, B_]:
    """Sign agreements offered last turn and accepted now, or offered by both sides at once;
    withdrawal by either side ends one. Offers not taken up expire after a turn."""
    w = tn.world
    _, A, P, _ = agreement.shape
    tn.network = None
    tn.flags["controls_lifted"] = None
    tn.flags["agreement_sharing"] = 0.0
    if not (agreement.any() or proposal.any() or propose.any() or accept.any()):
        return agreement, np.zeros_like(proposal), np.zeros_like(agreement)
    new = agreement.copy()
    offers = np.zeros_like(proposal)
    # few (agreement, pair) combinations, each a vector over the batch
    for a in range(A):
        for p in range(P):
            for q in range(p + 1, P):
                signed = ((propose[:, a, p, q] & propose[:, a, q, p])
                          | (accept[:, a, p, q] & proposal[:, a, q, p])
                          | (accept[:, a, q, p] & proposal[:, a, p, q]))
                ended = withdraw[:, a, p, q] | withdraw[:, a, q, p]
                now = (agreement[:, a, p, q] | signed) & ~ended
                new[:, a, p, q] = new[:, a, q, p] = now
                offers[:, a, p, q] = propose[:, a, p, q] & ~now
                offers[:, a, q, p] = propose[:, a, q, p] & ~now
    fresh = new & ~agreement
    if new.any():
        merged = np.any(new[:, w.agreement_merges], axis=1)
        if merged.any():
            tn.network = np.minimum(np.eye(P)[None] + merged, 1.0)
        lifted = np.any(new[:, w.agreement_lifts_controls], axis=1)
        if lifted.any():
            tn.flags["controls_lifted"] = lifted.astype(tn.nat.dtype)
        sharing = np.tensordot(new.any(axis=3).astype(tn.nat.dtype), w.agreement_data_sharing, axes=([1], [0]))
        tn.flags["agreement_sharing"] = np.minimum(sharing, 1.0)
        if fresh.any():
            trust = np.tensordot(fresh.any(axis=3).astype(tn.nat.dtype), w.agreement_trust, axes=([1], [0]))
            tn.add(w.indicator_ids.index("privacy_trust"), "agreements signed", trust)
    return new, offers, fresh


def situations(tn: Turn, active: B_) -> B_:
    """Switch situations on above one threshold and off below a lower one; apply their effects.
    Takes and returns (B, P, S)."""
    w = tn.world
    value = tn.nat[w.situation_indicator]  # (S, B, P)
    on = value > w.situation_on[:, None, None]
    off = value < w.situation_off[:, None, None]
    was = active.transpose(2, 0, 1)
    now = np.where(was, ~off, on) & w.situation_open.T[:, None, :] & tn.alive[None]
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
    rng = tn.rng
    u_try, u_pick, u_accept = (rng.random((B, P), dtype=np.float32) for _ in range(3))
    candidate = np.empty((B, P), dtype=np.int64)
    for power in range(P):
        candidate[:, power] = np.searchsorted(w.event_cdf[power], u_pick[:, power], side="right")
    candidate = np.minimum(candidate, len(w.event_ids) - 1)
    trying = (u_try < tn.coef["events"]["rate"]) & (pending_after < 0) & tn.alive
    trying &= w.event_open[np.arange(P)[None, :], candidate]
    b, p = np.nonzero(trying)
    e = candidate[b, p]
    kind, idx = w.cond_kind[e], w.cond_index[e]  # (n, K)
    thr, op = w.cond_value[e], w.cond_op[e]
    ind = tn.nat[idx, b[:, None], p[:, None]]
    cmp = np.select([op == 0, op == 1, op == 2], [ind < thr, ind <= thr, ind > thr], ind >= thr)
    pol = tn.policy[b[:, None], p[:, None], np.where(kind == 2, idx, 0)]
    year = tn.year + 1
    ok = np.where(kind == 1, cmp, True)
    ok &= np.where(kind == 2, pol == thr.astype(np.int64), True)
    ok &= np.where(kind == 3, (thr <= year) & (year <= w.cond_value2[e]), True)
    fire = ok.all(axis=1) & (cooldown[b, p, e] <= tn.t + 1)
    scale = w.event_scale[e]
    chance = np.where(scale >= 0, np.clip(tn.mods[np.maximum(scale, 0), b, p], 0, 1), 1.0)
    fire &= u_accept[b, p] < chance
    new_pending = pending_after.copy()
    new_pending[b[fire], p[fire]] = e[fire]
    cooldown = cooldown.copy()
    cooldown[b[fire], p[fire], e[fire]] = tn.t + 1 + w.event_cooldown[e[fire]]
    return new_pending, cooldown
