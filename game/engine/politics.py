"""Political mechanics: grievance, protest cascades, performance legitimacy, approval and
elections, the Party Congress cycle, political capital and stability."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.turn import Turn
from game.engine.world import CH, N

F = NDArray[np.floating[Any]]


def normal_cdf(x: F) -> F:
    """Standard normal CDF (tanh approximation, error < 3e-4), without needing scipy."""
    return 0.5 * (1 + np.tanh(0.7978845608 * x * (1 + 0.044715 * x * x)))


def grievance(tn: Turn, growth_memory: F, expected: F) -> tuple[F, F]:
    """What citizens resent: growth below what they came to expect (inertia: they remember
    the last few years), lost privacy, polarisation and crashes."""
    nat = tn.nat
    perceived = nat[N.REPORTED_GROWTH]
    memory = 0.6 * growth_memory + 0.4 * perceived
    expected = 0.9 * expected + 0.1 * memory
    tn.flags["expected"] = expected
    parts = {
        "growth below expectations": 6 * np.maximum(0.0, expected - memory),
        # resentment at privacy lost relative to what people were used to
        "lost privacy": 0.6 * np.maximum(0.0, tn.const.base_trust - nat[N.PRIVACY_TRUST]) / 100,
        "polarisation": 0.2 * nat[N.POLARISATION],
        "financial crash": 0.1 * tn.flags["crash"].astype(nat.dtype),
        # e-government and online health answer everyday complaints before they become grievances
        "digital public services": -tn.coef["protest"]["services_relief"] * tn.chan[CH["services"]],
    }
    total = np.maximum(sum(parts.values()), 0.0)
    scale = np.where(total > 1, 1 / np.maximum(total, 1e-9), 1.0)
    for name, value in parts.items():
        tn.cause(N.GRIEVANCE, name, value * scale)
    nat[N.GRIEVANCE] = np.minimum(total, 1.0)
    return memory, expected


def protest(tn: Turn) -> None:
    """Granovetter's threshold cascade p' = F(p), thresholds ~ N(μ, σ): grievance lowers μ,
    surveillance raises it, online coordination lowers it; AI dampens unrest (Beraja et al.)."""
    c = tn.coef["protest"]
    nat = tn.nat
    mu = (c["mu"] - c["grievance_weight"] * nat[N.GRIEVANCE]
          + c["control_weight"] * tn.flags["control"] - tn.flags["coordination"])
    p = np.maximum(0.5 * nat[N.PROTEST], c["seed"] * nat[N.GRIEVANCE])
    for _ in range(int(c["iterations"])):
        p = normal_cdf((p - mu) / c["sigma"])
    damp = 1 - tn.coef["ai"]["unrest_dampening"] * tn.flags["ai_control"]
    tn.set(N.PROTEST, "protest cascade", p * damp)


def legitimacy(tn: Turn) -> None:
    """Performance legitimacy of the party-state (Guriev & Treisman's informational autocracy):
    belief in competence follows perceived performance, services and propaganda, minus unrest."""
    c = tn.coef["legitimacy"]
    nat, chan = tn.nat, tn.chan
    rho = c["persistence"]
    parts = {
        "economic performance": c["growth_weight"] * 100 * (nat[N.REPORTED_GROWTH] - c["expected_growth"]),
        "digital public services": c["services_weight"] * chan[CH["services"]],
        "propaganda and censorship": c["propaganda_weight"] * chan[CH["censorship"]],
        "protests": -c["protest_weight"] * 100 * nat[N.PROTEST],
        "surveillance resentment": -c["surveillance_trust"] * nat[N.SURVEILLANCE],
    }
    old = nat[N.LEGITIMACY]
    tn.cause(N.LEGITIMACY, "memory of past years", (rho - 1) * old + (1 - rho) * 50)
    for name, value in parts.items():
        tn.cause(N.LEGITIMACY, name, (1 - rho) * value)
    nat[N.LEGITIMACY] = rho * old + (1 - rho) * (50 + sum(parts.values()))
    _crash_discredits(tn, N.LEGITIMACY)


def _crash_discredits(tn: Turn, column: int) -> None:
    """A crash refutes the competence a government claimed (for the party-state, the planners'
    promise to deflate bubbles in time): belief in it drops at once and recovers with habit."""
    crash = tn.flags["crash"]
    if crash.any():
        tn.add(column, "financial crash", -tn.coef["finance"]["crash_trust"] * crash.astype(tn.nat.dtype))


def approval(tn: Turn, honeymoon: F) -> F:
    """Mueller's approval dynamics a + ρ·approval − economic costs + honeymoon; polarisation
    from data-driven campaigning, checked by cyber and election security."""
    c = tn.coef["approval"]
    nat, chan = tn.nat, tn.chan
    old = nat[N.APPROVAL]
    tn.add(N.APPROVAL, "habit (last year's approval)", c["base"] + (c["persistence"] - 1) * old)
    tn.add(N.APPROVAL, "economy", c["growth_weight"] * 100 * (nat[N.GROWTH] - tn.flags["expected"]))
    tn.add(N.APPROVAL, "privacy", -c["privacy_weight"] * (60 - nat[N.PRIVACY_TRUST]) / 10)
    tn.add(N.APPROVAL, "honeymoon", honeymoon)
    tn.add(N.APPROVAL, "digital public services", 3 * chan[CH["services"]])
    _crash_discredits(tn, N.APPROVAL)
    pol = nat[N.POLARISATION].copy()
    open_debate = np.where(tn.const.elections, 1.0, 1 - chan[CH["censorship"]])
    tn.add(N.POLARISATION, "data-driven campaigning",
           c["polarisation_growth"] * nat[N.CONCENTRATION] * nat[N.COVERAGE] * (1 - pol) * open_debate)
    tn.add(N.POLARISATION, "cyber and election security", -c["cyber_effect"] * chan[CH["cyber"]] * pol)
    tn.add(N.POLARISATION, "cooling", -0.03 * pol)
    return honeymoon * 0.5


def elections_and_congress(tn: Turn, honeymoon: F) -> F:
    """Elections on the real calendar (a lost one changes government and resets political capital)
    and the Party Congress cycle for the party-state."""
    c = tn.coef["approval"]
    pc = tn.coef["politics"]
    w, nat = tn.world, tn.nat
    t = min(tn.t + 1, len(w.election_year) - 1)  # the year being resolved into
    election = tn.const.election_year[t] & tn.const.elections & tn.alive
    chance = 1 / (1 + np.exp(-c["election_slope"] * (nat[N.APPROVAL] - 50)))
    won = tn.rng.random(chance.shape, dtype=np.float32) < chance
    lost = election & ~won
    tn.flags["election"] = np.where(election, np.where(won, 1, 2), 0).astype(np.int8)
    new_pc = np.where(lost, np.float32(60), nat[N.POLITICAL_CAPITAL] + 10 * election.astype(nat.dtype))
    tn.set(N.POLITICAL_CAPITAL, "elections", new_pc)
    tn.set(N.APPROVAL, "change of government", np.where(lost, 50.0, nat[N.APPROVAL]))
    honeymoon = np.where(lost, c["honeymoon"], honeymoon)
    congress = tn.const.congress_year[t] & tn.alive
    strong = nat[N.LEGITIMACY] >= 50
    tn.flags["congress"] = np.where(congress, np.where(strong, 1, 2), 0).astype(np.int8)
    tn.add(N.POLITICAL_CAPITAL, "Party Congress",
           (congress * np.where(strong, np.float32(pc["congress_capital"]), np.float32(-10))).astype(nat.dtype))
    tn.add(N.LEGITIMACY, "Party Congress", -3 * (congress & ~strong).astype(nat.dtype))
    mandate = np.where(tn.const.elections, nat[N.APPROVAL] / 50, nat[N.LEGITIMACY] / 60)
    room = pc["capital_max"] - nat[N.POLITICAL_CAPITAL]
    tn.add(N.POLITICAL_CAPITAL, "governing mandate", np.minimum(tn.const.capital_per_turn * mandate, room))
    return honeymoon


def stability(tn: Turn) -> None:
    """Social stability on a 0-100 scale, from grievance, protest and polarisation."""
    nat = tn.nat
    chenoweth = tn.coef["protest"]["chenoweth"]
    parts = {
        "calm streets": 40 * (1 - np.minimum(1.0, nat[N.PROTEST] / chenoweth)),
        "low grievance": 40 * (1 - nat[N.GRIEVANCE]),
        "cohesion": 20 * (1 - nat[N.POLARISATION]),
    }
    for name, value in parts.items():
        tn.cause(N.STABILITY, name, value)
    nat[N.STABILITY] = sum(parts.values())


def collapse(tn: Turn) -> None:
    """A regime collapses when belief in competence falls below its doctrine's cutoff while
    protests pass the Chenoweth share."""
    nat = tn.nat
    tn.flags["collapse"] = (tn.alive & (nat[N.LEGITIMACY] < tn.const.collapse_legitimacy)
                            & (nat[N.PROTEST] > tn.const.collapse_protest))
