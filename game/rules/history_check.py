"""Checks of a scenario's history deck against the scenario itself: every event dated inside the
scenario's years, every power and region it names in play, every hindcast series complete.
Each problem is located in the scenario file (`file:line:col`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from game.rules import schema
from game.rules.validator import Problem, suggest
from game.rules.yamlpos import Located, Path_, YamlSyntaxError, load_file

if TYPE_CHECKING:
    from game.rules.loader import Ruleset

# Indicators the engine recomputes from scratch every year: a scheduled effect on them would be
# overwritten by the mechanics, so history acts on stocks (and on growth, as an output shock).
# The same list as game.engine.world.DERIVED, which the rules package cannot import.
RECOMPUTED = frozenset({"reported_growth", "gdp_per_capita", "efficiency", "planning_share",
                        "information_gap", "grievance", "stability", "standards_share",
                        "model_adoption", "decoupling"})


def history_problems(path: Path, spec: schema.ScenarioFile, located: Located, rules: Ruleset,
                     region_ids: list[str]) -> tuple[schema.ScenarioFile, list[Problem]]:
    """The scenario with its history deck in place (a `deck` file's events and course read in),
    and every problem of its history and agreements, located in the file that holds it."""
    problems = _agreement_problems(spec, located, rules)
    if spec.history is None:
        return spec, problems
    where = located
    if spec.history.deck is not None:
        deck_path = _deck_path(path, spec.history.deck)
        deck, deck_located, found = _read_deck(deck_path, located)
        if found:
            return spec, problems + found
        assert deck is not None and deck_located is not None
        # a borrowed deck plays within this scenario's years (a shorter scenario, a shorter history)
        first, last = spec.start_year + 1, spec.end_year
        events = [e for e in deck.events if first <= e.year <= last]
        course = [c for c in deck.course if first <= c.year <= last]
        history = spec.history.model_copy(update={"events": events, "course": course})
        spec = spec.model_copy(update={"history": history})
        where = deck_located
    problems += _deck_problems(spec, where, located, rules, region_ids)
    return spec, problems


def _read_deck(deck_path: Path, located: Located) -> tuple[schema.HistorySpec | None, Located | None, list[Problem]]:
    """The history block of another scenario file, shape-checked, with its positions."""
    mark = located.mark(("history", "deck"))
    if not deck_path.is_file():
        return None, None, [Problem(mark, f"history deck '{deck_path.name}': no such file next to this scenario "
                                          "nor among the shipped scenarios")]
    try:
        deck_located = load_file(deck_path, _shown(deck_path))
    except YamlSyntaxError as exc:
        return None, None, [Problem(exc.mark, exc.message)]
    block = deck_located.data.get("history") if isinstance(deck_located.data, dict) else None
    if not isinstance(block, dict) or not block.get("events"):
        return None, None, [Problem(mark, f"history deck '{deck_path.name}' has no 'history:' block with events")]
    if block.get("deck") is not None:
        return None, None, [Problem(mark, f"history deck '{deck_path.name}' takes its own deck from "
                                          "another file; name that file instead")]
    try:
        deck = schema.HistorySpec.model_validate(block)
    except ValidationError:
        return None, None, [Problem(mark, f"history deck '{deck_path.name}' has errors; run "
                                          f"`systemic validate {_shown(deck_path)}`")]
    return deck, deck_located, []


def _deck_path(scenario: Path, deck: str) -> Path:
    """A deck file next to the scenario, else a shipped scenario of that name (so a copy of a
    shipped scenario placed elsewhere keeps its deck)."""
    from game.rules.loader import SCENARIOS_DIR  # the loader imports this module: import on use
    here = scenario.parent / deck
    shipped = SCENARIOS_DIR / deck
    return here if here.is_file() or not shipped.is_file() else shipped


def _shown(path: Path) -> str:
    from game.rules.loader import _display  # the loader imports this module: import on use
    return _display(path)


def _deck_problems(spec: schema.ScenarioFile, located: Located, own: Located, rules: Ruleset,
                   region_ids: list[str]) -> list[Problem]:
    """Problems of the deck (events and course, positions in `located`, the file holding them) and
    of the scenario's own history settings (positions in `own`)."""
    history = spec.history
    assert history is not None
    problems: list[Problem] = []
    powers = {p.id: p for p in spec.powers}
    first, last = spec.start_year + 1, spec.end_year  # the years turns resolve
    power_ind = {i.id for i in rules.indicators if i.scope == "power"}
    region_ind = {i.id for i in rules.indicators if i.scope == "region"}
    rule_events = {e.id for e in rules.events}

    def err(path: Path_, message: str, key: bool = False) -> None:
        problems.append(Problem(located.mark(("history", *path), key=key), message))

    def power_ref(value: str, path: Path_, owner: str) -> None:
        if value not in powers:
            err(path, f"{owner}: unknown power '{value}'{suggest(value, powers)}; "
                      f"powers in this scenario: {', '.join(powers)}")

    def in_years(year: int, path: Path_, owner: str) -> None:
        if not first <= year <= last:
            err(path, f"{owner}: dated {year}, outside the years of scenario '{spec.id}' (turns "
                      f"resolve {first}-{last})")

    seen: dict[str, int] = {}
    dilemma_at: dict[tuple[str, int], str] = {}
    for index, event in enumerate(history.events):
        base: Path_ = ("events", index)
        owner = f"history event '{event.id}'"
        if event.id in seen or event.id in rule_events:
            err((*base, "id"), f"{owner}: duplicate id (event ids must be unique, also against "
                               "the ruleset's events)")
        seen.setdefault(event.id, index)
        in_years(event.year, (*base, "year"), owner)
        if event.power is not None:
            power_ref(event.power, (*base, "power"), owner)
        for e_index, effect in enumerate(event.effects):
            where: Path_ = (*base, "effects", e_index)
            if effect.power is not None:
                power_ref(effect.power, (*where, "power"), owner)
            for r_index, region in enumerate(effect.regions):
                if region not in region_ids:
                    err((*where, "regions", r_index), f"{owner}: unknown region '{region}'"
                        f"{suggest(region, region_ids)}; regions in this scenario: {', '.join(region_ids)}")
            if effect.scope == "regions":
                if effect.target not in region_ind:
                    err((*where, "target"), f"{owner}: '{effect.target}' is not a region indicator "
                                            f"(one of: {', '.join(sorted(region_ind))})")
            elif effect.target not in power_ind:
                err((*where, "target"), f"{owner}: unknown indicator '{effect.target}'"
                                        f"{suggest(effect.target, power_ind)}")
            elif effect.target in RECOMPUTED:
                err((*where, "target"), f"{owner}: '{effect.target}' is recomputed every year, so "
                                        "a scheduled effect on it would vanish; act on a stock "
                                        "(legitimacy, bubble, ...) or on growth (an output shock)")
        if event.choices:
            ids = [c.id for c in event.choices]
            if event.historical is not None and event.historical not in ids:
                err((*base, "historical"), f"{owner}: no choice '{event.historical}'"
                                           f"{suggest(event.historical, ids)}; choices: {', '.join(ids)}")
            if len(set(ids)) != len(ids):
                err((*base, "choices"), f"{owner}: duplicate choice ids")
            for c_index, choice in enumerate(event.choices):
                for e_index, ceff in enumerate(choice.effects):
                    where = (*base, "choices", c_index, "effects", e_index)
                    allowed = region_ind if ceff.scope == "regions" else power_ind
                    if ceff.target not in allowed:
                        err((*where, "target"), f"{owner}, choice '{choice.id}': unknown "
                                                f"{'region ' if ceff.scope == 'regions' else ''}indicator "
                                                f"'{ceff.target}'{suggest(ceff.target, allowed)}")
                    if ceff.fade_turns and ceff.scope != "self":
                        err((*where, "fade_turns"), f"{owner}, choice '{choice.id}': fade_turns works "
                                                    "only for scope 'self'")
            if event.power is not None:
                slot = (event.power, event.year)
                if slot in dilemma_at:
                    err((*base, "year"), f"{owner}: '{dilemma_at[slot]}' already puts a dilemma to "
                                         f"{event.power} in {event.year}; a power faces one dilemma a year")
                dilemma_at.setdefault(slot, event.id)
    if history.until is not None and not spec.start_year + 1 <= history.until <= spec.end_year:
        problems.append(Problem(own.mark(("history", "until")), f"history 'until': {history.until} is outside "
                                f"the years of scenario '{spec.id}' (turns resolve {first}-{last})"))
    policies = {p.id: p for p in rules.policies}
    for index, step in enumerate(history.course):
        base = ("course", index)
        owner = f"history course #{index + 1}"
        in_years(step.year, (*base, "year"), owner)
        power_ref(step.power, (*base, "power"), owner)
        for policy, option in step.policies.items():
            if policy not in policies:
                err((*base, "policies", policy), f"{owner}: unknown policy '{policy}'"
                                                 f"{suggest(policy, policies)}", key=True)
                continue
            options = [o.id for o in policies[policy].options]
            if option not in options:
                err((*base, "policies", policy), f"{owner}: policy '{policy}' has no option "
                                                 f"'{option}'{suggest(option, options)}; options: {', '.join(options)}")
            setup = powers.get(step.power)
            if setup is not None and setup.doctrine not in policies[policy].doctrines:
                err((*base, "policies", policy), f"{owner}: policy '{policy}' is not open to "
                                                 f"{step.power}'s doctrine", key=True)
    if history.hindcast is not None:
        problems += _hindcast_problems(spec, own, set(powers))
    return problems


def _hindcast_problems(spec: schema.ScenarioFile, located: Located, powers: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    first, last = spec.start_year + 1, spec.end_year
    hc = spec.history.hindcast if spec.history is not None else None
    assert hc is not None

    def err(path: Path_, message: str) -> None:
        problems.append(Problem(located.mark(("history", *path)), message))

    def in_years(year: int, path: Path_, owner: str) -> None:
        if not first <= year <= last:
            err(path, f"{owner}: dated {year}, outside the years of scenario '{spec.id}' (turns "
                      f"resolve {first}-{last})")

    lo, hi = hc.years
    if lo > hi:
        err(("hindcast", "years"), f"hindcast years [{lo}, {hi}]: the first comes after the last")
    for year, path in ((lo, ("hindcast", "years", 0)), (hi, ("hindcast", "years", 1))):
        in_years(year, path, "hindcast")
    for index, series in enumerate(hc.series):
        base = ("hindcast", "series", index)
        owner = f"hindcast series #{index + 1} ({series.power} {series.indicator})"
        if series.power not in powers:
            err((*base, "power"), f"{owner}: unknown power '{series.power}'{suggest(series.power, powers)}")
        missing = [y for y in range(lo, hi + 1) if y not in series.values]
        if missing:
            err((*base, "values"), f"{owner}: no value for {', '.join(map(str, missing))}; a series "
                                   f"needs every year of the hindcast ({lo}-{hi})")
    return problems


def _agreement_problems(spec: schema.ScenarioFile, located: Located, rules: Ruleset) -> list[Problem]:
    """Agreements in force at the start: known agreements between two powers in play whose
    doctrines may sign them."""
    problems: list[Problem] = []
    doctrine = {p.id: p.doctrine for p in spec.powers}
    known = {a.id: a for a in rules.agreements}
    for index, entry in enumerate(spec.agreements):
        base: Path_ = ("agreements", index)
        if entry.id not in known:
            problems.append(Problem(located.mark((*base, "id")), f"agreement in force: unknown agreement "
                                                                 f"'{entry.id}'{suggest(entry.id, known)}"))
            continue
        for p_index, power in enumerate(entry.powers):
            where = located.mark((*base, "powers", p_index))
            if power not in doctrine:
                problems.append(Problem(where, f"agreement '{entry.id}': unknown power '{power}'"
                                               f"{suggest(power, doctrine)}"))
            elif doctrine[power] not in known[entry.id].doctrines:
                problems.append(Problem(where, f"agreement '{entry.id}' is not open to {power}'s doctrine "
                                               f"'{doctrine[power]}'"))
        if len(set(entry.powers)) != 2:
            problems.append(Problem(located.mark((*base, "powers")),
                                    f"agreement '{entry.id}': needs two different powers"))
    return problems
