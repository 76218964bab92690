"""Region teams' orders: which powers' offers a swing region takes.

The engine has no region orders: regions drift by its diffusion and standards mechanics. In class a
region team decides, each year, whether to accept or reject each power's standing offers of three
kinds. The decision is applied to the region's tables just before the engine resolves the year, so
the engine's own drift still runs on top of it (a region cannot simply flip its camp in one year).

| offer          | accept                                   | reject                          |
|----------------|------------------------------------------|---------------------------------|
| infrastructure | ties with that power +INFRA_ACCEPT        | ties -INFRA_REJECT               |
| standards      | ADOPT_ACCEPT of the rest moves to its std | its adoption x (1 - ADOPT_REJECT)|
| data           | ALIGN_ACCEPT of the lean moves to it     | its lean x (1 - ALIGN_REJECT)   |

Sizes are about one year of a strong lever in the engine (diffusion speed ~0.1-0.2), so a region's
choice matters, and offers a power backs with spending (infrastructure_export, standards_diplomacy)
are larger (`offer_strength`). Saved with each turn and replayed exactly on resume.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine.state import GameState

OFFERS = ("infrastructure", "standards", "data")
OFFER_NAMES = {"infrastructure": "Infrastructure (networks, data centres, ports)",
               "standards": "Technical standards (5G, AI, payments)",
               "data": "Data deal (cloud, surveillance tech, data sharing)"}
OFFER_LEVERS = {"infrastructure": "infrastructure_export", "standards": "standards_diplomacy",
                "data": "data_infrastructure"}
INFRA_ACCEPT, INFRA_REJECT = 0.08, 0.04
ADOPT_ACCEPT, ADOPT_REJECT = 0.06, 0.05
ALIGN_ACCEPT, ALIGN_REJECT = 0.05, 0.04


def offer_strength(state: GameState, power: str, offer: str) -> float:
    """0.5 to 1.5: how much the power backs the offer with the lever behind it, relative to the
    power that backs it most (accumulated spending, `lever_stock`)."""
    w = state.world
    lever = OFFER_LEVERS[offer]
    if lever not in w.lever_ids:
        return 1.0
    stocks = state.lever_stock[w.lever_ids.index(lever), 0]
    top = float(stocks.max())
    return 0.5 + (float(stocks[w.power_index(power)]) / top if top > 0 else 0.5)


def check_decisions(state: GameState, region: str, decisions: Any) -> dict[str, dict[str, bool]]:
    """A region team's decisions in canonical form; ValueError with a clear message if malformed.
    Shape: {power: {offer: true (accept) | false (reject)}}; missing = no decision."""
    w = state.world
    if region not in w.region_ids:
        raise ValueError(f"no such region '{region}'")
    if not isinstance(decisions, dict):
        raise ValueError("decisions must be an object {power: {offer: true|false}}")
    out: dict[str, dict[str, bool]] = {}
    for power, choices in decisions.items():
        if power not in w.power_ids:
            raise ValueError(f"decisions: no such power '{power}'")
        if not isinstance(choices, dict):
            raise ValueError(f"decisions.{power}: expected an object {{offer: true|false}}")
        row: dict[str, bool] = {}
        for offer, accept in choices.items():
            if offer not in OFFERS:
                raise ValueError(f"decisions.{power}.{offer}: offers are {', '.join(OFFERS)}")
            if not isinstance(accept, bool):
                raise ValueError(f"decisions.{power}.{offer}: expected true (accept) or false (reject)")
            row[offer] = accept
        if row:
            out[power] = row
    return out


def _move_toward(table: np.ndarray, r: int, p: int, share: float) -> None:
    """Move `share` of column r's mass from the other powers to power p (rows keep their sum)."""
    col = table[:, r, 0]
    others = col.sum() - col[p]
    if others <= 0:
        return
    moved = share * others
    col *= np.float32(1 - share)
    col[p] = col[p] / np.float32(1 - share) + moved


def apply_region_decisions(state: GameState, decisions: dict[str, dict[str, dict[str, bool]]]) -> GameState:
    """The state with every region team's accepted and rejected offers applied (game 0).
    `decisions` is {region: {power: {offer: accept}}} as checked by `check_decisions`."""
    if not decisions:
        return state
    w = state.world
    tie, adopt, align = state.tie.copy(), state.adopt.copy(), state.align.copy()
    for region, by_power in sorted(decisions.items()):
        r = w.region_ids.index(region)
        for power, choices in sorted(by_power.items()):
            p = w.power_index(power)
            for offer, accept in sorted(choices.items()):
                k = offer_strength(state, power, offer)
                if offer == "infrastructure":
                    delta = INFRA_ACCEPT * k if accept else -INFRA_REJECT
                    tie[p, r, 0] = np.clip(tie[p, r, 0] + delta, 0.0, 1.0)
                elif offer == "standards":
                    if accept:
                        _move_toward(adopt, r, p, min(0.5, ADOPT_ACCEPT * k))
                    else:
                        adopt[p, r, 0] *= np.float32(1 - ADOPT_REJECT)
                else:
                    if accept:
                        _move_toward(align, r, p, min(0.5, ALIGN_ACCEPT * k))
                    else:
                        cut = align[p, r, 0] * ALIGN_REJECT
                        align[p, r, 0] -= cut
                        rest = [q for q in range(w.n_powers) if q != p]
                        total = sum(float(align[q, r, 0]) for q in rest)
                        for q in rest:  # the lean lost goes to the others, in proportion
                            share = float(align[q, r, 0]) / total if total > 0 else 1 / len(rest)
                            align[q, r, 0] += cut * share
    return state.copy_with(tie=tie, adopt=adopt, align=align)


def inject_event(state: GameState, power: str, event: str) -> GameState:
    """The state with `event` pending as a dilemma for `power` (the facilitator's injection)."""
    w = state.world
    if power not in w.power_ids:
        raise ValueError(f"no such power '{power}'")
    if event not in w.event_ids:
        raise ValueError(f"no such event '{event}' in the deck")
    ev = w.scenario.rules.events[w.event_ids.index(event)]
    doctrine = w.doctrine_of[w.power_index(power)]
    if ev.doctrines and doctrine not in ev.doctrines:
        from game.wording import Names
        names = Names(w)
        raise ValueError(f"the event '{ev.name}' is not open to {names.power(power)} "
                         f"({names.doctrine(doctrine)}); it is for "
                         f"{', '.join(names.doctrine(d) for d in ev.doctrines)}")
    pending = state.pending.copy()
    pending[0, w.power_index(power)] = w.event_ids.index(event)
    return state.copy_with(pending=pending)
