"""Dilemmas (Democracy 4's model): they fire from weighted conditions with cooldowns, a power
answers one the next turn, and the answer's effects may arrive at once or fade in over several
turns, like grudges."""

from __future__ import annotations

import numpy as np

from game.engine import kernels
from game.engine.turn import Turn, mechanic


@mechanic("answers to dilemmas",
          reads=("orders", "pending", "fading"),
          writes=("answered", "choice", "fading_added", "gdp_shock", "derived_effects", "stocks answers touch",
                  "regions answers touch"))
def answer(tn: Turn) -> None:
    """Apply the chosen answer's effects (an unanswered dilemma takes its first choice). Effects
    on stocks apply now, on `growth` as this year's output shock, on derived indicators after the
    mechanics (see `fading_and_delayed`), and fading ones go to the fading buffer."""
    w = tn.world
    B, P = tn.pending.shape
    at, event, choice = kernels.pending_answers(tn.pending, tn.orders.answer, w.choice_count)
    tn.answered = kernels.at_positions((B, P), at, event)
    tn.choice = kernels.at_positions((B, P), at, choice)
    if at.size == 0:
        return
    effects = kernels.AnswerEffects(w, at, event, choice, B, P, tn.nat.dtype, tn.reg.dtype)
    for j, amount in effects.regions:
        tn.reg[j] += amount  # every region of the game alike
    if effects.fading_at.size:
        tn.fading_added = (effects.fading_at, effects.fading_rows)
    if effects.output_shock is not None:
        tn.gdp_shock = 1 + effects.output_shock
    later: dict[int, np.ndarray] = {}
    for col, change in effects.indicators:
        if w.derived_mask[col]:
            later[col] = change
        else:
            tn.add(col, "dilemma decisions", change)
    tn.derived_effects = later or None


@mechanic("lingering and delayed effects",
          reads=("fading", "fading_added", "derived_effects"),
          writes=("fading", "indicators answers touch"))
def fading_and_delayed(tn: Turn) -> None:
    """Add this turn's answers' fading effects to the buffer, then this turn's share of fading
    effects and the answers' effects on derived indicators."""
    fade = tn.coef.politics.grudge_fade
    fading = tn.fading
    # only the indicators some dilemma fades into can hold anything: gather those columns once,
    # indicator-major, instead of passing over the whole (B, P, I) buffer for each
    cols = kernels.fading_columns(tn.world)
    held = np.ascontiguousarray(np.moveaxis(fading[:, :, cols], 2, 0)) if cols else fading[:0]
    if tn.fading_added is not None:  # the answers' rows hold nothing outside these columns
        at, rows = tn.fading_added
        held.reshape(len(cols), -1)[:, at] += rows[:, cols].T
    active = [k for k in range(len(cols)) if held[k].any()]
    for k in active:
        tn.add(cols[k], "lingering effects of past decisions", held[k] * (1 - fade))
    for col, effect in (tn.derived_effects or {}).items():
        tn.add(col, "dilemma decisions", effect)
    if not active:
        if tn.fading_added is not None:  # answers whose effects cancel what was fading
            added = fading.copy()
            added[:, :, cols] = np.moveaxis(held, 0, 2)
            tn.fading = added
        return
    # every other indicator holds nothing to fade: fresh zeros (cheaper than zeros_like's fill),
    # each fading column written straight from its row
    faded = np.zeros(fading.shape, dtype=fading.dtype)
    for k, col in enumerate(cols):
        np.multiply(held[k], fade, out=faded[:, :, col])
    tn.fading = faded


@mechanic("new dilemmas",
          reads=("pending", "answered", "cooldown", "collapsed", "mods", "policy", "indicators conditions name"),
          writes=("pending", "cooldown", "fired"))
def draw(tn: Turn) -> None:
    """With chance `events.rate` a power without a pending dilemma draws a candidate among the
    events open to its doctrine, by weight; it fires if its conditions hold, its cooldown has
    passed and (for `scale_by` events) with the policy modifier's chance. So each event fires
    with probability rate x weight share x [eligible], and drawing costs the same whatever the
    number of events."""
    w = tn.world
    pending_after = np.where(tn.answered >= 0, -1, tn.pending)
    B, P = pending_after.shape
    E = len(w.event_ids)
    u_try, u_pick, u_accept = (tn.luck.dilemma[:, k] for k in range(3))
    trying = (u_try < tn.coef.events.rate) & (pending_after < 0) & tn.alive
    # Every (game, power) position draws a candidate and has it tested, as flat (B * P) arrays,
    # and those not trying are dropped with the rest at the end: most powers try, most years,
    # and the tests are the same for each position whichever others are tested with it (picking
    # the trying positions out first and compacting after each test cost more than testing all).
    at = kernels.positions(B * P)
    e = kernels.candidate_events(w, u_pick, None, P)
    fire = trying.ravel()
    fire &= kernels.event_open_flat(w)[at % P * E + e]
    fire &= tn.cooldown.ravel()[at * E + e] <= tn.t + 1
    scale = w.event_scale[e]
    chance = np.ones(e.size, dtype=u_accept.dtype)
    scaled = np.flatnonzero(scale >= 0)  # events whose chance a policy modifier sets
    if scaled.size:
        chance[scaled] = np.clip(kernels.flat_gather(tn.mods, scale[scaled], scaled), 0, 1)
    fire &= u_accept.ravel() < chance
    fire &= kernels.conditions_hold(w, tn.nat, tn.policy, tn.year + 1, at, e)
    at = np.flatnonzero(fire)
    e = e[at]
    pending = pending_after.copy()
    pending.ravel()[at] = e
    cooldown = tn.cooldown.copy()
    cooldown.reshape(B * P, E)[at, e] = tn.t + 1 + w.event_cooldown[e]
    pending = np.where(tn.collapsed, -1, pending)  # a fallen regime faces no more dilemmas
    tn.fired = np.where((pending >= 0) & (pending != pending_after), pending, -1)
    tn.pending, tn.cooldown = pending, cooldown
