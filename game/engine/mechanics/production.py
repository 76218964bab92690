"""Production: Y = A·E·D·K^α·(hL)^(1−α) with capital accumulation K' = (1−δ)K + sY, TFP growth
from its sources, the output multipliers of the other mechanics, and growth as the statistics
report it."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.kernels import each_power, power_max
from game.engine.turn import Turn, mechanic
from game.engine.world import CH, MOD, N

F = NDArray[np.floating[Any]]

LEVELS = ("allocative efficiency", "data", "champions", "credit", "propaganda cost", "events")


def tfp_terms(tn: Turn, tfp_trend: F) -> dict[str, F]:
    """Sources of TFP growth this year (as growth rates)."""
    pr = tn.coef.production
    tfp = tn.nat[N.TFP]
    return {
        "trend": tfp_trend,
        "AI and R&D": pr.rd_tfp * tn.nat[N.AI] / 100,
        "foreign technology": (pr.tech_access_tfp * tn.mods[MOD["tech_access"]]
                               * (1 - pr.controls_access_hit * tn.controls_on)),
        "catch-up": pr.catch_up * (1 - tfp / each_power(power_max(tfp), tfp.shape[1])),
    }


def output_levels(tn: Turn) -> F:
    """(6, B, P) multipliers of output besides A, K and L, in the order of LEVELS."""
    nat = tn.nat
    shock = tn.gdp_shock if tn.gdp_shock is not None else np.ones_like(nat[N.GDP])
    return np.stack([
        nat[N.EFFICIENCY],
        1 + tn.data_tfp,
        1 + tn.coef.industry.champion_tfp * tn.competitiveness,
        tn.credit_level,
        1 - tn.coef.legitimacy.propaganda_cost * tn.chan[CH["censorship"]],
        shock,
    ])


def core_output(tn: Turn, labour: F) -> F:
    """A·K^α·(hL)^(1−α) from the current indicators."""
    nat, k = tn.nat, tn.const
    return nat[N.TFP] * nat[N.CAPITAL] ** k.alpha * (k.human_capital * labour) ** (1 - k.alpha)


@mechanic("production",
          reads=("mods", "chan", "gdp", "capital", "tfp", "ai_capability", "efficiency", "data_quality",
                 "crash", "controls_on", "gdp_shock", "data_tfp", "competitiveness", "credit_level",
                 "labour", "levels"),
          writes=("capital", "tfp", "gdp", "growth", "reported_growth", "gdp_per_capita", "labour", "levels"))
def production(tn: Turn) -> None:
    pr = tn.coef.production
    fi = tn.coef.finance
    nat = tn.nat
    gdp = nat[N.GDP].copy()  # copies: the rows change in place below
    crash = tn.crash
    capital = nat[N.CAPITAL].copy()
    investment = (tn.const.saving + pr.foreign_capital_share * tn.mods[MOD["foreign_capital"]]) * gdp
    tn.add(N.CAPITAL, "investment", investment)
    tn.add(N.CAPITAL, "depreciation", -tn.const.depreciation * capital)
    tn.add(N.CAPITAL, "financial crash", np.where(crash, -fi.crash_loss_split * fi.crash_loss * nat[N.CAPITAL], 0.0))
    np.maximum(nat[N.CAPITAL], 1e-3, out=nat[N.CAPITAL])
    tfp = nat[N.TFP].copy()
    for name, g in tfp_terms(tn, tn.state.tfp_trend).items():
        tn.add(N.TFP, name, tfp * g)
    # technology luck: the year-to-year scatter of TFP growth that no policy explains; without it
    # equally matched strategies would always end the same way
    luck = pr.tfp_shock * tn.rng.standard_normal(tfp.shape, dtype=np.float32)
    tn.add(N.TFP, "technology luck", tfp * luck * tn.live)
    tn.add(N.TFP, "financial crash", np.where(crash, -fi.crash_loss_split * fi.crash_loss * nat[N.TFP], 0.0))
    labour = tn.labour * (1 + tn.const.labour_growth)
    levels = output_levels(tn)
    new_gdp = tn.state.tfp_scale * core_output(tn, labour) * levels.prod(axis=0)
    new_gdp = np.where(tn.alive, new_gdp, gdp)
    growth = new_gdp / gdp - 1
    nat[N.GDP] = new_gdp
    nat[N.GROWTH] = growth
    if tn.explain:
        _explain_growth(tn, gdp, new_gdp, growth, levels, tn.levels)
    q = tn.coef.data_quality
    distortion = q.overstatement * np.maximum(0.0, q.honest_level - nat[N.DATA_QUALITY])
    tn.cause(N.REPORTED_GROWTH, "true growth", growth)
    tn.cause(N.REPORTED_GROWTH, "statistical overstatement", distortion)
    nat[N.REPORTED_GROWTH] = growth + distortion
    pc = new_gdp / (tn.const.population * labour) * 1e3
    tn.cause(N.GDP_PER_CAPITA, "output per person", pc)
    nat[N.GDP_PER_CAPITA] = pc
    tn.labour, tn.levels = labour, levels


def _explain_growth(tn: Turn, gdp: F, new_gdp: F, growth: F, levels: F, prev_levels: F) -> None:
    """Attribute growth to its sources in log terms, so the parts add up to the whole."""
    w, nat = tn.world, tn.nat
    logs = {
        "capital deepening": w.alpha * np.log(nat[N.CAPITAL] / tn.prev[N.CAPITAL]),
        "labour": (1 - w.alpha) * np.log1p(w.labour_growth) * np.ones_like(gdp),
        "productivity (TFP)": np.log(nat[N.TFP] / tn.prev[N.TFP]),
    }
    ratio = np.log(levels / prev_levels)
    for k, name in enumerate(LEVELS):
        logs[name] = ratio[k]
    total_log = np.log(new_gdp / gdp)
    moved = np.abs(total_log) > 1e-12
    safe = np.where(moved, total_log, 1.0)
    for name, value in logs.items():
        part = np.where(moved, value / safe, 0.0)
        tn.cause(N.GDP, name, part * (new_gdp - gdp))
        tn.cause(N.GROWTH, name, part * growth)
