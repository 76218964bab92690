"""Economic mechanics: the data economy, information and planning, AI, champions, finance and
production. Each function is one mechanic of DESIGN.md section 3, vectorised over (game, power).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.turn import Turn, each_power, power_max, power_sum
from game.engine.world import CH, MOD, N

F = NDArray[np.floating[Any]]


def data_economy(tn: Turn) -> None:
    """Coverage build-out, data as a by-product with bounded returns (Farboodi & Veldkamp), and
    nonrival sharing that raises output but costs privacy trust (Jones & Tonetti)."""
    c = tn.coef["data"]
    nat, chan = tn.nat, tn.chan
    cov = nat[N.COVERAGE]
    tn.add(N.COVERAGE, "data_infrastructure", c["coverage_build"] * chan[CH["coverage"]] * (1 - cov))
    tn.add(N.COVERAGE, "technology diffusion", c["coverage_drift"] * (1 - nat[N.COVERAGE]))
    sharing = np.clip(tn.mods[MOD["data_sharing"]] + 0.5 * chan[CH["data_hub"]]
                      + tn.flags["agreement_sharing"], 0.0, 1.0)
    gdp = nat[N.GDP]
    boost = (1 + c["surveillance_inflow"] * nat[N.SURVEILLANCE]
             + c["services_inflow"] * chan[CH["services"]])
    omega = nat[N.DATA_STOCK].copy()
    tn.add(N.DATA_STOCK, "data from activity", c["inflow"] * gdp * nat[N.COVERAGE] * boost)
    tn.add(N.DATA_STOCK, "data obsolescence", -c["decay"] * omega)
    effective = nat[N.DATA_STOCK] * (1 + c["share_x"] * sharing)
    intensity = effective / np.maximum(gdp, 1e-6)
    tn.flags["data_sharing"] = sharing
    tn.flags["data_intensity"] = intensity
    tn.flags["data_tfp"] = c["tfp_max"] - c["tfp_c"] / (intensity + c["omega0"])
    trust = nat[N.PRIVACY_TRUST]
    target = (tn.const.base_trust + 25 * chan[CH["privacy"]]
              - c["privacy_cost_of_sharing"] * 100 * sharing
              - 20 * nat[N.SURVEILLANCE] + 10 * tn.mods[MOD["privacy_drift"]])
    tn.add(N.PRIVACY_TRUST, "privacy and data sharing", 0.3 * (np.clip(target, 0, 100) - trust))
    pl = tn.coef["planning"]
    conc = nat[N.CONCENTRATION].copy()
    tn.add(N.CONCENTRATION, "network effects", pl["concentration_growth"] * nat[N.COVERAGE] * (1 - conc))
    tn.add(N.CONCENTRATION, "antitrust", -pl["antitrust_effect"] * chan[CH["antitrust"]] * conc)
    tn.add(N.CONCENTRATION, "market entry", -0.02 * conc)


def surveillance(tn: Turn) -> None:
    """Surveillance capacity follows social-credit and surveillance spending with inertia."""
    surv = tn.nat[N.SURVEILLANCE]
    tn.add(N.SURVEILLANCE, "social credit and surveillance", 0.35 * (tn.chan[CH["surveillance"]] - surv))


def information(tn: Turn) -> None:
    """The dictator's dilemma (Wintrobe; Dragu & Lupu), Goodhart's data-quality distortion, and
    allocative efficiency of planning versus markets (Hayek; Heilmann; Morozov)."""
    nat, chan, w = tn.nat, tn.chan, tn.world
    d = tn.coef["dictators_dilemma"]
    ai = nat[N.AI]
    ai_ctrl = ai / (ai + d["ai_half"])
    censorship = chan[CH["censorship"]]
    repression = 0.5 * nat[N.SURVEILLANCE] + 0.5 * censorship
    gap = np.clip(d["blur"] * repression * (1 - 0.6 * ai_ctrl), 0, 1)
    tn.set(N.INFORMATION_GAP, "repression blurs the regime's view", gap)
    # technology first weakens control (citizens coordinate online), then strengthens it
    tn.flags["control"] = d["control"] * nat[N.SURVEILLANCE] * ai_ctrl + 0.5 * d["control"] * censorship
    tn.flags["coordination"] = d["coordination"] * nat[N.COVERAGE] * (1 - ai_ctrl) * (1 - censorship)
    tn.flags["ai_control"] = ai_ctrl
    tn.flags["repression"] = repression

    q = tn.coef["data_quality"]
    share = np.clip(tn.mods[MOD["planning_share"]], 0.0, 0.9)
    tn.set(N.PLANNING_SHARE, "planning policy", share)
    congress = tn.const.congress_year[min(tn.t + 1, len(w.congress_year) - 1)]
    pressure = share + tn.coef["politics"]["congress_pressure"] * congress.astype(share.dtype)
    target = (0.92 - q["target_pressure"] * pressure - q["repression_distortion"] * repression
              + q["ai_correction"] * ai_ctrl * (1 - repression))
    quality = nat[N.DATA_QUALITY]
    tn.add(N.DATA_QUALITY, "targets, repression and AI checks", q["adjust"] * (np.clip(target, 0, 1) - quality))

    pl = tn.coef["planning"]
    responsive = np.where(tn.const.elections, 1 - 0.5 * nat[N.POLARISATION], 1 - gap)
    error = pl["base_error"] * np.exp(-(pl["w_coverage"] * nat[N.COVERAGE]
                                        + pl["w_quality"] * nat[N.DATA_QUALITY]
                                        + pl["w_ai"] * ai_ctrl + pl["w_responsiveness"] * responsive))
    e_plan = 1 - pl["lambda"] * error
    e_market = 1 - pl["oligopoly_drag"] * np.maximum(0.0, nat[N.CONCENTRATION] - 0.4)
    floor = tn.coef["production"]["min_efficiency"]
    market_part = (1 - share) * e_market
    plan_part = share * e_plan
    new = np.clip(market_part + plan_part, floor, 1.0)
    # efficiency is derived: the report shows what its value is made of
    tn.cause(N.EFFICIENCY, "markets (less oligopoly drag)", market_part)
    tn.cause(N.EFFICIENCY, "planning (less information error)", plan_part)
    tn.cause(N.EFFICIENCY, "efficiency floor", new - market_part - plan_part)
    nat[N.EFFICIENCY] = new


def export_controls(tn: Turn) -> None:
    """Export-control pressure each power suffers from its rivals, unless a truce lifts it."""
    ctrl = np.maximum(tn.mods[MOD["export_controls"]], 0.0)  # (B, P) imposed by each
    P = ctrl.shape[1]
    lifted = tn.flags["controls_lifted"]  # (B, P, P) or None when no truce is signed anywhere
    if lifted is None:
        tn.controls_on = each_power(power_sum(ctrl), P) - ctrl
    else:
        # in double precision, as an earlier form of this sum (an einsum with a float64 table)
        # computed it; power by power, rivals in order, which gives the same numbers
        biting = 1 - lifted  # (B, P, P) 1 where the controls of the column power still bite
        on = np.zeros(ctrl.shape, dtype=np.float64)
        for p in range(P):
            for q in range(P):
                if q != p:
                    on[:, p] += biting[:, p, q] * ctrl[:, q]
        tn.controls_on = on
    tn.set(N.DECOUPLING, "rivals' export controls", np.clip(tn.controls_on / max(P - 1, 1), 0, 1))
    _retaliation(tn, ctrl, lifted)


def _retaliation(tn: Turn, ctrl: F, lifted: F | None) -> None:
    """Controls are answered in kind (China's gallium, germanium and graphite controls of 2023
    answered the US chip controls): each rival a power's controls bite hits back with a share of
    them, which the imposer then suffers like any rival's controls (AI, champions, technology)."""
    share = tn.coef["industry"]["retaliation"]
    if share <= 0 or not ctrl.any():
        return
    P = ctrl.shape[1]
    assert tn.controls_on is not None
    if lifted is None:
        tn.controls_on = tn.controls_on + share * (P - 1) * ctrl
        return
    bitten = np.zeros(ctrl.shape, dtype=np.float64)  # rivals each power's controls still bite
    for p in range(P):
        for q in range(P):
            if q != p:
                bitten[:, p] += 1 - lifted[:, q, p]
    tn.controls_on = tn.controls_on + share * bitten * ctrl


