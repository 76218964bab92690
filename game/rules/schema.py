"""The shape of every rules and scenario file, declared once (pydantic models).

The engine's mechanics read typed *channels* (what a lever's money buys) and *modifiers* (what a
policy option changes); rules files only choose among them and set the numbers, so a modder can
add a lever or a policy with a YAML edit alone.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

FORMAT_VERSION = 1

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=40)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]

# What lever spending buys. Each mechanic reads the channels it cares about.
Channel = Literal[
    "coverage",  # digital coverage build-out (data centres, 5G, fibre)
    "ai",  # AI capability stock
    "champion",  # subsidies to infant digital champions
    "standards",  # promotion of one's technical standards abroad
    "services",  # digital public services (legitimacy/approval, data inflow)
    "export",  # infrastructure export ties with swing regions
    "surveillance",  # surveillance and social-credit scoring
    "data_hub",  # state integration of conglomerates' data
    "censorship",  # information control
    "privacy",  # privacy enforcement
    "antitrust",  # breaking up data oligopolies
    "cyber",  # cyber and election security
]
CHANNELS: tuple[str, ...] = Channel.__args__  # type: ignore[attr-defined]

# What a policy option changes; the options of all policies add up per modifier.
Modifier = Literal[
    "planning_share",  # share of allocation guided by the planner
    "bid_rate",  # chance per year of a foreign bid for a champion
    "foreign_capital",  # capital inflow / FDI, as a share of GDP per year
    "data_sharing",  # Jones-Tonetti x: how much data is pooled across firms and state
    "privacy_drift",  # yearly drift of citizens' privacy trust
    "tech_access",  # TFP spill-over from foreign technology
    "export_controls",  # pressure put on rivals' AI and champions
    "credit_growth",  # credit expansion beyond the sustainable pace
]
MODIFIERS: tuple[str, ...] = Modifier.__args__  # type: ignore[attr-defined]

Scope = Literal["self", "rivals", "regions"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- indicators
class IndicatorDef(Strict):
    id: Id
    name: str
    scope: Literal["power", "region"] = "power"
    bounds: tuple[float, float]
    unit: str = ""
    higher_is_better: bool = True
    description: str
    drivers: str
    research: str = ""

    @model_validator(mode="after")
    def _bounds_ordered(self) -> IndicatorDef:
        if self.bounds[0] >= self.bounds[1]:
            raise ValueError(f"bounds must be [low, high] with low < high, got {list(self.bounds)}")
        return self


class IndicatorsFile(Strict):
    format_version: Literal[1]
    indicators: list[IndicatorDef]


# ---------------------------------------------------------------- levers
class LeverDef(Strict):
    id: Id
    name: str
    doctrines: list[Id]
    description: str
    research: str = ""
    depreciation: Annotated[float, Field(gt=0.0, le=1.0)] = 0.25
    channels: dict[Channel, Annotated[float, Field(ge=0.0, le=5.0)]]


class LeversFile(Strict):
    format_version: Literal[1]
    levers: list[LeverDef]


# ---------------------------------------------------------------- policies
class PolicyOption(Strict):
    id: Id
    name: str
    description: str
    modifiers: dict[Modifier, Annotated[float, Field(ge=-1.0, le=1.0)]] = {}


class PolicyDef(Strict):
    id: Id
    name: str
    doctrines: list[Id]
    description: str
    research: str = ""
    change_cost: Annotated[float, Field(ge=0.0, le=100.0)]
    options: Annotated[list[PolicyOption], Field(min_length=2, max_length=5)]


class PoliciesFile(Strict):
    format_version: Literal[1]
    policies: list[PolicyDef]


# ---------------------------------------------------------------- doctrines
class DoctrineDef(Strict):
    id: Id
    name: str
    description: str
    budget_share: Annotated[float, Field(gt=0.0, le=0.2)]
    capital_per_turn: Annotated[float, Field(ge=0.0, le=100.0)]
    elections: bool
    autocratic: bool = False
    congress_every: Annotated[int, Field(ge=0, le=10)] = 0
    collapse_legitimacy_below: Annotated[float, Field(ge=0.0, le=100.0)] = 0.0
    collapse_protest_above: Annotated[float, Field(ge=0.0, le=1.0)] = 1.0
    research: str = ""


class DoctrinesFile(Strict):
    format_version: Literal[1]
    doctrines: list[DoctrineDef]


# ---------------------------------------------------------------- mechanics
class Coefficient(Strict):
    value: float
    range: tuple[float, float]
    source: str = ""

    @model_validator(mode="after")
    def _value_in_range(self) -> Coefficient:
        lo, hi = self.range
        if lo > hi:
            raise ValueError(f"range must be [low, high], got {list(self.range)}")
        if not lo <= self.value <= hi:
            raise ValueError(f"value {self.value} is outside its range {list(self.range)}")
        return self


class MechanicsFile(Strict):
    format_version: Literal[1]
    mechanics: dict[Id, dict[Id, Coefficient]]


# ---------------------------------------------------------------- events and situations
class Condition(Strict):
    indicator: Id | None = None
    op: Literal["<", "<=", ">", ">="] = ">"
    value: float = 0.0
    policy: Id | None = None
    option: Id | None = None
    year_from: int | None = None
    year_to: int | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Condition:
        kinds = [self.indicator is not None, self.policy is not None,
                 self.year_from is not None or self.year_to is not None]
        if sum(kinds) != 1:
            raise ValueError("a condition tests exactly one of: indicator, policy, year_from/year_to")
        if (self.policy is None) != (self.option is None):
            raise ValueError("a policy condition needs both 'policy' and 'option'")
        return self


class Effect(Strict):
    target: Id
    add: float
    scope: Scope = "self"
    fade_turns: Annotated[int, Field(ge=0, le=10)] = 0


class Choice(Strict):
    id: Id
    label: str
    explanation: str
    effects: list[Effect] = []


class EventDef(Strict):
    id: Id
    name: str
    text: str
    doctrines: list[Id] = []
    conditions: list[Condition] = []
    weight: Annotated[float, Field(gt=0.0, le=100.0)]
    scale_by: Modifier | None = None  # weight multiplied by this policy modifier (e.g. bid_rate)
    cooldown: Annotated[int, Field(ge=0, le=50)]
    choices: Annotated[list[Choice], Field(min_length=2, max_length=3)]
    source: str = ""


class EventsFile(Strict):
    format_version: Literal[1]
    events: list[EventDef]


class SituationDef(Strict):
    id: Id
    name: str
    description: str
    doctrines: list[Id] = []
    indicator: Id
    on_above: float
    off_below: float
    effects: list[Effect]
    source: str = ""

    @model_validator(mode="after")
    def _hysteresis(self) -> SituationDef:
        if self.off_below >= self.on_above:
            raise ValueError(
                f"off_below ({self.off_below}) must be lower than on_above ({self.on_above})"
            )
        return self


class SituationsFile(Strict):
    format_version: Literal[1]
    situations: list[SituationDef]


# ---------------------------------------------------------------- agreements
class AgreementDef(Strict):
    id: Id
    name: str
    description: str
    doctrines: list[Id]
    merges_standards: bool = False
    lifts_export_controls: bool = False
    data_sharing: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0
    trust: Annotated[float, Field(ge=-20.0, le=20.0)] = 0.0


class AgreementsFile(Strict):
    format_version: Literal[1]
    agreements: list[AgreementDef]


# ---------------------------------------------------------------- regions
class RegionDef(Strict):
    id: Id
    name: str
    gdp: Annotated[float, Field(gt=0.0, le=100.0)]
    growth: Annotated[float, Field(ge=-0.2, le=0.3)]
    population: Annotated[float, Field(gt=0.0, le=5000.0)]
    internet: Share
    autocracy: Share
    unrest: Share = 0.05
    alignment: dict[Id, Share] = {}
    adoption: dict[Id, Share] = {}
    ties: dict[Id, Share] = {}
    map_position: tuple[float, float] = (0.5, 0.5)
    sources: str = ""


class RegionsFile(Strict):
    format_version: Literal[1]
    regions: list[RegionDef]


# ---------------------------------------------------------------- victory
class Verdict(Strict):
    outcome: Literal["win", "draw", "collapse", "global_crisis"]
    doctrine: Id | None = None
    victory: Literal["productivity", "stability", "adoption", "standards"] | None = None
    text: str


class VictoryFile(Strict):
    format_version: Literal[1]
    score_weights: dict[Literal["productivity", "stability", "adoption", "standards"], float]
    draw_margin: Annotated[float, Field(ge=0.0, le=50.0)]
    crisis_stability_below: Annotated[float, Field(ge=0.0, le=100.0)]
    crisis_growth_below: Annotated[float, Field(ge=-0.5, le=0.2)]
    crisis_turns: Annotated[int, Field(ge=1, le=10)]
    verdicts: list[Verdict]


# ---------------------------------------------------------------- scenarios
class PowerSetup(Strict):
    id: Id
    name: str
    doctrine: Id
    color: tuple[int, int, int] = (200, 200, 200)
    gdp: Annotated[float, Field(gt=0.0, le=200.0)]
    growth: Annotated[float, Field(ge=-0.2, le=0.3)]
    population: Annotated[float, Field(gt=0.0, le=5000.0)]
    labour_growth: Annotated[float, Field(ge=-0.05, le=0.05)]
    alpha: Annotated[float, Field(gt=0.1, lt=0.7)]
    depreciation: Annotated[float, Field(gt=0.0, lt=0.2)]
    saving: Annotated[float, Field(gt=0.0, lt=0.7)]
    capital_output: Annotated[float, Field(gt=0.5, lt=8.0)]
    tfp: Annotated[float, Field(gt=0.05, le=2.0)]
    tfp_growth: Annotated[float, Field(ge=-0.05, le=0.08)]
    par_growth: Annotated[float, Field(ge=-0.05, le=0.15)] = 0.02
    # the balance lab's handle: growth the productivity score is measured against (default
    # par_growth, which the swing regions judge the power's growth against)
    score_par_growth: Annotated[float, Field(ge=-0.05, le=0.15)] | None = None
    human_capital: Annotated[float, Field(ge=1.0, le=5.0)]
    rd_share: Annotated[float, Field(ge=0.0, le=0.1)]
    internet: Share
    freedom: Annotated[float, Field(ge=0.0, le=100.0)]
    legitimacy: Annotated[float, Field(ge=0.0, le=100.0)] = 60.0
    approval: Annotated[float, Field(ge=0.0, le=100.0)] = 45.0
    champions: Annotated[int, Field(ge=0, le=10)]
    standard_quality: Annotated[float, Field(ge=0.0, le=2.0)]
    concentration: Share = 0.5
    home_adoption: Share = 0.9
    election_years: list[int] = []
    congress_years: list[int] = []
    budget: dict[Id, Share]
    policies: dict[Id, Id]
    sources: str = ""

    @model_validator(mode="after")
    def _budget_total(self) -> PowerSetup:
        total = sum(self.budget.values())
        if total > 1.0 + 1e-9:
            raise ValueError(f"budget shares add up to {total:.3f}; they must total at most 1")
        return self


class RegionSetup(Strict):
    """A region in a scenario: an id from regions.yaml (plus overrides) or a full new region."""

    id: Id
    name: str | None = None
    gdp: Annotated[float, Field(gt=0.0, le=100.0)] | None = None
    growth: Annotated[float, Field(ge=-0.2, le=0.3)] | None = None
    population: Annotated[float, Field(gt=0.0, le=5000.0)] | None = None
    internet: Share | None = None
    autocracy: Share | None = None
    unrest: Share | None = None
    alignment: dict[Id, Share] | None = None
    adoption: dict[Id, Share] | None = None
    ties: dict[Id, Share] | None = None
    map_position: tuple[float, float] | None = None
    sources: str | None = None
    playable: bool = False


# ---------------------------------------------------------------- history (scenario, optional)
class HistoryEffect(Strict):
    """What happened to one power (or every power, or the swing regions) in an event's year."""

    target: Id
    add: float
    power: Id | None = None  # None: every power
    scope: Literal["power", "regions"] = "power"
    regions: list[Id] = []  # for scope regions: these regions only (empty: every region)


