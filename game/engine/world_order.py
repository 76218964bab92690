"""The contest for the swing regions: standards wars with increasing returns and lock-in
(Arthur; Katz & Shapiro), infrastructure ties, and model diffusion (Beraja et al.).

Region tables are worked on as (P, R, B) and region indicators as (R, B): the choice among
powers is arithmetic on whole contiguous arrays, and sums over regions add a few long rows.
Per-power quantities arrive as (B, P) and are turned once into contiguous (P, B) rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.turn import Turn, each_power, power_mean
from game.engine.world import CH, RX, N

F = NDArray[np.floating[Any]]


def softmax0(u: F) -> F:
    """Softmax over the first (power) axis."""
    z = u - u.max(axis=0)
    np.exp(z, out=z)
    z /= z.sum(axis=0)
    return z


def blend(keep: F, old: F, weight: F, new: F) -> F:
    """keep·old + weight·new, reusing `new` (a fresh array) and the first product in place; the
    numbers and type are those of the plain expression."""
    if new.dtype == np.result_type(new, weight):
        new *= weight
    else:
        new = new * weight
    out = keep * old
    if out.dtype == np.result_type(out, new):
        out += new
        return out
    return out + new


def rows(x: F) -> F:
    """(B, P) -> contiguous (P, 1, B), ready to broadcast over regions."""
    return np.ascontiguousarray(x.T)[:, None, :]


def _share(tn: Turn, table: F) -> F:
    """(B, P) GDP-weighted share of the regions, from a (P, R, B) table."""
    gdp = tn.reg[RX.GDP]  # (R, B)
    weights = gdp / gdp.sum(axis=0)
    # region by region, in order: einsum sums a single game's regions in another order than a
    # batch's, and a game must come out the same alone and copied K times (the search's copies)
    total = table[:, 0] * weights[0]
    for r in range(1, weights.shape[0]):
        total += table[:, r] * weights[r]
    return np.ascontiguousarray(total.T)


def standards(tn: Turn) -> None:
    """Each region drifts toward the standard with the best mix of quality and installed base;
    past the lock-in share it barely moves. A common transatlantic standard pools networks."""
    st = tn.coef["standards"]
    quality = (tn.const.standard_quality
               + st["champion_quality"] * tn.flags["competitiveness"]
               + st["promotion"] * tn.chan[CH["standards"]])  # (B, P)
    adoption = tn.adoption  # (P, R, B)
    network = tn.network
    if network is None:  # no common standard signed in any game: every network stands alone
        pooled, installed = quality, adoption
    else:
        # partner by partner (numpy runs reductions over the short partner axis element by
        # element); the sums add partners in order, as the einsum this replaces did
        P = network.shape[1]
        partners = network[:, :, 0].copy()
        best = np.where(network[:, :, 0] > 0, each_power(quality[:, 0], P), -np.inf)
        installed = np.zeros(adoption.shape, dtype=np.result_type(network, adoption))  # (P, R, B)
        for p in range(P):
            installed[p] += network[:, p, 0] * adoption[0]
        for q in range(1, P):
            partners += network[:, :, q]
            np.maximum(best, np.where(network[:, :, q] > 0, each_power(quality[:, q], P), -np.inf), out=best)
            for p in range(P):
                installed[p] += network[:, p, q] * adoption[q]
        merged = partners > 1
        # in the quality's own type: a float64 bonus table rounded every game's utility
        # differently from a batch without a common standard
        pooled = best + (st["merge_bonus"] * merged).astype(best.dtype)
    utility = st["increasing_returns"] * 100 * installed  # the type of `installed`, as the sum's
    utility += st["ties_weight"] * tn.ties
    utility += st["quality_weight"] * rows(pooled)
    other = np.clip(1 - adoption.sum(axis=0), 0, 1)  # (R, B)
    locked = adoption.max(axis=0) >= st["lock_in"]
    speed = np.where(locked, np.float32(0.1 * st["speed"]), np.float32(st["speed"])) * tn.live_game
    tn.adoption = blend(1 - speed, adoption, speed * (1 - other), softmax0(utility))
    tn.set(N.STANDARDS_SHARE, "regional adoption of the standard", _share(tn, tn.adoption))
    tn.flags["locked"] = locked


def diffusion(tn: Turn) -> None:
    """Regions lean toward the model that looks politically effective, economically productive
    and socially stable, weighed with regime affinity, infrastructure ties and standard lock-in;
    autocracies in unrest years lean to the surveillance state's offer."""
    df = tn.coef["diffusion"]
    w, nat = tn.world, tn.nat
    # growth is judged against what such an economy could be expected to do (its par growth);
    # abroad, a power's own figures are believed only as far as `credulity` says (observers can
    # check them against night lights and trade data): the rest of this year's overstatement is
    # taken off what it appears to have grown
    overstated = nat[N.REPORTED_GROWTH] - nat[N.GROWTH]
    seen = tn.flags["growth_memory"] - (1 - df["credulity"]) * overstated
    perf = 100 * (seen - tn.const.par_growth) + nat[N.STABILITY] / 25
    perf = perf - each_power(power_mean(perf), perf.shape[1])  # (B, P)
    autoc = tn.reg[RX.AUTOCRACY]  # (R, B)
    autocratic = w.autocratic[:, None, None]
    affinity = np.where(autocratic, autoc[None], 1 - autoc[None])
    unrest_pull = df["unrest_autocracy"] * tn.reg[RX.UNREST] * autoc
    utility = df["ties_weight"] * tn.ties + df["lockin_weight"] * tn.adoption
    utility += df["affinity_weight"] * affinity
    utility += df["performance_weight"] * rows(perf)
    utility += autocratic * unrest_pull[None]
    speed = df["speed"] * tn.live_game
    tn.alignment = blend(1 - speed, tn.alignment, speed, softmax0(utility))
    build = 1 - tn.ties
    build *= df["ties_build"] * rows(tn.chan[CH["export"]])
    ties = tn.ties * (1 - df["ties_decay"])
    ties += build
    tn.ties = np.clip(ties, 0, 1, out=ties)
    tn.set(N.MODEL_ADOPTION, "regions leaning to this model", _share(tn, tn.alignment))


def regions(tn: Turn) -> None:
    """Swing regions grow with the powers they lean to; unrest drifts and flares at random."""
    df = tn.coef["diffusion"]
    reg = tn.reg
    growth = tn.nat[N.GROWTH]
    rel = np.ascontiguousarray((growth - each_power(power_mean(growth), growth.shape[1])).T)  # (P, B)
    pull = np.einsum("prb,pb->rb", tn.alignment, rel)
    live = tn.live_game
    reg[RX.GROWTH] = tn.world.region_growth[:, None] + 0.2 * pull
    reg[RX.GDP] *= 1 + reg[RX.GROWTH] * live
    shock = df["region_unrest_noise"] * tn.luck.unrest.T
    reg[RX.UNREST] += (df["region_unrest_drift"] * (tn.world.region_unrest[:, None] - reg[RX.UNREST])
                       + shock) * live
