"""The contest for the swing regions: standards wars with increasing returns and lock-in
(Arthur; Katz & Shapiro), infrastructure ties, and model diffusion (Beraja et al.)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine.turn import Turn
from game.engine.world import CH, RX, N

F = NDArray[np.float64]


def softmax(u: F) -> F:
    z = np.exp(u - u.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def standards(tn: Turn) -> None:
    """Each region drifts toward the standard with the best mix of quality and installed base;
    past the lock-in share it barely moves. A common transatlantic standard pools networks."""
    st = tn.coef["standards"]
    w, nat = tn.world, tn.nat
    network = tn.network
    assert network is not None
    quality = (w.standard_quality[None, :]
               + st["champion_quality"] * tn.flags["competitiveness"]
               + st["promotion"] * tn.chan[:, :, CH["standards"]])
    merged = network.sum(axis=2) > 1
    pooled = np.where(network > 0, quality[:, None, :], -np.inf).max(axis=2) + st["merge_bonus"] * merged
    installed = np.einsum("bpq,brq->brp", network, tn.adoption)
    utility = (st["quality_weight"] * pooled[:, None, :] + st["increasing_returns"] * 100 * installed
               + st["ties_weight"] * tn.ties)
    other = np.clip(1 - tn.adoption.sum(axis=2, keepdims=True), 0, 1)
    locked = tn.adoption.max(axis=2, keepdims=True) >= st["lock_in"]
    speed = np.where(locked, 0.1 * st["speed"], st["speed"]) * tn.alive[:, :, None]
    tn.adoption = (1 - speed) * tn.adoption + speed * (1 - other) * softmax(utility)
    weights = tn.reg[:, :, RX.GDP] / tn.reg[:, :, RX.GDP].sum(axis=1, keepdims=True)
    share = np.einsum("br,brp->bp", weights, tn.adoption)
    tn.set(N.STANDARDS_SHARE, "regional adoption of the standard", share)
    tn.flags["locked"] = locked[:, :, 0]


def diffusion(tn: Turn) -> None:
    """Regions lean toward the model that looks politically effective, economically productive
    and socially stable, weighed with regime affinity, infrastructure ties and standard lock-in;
    autocracies in unrest years lean to the surveillance state's offer."""
    df = tn.coef["diffusion"]
    w, nat = tn.world, tn.nat
    # growth is judged against what such an economy could be expected to do (its par growth)
    perf = 100 * (tn.flags["growth_memory"] - w.par_growth[None, :]) + nat[:, :, N.STABILITY] / 25
    perf = perf - perf.mean(axis=1, keepdims=True)
    autoc = tn.reg[:, :, RX.AUTOCRACY][:, :, None]
    affinity = np.where(w.autocratic[None, None, :], autoc, 1 - autoc)
    unrest = tn.reg[:, :, RX.UNREST][:, :, None]
    utility = (df["performance_weight"] * perf[:, None, :] + df["affinity_weight"] * affinity
               + df["ties_weight"] * tn.ties + df["lockin_weight"] * tn.adoption
               + df["unrest_autocracy"] * unrest * autoc * w.autocratic[None, None, :])
    speed = df["speed"] * tn.alive[:, :, None]
    tn.alignment = (1 - speed) * tn.alignment + speed * softmax(utility)
    build = df["ties_build"] * tn.chan[:, :, CH["export"]][:, None, :] * (1 - tn.ties)
    tn.ties = np.clip(tn.ties * (1 - df["ties_decay"]) + build, 0, 1)
    weights = tn.reg[:, :, RX.GDP] / tn.reg[:, :, RX.GDP].sum(axis=1, keepdims=True)
    tn.set(N.MODEL_ADOPTION, "regions leaning to this model",
           np.einsum("br,brp->bp", weights, tn.alignment))


def regions(tn: Turn) -> None:
    """Swing regions grow with the powers they lean to; unrest drifts and flares at random."""
    df = tn.coef["diffusion"]
    reg = tn.reg
    growth = tn.nat[:, :, N.GROWTH]
    pull = np.einsum("brp,bp->br", tn.alignment, growth - growth.mean(axis=1, keepdims=True))
    reg[:, :, RX.GROWTH] = tn.world.region_growth[None, :] + 0.2 * pull
    reg[:, :, RX.GDP] *= 1 + reg[:, :, RX.GROWTH] * tn.alive
    shock = tn.rng.normal(0.0, 0.02, reg[:, :, RX.UNREST].shape)
    reg[:, :, RX.UNREST] += (df["region_unrest_drift"] * (tn.world.region_unrest[None, :] - reg[:, :, RX.UNREST])
                             + shock) * tn.alive