class HistoryEvent(Strict):
    """A scheduled, sourced event of history: it fires in its year in history mode. With choices
    it is a dilemma put to `power`, answered in that year's orders; `historical` is the answer
    history gave, which AI players take."""

    id: Id
    name: str
    year: int
    text: str
    source: Annotated[str, Field(min_length=1)]
    effects: list[HistoryEffect] = []
    power: Id | None = None
    choices: list[Choice] = []
    historical: Id | None = None

    @model_validator(mode="after")
    def _dilemma_or_shock(self) -> HistoryEvent:
        if self.choices and (self.power is None or self.historical is None):
            raise ValueError("a history dilemma (with choices) needs the 'power' it is put to and "
                             "the 'historical' choice")
        if self.choices and not 2 <= len(self.choices) <= 3:
            raise ValueError("a history dilemma has 2-3 choices")
        if not self.choices and not self.effects:
            raise ValueError("a history event needs effects, choices or both")
        if not self.choices and self.historical is not None:
            raise ValueError("'historical' names a choice, but this event has no choices")
        return self


class HistoryCourse(Strict):
    """A policy a power actually set in a year: the historical course the hindcast plays."""

    year: int
    power: Id
    policies: dict[Id, Id]
    source: Annotated[str, Field(min_length=1)]


class HindcastSeries(Strict):
    """An observed yearly series the model is checked against, with its code and source."""

    power: Id
    indicator: Literal["growth", "reported_growth"]
    series: str  # e.g. "World Bank WDI NY.GDP.MKTP.KD.ZG"
    source: Annotated[str, Field(min_length=1)]
    values: dict[int, float]  # year: fraction (0.067 = 6.7%)
    checked: bool = True  # held to the hindcast's tolerance (False: shown for comparison only)


