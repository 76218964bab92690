"""Dilemmas, situations, agreements and fading effects (Democracy 4's model): dilemmas fire from
weighted conditions with cooldowns; situations switch on at one threshold and off at a lower one;
effects may arrive over several turns and fade, like grudges."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine.turn import Turn

F = NDArray[np.float64]
I_ = NDArray[np.int64]


def answer_dilemmas(tn: Turn, pending: I_, answer: I_, fading: F) -> tuple[F, F, I_, I_]:
    """Apply the chosen answer of each pending dilemma. An unanswered dilemma takes its first
    choice. Returns (immediate effects on derived indicators, fading buffer, event, choice)."""
    w = tn.world
    has = pending >= 0
    event = np.where(has, pending, 0)
    choice = np.where(has, np.clip(answer, 0, w.choice_count[event] - 1), 0)
    mask = has[:, :, None].astype(float)
    own = w.effect_self[event, choice] * mask  # (B, P, I)
    rivals = own_rivals = w.effect_rivals[event, choice] * mask
    P = pending.shape[1]
    if P > 1:
        total = own_rivals.sum(axis=1, keepdims=True)
        rivals = total - own_rivals  # each power receives its rivals' effects on others
    regional = (w.effect_regions[event, choice] * mask).sum(axis=1)  # (B, J)
    tn.reg += regional[:, None, :]
    fading = fading + w.effect_fading[event, choice] * mask
    combined = own + rivals
    stocks = ~w.derived_mask
    growth_col = w.indicator_ids.index("growth")
    tn.gdp_shock = 1 + combined[:, :, growth_col]
    stock_part = combined * stocks
    stock_part[:, :, growth_col] = 0.0
    for col in np.flatnonzero(np.abs(stock_part).sum(axis=(0, 1)) > 0):
        tn.add(int(col), "dilemma decisions", stock_part[:, :, col])
    later = combined * w.derived_mask
    later[:, :, growth_col] = 0.0
    return later, fading, np.where(has, event, -1), np.where(has, choice, -1)


def apply_fading(tn: Turn, fading: F, later: F) -> F:
    """Add this turn's share of fading effects and the event effects on derived indicators."""
    fade = tn.coef["politics"]["grudge_fade"]
    arrive = fading * (1 - fade) + later
    for col in np.flatnonzero(np.abs(arrive).sum(axis=(0, 1)) > 0):
        tn.add(int(col), "lingering effects of past decisions", arrive[:, :, col])
    return fading * fade


def agreements(tn: Turn, agreement: NDArray[np.bool_], proposal: NDArray[np.bool_],
               propose: NDArray[np.bool_], accept: NDArray[np.bool_],
               withdraw: NDArray[np.bool_]) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]]:
    """Sign agreements offered last turn and accepted now, or offered by both sides at once;
    withdrawal by either side ends one. Offers not taken up expire after a turn."""
    w = tn.world
    mutual = propose & np.swapaxes(propose, 2, 3)
    accepted = accept & np.swapaxes(proposal, 2, 3)
    signed = mutual | accepted | np.swapaxes(accepted, 2, 3)
    ended = withdraw | np.swapaxes(withdraw, 2, 3)
    new = (agreement | signed) & ~ended
    P = new.shape[2]
    new &= ~np.eye(P, dtype=bool)[None, None]
    fresh = new & ~agreement
    offers = propose & ~new
    tn.network = np.eye(P)[None] + np.any(new & w.agreement_merges[None, :, None, None], axis=1)
    tn.network = np.minimum(tn.network, 1.0)
    tn.flags["controls_lifted"] = np.any(new & w.agreement_lifts_controls[None, :, None, None], axis=1).astype(float)
    sharing = np.einsum("bapq,a->bp", new.astype(float), w.agreement_data_sharing)
    tn.flags["agreement_sharing"] = np.minimum(sharing, 1.0)
    trust = np.einsum("bapq,a->bp", fresh.astype(float), w.agreement_trust)
    col = w.indicator_ids.index("privacy_trust")
    if np.any(trust):
        tn.add(col, "agreements signed", trust)
    return new, offers, fresh


def situations(tn: Turn, active: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Switch situations on above one threshold and off below a lower one; apply their effects."""
    w = tn.world
    value = tn.nat[:, :, w.situation_indicator]  # (B, P, S)
    on = value > w.situation_on
    off = value < w.situation_off
    new = np.where(active, ~off, on) & w.situation_open[None] & tn.alive[:, :, None]
    for s, name in enumerate(w.scenario.rules.situations):
        effect = w.situation_effect[s]
        if not np.any(new[:, :, s]) or not np.any(effect):
            continue
        amount = new[:, :, s, None] * effect[None, None, :]
        for col in np.flatnonzero(effect):
            tn.add(int(col), f"situation: {name.name}", amount[:, :, col])
    return new


def draw_dilemmas(tn: Turn, cooldown: I_, pending_after: I_) -> tuple[I_, I_]:
    """Each power may face one new dilemma a turn, drawn by weight among those whose conditions
    hold and whose cooldown has passed."""
    w = tn.world
    nat = tn.nat
    year = tn.year + 1
    kind, idx = w.cond_kind, w.cond_index
    ind_vals = nat[:, :, idx]  # (B, P, E, K)
    thr = w.cond_value
    cmp = np.select([w.cond_op == 0, w.cond_op == 1, w.cond_op == 2],
                    [ind_vals < thr, ind_vals <= thr, ind_vals > thr], ind_vals >= thr)
    pol = tn.policy[:, :, np.where(kind == 2, idx, 0)]  # (B, P, E, K)
    ok = np.where(kind == 1, cmp, True)
    ok &= np.where(kind == 2, pol == thr.astype(np.int64), True)
    ok &= np.where(kind == 3, (thr <= year) & (year <= w.cond_value2), True)
    eligible = ok.all(axis=3) & w.event_open[None] & (cooldown <= tn.t + 1)
    eligible &= (pending_after < 0)[:, :, None] & tn.alive[:, :, None]
    weight = w.event_weight[None, None, :] * eligible
    scaled = np.where(w.event_scale >= 0, np.maximum(tn.mods[:, :, np.maximum(w.event_scale, 0)], 0.0), 1.0)
    weight = weight * scaled
    total = weight.sum(axis=2)
    rate = tn.coef["events"]["rate"]
    fire = tn.rng.random(total.shape) < np.minimum(1.0, rate * total)
    pick = tn.rng.random(total.shape) * total
    chosen = (np.cumsum(weight, axis=2) <= pick[:, :, None]).sum(axis=2)
    chosen = np.minimum(chosen, weight.shape[2] - 1)
    new_pending = np.where(fire & (total > 0), chosen, pending_after)
    fired = np.where(fire & (total > 0), chosen, -1)
    cooldown = cooldown.copy()
    b, p = np.nonzero(fired >= 0)
    cooldown[b, p, fired[b, p]] = tn.t + 1 + w.event_cooldown[fired[b, p]]
    return new_pending, cooldown
