"""Swing regions grow with the powers they lean to; unrest drifts back to its usual level and
flares at random."""

from __future__ import annotations

import numpy as np

from game.engine import kernels
from game.engine.turn import Turn, mechanic
from game.engine.world import RX, N


@mechanic("swing regions", reads=("growth", "alignment", "region_growth", "region_gdp", "unrest"),
          writes=("region_growth", "region_gdp", "unrest"))
def regions(tn: Turn) -> None:
    df = tn.coef.diffusion
    reg = tn.reg
    growth = tn.nat[N.GROWTH]
    rel = np.ascontiguousarray((growth - kernels.each_power(kernels.power_mean(growth), growth.shape[1])).T)  # (P, B)
    pull = kernels.region_pull(tn.alignment, rel)
    live = tn.live_game
    reg[RX.GROWTH] = tn.world.region_growth[:, None] + df.growth_pull * pull
    reg[RX.GDP] *= 1 + reg[RX.GROWTH] * live
    shock = df.region_unrest_noise * tn.rng.standard_normal(reg[RX.UNREST].shape, dtype=np.float32)
    reg[RX.UNREST] += (df.region_unrest_drift * (tn.world.region_unrest[:, None] - reg[RX.UNREST])
                       + shock) * live