class Hindcast(Strict):
    years: tuple[int, int]  # first and last year compared
    tolerance: Annotated[float, Field(gt=0.0, le=0.1)] = 0.015  # RMSE of the median path, per power
    series: list[HindcastSeries]


class AgreementInForce(Strict):
    """An agreement already signed when the scenario opens (a present-day start)."""

    id: Id
    powers: Annotated[list[Id], Field(min_length=2, max_length=2)]
    source: Annotated[str, Field(min_length=1)]


class HistorySpec(Strict):
    """History mode: the scheduled events fire in their years (until the players leave history),
    and the random deck is silent meanwhile."""

    enabled: bool = False  # the scenario's default; New game, `sim` and `host` may choose otherwise
    until: int | None = None  # last year of history when on (None: the last event's year)
    deck: str | None = None  # another scenario file whose history (events, course, hindcast) this one plays
    # With a `deck`: the powers of the deck's own scenario that this scenario leaves out. Their
    # parts of the deck are dropped (effects on them, dilemmas put to them, their course steps
    # and hindcast series); listing them is required, so no power's history vanishes unnoticed.
    absent_powers: list[Id] = []
    events: list[HistoryEvent] = []
    course: list[HistoryCourse] = []
    hindcast: Hindcast | None = None


ScenarioId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", min_length=1, max_length=60)]