def ai_loop(tn: Turn) -> None:
    """AI capability: research, the AI-tocracy loop (Beraja, Kao, Yang & Yuchtman: unrest drives
    surveillance procurement, contracts spill over into commercial software), state data feeding
    innovation, and rivals' export controls."""
    a = tn.coef["ai"]
    nat, chan = tn.nat, tn.chan
    unrest = np.clip(tn.prev[N.PROTEST] / tn.coef["protest"]["chenoweth"], 0, 1)
    ai = nat[N.AI].copy()
    tn.add(N.AI, "AI research", a["research_build"] * chan[CH["ai"]])
    tn.add(N.AI, "surveillance procurement",
           a["software_spillover"] * nat[N.SURVEILLANCE] * (1 + a["procurement_boost"] * unrest))
    tn.add(N.AI, "shared data", a["data_feed"] * tn.flags["data_sharing"] * np.log1p(tn.flags["data_intensity"]))
    assert tn.controls_on is not None
    tn.add(N.AI, "rivals' export controls", -a["export_control_hit"] * tn.controls_on * ai / 10)
    tn.add(N.AI, "obsolescence", -a["decay"] * ai)


def industry(tn: Turn) -> None:
    """Infant industries with learning-by-doing (Melitz; Juhász): unit cost falls with cumulative
    output, so protection pays only where learning is fast."""
    ind = tn.coef["industry"]
    nat, chan = tn.nat, tn.chan
    has = (nat[N.CHAMPIONS] >= 0.5).astype(nat.dtype)
    own_controls = np.maximum(tn.mods[MOD["export_controls"]], 0.0)
    assert tn.controls_on is not None
    # controls spur the champions of the power they hit: cut off from foreign suppliers, its
    # firms buy from its own (import substitution), and learn by doing
    output = has * (ind["subsidy_output"] * chan[CH["champion"]]
                    + ind["market_output"] * (0.5 + nat[N.STANDARDS_SHARE]) * (1 - 0.3 * own_controls)
                    + ind["controls_spur"] * tn.controls_on)
    cum_new = tn.flags["cumulative_output"] + output
    factor = (cum_new / tn.flags["cumulative_output"]) ** (-ind["learning_rate"])
    cost = nat[N.CHAMPION_COST]
    tn.add(N.CHAMPION_COST, "learning by doing", cost * (factor - 1))
    assert tn.controls_on is not None
    tn.add(N.CHAMPION_COST, "rivals' export controls",
           ind["export_control_hit"] * tn.controls_on * nat[N.CHAMPION_COST] * has)
    tn.flags["cumulative_output"] = cum_new
    tn.flags["competitiveness"] = has * np.minimum(nat[N.CHAMPIONS], 3) / 3 / nat[N.CHAMPION_COST]


