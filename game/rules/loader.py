"""Read a ruleset and a scenario, check every cross-reference, and merge them into one Scenario.

`load_scenario` is what every command calls; it raises `RulesError` carrying the full list of
located problems, which the CLI prints one per line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from game.rules import schema
from game.rules.contract import COEFFICIENTS, POWER_INDICATORS, REGION_INDICATORS
from game.rules.history_check import history_problems
from game.rules.validator import Problem, raw_reference_problems, schema_problems, suggest
from game.rules.yamlpos import Located, Mark, Path_, YamlSyntaxError, load_file

RULES_DIR = Path(__file__).resolve().parent
SCENARIOS_DIR = RULES_DIR.parent.parent / "scenarios"


class RulesError(ValueError):
    """Rules or a scenario failed validation; `problems` holds every located problem."""

    def __init__(self, problems: list[Problem]) -> None:
        # in reading order, so every command lists a file's problems the way `validate` does
        problems = sorted(problems, key=lambda p: (p.mark.file, p.mark.line, p.mark.col))
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass
class Ruleset:
    """All rules files of one ruleset, parsed, with their located sources for later checks."""

    directory: Path
    indicators: list[schema.IndicatorDef]
    levers: list[schema.LeverDef]
    policies: list[schema.PolicyDef]
    doctrines: list[schema.DoctrineDef]
    mechanics: dict[str, dict[str, schema.Coefficient]]
    events: list[schema.EventDef]
    situations: list[schema.SituationDef]
    agreements: list[schema.AgreementDef]
    regions: list[schema.RegionDef]
    victory: schema.VictoryFile
    sources: dict[str, Located] = field(default_factory=dict)

    def indicator(self, ident: str) -> schema.IndicatorDef:
        return next(i for i in self.indicators if i.id == ident)


@dataclass
class Scenario:
    """A playable scenario: the scenario file merged with its ruleset and overrides."""

    path: Path
    spec: schema.ScenarioFile
    rules: Ruleset
    regions: list[schema.RegionDef]
    coefficients: dict[str, dict[str, float]]
    playable_regions: list[str]

    @property
    def id(self) -> str:
        return self.spec.id


def _load_one(path: Path, model: type[schema.Strict], problems: list[Problem]) -> tuple[Any, Located | None]:
    try:
        located = load_file(path, _display(path))
    except YamlSyntaxError as exc:
        problems.append(Problem(exc.mark, exc.message))
        return None, None
    instance, found = schema_problems(located, model)
    problems.extend(found)
    return instance, located


def _ids(items: list[Any], what: str, located: Located | None, key: str,
         problems: list[Problem]) -> set[str]:
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        if item.id in first and located is not None:
            where = located.mark((key, first[item.id], "id"))
            problems.append(Problem(located.mark((key, index, "id")),
                                    f"{what} '{item.id}': duplicate id (first defined at line {where.line}); "
                                    "ids must be unique"))
        first.setdefault(item.id, index)
    return set(first)


def _ref(value: str, known: set[str], what: str, owner: str, mark: Mark,
         problems: list[Problem]) -> None:
    if value not in known:
        problems.append(Problem(mark, f"{owner}: unknown {what} '{value}'{suggest(value, known)}"))


@lru_cache(maxsize=8)
def _cached_ruleset(directory: Path, stamp: tuple[tuple[str, int, int], ...]) -> Ruleset:
    return _read_ruleset(directory)


def _stamp(directory: Path) -> tuple[tuple[str, int, int], ...]:
    stamps = []
    for name in schema.RULE_FILES:
        try:
            info = (directory / f"{name}.yaml").stat()
        except OSError:
            continue
        stamps.append((name, info.st_mtime_ns, info.st_size))
    return tuple(stamps)


# What a verdict text may name, with sample values to check its format specs against.
VERDICT_PLACEHOLDERS: dict[str, Any] = {"winner": "China", "margin": 1.0, "collapsed": "none",
                                        "victory": "adoption", "adoption": 0.5, "standards": 0.5,
                                        "lean": "a majority of the swing regions' weight (57%) leaned to its model"}


def load_ruleset(directory: Path = RULES_DIR) -> Ruleset:
    """Read and check a ruleset directory; raise RulesError listing every problem.
    Parsed rulesets are cached until one of their files changes."""
    directory = directory.resolve()
    return _cached_ruleset(directory, _stamp(directory))


def _read_ruleset(directory: Path, replace: dict[str, Path] | None = None) -> Ruleset:
    """Read every rules file of a directory; `replace` swaps single files in (to check a
    modder's lone events.yaml, say, against the rest of the standard rules)."""
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    located: dict[str, Located] = {}
    for name, model in schema.RULE_FILES.items():
        path = (replace or {}).get(name, directory / f"{name}.yaml")
        if not path.exists():
            problems.append(Problem(Mark(_display(path), 1, 1), f"ruleset file '{name}.yaml' is missing"))
            continue
        instance, loc = _load_one(path, model, problems)
        parsed[name] = instance
        if loc is not None:
            located[name] = loc
    if problems:
        raise RulesError(problems)
    rules = Ruleset(
        directory=directory,
        indicators=parsed["indicators"].indicators,
        levers=parsed["levers"].levers,
        policies=parsed["policies"].policies,
        doctrines=parsed["doctrines"].doctrines,
        mechanics=parsed["mechanics"].mechanics,
        events=parsed["events"].events,
        situations=parsed["situations"].situations,
        agreements=parsed["agreements"].agreements,
        regions=parsed["regions"].regions,
        victory=parsed["victory"],
        sources=located,
    )
    problems = cross_check(rules)
    if problems:
        raise RulesError(problems)
    return rules


def cross_check(rules: Ruleset) -> list[Problem]:
    """Every reference between rules files points at something that exists."""
    problems: list[Problem] = []
    src = rules.sources
    indicators = _ids(rules.indicators, "indicator", src.get("indicators"), "indicators", problems)
    doctrines = _ids(rules.doctrines, "doctrine", src.get("doctrines"), "doctrines", problems)
    _ids(rules.levers, "lever", src.get("levers"), "levers", problems)
    _ids(rules.policies, "policy", src.get("policies"), "policies", problems)
    _ids(rules.events, "event", src.get("events"), "events", problems)
    _ids(rules.situations, "situation", src.get("situations"), "situations", problems)
    _ids(rules.agreements, "agreement", src.get("agreements"), "agreements", problems)
    _ids(rules.regions, "region", src.get("regions"), "regions", problems)

    ind_file = src["indicators"]
    for required in (*POWER_INDICATORS, *REGION_INDICATORS):
        if required not in indicators:
            problems.append(Problem(ind_file.mark(("indicators",)),
                                    f"indicator '{required}' is required by the engine but missing"))
    mech = src["mechanics"]
    for group, names in COEFFICIENTS.items():
        if group not in rules.mechanics:
            problems.append(Problem(mech.mark(("mechanics",)),
                                    f"mechanic '{group}' is required by the engine but missing"))
            continue
        for coef in names:
            if coef not in rules.mechanics[group]:
                problems.append(Problem(mech.mark(("mechanics", group)),
                                        f"mechanic '{group}': coefficient '{coef}' is missing"))
        for coef in rules.mechanics[group]:
            if coef not in names:
                problems.append(Problem(mech.mark(("mechanics", group, coef), key=True),
                                        f"mechanic '{group}': unknown coefficient '{coef}'"
                                        f"{suggest(coef, names)}"))
    for group in rules.mechanics:
        if group not in COEFFICIENTS:
            problems.append(Problem(mech.mark(("mechanics", group), key=True),
                                    f"unknown mechanic '{group}'{suggest(group, COEFFICIENTS)}"))

    tables: tuple[tuple[str, str, list[Any]], ...] = (
        ("levers", "lever", rules.levers), ("policies", "policy", rules.policies),
        ("agreements", "agreement", rules.agreements))
    for file, kind, items in tables:
        for index, item in enumerate(items):
            for d_index, doctrine in enumerate(item.doctrines):
                _ref(doctrine, doctrines, "doctrine", f"{kind} '{item.id}'",
                     src[file].mark((file, index, "doctrines", d_index)), problems)
    policy_options = {p.id: {o.id for o in p.options} for p in rules.policies}
    for index, policy in enumerate(rules.policies):
        _ids(policy.options, f"policy '{policy.id}': option", src["policies"],
             "policies", [])  # duplicates inside options are reported below with a precise mark
        seen: set[str] = set()
        for o_index, option in enumerate(policy.options):
            if option.id in seen:
                problems.append(Problem(src["policies"].mark(("policies", index, "options", o_index, "id")),
                                        f"policy '{policy.id}': duplicate option '{option.id}'"))
            seen.add(option.id)
    vi = src["victory"]
    for index, verdict in enumerate(rules.victory.verdicts):
        if verdict.doctrine is not None:
            _ref(verdict.doctrine, doctrines, "doctrine", f"verdict #{index + 1}",
                 vi.mark(("verdicts", index, "doctrine")), problems)
        try:  # a typo in a placeholder would otherwise surface at the end of a game
            verdict.text.format(**VERDICT_PLACEHOLDERS)
        except (KeyError, IndexError, ValueError) as exc:
            problems.append(Problem(vi.mark(("verdicts", index, "text")),
                                    f"verdict #{index + 1}: bad placeholder {exc}; placeholders are "
                                    + ", ".join("{" + k + "}" for k in VERDICT_PLACEHOLDERS)))
    ev = src["events"]
    for index, event in enumerate(rules.events):
        owner = f"event '{event.id}'"
        for d_index, doctrine in enumerate(event.doctrines):
            _ref(doctrine, doctrines, "doctrine", owner, ev.mark(("events", index, "doctrines", d_index)), problems)
        for c_index, cond in enumerate(event.conditions):
            base = ("events", index, "conditions", c_index)
            if cond.year_from is not None and cond.year_to is not None and cond.year_from > cond.year_to:
                problems.append(Problem(ev.mark((*base, "year_to")),
                                        f"{owner}: year_to ({cond.year_to}) comes before year_from "
                                        f"({cond.year_from}), so the event can never fire"))
            if cond.indicator is not None:
                _power_indicator(cond.indicator, rules, owner, ev.mark((*base, "indicator")), problems)
            if cond.policy is not None:
                if cond.policy not in policy_options:
                    _ref(cond.policy, set(policy_options), "policy", owner, ev.mark((*base, "policy")), problems)
                elif cond.option not in policy_options[cond.policy]:
                    known = sorted(policy_options[cond.policy])
                    problems.append(Problem(ev.mark((*base, "option")),
                                            f"{owner}: policy '{cond.policy}' has no option '{cond.option}'"
                                            f"{suggest(str(cond.option), known)}; options: {', '.join(known)}"))
        choice_ids: set[str] = set()
        for ch_index, choice in enumerate(event.choices):
            if choice.id in choice_ids:
                problems.append(Problem(ev.mark(("events", index, "choices", ch_index, "id")),
                                        f"{owner}: duplicate choice '{choice.id}'"))
            choice_ids.add(choice.id)
            for e_index, effect in enumerate(choice.effects):
                where = ("events", index, "choices", ch_index, "effects", e_index)
                _check_effect(effect, indicators, rules, f"{owner}, choice '{choice.id}'",
                              ev.mark((*where, "target")), problems)
                if effect.fade_turns and effect.scope != "self":
                    # the engine would apply it at once: say so rather than let the number lie
                    problems.append(Problem(ev.mark((*where, "fade_turns")),
                                            f"{owner}, choice '{choice.id}': fade_turns works only for "
                                            f"scope 'self'; an effect on {effect.scope} arrives at once"))
    si = src["situations"]
    for index, situation in enumerate(rules.situations):
        owner = f"situation '{situation.id}'"
        _power_indicator(situation.indicator, rules, owner, si.mark(("situations", index, "indicator")), problems)
        for d_index, doctrine in enumerate(situation.doctrines):
            _ref(doctrine, doctrines, "doctrine", owner, si.mark(("situations", index, "doctrines", d_index)), problems)
        for e_index, effect in enumerate(situation.effects):
            place: Path_ = ("situations", index, "effects", e_index)
            if effect.scope != "self":
                # the engine applies a situation's effects to the power that has it, nobody else
                problems.append(Problem(si.mark((*place, "scope")),
                                        f"{owner}: situation effects apply to the power itself; "
                                        f"scope '{effect.scope}' is not supported here"))
                continue
            _check_effect(effect, indicators, rules, owner, si.mark((*place, "target")), problems)
    return problems


def _check_effect(effect: schema.Effect, indicators: set[str], rules: Ruleset, owner: str,
                  mark: Mark, problems: list[Problem]) -> None:
    scope = "region" if effect.scope == "regions" else "power"
    allowed = {i.id for i in rules.indicators if i.scope == scope}
    if effect.target in allowed:
        return
    if effect.target in indicators:  # it exists, but at the other level
        if scope == "region":
            message = (f"'{effect.target}' is a power indicator, but 'scope: regions' needs a region indicator "
                       f"(one of: {', '.join(sorted(allowed))})")
        else:
            message = f"'{effect.target}' is a region indicator; add 'scope: regions' to change it in the regions"
        problems.append(Problem(mark, f"{owner}: {message}"))
        return
    what = "region indicator" if scope == "region" else "indicator"
    problems.append(Problem(mark, f"{owner}: unknown {what} '{effect.target}'{suggest(effect.target, allowed)}"))


def _power_indicator(value: str, rules: Ruleset, owner: str, mark: Mark, problems: list[Problem]) -> None:
    """Conditions and situations watch the power's own indicators, never a region's."""
    if any(i.id == value and i.scope == "region" for i in rules.indicators):
        problems.append(Problem(mark, f"{owner}: '{value}' is a region indicator; conditions and situations "
                                      "watch the power's own indicators"))
        return
    _ref(value, {i.id for i in rules.indicators if i.scope == "power"}, "indicator", owner, mark, problems)


def scenario_path(name: str | Path) -> Path:
    """A shipped scenario id or a path to a YAML file."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        return candidate
    return SCENARIOS_DIR / f"{name}.yaml"


def shipped_scenarios() -> list[str]:
    return sorted(p.stem for p in SCENARIOS_DIR.glob("*.yaml"))


def load_scenario(name: str | Path) -> Scenario:
    """Load, validate and merge a scenario; raise RulesError listing every located problem."""
    path = scenario_path(name)
    if path.is_dir():
        raise RulesError([Problem(Mark(str(path), 1, 1), "is a directory; give a scenario YAML file or a "
                                  f"shipped scenario id ({', '.join(shipped_scenarios())})")])
    if not path.exists() and Path(name).suffix in (".yaml", ".yml"):
        raise RulesError([Problem(Mark(str(path), 1, 1), "no such file or directory")])
    if not path.exists():
        shown = str(name)
        hint = suggest(shown, shipped_scenarios())
        raise RulesError([Problem(Mark(shown, 1, 1),
                                  f"no such scenario{hint}; shipped scenarios: "
                                  f"{', '.join(shipped_scenarios())}")])
    problems: list[Problem] = []
    spec, located = _load_one(path, schema.ScenarioFile, problems)
    if problems and located is not None and isinstance(located.data, dict) \
            and located.data.get("ruleset", "standard") == "standard":
        # a shape problem must not hide an independent wrong reference further down
        rules = load_ruleset(RULES_DIR)
        problems += raw_reference_problems(
            located, {d.id for d in rules.doctrines}, {lv.id: set(lv.doctrines) for lv in rules.levers},
            {q.id: (set(q.doctrines), [o.id for o in q.options]) for q in rules.policies}, problems)
    if problems or spec is None or located is None:
        raise RulesError(problems)
    ruleset_dir = RULES_DIR if spec.ruleset == "standard" else (path.parent / spec.ruleset)
    if not (ruleset_dir / "indicators.yaml").exists():
        raise RulesError([Problem(located.mark(("ruleset",)),
                                  f"scenario '{spec.id}': unknown ruleset '{spec.ruleset}'; use 'standard' "
                                  "or the name of a directory of rules files next to this scenario")])
    rules = load_ruleset(ruleset_dir)
    return _merge(path, spec, located, rules)


def _merge(path: Path, spec: schema.ScenarioFile, located: Located, rules: Ruleset) -> Scenario:
    problems: list[Problem] = []
    owner = f"scenario '{spec.id}'"
    doctrines = {d.id for d in rules.doctrines}
    power_ids = _ids(spec.powers, "power", located, "powers", problems)
    _ids(spec.regions, "region", located, "regions", problems)
    levers = {lv.id: lv for lv in rules.levers}
    policies = {p.id: p for p in rules.policies}
    for index, power in enumerate(spec.powers):
        base = ("powers", index)
        who = f"power '{power.id}'"
        if power.doctrine not in doctrines:
            _ref(power.doctrine, doctrines, "doctrine", who, located.mark((*base, "doctrine")), problems)
            continue
        for lever in power.budget:
            if lever not in levers:
                _ref(lever, set(levers), "lever", who, located.mark((*base, "budget", lever), key=True), problems)
            elif power.doctrine not in levers[lever].doctrines:
                problems.append(Problem(located.mark((*base, "budget", lever), key=True),
                                        f"{who}: lever '{lever}' is not open to doctrine "
                                        f"'{power.doctrine}'"))
        for policy, option in power.policies.items():
            if policy not in policies:
                _ref(policy, set(policies), "policy", who, located.mark((*base, "policies", policy), key=True),
                     problems)
                continue
            if power.doctrine not in policies[policy].doctrines:
                problems.append(Problem(located.mark((*base, "policies", policy), key=True),
                                        f"{who}: policy '{policy}' is not open to doctrine "
                                        f"'{power.doctrine}'"))
            options = [o.id for o in policies[policy].options]
            if option not in options:
                problems.append(Problem(located.mark((*base, "policies", policy)),
                                        f"{who}: policy '{policy}' has no option '{option}'"
                                        f"{suggest(option, options)}; options: {', '.join(options)}"))
    regions: list[schema.RegionDef] = []
    known_regions = {r.id: r for r in rules.regions}
    fields = list(schema.RegionDef.model_fields)
    playable: list[str] = []
    for index, setup in enumerate(spec.regions):
        given = {k: v for k, v in setup.model_dump().items() if v is not None and k in fields}
        if setup.id in known_regions:
            merged = known_regions[setup.id].model_dump() | given
        else:
            missing = [f for f in ("name", "gdp", "growth", "population", "internet", "autocracy")
                       if f not in given]
            if missing:
                hint = suggest(setup.id, known_regions)
                problems.append(Problem(located.mark(("regions", index)),
                                        f"region '{setup.id}' is not in regions.yaml{hint}, so it "
                                        f"needs its own {', '.join(missing)}"))
                continue
            merged = given
        for table in ("alignment", "adoption", "ties"):
            if table not in given:  # defaults from regions.yaml may name powers not in play
                merged[table] = {k: v for k, v in merged.get(table, {}).items() if k in power_ids}
        region = schema.RegionDef.model_validate(merged)
        for table in ("alignment", "adoption", "ties"):
            for pid in getattr(region, table):
                if pid not in power_ids:
                    problems.append(Problem(located.mark(("regions", index, table, pid), key=True),
                                            f"region '{region.id}': {table} names unknown power "
                                            f"'{pid}'{suggest(pid, power_ids)}"))
        regions.append(region)
        if setup.playable:
            playable.append(region.id)
    coefficients = {g: {k: c.value for k, c in params.items()} for g, params in rules.mechanics.items()}
    for group, values in spec.overrides.items():
        if group not in coefficients:
            problems.append(Problem(located.mark(("overrides", group), key=True),
                                    f"{owner}: unknown mechanic '{group}'{suggest(group, coefficients)}"))
            continue
        for name, value in values.items():
            declared = rules.mechanics[group].get(name)
            if declared is None:
                problems.append(Problem(located.mark(("overrides", group, name), key=True),
                                        f"{owner}: unknown coefficient '{group}.{name}'"
                                        f"{suggest(name, rules.mechanics[group])}"))
            elif not declared.range[0] <= value <= declared.range[1]:
                problems.append(Problem(located.mark(("overrides", group, name)),
                                        f"{owner}: override {group}.{name} = {value} is outside its "
                                        f"declared range {list(declared.range)}"))
            else:
                coefficients[group][name] = float(value)
    spec, found = history_problems(path, spec, located, rules, [r.id for r in regions])
    problems.extend(found)
    if problems:
        raise RulesError(problems)
    return Scenario(path=path, spec=spec, rules=rules, regions=regions,
                    coefficients=coefficients, playable_regions=playable)


def validate_paths(paths: list[Path]) -> list[Problem]:
    """Check scenario files, rules files or whole directories; return every problem found, in
    file and line order for each path. A directory holding indicators.yaml is a ruleset; any other YAML file is a
    scenario unless it is named after a rules file (events.yaml, ...)."""
    problems: list[Problem] = []
    for path in paths:
        before = len(problems)
        _validate_one(path, problems)
        problems[before:] = sorted(problems[before:], key=lambda p: (p.mark.file, p.mark.line, p.mark.col))
    unique: list[Problem] = []
    for p in problems:
        if p not in unique:
            unique.append(p)
    return unique


def _validate_one(path: Path, problems: list[Problem]) -> None:
    """Problems of one command-line path: a directory, a rules file or a scenario."""
    if path.is_dir():
        is_ruleset = (path / "indicators.yaml").exists()
        if is_ruleset:
            problems.extend(_problems_of(lambda: load_ruleset(path)))
        for child in sorted(path.glob("*.yaml")):
            if child.stem not in schema.RULE_FILES:
                problems.extend(_problems_of(lambda c=child: load_scenario(c)))
            elif not is_ruleset:
                problems.extend(_rules_file_problems(child))
    elif not path.exists():
        problems.append(Problem(Mark(str(path), 1, 1), "no such file or directory"))
    elif path.stem in schema.RULE_FILES:
        problems.extend(_rules_file_problems(path))
    else:
        problems.extend(_problems_of(lambda: load_scenario(path)))


def _rules_file_problems(path: Path) -> list[Problem]:
    """One rules file: its own shape first, then its references, read with the rest of its
    ruleset (or, for a lone file, with the rest of the standard rules)."""
    found: list[Problem] = []
    _load_one(path, schema.RULE_FILES[path.stem], found)
    if found:
        return found
    parent = path.parent.resolve()
    if (parent / "indicators.yaml").exists():
        return _problems_of(lambda: load_ruleset(parent))
    return _problems_of(lambda: _read_ruleset(RULES_DIR, replace={path.stem: path}))


def _problems_of(action: Any) -> list[Problem]:
    try:
        action()
    except RulesError as exc:
        return exc.problems
    return []