class ScenarioFile(Strict):
    format_version: Literal[1]
    id: ScenarioId
    name: str
    briefing: str
    ruleset: Id = "standard"
    start_year: Annotated[int, Field(ge=1900, le=2200)]
    end_year: Annotated[int, Field(ge=1900, le=2200)]
    turn_seconds: Annotated[int, Field(ge=30, le=3600)] = 600
    powers: Annotated[list[PowerSetup], Field(min_length=2, max_length=8)]
    regions: Annotated[list[RegionSetup], Field(min_length=1, max_length=20)]
    score_weights: dict[Literal["productivity", "stability", "adoption", "standards"], float] = {}
    overrides: dict[Id, dict[Id, float]] = {}
    sources: list[str] = []
    history: HistorySpec | None = None
    agreements: list[AgreementInForce] = []

    @model_validator(mode="after")
    def _years(self) -> ScenarioFile:
        if self.end_year <= self.start_year:
            raise ValueError(
                f"end_year ({self.end_year}) must come after start_year ({self.start_year})"
            )
        if self.end_year - self.start_year > 100:
            raise ValueError("a scenario may last at most 100 turns")
        return self


RULE_FILES: dict[str, type[Strict]] = {
    "indicators": IndicatorsFile,
    "levers": LeversFile,
    "policies": PoliciesFile,
    "doctrines": DoctrinesFile,
    "mechanics": MechanicsFile,
    "events": EventsFile,
    "situations": SituationsFile,
    "agreements": AgreementsFile,
    "regions": RegionsFile,
    "victory": VictoryFile,
}
