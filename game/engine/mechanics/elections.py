"""Elections on the real calendar (a lost one changes government and resets political capital),
the Party Congress cycle for the party-state, and the political capital a mandate brings."""

from __future__ import annotations

import numpy as np

from game.engine.turn import Turn, mechanic
from game.engine.world import N


@mechanic("elections and Party Congress",
          reads=("approval", "legitimacy", "political_capital", "honeymoon"),
          writes=("election", "congress", "political_capital", "approval", "legitimacy", "honeymoon"))
def elections_and_congress(tn: Turn) -> None:
    c = tn.coef.approval
    pc = tn.coef.politics
    w, nat = tn.world, tn.nat
    t = min(tn.t + 1, len(w.election_year) - 1)  # the year being resolved into
    election = tn.const.election_year[t] & tn.const.elections & tn.alive
    chance = 1 / (1 + np.exp(-c.election_slope * (nat[N.APPROVAL] - c.election_midpoint)))
    won = tn.luck.election < chance
    lost = election & ~won
    tn.election = np.where(election, np.where(won, 1, 2), 0).astype(np.int8)
    new_pc = np.where(lost, np.float32(pc.new_government_capital),
                      nat[N.POLITICAL_CAPITAL] + pc.election_capital * election.astype(nat.dtype))
    tn.set(N.POLITICAL_CAPITAL, "elections", new_pc)
    tn.set(N.APPROVAL, "change of government", np.where(lost, c.new_government, nat[N.APPROVAL]))
    tn.honeymoon = np.where(lost, c.honeymoon, tn.honeymoon)
    congress = tn.const.congress_year[t] & tn.alive
    strong = nat[N.LEGITIMACY] >= pc.congress_strong_legitimacy
    tn.congress = np.where(congress, np.where(strong, 1, 2), 0).astype(np.int8)
    tn.add(N.POLITICAL_CAPITAL, "Party Congress",
           (congress * np.where(strong, np.float32(pc.congress_capital),
                                np.float32(-pc.congress_struggle_capital))).astype(nat.dtype))
    tn.add(N.LEGITIMACY, "Party Congress", -pc.congress_struggle_legitimacy * (congress & ~strong).astype(nat.dtype))
    mandate = np.where(tn.const.elections, nat[N.APPROVAL] / pc.mandate_approval,
                       nat[N.LEGITIMACY] / pc.mandate_legitimacy)
    room = pc.capital_max - nat[N.POLITICAL_CAPITAL]
    amount = np.minimum(tn.const.capital_per_turn * mandate, room)
    nat[N.POLITICAL_CAPITAL] += amount
    # an election or Congress can lift capital above the cap; the mandate then brings nothing and
    # what lies above the cap is lost. The report names the two apart (the one change is the same):
    # a "governing mandate" of -13 was the cap at work, not the mandate.
    tn.cause(N.POLITICAL_CAPITAL, "governing mandate", np.maximum(amount, 0))
    tn.cause(N.POLITICAL_CAPITAL, f"above the cap ({pc.capital_max:g}), unspent", np.minimum(amount, 0))
