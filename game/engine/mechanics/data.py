"""The data economy: coverage build-out, data as a by-product with bounded returns (Farboodi &
Veldkamp), nonrival sharing that raises output but costs privacy trust (Jones & Tonetti), and
the market concentration network effects bring."""

from __future__ import annotations

import numpy as np

from game.engine.turn import Turn, mechanic
from game.engine.world import CH, MOD, N


@mechanic("data economy",
          reads=("chan", "mods", "agreement_sharing", "coverage", "gdp", "surveillance", "data_stock",
                 "privacy_trust", "concentration"),
          writes=("coverage", "data_stock", "privacy_trust", "concentration", "data_sharing",
                  "data_intensity", "data_tfp"))
def data_economy(tn: Turn) -> None:
    c = tn.coef.data
    nat, chan = tn.nat, tn.chan
    cov = nat[N.COVERAGE]
    tn.add(N.COVERAGE, "data_infrastructure", c.coverage_build * chan[CH["coverage"]] * (1 - cov))
    tn.add(N.COVERAGE, "technology diffusion", c.coverage_drift * (1 - nat[N.COVERAGE]))
    sharing = np.clip(tn.mods[MOD["data_sharing"]] + c.hub_sharing * chan[CH["data_hub"]]
                      + tn.agreement_sharing, 0.0, 1.0)
    gdp = nat[N.GDP]
    boost = (1 + c.surveillance_inflow * nat[N.SURVEILLANCE]
             + c.services_inflow * chan[CH["services"]])
    omega = nat[N.DATA_STOCK].copy()
    tn.add(N.DATA_STOCK, "data from activity", c.inflow * gdp * nat[N.COVERAGE] * boost)
    tn.add(N.DATA_STOCK, "data obsolescence", -c.decay * omega)
    effective = nat[N.DATA_STOCK] * (1 + c.share_x * sharing)
    intensity = effective / np.maximum(gdp, 1e-6)
    tn.data_sharing = sharing
    tn.data_intensity = intensity
    tn.data_tfp = c.tfp_max - c.tfp_c / (intensity + c.omega0)
    trust = nat[N.PRIVACY_TRUST]
    target = (tn.const.base_trust + c.trust_protection * chan[CH["privacy"]]
              - c.privacy_cost_of_sharing * 100 * sharing
              - c.trust_surveillance * nat[N.SURVEILLANCE] + c.trust_drift * tn.mods[MOD["privacy_drift"]])
    tn.add(N.PRIVACY_TRUST, "privacy and data sharing", c.trust_adjust * (np.clip(target, 0, 100) - trust))
    pl = tn.coef.planning
    conc = nat[N.CONCENTRATION].copy()
    tn.add(N.CONCENTRATION, "network effects", pl.concentration_growth * nat[N.COVERAGE] * (1 - conc))
    tn.add(N.CONCENTRATION, "antitrust", -pl.antitrust_effect * chan[CH["antitrust"]] * conc)
    tn.add(N.CONCENTRATION, "market entry", -pl.market_entry * conc)
