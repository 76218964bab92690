"""Performance legitimacy of the party-state (Guriev & Treisman's informational autocracy):
belief in competence follows perceived performance, services and propaganda, minus unrest."""

from __future__ import annotations

from game.engine.mechanics.finance import crash_discredits
from game.engine.turn import Turn, mechanic
from game.engine.world import CH, N


@mechanic("legitimacy",
          reads=("chan", "reported_growth", "protest", "surveillance", "legitimacy", "crash"),
          writes=("legitimacy",))
def legitimacy(tn: Turn) -> None:
    c = tn.coef.legitimacy
    nat, chan = tn.nat, tn.chan
    rho = c.persistence
    parts = {
        "economic performance": c.growth_weight * 100 * (nat[N.REPORTED_GROWTH] - c.expected_growth),
        "digital public services": c.services_weight * chan[CH["services"]],
        "propaganda and censorship": c.propaganda_weight * chan[CH["censorship"]],
        "protests": -c.protest_weight * 100 * nat[N.PROTEST],
        "surveillance resentment": -c.surveillance_trust * nat[N.SURVEILLANCE],
    }
    old = nat[N.LEGITIMACY]
    tn.cause(N.LEGITIMACY, "memory of past years", (rho - 1) * old + (1 - rho) * c.neutral)
    for name, value in parts.items():
        tn.cause(N.LEGITIMACY, name, (1 - rho) * value)
    nat[N.LEGITIMACY] = rho * old + (1 - rho) * (c.neutral + sum(parts.values()))
    crash_discredits(tn, N.LEGITIMACY)
