"""Model diffusion (Beraja et al.): swing regions lean toward the model that looks politically
effective, economically productive and socially stable, weighed with regime affinity,
infrastructure ties and standard lock-in; autocracies in unrest years lean to the surveillance
state's offer. Export promotion builds infrastructure ties, which decay."""

from __future__ import annotations

import numpy as np

from game.engine import kernels
from game.engine.turn import Turn, mechanic
from game.engine.world import CH, RX, N


@mechanic("model diffusion",
          reads=("chan", "reported_growth", "growth", "growth_memory", "stability", "alignment", "adoption",
                 "ties", "autocracy", "unrest", "region_gdp"),
          writes=("alignment", "ties", "model_adoption"))
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
    tn.alignment = kernels.blend(1 - speed, tn.alignment, speed, kernels.softmax0(utility))
    build = 1 - tn.ties
    build *= df.ties_build * kernels.rows(tn.chan[CH["export"]])
    ties = tn.ties * (1 - df.ties_decay)
    ties += build
    tn.ties = np.clip(ties, 0, 1, out=ties)
    tn.set(N.MODEL_ADOPTION, "regions leaning to this model", kernels.region_share(tn.reg[RX.GDP], tn.alignment))
