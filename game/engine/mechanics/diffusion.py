"""Model diffusion (Beraja et al.): swing regions lean toward the model that looks politically
effective, economically productive and socially stable, weighed with regime affinity,
infrastructure ties and standard lock-in; autocracies in unrest years lean to the surveillance
state's offer. Export promotion builds infrastructure ties, which decay. Now and then a region's
government changes (an election, a coup, a succession) and the new one picks its patron afresh:
the dice choose, weighted by how each camp looks to the region that year."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine import kernels
from game.engine.turn import Turn, mechanic
from game.engine.world import CH, RX, N

F = NDArray[np.floating[Any]]

# causes that are one year's events, not standing parts of the indicator they move (the report's
# year-on-year breakdown counts them in their own year only: game/explain.py)
NEW_GOVERNMENTS = "new governments in the swing regions"
NEW_NETWORKS = "new governments' network choices"
YEARLY_EVENT_CAUSES = (NEW_GOVERNMENTS, NEW_NETWORKS)


@mechanic("model diffusion",
          reads=("chan", "reported_growth", "growth", "growth_memory", "stability", "alignment", "adoption",
                 "ties", "autocracy", "unrest", "region_gdp"),
          writes=("alignment", "ties", "model_adoption", "turnover", "adoption", "standards_share"))
def diffusion(tn: Turn) -> None:
    df = tn.coef.diffusion
    w, nat = tn.world, tn.nat
    # growth is judged against what such an economy could be expected to do (its par growth);
    # abroad, a power's own figures are believed only as far as `credulity` says (observers can
    # check them against night lights and trade data): the rest of this year's overstatement is
    # taken off what it appears to have grown
    overstated = nat[N.REPORTED_GROWTH] - nat[N.GROWTH]
    seen = tn.growth_memory - (1 - df.credulity) * overstated
    perf = 100 * (seen - tn.const.par_growth) + nat[N.STABILITY] / df.stability_per_growth_point
    perf = perf - kernels.each_power(kernels.power_mean(perf), perf.shape[1])  # (B, P)
    autoc = tn.reg[RX.AUTOCRACY]  # (R, B)
    autocratic = w.autocratic[:, None, None]
    affinity = np.where(autocratic, autoc[None], 1 - autoc[None])
    unrest_pull = df.unrest_autocracy * tn.reg[RX.UNREST] * autoc
    utility = df.ties_weight * tn.ties + df.lockin_weight * tn.adoption
    utility += df.affinity_weight * affinity
    utility += df.performance_weight * kernels.rows(perf)
    utility += autocratic * unrest_pull[None]
    # hedging: the more a region already leans to a camp (the powers of one doctrine), the less
    # it wants to depend on it further
    if df.hedging:
        camp = tn.alignment
        if w.has_allies:  # a camp of several powers leans as they do together
            P = camp.shape[0]
            camp = (w.same_doctrine @ camp.reshape(P, -1)).reshape(camp.shape)
        utility -= df.hedging * camp
    speed = df.speed * tn.live_game
    wanted = kernels.softmax0(utility)  # (P, R, B) where each region's politics pull it
    # a new government picks its patron with the chances the region's politics give each camp,
    # hedging included: a region deep in one camp's orbit elects leaders who look to the other
    # (the Philippines in 2016, Malaysia reviewing Chinese projects in 2018)
    turnover = _new_governments(tn, wanted) if df.turnover else None
    tn.alignment = kernels.blend(1 - speed, tn.alignment, speed, wanted)
    build = 1 - tn.ties
    build *= df.ties_build * kernels.rows(tn.chan[CH["export"]])
    ties = tn.ties * (1 - df.ties_decay)
    ties += build
    tn.ties = np.clip(ties, 0, 1, out=ties)
    if turnover is None or not (turnover >= 0).any():
        tn.set(N.MODEL_ADOPTION, "regions leaning to this model", kernels.region_share(tn.reg[RX.GDP], tn.alignment))
        return
    # a new government moves its region part of the way to the patron it picked (whole-table
    # arithmetic with a zero swing elsewhere: about five times faster than gathering the cells)
    patron = np.arange(tn.alignment.shape[0])[:, None, None] == turnover[None]  # (P, R, B)
    fell = turnover >= 0
    if tn.explain:
        steady = kernels.region_share(tn.reg[RX.GDP], tn.alignment)
    swing = np.where(fell, np.float32(df.turnover_swing), np.float32(0)).astype(tn.alignment.dtype)
    tn.alignment = tn.alignment * (1 - swing) + patron * swing
    share = kernels.region_share(tn.reg[RX.GDP], tn.alignment)
    if tn.explain:
        tn.cause(N.MODEL_ADOPTION, "regions leaning to this model", steady)
        tn.cause(N.MODEL_ADOPTION, NEW_GOVERNMENTS, share - steady)
    tn.nat[N.MODEL_ADOPTION] = share
    if df.turnover_network:
        # ... and moves part of its networks to the patron's standard (the 5G vendor decisions
        # of 2019-20 were governments' choices: the UK's Huawei ban, Hungary's and Serbia's deals)
        moved = np.where(fell, np.float32(df.turnover_network), np.float32(0)).astype(tn.adoption.dtype)
        on_a_standard = tn.adoption.sum(axis=0)  # (R, B): what is not on any power's standard stays off
        tn.adoption = tn.adoption * (1 - moved) + patron * (moved * on_a_standard)
        after = kernels.region_share(tn.reg[RX.GDP], tn.adoption)
        tn.cause(N.STANDARDS_SHARE, NEW_NETWORKS, after - tn.nat[N.STANDARDS_SHARE])
        tn.nat[N.STANDARDS_SHARE] = after


def _new_governments(tn: Turn, chances: F) -> NDArray[np.int8]:
    """(R, B) the patron each region's new government picks this year, -1 where none takes
    office: a government falls where the year's first die is under `turnover`, and its successor
    picks a power with the (P, R, B) `chances` (the second die walks their cumulative sum)."""
    dice = tn.luck.turnover  # (B, 2, R)
    falls = (tn.coef.diffusion.turnover > dice[:, 0, :].T) & (tn.live_game > 0)
    P = chances.shape[0]
    if P == 2:  # two powers: the first is picked where the die falls under its chance
        pick = (chances[0] < dice[:, 1, :].T).astype(np.int8)
    else:
        pick = np.minimum((np.cumsum(chances, axis=0) < dice[:, 1, :].T[None]).sum(axis=0), P - 1).astype(np.int8)
    tn.turnover = np.where(falls, pick, np.int8(-1))
    return tn.turnover