# Below this bubble no economy crashes, whatever the logistic says: small bubbles deflate.
CRASH_FLOOR = 0.25


def crash_risk(bubble: F, fi: dict[str, float]) -> F:
    """The yearly chance of a crash: logistic in the bubble around `crash_threshold` with
    `crash_slope` (the `finance` coefficients), nil below the floor. The dashboard shows the same."""
    risk = 1 / (1 + np.exp(-(bubble - fi["crash_threshold"]) / fi["crash_slope"]))
    return risk * (bubble > CRASH_FLOOR)


def finance(tn: Turn) -> None:
    """Credit builds a bubble; good real-time data lets a planner deflate it (the seed's "fine-tuned
    and swift" claim); past a threshold it may crash, destroying capital and trust."""
    fi = tn.coef["finance"]
    nat = tn.nat
    credit = tn.mods[MOD["credit_growth"]]
    bubble = nat[N.BUBBLE].copy()
    tn.add(N.BUBBLE, "credit expansion", fi["bubble_build"] * credit)
    deflate = (fi["deflate_plan"] * nat[N.PLANNING_SHARE] * nat[N.DATA_QUALITY]
               * tn.flags["ai_control"] + fi["deflate_market"]) * bubble
    tn.add(N.BUBBLE, "macro-prudential deflation", -deflate)
    np.clip(nat[N.BUBBLE], 0, 1, out=nat[N.BUBBLE])
    risk = crash_risk(nat[N.BUBBLE], fi)
    crash = (tn.rng.random(risk.shape, dtype=np.float32) < risk) & tn.alive
    tn.flags["crash"] = crash
    pop = np.where(crash, -0.7 * nat[N.BUBBLE], 0.0)
    tn.add(N.BUBBLE, "crash", pop)
    tn.flags["credit_level"] = 1 + fi["credit_boost"] * credit


LEVELS = ("allocative efficiency", "data", "champions", "credit", "propaganda cost", "events")


