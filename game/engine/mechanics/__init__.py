"""The mechanics of the game, one module each, and the order in which a turn runs them.

Each mechanic is a function of the Turn declared with what it reads and writes (indicators by
id, Turn fields by name); `TURN` below is the whole turn. To see what changes an indicator and
when, read down the list: e.g. stability is set by `stability` (from protest, grievance and
polarisation, which `grievance`, `protest` and `approval` have just moved); after it, dilemma
answers (`fading_and_delayed`) and situations change it where the rules files say so, and
`limits` holds it within its bounds.
"""

from __future__ import annotations

from game.engine.mechanics import (
    agreements,
    ai,
    approval,
    budget,
    collapse,
    data,
    diffusion,
    dilemmas,
    elections,
    export_controls,
    finance,
    grievance,
    industry,
    information,
    legitimacy,
    limits,
    production,
    protest,
    regions,
    situations,
    stability,
    standards,
    surveillance,
)
from game.engine.turn import Mechanic

# The turn, in order. Orders take effect first; the economy runs up to production, politics
# reacts to the year's growth, the world contest follows, then events, collapse and limits; new
# dilemmas are drawn last, from the year's final numbers.
TURN: tuple[Mechanic, ...] = (
    budget.budget_and_policies,
    agreements.agreements,
    dilemmas.answer,
    data.data_economy,
    surveillance.surveillance,
    information.information,
    export_controls.export_controls,
    ai.ai_loop,
    industry.industry,
    finance.finance,
    production.production,
    grievance.grievance,
    protest.protest,
    legitimacy.legitimacy,
    approval.approval,
    elections.elections_and_congress,
    stability.stability,
    standards.standards,
    diffusion.diffusion,
    regions.regions,
    dilemmas.fading_and_delayed,
    situations.situations,
    collapse.collapse,
    limits.limits,
    dilemmas.draw,
)

# The mechanics before production: what `new_game` runs to calibrate the opening year.
BEFORE_PRODUCTION = TURN[:TURN.index(production.production)]

__all__ = ["BEFORE_PRODUCTION", "TURN"]
