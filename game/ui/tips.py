"""Plain-language texts for the screens: indicator values, tooltips and cause lists.

Tooltips come from the rules files (`description`, `drivers`, `research`), so a modder's new
indicator or lever is explained in the game without touching the UI.
"""

from __future__ import annotations

from html import escape

from game.engine import World
from game.rules.schema import IndicatorDef
from game.wording import PERCENT_UNITS as PERCENT_UNITS  # the screens read it from here
from game.wording import fmt_change as fmt_unit_change
from game.wording import fmt_value


def indicator_def(world: World, indicator: str) -> IndicatorDef:
    return world.scenario.rules.indicator(indicator)


def name_of(world: World, indicator: str) -> str:
    return str(indicator_def(world, indicator).name)


def fmt(world: World, indicator: str, value: float) -> str:
    """A value as a player reads it: 6.9%, $12.31 tn, 64/100, 4 firms (the web pages use the same)."""
    return fmt_value(indicator_def(world, indicator).unit, value)


def fmt_change(world: World, indicator: str, delta: float) -> str:
    """A change: percentages in percentage points, levels in their own terms."""
    return fmt_unit_change(indicator_def(world, indicator).unit, delta)


def good_change(world: World, indicator: str, delta: float) -> bool | None:
    """Whether a change is good news (None if negligible)."""
    if abs(delta) < 1e-6:
        return None
    return (delta > 0) == bool(indicator_def(world, indicator).higher_is_better)


def indicator_tip(world: World, indicator: str) -> str:
    """Tooltip of an indicator: what it is, what drives it, the research."""
    d = indicator_def(world, indicator)
    text = f"<b>{escape(d.name)}</b><br>{escape(d.description)}<br><b>Driven by:</b> {escape(d.drivers)}"
    text += f"<br><b>Unit:</b> {escape(d.unit)}, from {d.bounds[0]:g} to {d.bounds[1]:g}" if d.unit == "index" else ""
    if d.research:
        text += f"<br><i>Research: {escape(d.research)}</i>"
    return text + "<br>Click to see why it changed."


# What a lever's channel builds, in a player's words (the rules name channels by short ids: "ai").
CHANNEL_WORDS = {"coverage": "digital coverage (data centres, 5G, fibre)", "ai": "AI capability",
                 "champion": "digital champions", "standards": "your standards abroad",
                 "services": "digital public services", "export": "infrastructure ties abroad",
                 "surveillance": "surveillance and scoring", "data_hub": "a state data hub",
                 "censorship": "information control", "privacy": "privacy protection",
                 "antitrust": "competition (breaking up data oligopolies)", "cyber": "cyber and election security"}


def lever_tip(world: World, lever: str) -> str:
    d = next(x for x in world.scenario.rules.levers if x.id == lever)
    text = f"<b>{escape(d.name)}</b><br>{escape(d.description)}"
    buys = ", ".join(CHANNEL_WORDS.get(k, k.replace("_", " ")) for k in d.channels)
    text += f"<br><b>Builds:</b> {escape(buys)}; wears off {100 * d.depreciation:.0f}% a year."
    if d.research:
        text += f"<br><i>Research: {escape(d.research)}</i>"
    return text


def policy_tip(world: World, policy: str) -> str:
    d = next(x for x in world.scenario.rules.policies if x.id == policy)
    text = f"<b>{escape(d.name)}</b><br>{escape(d.description)}<br>"
    text += "<br>".join(f"<b>{escape(o.name)}:</b> {escape(o.description)}" for o in d.options)
    if d.research:
        text += f"<br><i>Research: {escape(d.research)}</i>"
    return text


def lever_name(world: World, lever: str) -> str:
    return next(x.name for x in world.scenario.rules.levers if x.id == lever)


def policy_name(world: World, policy: str) -> str:
    return next(x.name for x in world.scenario.rules.policies if x.id == policy)


def option_name(world: World, policy: str, option: str) -> str:
    d = next(x for x in world.scenario.rules.policies if x.id == policy)
    return next(o.name for o in d.options if o.id == option)


def agreement_tip(world: World, agreement: str) -> str:
    d = next(x for x in world.scenario.rules.agreements if x.id == agreement)
    return f"<b>{escape(d.name)}</b><br>{escape(d.description)}"


def causes_text(world: World, causes: list[tuple[str, float]], indicator: str, limit: int = 6) -> str:
    """The engine's causes of a change, largest first, as 'cause +x' lines (game.explain's)."""
    from game.explain import causes_line
    return causes_line(world, causes, indicator, limit)


# ------------------------------------------------------------------ AI seats and difficulty
LEVEL_NAMES = {"novice": "Novice", "easy": "Easy", "normal": "Normal", "hard": "Hard", "expert": "Expert",
               "research": "Research"}
DEFAULT_LEVEL = "normal"  # what a new player expects to face first


def level_tip(level: str) -> str:
    """A difficulty level in plain words, read off its handicaps (game/ai/difficulty.py)."""
    from game.ai.difficulty import LEVELS
    from game.ai.search import TO_THE_END
    h = LEVELS[level]
    horizon = "to the end of the game" if h.depth >= TO_THE_END else f"{h.depth} years ahead"
    if h.search == "none":
        think = "Follows its persona's playbook without looking ahead."
    elif h.search == "lookahead" and h.concede > 0:
        think = (f"Weighs {h.width} courses by simulating each {horizon}, but settles for a course about "
                 f"{h.concede:g} points short of the best one each year.")
    elif h.search == "lookahead":
        think = f"Weighs {h.width} courses by simulating each {horizon}, then plays the best."
    else:
        think = (f"Weighs every course by simulating it {horizon}, then searches the best one's budget "
                 f"split ({h.rounds} rounds of {h.width} variants); the strongest level.")
    mistakes = ("" if h.noise <= 0 and h.concede > 0 else "Makes no careless mistakes." if h.noise <= 0 else
                f"Makes {'many' if h.noise >= 0.5 else 'some' if h.noise >= 0.2 else 'a few'} careless "
                "budget mistakes.")
    rivals = {"blind": "Assumes rivals keep their 2017 course.",
              "doctrine": "Expects rivals to play their doctrine's usual strategy.",
              "known": "Knows the AI rivals' strategies (reads a human rival by its doctrine)."}[h.information]
    sight = ("Reads the indicators exactly." if h.fog <= 0 else
             f"Misreads the indicators by about {100 * h.fog:.0f}%.")
    return " ".join(x for x in (f"<b>{LEVEL_NAMES.get(level, level)}</b>: {think}", mistakes, rivals, sight) if x)


def seat_text(who: str) -> str:
    """A seat as the dashboard names it: "a human player", "AI planner", "AI hard, planner"."""
    if who == "human":
        return "a human player"
    level, _, base = who.partition(":")
    if base:
        return f"AI {level}, {base.replace('_', ' ')}"
    return f"AI {who.replace('_', ' ')}"


def seat_summary(who: str) -> str:
    """The persona's summary and, for a level, what the level does."""
    from game.ai.difficulty import LEVELS
    from game.ai.personas import PERSONAS
    if who == "human":
        return "Another player at this computer."
    level, _, base = who.partition(":")
    if level in PERSONAS and not base:
        return escape(PERSONAS[level].summary)
    style = PERSONAS.get(base or "planner")
    text = level_tip(level) if level in LEVELS else f"Search AI ({escape(level)})."
    return text + (f"<br>Style: {escape(style.summary)}" if style else "")
