"""Agreements between powers: signed when offered last turn and accepted now, or offered by both
sides at once; withdrawal by either side ends one; offers not taken up expire after a turn.
What the agreements in force do: merge standards networks, lift export controls, share data and
(when first signed) build privacy trust."""

from __future__ import annotations

import numpy as np

from game.engine import kernels
from game.engine.turn import Turn, mechanic
from game.engine.world import N


@mechanic("agreements",
          reads=("orders", "agreement", "proposal"),
          writes=("agreement", "proposal", "signed", "network", "controls_lifted", "agreement_sharing",
                  "privacy_trust"))
def agreements(tn: Turn) -> None:
    w, orders = tn.world, tn.orders
    agreement, proposal = tn.agreement, tn.proposal
    propose, accept, withdraw = orders.propose, orders.accept, orders.withdraw
    P = agreement.shape[2]
    if not (agreement.any() or proposal.any() or propose.any() or accept.any()):
        tn.proposal, tn.signed = np.zeros_like(proposal), np.zeros_like(agreement)
        return
    cell, mirror = w.agreement_cell, w.agreement_cell_mirror
    offer_pq, offer_qp = kernels.pair_sides(propose, cell, mirror)  # (B, pairs, A) each
    standing_pq, standing_qp = kernels.pair_sides(proposal, cell, mirror)
    took_pq, took_qp = kernels.pair_sides(accept, cell, mirror)
    quit_pq, quit_qp = kernels.pair_sides(withdraw, cell, mirror)
    held = agreement.reshape(agreement.shape[0], -1)[:, cell]  # the table is symmetric: one side suffices
    signed = (offer_pq & offer_qp) | (took_pq & standing_qp) | (took_qp & standing_pq)
    now = (held | signed) & ~(quit_pq | quit_qp)  # (B, pairs, A)
    new = kernels.from_pairs(now, cell, mirror, agreement)
    offers = np.zeros_like(proposal)
    flat_offers = offers.reshape(offers.shape[0], -1)
    flat_offers[:, cell] = offer_pq & ~now
    flat_offers[:, mirror] = offer_qp & ~now
    fresh = new & ~agreement
    if now.any():
        merged = kernels.by_pair(np.any(now[:, :, w.agreement_merges], axis=2), w.pair_p, w.pair_q, P)
        if merged.any():
            # in the engine's float type: a float64 network would silently promote every region
            # table after it (and leave rounding residue in the model-adoption explanation)
            tn.network = np.minimum(np.eye(P, dtype=tn.nat.dtype)[None] + merged, 1.0)
        lifted = kernels.by_pair(np.any(now[:, :, w.agreement_lifts_controls], axis=2), w.pair_p, w.pair_q, P)
        if lifted.any():
            tn.controls_lifted = lifted.astype(tn.nat.dtype)
        tn.agreement_sharing = np.minimum(kernels.per_power(
            new, now, w.agreement_data_sharing, w.agreement_sharing_by_set, w.pair_p, w.pair_q, tn.nat.dtype), 1.0)
        if fresh.any():
            trust = kernels.per_power(fresh, now & ~held, w.agreement_trust, w.agreement_trust_by_set,
                                      w.pair_p, w.pair_q, tn.nat.dtype)
            tn.add(N.PRIVACY_TRUST, "agreements signed", trust)
    tn.agreement, tn.proposal, tn.signed = new, offers, fresh
