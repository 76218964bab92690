"""Regime collapse: a regime falls when belief in its competence drops below its doctrine's
cutoff while protests pass the Chenoweth share."""

from __future__ import annotations

from game.engine.turn import Turn, mechanic
from game.engine.world import N


@mechanic("regime collapse", reads=("legitimacy", "protest", "collapsed"), writes=("collapse", "collapsed"))
def collapse(tn: Turn) -> None:
    nat = tn.nat
    tn.collapse = (tn.alive & (nat[N.LEGITIMACY] < tn.const.collapse_legitimacy)
                   & (nat[N.PROTEST] > tn.const.collapse_protest))
    tn.collapsed = tn.collapsed | tn.collapse
