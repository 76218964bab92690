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
    """The scenario with its history deck in place (a `deck` file's events, course and hindcast
    read in, within this scenario's years and without the powers it leaves out), and every problem
    of its history and agreements, located in the file that holds it."""
    problems = _agreement_problems(spec, located, rules)
    if spec.history is None:
        return spec, problems
    if spec.history.deck is None:
        if spec.history.absent_powers:
            problems.append(Problem(located.mark(("history", "absent_powers")),
                                    "history 'absent_powers' leaves out powers of a borrowed deck; this scenario "
                                    "has no 'deck', and its own events may name only its own powers"))
        return spec, problems + _deck_problems(spec, located, located, rules, region_ids)
    deck_path = _deck_path(path, spec.history.deck)
    deck, deck_located, deck_powers, found = _read_deck(deck_path, located)
    if found:
        return spec, problems + found
    assert deck is not None and deck_located is not None
    absent, found = _absent_problems(spec, located, deck, deck_path.name, deck_powers)
    problems += found
    # the deck's own hindcast unless this scenario gives one; kept only if it fits these years
    first, last = spec.start_year + 1, spec.end_year
    own_hindcast = spec.history.hindcast
    hindcast = own_hindcast
    if hindcast is None and deck.hindcast is not None and first <= deck.hindcast.years[0] \
            and deck.hindcast.years[1] <= last:
        hindcast = deck.hindcast
    borrowed = spec.history.model_copy(update={"events": deck.events, "course": deck.course, "hindcast": hindcast})
    problems += _deck_problems(spec.model_copy(update={"history": borrowed}), deck_located, located, rules,
                               region_ids, absent=absent, hindcast_at=located if own_hindcast else deck_located)
    return spec.model_copy(update={"history": _played(borrowed, absent, first, last)}), problems


def _played(history: schema.HistorySpec, absent: set[str], first: int, last: int) -> schema.HistorySpec:
    """A borrowed deck as this scenario plays it: within its years (a shorter scenario, a shorter
    history) and without the powers it leaves out. An event left with nothing to do here (all its
    effects on absent powers, no dilemma) does not happen, so its headline is not shown either."""
    events = []
    for event in history.events:
        if not first <= event.year <= last or event.power in absent:
            continue
        effects = [e for e in event.effects if e.power not in absent]
        if effects or event.choices:
            events.append(event.model_copy(update={"effects": effects}))
    course = [c for c in history.course if first <= c.year <= last and c.power not in absent]
    hindcast = history.hindcast
    if hindcast is not None:
        series = [s for s in hindcast.series if s.power not in absent]
        hindcast = hindcast.model_copy(update={"series": series}) if series else None
    return history.model_copy(update={"events": events, "course": course, "hindcast": hindcast})


def _absent_problems(spec: schema.ScenarioFile, located: Located, deck: schema.HistorySpec, deck_name: str,
                     deck_powers: list[str]) -> tuple[set[str], list[Problem]]:
    """The deck's powers this scenario leaves out, and the problems of that list: a name that is
    not a power of the deck's scenario (a typo), a power that is in play after all, and a power the
    deck acts on that is neither in play nor listed (its history would vanish unnoticed)."""
    assert spec.history is not None
    problems: list[Problem] = []
    here = [p.id for p in spec.powers]
    absent: set[str] = set()
    for index, name in enumerate(spec.history.absent_powers):
        mark = located.mark(("history", "absent_powers", index))
        if name in here:
            problems.append(Problem(mark, f"history 'absent_powers': '{name}' is a power of this scenario; list "
                                          "only the deck's powers this scenario leaves out"))
        elif name not in deck_powers:
            problems.append(Problem(mark, f"history 'absent_powers': '{name}' is not a power of the deck "
                                          f"'{deck_name}'{suggest(name, deck_powers)}; its powers: "
                                          f"{', '.join(deck_powers)}"))
        else:
            absent.add(name)
    named = [e.power for e in deck.events] + [f.power for e in deck.events for f in e.effects] \
        + [c.power for c in deck.course]
    missing = [p for p in deck_powers if p not in here and p not in absent and p in named]
    for name in missing:
        problems.append(Problem(located.mark(("history", "deck")),
                                f"history deck '{deck_name}' acts on power '{name}', which this scenario does "
                                f"not have; add it to history 'absent_powers' (absent_powers: [{name}]) to "
                                "leave out its parts of the deck (effects on it, dilemmas put to it, its course "
                                "and hindcast series)"))
    return absent | set(missing), problems


def _read_deck(deck_path: Path, located: Located) -> tuple[schema.HistorySpec | None, Located | None, list[str],
                                                          list[Problem]]:
    """The history block of another scenario file, shape-checked, with its positions and the ids
    of that scenario's powers."""
    mark = located.mark(("history", "deck"))
    if not deck_path.is_file():
        return None, None, [], [Problem(mark, f"history deck '{deck_path.name}': no such file next to this "
                                              "scenario nor among the shipped scenarios")]
    try:
        deck_located = load_file(deck_path, _shown(deck_path))
    except YamlSyntaxError as exc:
        return None, None, [], [Problem(exc.mark, exc.message)]
    data = deck_located.data if isinstance(deck_located.data, dict) else {}
    block = data.get("history")
    if not isinstance(block, dict) or not block.get("events"):
        return None, None, [], [Problem(mark, f"history deck '{deck_path.name}' has no 'history:' block with events")]
    if block.get("deck") is not None:
        return None, None, [], [Problem(mark, f"history deck '{deck_path.name}' takes its own deck from "
                                              "another file; name that file instead")]
    try:
        deck = schema.HistorySpec.model_validate(block)
    except ValidationError:
        return None, None, [], [Problem(mark, f"history deck '{deck_path.name}' has errors; run "
                                              f"`systemic validate {_shown(deck_path)}`")]
    powers = data.get("powers")
    ids = [str(p["id"]) for p in powers if isinstance(p, dict) and "id" in p] if isinstance(powers, list) else []
    return deck, deck_located, ids, []


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
                   region_ids: list[str], absent: set[str] | None = None,
                   hindcast_at: Located | None = None) -> list[Problem]:
    """Problems of the deck (events and course, positions in `located`, the file holding them), of
    the hindcast (positions in `hindcast_at`, default `own`) and of the scenario's own history
    settings (positions in `own`). `absent` is given for a deck borrowed from another file: the
    powers of its scenario this one leaves out may be named, and events and course steps outside
    this scenario's years are not errors (they are simply not played)."""
    history = spec.history
    assert history is not None
    problems: list[Problem] = []
    borrowed = absent is not None
    absent = absent or set()
    powers = {p.id: p for p in spec.powers}
    first, last = spec.start_year + 1, spec.end_year  # the years turns resolve
    power_ind = {i.id for i in rules.indicators if i.scope == "power"}
    region_ind = {i.id for i in rules.indicators if i.scope == "region"}
    rule_events = {e.id for e in rules.events}

    def err(path: Path_, message: str, key: bool = False) -> None:
        problems.append(Problem(located.mark(("history", *path), key=key), message))

    def power_ref(value: str, path: Path_, owner: str) -> None:
        if value not in powers and value not in absent:
            err(path, f"{owner}: unknown power '{value}'{suggest(value, powers)}; "
                      f"powers in this scenario: {', '.join(powers)}")

    def in_years(year: int, path: Path_, owner: str) -> None:
        if not borrowed and not first <= year <= last:
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
        problems += _hindcast_problems(spec, hindcast_at or own, set(powers) | absent)
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
