"""What the engine's mechanics need from the rules: the indicators they compute and the
coefficients they read. The validator checks rules files against this list; the engine imports
it so the two can never disagree."""

from __future__ import annotations

# Indicators every power has, in the order of the engine's state axis. Rules files may declare
# more (read and changed only by events and situations) after these.
POWER_INDICATORS: tuple[str, ...] = (
    "gdp",
    "growth",
    "reported_growth",
    "gdp_per_capita",
    "tfp",
    "capital",
    "efficiency",
    "planning_share",
    "coverage",
    "data_stock",
    "data_quality",
    "ai_capability",
    "concentration",
    "privacy_trust",
    "surveillance",
    "information_gap",
    "grievance",
    "protest",
    "legitimacy",
    "approval",
    "stability",
    "polarisation",
    "political_capital",
    "bubble",
    "champions",
    "champion_cost",
    "standards_share",
    "model_adoption",
    "decoupling",
)

REGION_INDICATORS: tuple[str, ...] = ("region_gdp", "region_growth", "unrest", "autocracy", "internet")

# Coefficients each mechanic reads, by mechanic (group in mechanics.yaml).
COEFFICIENTS: dict[str, tuple[str, ...]] = {
    "production": ("catch_up", "rd_tfp", "tech_access_tfp",
                   "foreign_capital_share", "min_efficiency", "tfp_shock"),
    "data": ("inflow", "decay", "tfp_max", "tfp_c", "omega0", "surveillance_inflow",
             "services_inflow", "coverage_build", "coverage_drift", "share_x",
             "privacy_cost_of_sharing"),
    "planning": ("lambda", "base_error", "w_coverage", "w_quality", "w_ai", "w_responsiveness",
                 "oligopoly_drag", "concentration_growth", "antitrust_effect"),
    "data_quality": ("target_pressure", "repression_distortion", "ai_correction", "adjust",
                     "overstatement"),
    "dictators_dilemma": ("blur", "coordination", "control", "ai_half"),
    "ai": ("decay", "research_build", "procurement_boost", "software_spillover", "data_feed",
           "unrest_dampening", "export_control_hit"),
    "industry": ("learning_rate", "subsidy_output", "market_output", "champion_tfp",
                 "export_control_hit", "retaliation", "controls_spur"),
    "standards": ("quality_weight", "increasing_returns", "promotion", "ties_weight", "speed",
                  "lock_in", "champion_quality", "merge_bonus"),
    "protest": ("mu", "sigma", "grievance_weight", "control_weight", "seed", "iterations",
                "chenoweth", "services_relief"),
    "legitimacy": ("persistence", "growth_weight", "services_weight", "propaganda_weight",
                   "propaganda_cost", "protest_weight", "expected_growth", "surveillance_trust"),
    "approval": ("base", "persistence", "growth_weight", "honeymoon", "election_slope",
                 "polarisation_growth", "cyber_effect", "privacy_weight"),
    "finance": ("bubble_build", "deflate_plan", "deflate_market", "crash_threshold",
                "crash_slope", "crash_loss", "credit_boost", "crash_trust"),
    "diffusion": ("performance_weight", "affinity_weight", "ties_weight", "lockin_weight",
                  "speed", "unrest_autocracy", "ties_build", "ties_decay", "region_unrest_drift",
                  "region_unrest_noise", "credulity"),
    "politics": ("congress_pressure", "congress_capital", "policy_change_scale",
                 "capital_max", "grudge_fade"),
    "events": ("rate",),
}