def tfp_terms(tn: Turn, tfp_trend: F) -> dict[str, F]:
    """Sources of TFP growth this year (as growth rates)."""
    pr = tn.coef["production"]
    tfp = tn.nat[N.TFP]
    assert tn.controls_on is not None
    return {
        "trend": tfp_trend,
        "AI and R&D": pr["rd_tfp"] * tn.nat[N.AI] / 100,
        "foreign technology": pr["tech_access_tfp"] * tn.mods[MOD["tech_access"]] * (1 - 0.5 * tn.controls_on),
        "catch-up": pr["catch_up"] * (1 - tfp / each_power(power_max(tfp), tfp.shape[1])),
    }


def output_levels(tn: Turn) -> F:
    """(6, B, P) multipliers of output besides A, K and L, in the order of LEVELS."""
    nat = tn.nat
    shock = tn.gdp_shock if tn.gdp_shock is not None else np.ones_like(nat[N.GDP])
    return np.stack([
        nat[N.EFFICIENCY],
        1 + tn.flags["data_tfp"],
        1 + tn.coef["industry"]["champion_tfp"] * tn.flags["competitiveness"],
        tn.flags["credit_level"],
        1 - tn.coef["legitimacy"]["propaganda_cost"] * tn.chan[CH["censorship"]],
        shock,
    ])


def core_output(tn: Turn, labour: F) -> F:
    """A·K^α·(hL)^(1−α) from the current indicators."""
    nat, k = tn.nat, tn.const
    return nat[N.TFP] * nat[N.CAPITAL] ** k.alpha * (k.human_capital * labour) ** (1 - k.alpha)


def production(tn: Turn, labour: F, tfp_scale: F, tfp_trend: F, prev_levels: F) -> tuple[F, F]:
    """Y = A·E·D·K^α·(hL)^(1−α) with capital accumulation K' = (1−δ)K + sY. Returns the new
    labour index and this year's output multipliers."""
    pr = tn.coef["production"]
    fi = tn.coef["finance"]
    nat = tn.nat
    gdp = nat[N.GDP].copy()  # copies: the rows change in place below
    crash = tn.flags["crash"]
    capital = nat[N.CAPITAL].copy()
    investment = (tn.const.saving + pr["foreign_capital_share"] * tn.mods[MOD["foreign_capital"]]) * gdp
    tn.add(N.CAPITAL, "investment", investment)
    tn.add(N.CAPITAL, "depreciation", -tn.const.depreciation * capital)
    tn.add(N.CAPITAL, "financial crash", np.where(crash, -0.5 * fi["crash_loss"] * nat[N.CAPITAL], 0.0))
    np.maximum(nat[N.CAPITAL], 1e-3, out=nat[N.CAPITAL])
    tfp = nat[N.TFP].copy()
    for name, g in tfp_terms(tn, tfp_trend).items():
        tn.add(N.TFP, name, tfp * g)
    # technology luck: the year-to-year scatter of TFP growth that no policy explains; without it
    # equally matched strategies would always end the same way
    luck = pr["tfp_shock"] * tn.rng.standard_normal(tfp.shape, dtype=np.float32)
    tn.add(N.TFP, "technology luck", tfp * luck * tn.live)
    tn.add(N.TFP, "financial crash", np.where(crash, -0.5 * fi["crash_loss"] * nat[N.TFP], 0.0))
    labour = labour * (1 + tn.const.labour_growth)
    levels = output_levels(tn)
    new_gdp = tfp_scale * core_output(tn, labour) * levels.prod(axis=0)
    new_gdp = np.where(tn.alive, new_gdp, gdp)
    growth = new_gdp / gdp - 1
    nat[N.GDP] = new_gdp
    nat[N.GROWTH] = growth
    if tn.explain:
        _explain_growth(tn, gdp, new_gdp, growth, levels, prev_levels)
    q = tn.coef["data_quality"]
    distortion = q["overstatement"] * np.maximum(0.0, 0.9 - nat[N.DATA_QUALITY])
    tn.cause(N.REPORTED_GROWTH, "true growth", growth)
    tn.cause(N.REPORTED_GROWTH, "statistical overstatement", distortion)
    nat[N.REPORTED_GROWTH] = growth + distortion
    pc = new_gdp / (tn.const.population * labour) * 1e3
    tn.cause(N.GDP_PER_CAPITA, "output per person", pc)
    nat[N.GDP_PER_CAPITA] = pc
    return labour, levels


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
