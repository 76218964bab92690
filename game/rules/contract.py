"""What the engine's mechanics need from the rules: the indicators they compute and the
coefficients they read. The validator checks rules files against this list; the engine imports
it so the two can never disagree."""

from __future__ import annotations

import keyword
from dataclasses import dataclass, fields
from typing import Any

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


# ---------------------------------------------------------------- coefficients
# The coefficients each mechanic reads, one typed group per group of mechanics.yaml. The engine
# reads them as attributes (`tn.coef.protest.mu`, checked by mypy); the validator checks every
# rules file against the names below, so the YAML and the engine can never disagree. A field
# named after a Python keyword takes a trailing underscore (`lambda_` for `lambda`).


class _ByName:
    """`group["name"]` as well as `group.name`: the dictionary form other code may still use
    (and the only form for a name chosen at run time, as the lab's sweeps do)."""

    __slots__ = ()

    def __getitem__(self, name: str) -> Any:
        return getattr(self, _field(name))


@dataclass(frozen=True, slots=True)
class Production(_ByName):
    catch_up: float
    rd_tfp: float
    tech_access_tfp: float
    controls_access_hit: float
    foreign_capital_share: float
    min_efficiency: float
    tfp_shock: float


@dataclass(frozen=True, slots=True)
class Data(_ByName):
    inflow: float
    decay: float
    tfp_max: float
    tfp_c: float
    omega0: float
    surveillance_inflow: float
    services_inflow: float
    coverage_build: float
    coverage_drift: float
    share_x: float
    hub_sharing: float
    privacy_cost_of_sharing: float
    trust_protection: float
    trust_surveillance: float
    trust_drift: float
    trust_adjust: float


@dataclass(frozen=True, slots=True)
class Planning(_ByName):
    lambda_: float
    base_error: float
    w_coverage: float
    w_quality: float
    w_ai: float
    w_responsiveness: float
    polarisation_deafness: float
    oligopoly_drag: float
    oligopoly_threshold: float
    max_share: float
    concentration_growth: float
    antitrust_effect: float
    market_entry: float


@dataclass(frozen=True, slots=True)
class DataQuality(_ByName):
    ceiling: float
    target_pressure: float
    repression_distortion: float
    ai_correction: float
    adjust: float
    overstatement: float
    honest_level: float


@dataclass(frozen=True, slots=True)
class DictatorsDilemma(_ByName):
    blur: float
    ai_clarity: float
    repression_surveillance: float
    repression_censorship: float
    coordination: float
    control: float
    censorship_control: float
    ai_half: float


@dataclass(frozen=True, slots=True)
class Surveillance(_ByName):
    adjust: float


@dataclass(frozen=True, slots=True)
class Ai(_ByName):
    decay: float
    research_build: float
    procurement_boost: float
    software_spillover: float
    data_feed: float
    unrest_dampening: float
    export_control_hit: float


@dataclass(frozen=True, slots=True)
class Industry(_ByName):
    learning_rate: float
    subsidy_output: float
    market_output: float
    home_market: float
    own_controls_hit: float
    champions_full: float
    champion_tfp: float
    export_control_hit: float
    retaliation: float
    controls_spur: float


@dataclass(frozen=True, slots=True)
class Standards(_ByName):
    quality_weight: float
    increasing_returns: float
    promotion: float
    ties_weight: float
    speed: float
    locked_speed: float
    lock_in: float
    champion_quality: float
    merge_bonus: float
    allied_interop: float


@dataclass(frozen=True, slots=True)
class Grievance(_ByName):
    memory: float
    expectation_persistence: float
    shortfall_weight: float
    privacy_weight: float
    polarisation_weight: float
    crash_weight: float


@dataclass(frozen=True, slots=True)
class Protest(_ByName):
    mu: float
    sigma: float
    grievance_weight: float
    control_weight: float
    carry_over: float
    seed: float
    iterations: float
    chenoweth: float
    services_relief: float


@dataclass(frozen=True, slots=True)
class Legitimacy(_ByName):
    persistence: float
    neutral: float
    growth_weight: float
    services_weight: float
    propaganda_weight: float
    propaganda_cost: float
    protest_weight: float
    expected_growth: float
    surveillance_trust: float


