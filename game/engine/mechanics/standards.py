"""Standards wars with increasing returns and lock-in (Arthur; Katz & Shapiro): each swing region
drifts toward the standard with the best mix of quality, installed base and infrastructure ties;
past the lock-in share it barely moves. A common transatlantic standard pools networks.

Region tables are (P, R, B) and per-power values arrive as (B, P) (see `kernels.rows`)."""

from __future__ import annotations

import numpy as np

from game.engine import kernels
from game.engine.turn import Turn, mechanic
from game.engine.world import CH, RX, N


@mechanic("standards", reads=("chan", "competitiveness", "adoption", "ties", "network", "region_gdp"),
          writes=("adoption", "standards_share"))
def standards(tn: Turn) -> None:
    st = tn.coef.standards
    quality = (tn.const.standard_quality
               + st.champion_quality * tn.competitiveness
               + st.promotion * tn.chan[CH["standards"]])  # (B, P)
    adoption = tn.adoption  # (P, R, B)
    network = tn.network
    if st.allied_interop and tn.world.has_allies:
        # allies' networks interoperate in part without any agreement (they build to the same
        # standards bodies' specifications); a common standard merges them whole
        allied = tn.world.allied_networks(st.allied_interop)  # (1, P, P)
        network = allied if network is None else np.maximum(network, allied)
    if network is None:  # no common standard signed in any game: every network stands alone
        pooled, installed = quality, adoption
    else:
        pooled, installed = kernels.pooled_networks(network, quality, adoption, st.merge_bonus)
    utility = st.increasing_returns * 100 * installed  # the type of `installed`, as the sum's
    utility += st.ties_weight * tn.ties
    utility += st.quality_weight * kernels.rows(pooled)
    other = np.clip(1 - adoption.sum(axis=0), 0, 1)  # (R, B) share on no power's standard
    locked = adoption.max(axis=0) >= st.lock_in
    speed = np.where(locked, np.float32(st.locked_speed * st.speed), np.float32(st.speed)) * tn.live_game
    tn.adoption = kernels.blend(1 - speed, adoption, speed * (1 - other), kernels.softmax0(utility))
    tn.set(N.STANDARDS_SHARE, "regional adoption of the standard", kernels.region_share(tn.reg[RX.GDP], tn.adoption))