@dataclass(frozen=True, slots=True)
class Approval(_ByName):
    base: float
    persistence: float
    growth_weight: float
    privacy_reference: float
    privacy_weight: float
    services_weight: float
    honeymoon: float
    honeymoon_fade: float
    new_government: float
    election_midpoint: float
    election_slope: float
    polarisation_growth: float
    polarisation_cooling: float
    cyber_effect: float


@dataclass(frozen=True, slots=True)
class Stability(_ByName):
    calm_weight: float
    grievance_weight: float
    cohesion_weight: float


@dataclass(frozen=True, slots=True)
class Finance(_ByName):
    bubble_build: float
    deflate_plan: float
    deflate_market: float
    crash_floor: float
    crash_threshold: float
    crash_slope: float
    crash_pop: float
    crash_loss: float
    crash_loss_split: float
    credit_boost: float
    crash_trust: float


@dataclass(frozen=True, slots=True)
class Diffusion(_ByName):
    performance_weight: float
    stability_per_growth_point: float
    affinity_weight: float
    ties_weight: float
    lockin_weight: float
    speed: float
    unrest_autocracy: float
    ties_build: float
    ties_decay: float
    growth_pull: float
    region_unrest_drift: float
    region_unrest_noise: float
    credulity: float
    hedging: float
    turnover: float
    turnover_swing: float
    turnover_network: float


@dataclass(frozen=True, slots=True)
class Politics(_ByName):
    congress_pressure: float
    congress_capital: float
    congress_strong_legitimacy: float
    congress_struggle_capital: float
    congress_struggle_legitimacy: float
    election_capital: float
    new_government_capital: float
    mandate_approval: float
    mandate_legitimacy: float
    policy_change_scale: float
    capital_max: float
    grudge_fade: float


@dataclass(frozen=True, slots=True)
class Events(_ByName):
    rate: float


@dataclass(frozen=True, slots=True)
class Start(_ByName):
    data_quality: float
    autocracy_data_gap: float
    ai_per_rd: float
    trust_base: float
    trust_per_freedom: float
    polarisation_elections: float
    polarisation_party_state: float
    grievance: float
    protest: float
    political_capital: float
    bubble: float
    bubble_per_credit: float
    min_standard_quality: float


@dataclass(frozen=True, slots=True)
class Budget(_ByName):
    half_stock: float
    control_half_stock: float


@dataclass(frozen=True, slots=True)
class Score(_ByName):
    productivity_at_par: float
    productivity_slope: float
    stability_slope: float


@dataclass(frozen=True, slots=True)
class Coefficients(_ByName):
    """Every mechanic's coefficients, by group (the groups of mechanics.yaml)."""

    budget: Budget
    production: Production
    data: Data
    planning: Planning
    data_quality: DataQuality
    dictators_dilemma: DictatorsDilemma
    surveillance: Surveillance
    ai: Ai
    industry: Industry
    standards: Standards
    grievance: Grievance
    protest: Protest
    legitimacy: Legitimacy
    approval: Approval
    stability: Stability
    finance: Finance
    diffusion: Diffusion
    politics: Politics
    events: Events
    start: Start
    score: Score

    @classmethod
    def from_values(cls, values: dict[str, dict[str, float]]) -> Coefficients:
        """The typed coefficients from the loader's {group: {name: value}} table (values kept as
        Python numbers: a numpy float64 scalar would turn the engine's float32 arithmetic to float64)."""
        return cls(**{group: kind(**{_field(name): values[group][name] for name in COEFFICIENTS[group]})
                      for group, kind in GROUPS.items()})


def _field(name: str) -> str:
    return f"{name}_" if keyword.iskeyword(name) else name


def _key(field_name: str) -> str:
    return field_name[:-1] if field_name.endswith("_") and keyword.iskeyword(field_name[:-1]) else field_name


GROUPS: dict[str, type] = {f.name: globals()[str(f.type)] for f in fields(Coefficients)}

# Coefficients each mechanic reads, by group, as named in mechanics.yaml.
COEFFICIENTS: dict[str, tuple[str, ...]] = {
    group: tuple(_key(f.name) for f in fields(kind)) for group, kind in GROUPS.items()}
