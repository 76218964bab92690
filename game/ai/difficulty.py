"""Difficulty levels for the desktop game, built from named handicaps.

| handicap | what it limits | weakest | strongest |
|---|---|---|---|
| `search` | search budget: none, lookahead over courses, lookahead then a search of its split | `none` | `refine` |
| `concede` | projected points of margin it gives away a decision, on average (below) | 0.8 | 0 |
| `information` | what it assumes rivals do (see below) | `blind` | `known` |
| `noise` | mistakes: a random tilt of the budget split (gamma noise of this scale) | 0.6 | 0 |
| `fog` | log-normal error on the indicators it reads before searching | 0.3 | 0 |

Information: `blind` assumes rivals keep their 2017 course, `doctrine` assumes their doctrine's
typical strategy, `known` uses a scripted rival's actual strategy (what a tournament tells it);
a searching rival has no fixed strategy and is read by its doctrine, as a human is.

| level | search | width x depth (budget) | concede | information |
|---|---|---|---|---|
| `novice` | lookahead | 6 courses (every strategy and the 2017 course) to the end | 0.8 | doctrine |
| `easy` | lookahead | 6 courses to the end | 0.5 | doctrine |
| `normal` | lookahead | 6 courses to the end | 0.25 | doctrine |
| `hard` | lookahead | 6 courses to the end | 0.1 | doctrine |
| `expert` | lookahead | 6 courses to the end | 0 | known |
| `research` | refine | 6 courses, then 2 rounds x 8 tilts of the best one's split, to the end | 0 | known |

Every level searches every course to the end of the game and the levels differ in one handicap,
`concede`: each decision it draws its course so that the projected margin it gives away against
its best course is that many points on average (mixing the two courses whose losses bracket
it). Every power gives away the same, whether its best course stands out or has close rivals,
and that is why it is the handicap the levels use: the balance lab (`systemic ladder`,
`systemic mirrors`; docs/balance/ladder/) found every other handicap it tried favouring a
doctrine when the same level holds every seat:

* errors drawn without regard to the gaps between courses cost the power whose best course
  stands out (the party-state) far more: the second-best course every decision gave China 38%
  of its present-day-2024 mirrors and 58% of its digital-leninism-2017 ones, errors of 8
  points on each course's projection 43% and 54%;
* a list of courses that leaves one out costs the doctrine that plays it: without the 2017
  course, which China plays in 40-45% of its decisions from year 10, `normal` and `hard` gave
  China 40.6-42.8% in the three-power scenarios (`expert`, which had it, 46-48%); a narrower
  list still (planner, status_quo, techno_nationalist: all party-state courses) gave China 87%;
* a horizon short of the end favours the doctrine whose courses pay off sooner, and `blind`
  underrates a rival whose 2017 course is far weaker than its best (China 65% of blind mirrors);
* budget noise and fog weaken little and lean to the democracies in the three-power scenarios;
* a scripted level's mirror is its persona's: the `planner` novice's mirror gave China 11%
  (present-day-2024) to 42% (digital-leninism-2017), and answering dilemmas at random made the
  scripted novice stronger, not weaker.

The lab can still play any of them: a level takes handicap overrides after `+`
(`hard+width=5`, `expert+misjudge=3`, `novice+search=none+noise=0.6`: the scripted novice of
before). Lab-only handicaps: `misjudge` (a normal error of this many points
on each course's projection), `doubt` (the same in standard deviations of its courses'
projections), `slip` (chance of playing the second-best course), `stick` (chance of keeping
last year's course) and `judgement` (false: a scripted level answers dilemmas at random).

`research` is the strongest level: the `refine` search (below), told scripted rivals' courses. It used to
be a cross-entropy search of the budget split alone, with policies and dilemma answers fixed by
its base persona; the balance lab found its mirrors decided by that base, not by the search
(digital-leninism-2017: planner base 33.5% Leninist, free_marketeer 56.2%, techno_nationalist
64.9%), because policies (export controls above all) move a game more than the split does. Built
on the lookahead, it chooses its course, policies included, by search as the other levels do.

The search AIs by name (the lab, session seats), each with a base persona after a colon
(`refine:planner`, the default base):

| name | what it searches | simulated per decision | wins against `lookahead` |
|---|---|---|---|
| `lookahead` | 6 courses (every strategy and the 2017 course) | 6 plans to the end | - |
| `refine` | the lookahead's course, then its split: 2 cross-entropy rounds x 8 tilts | 21 plans to the end | 56-59% |
| `cem` | its base persona's split (keeping its policies): 3 rounds x 12 splits | 36 plans to the end | weaker |

`refine` is the strongest: against `lookahead`, seats swapped, it scores 56.0% (draws counted
half) in digital-leninism-2017 and 58.6% in transatlantic-2017 under the shipped rules (`systemic
balance --personas lookahead refine --games 1600 --seed 1`), at about 0.4 s a decision in a
desktop game (`expert` 0.11 s). The `research` level plays it. Its mirrors give the party-state
53.5% (digital-leninism-2017) and 47.8% (transatlantic-2017), 2,000 games each; they gave 73%
before the balance lab found that the party-state's overstated statistics were believed abroad,
and 56% before digital-leninism-2017 got more technology luck (docs/balance/README.md, "The
refine pass" and "The luck pass").

A level plays in the style of a base persona (`hard:techno_nationalist`); the default base is
`planner`.
`make_player` turns any name the lab accepts (a persona, a
level, `lookahead`, `refine`, `cem`) into a player.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
from numpy.typing import NDArray

from game.ai.personas import PERSONAS, persona
from game.ai.search import (
    INFORMATION,
    STRATEGIC,
    TO_THE_END,
    CrossEntropy,
    Lookahead,
    PersonaPlayer,
    Player,
    Refine,
    _course_orders,
)
from game.engine.orders import BatchOrders
from game.engine.state import GameState


@dataclass(frozen=True)
class Handicap:
    """One difficulty level's handicaps."""

    search: str  # "none", "lookahead" or "refine"
    width: int  # lookahead: candidate courses; refine: tilts per round
    depth: int  # years simulated ahead
    rounds: int  # refine: cross-entropy rounds
    noise: float  # budget noise of the base persona
    information: str  # "blind", "doctrine" or "known"
    fog: float  # log-normal error on the indicators the searcher reads
    slip: float = 0.0  # lookahead: chance per decision of playing its second-best course
    misjudge: float = 0.0  # lookahead: error (points, standard deviation) on each course's projected margin
    doubt: float = 0.0  # lookahead: error on each course's margin, in standard deviations of its courses' margins
    concede: float = 0.0  # lookahead: projected points of margin it gives away a decision, on average
    stick: float = 0.0  # lookahead: chance per decision of keeping last year's course when it prefers another
    judgement: bool = True  # scripted: False answers dilemmas at random
    replan: int = 1  # lookahead: years between searches (each game keeps its chosen course between)


LEVELS: dict[str, Handicap] = {
    "novice": Handicap(search="lookahead", width=6, depth=TO_THE_END, rounds=0, noise=0.0, information="doctrine",
                       fog=0.0, concede=0.8),
    "easy": Handicap(search="lookahead", width=6, depth=TO_THE_END, rounds=0, noise=0.0, information="doctrine",
                     fog=0.0, concede=0.5),
    "normal": Handicap(search="lookahead", width=6, depth=TO_THE_END, rounds=0, noise=0.0, information="doctrine",
                       fog=0.0, concede=0.25),
    "hard": Handicap(search="lookahead", width=6, depth=TO_THE_END, rounds=0, noise=0.0, information="doctrine",
                     fog=0.0, concede=0.1),
    "expert": Handicap(search="lookahead", width=6, depth=TO_THE_END, rounds=0, noise=0.0, information="known",
                       fog=0.0),
    "research": Handicap(search="refine", width=8, depth=TO_THE_END, rounds=2, noise=0.0, information="known",
                         fog=0.0),
}

SEARCHERS = ("lookahead", "refine", "cem")


def player_names() -> list[str]:
    """Every name `make_player` accepts without a base persona."""
    return [*PERSONAS, *SEARCHERS, *LEVELS]


_TUNABLE = [f.name for f in fields(Handicap)]
SEARCHES = ("none", "lookahead", "refine")


def tuned(level: str) -> Handicap:
    """A level's handicaps with lab overrides after '+': `hard+width=6+slip=0.2` (ValueError for an
    unknown level, handicap or value)."""
    head, *changes = level.split("+")
    if head not in LEVELS:
        raise ValueError(f"unknown level '{head}'; levels are {', '.join(LEVELS)}")
    h = LEVELS[head]
    for change in changes:
        key, _, value = change.partition("=")
        if key not in _TUNABLE or not value:
            raise ValueError(f"'{change}' is not a handicap=value; handicaps are {', '.join(_TUNABLE)}")
        current = getattr(h, key)
        try:
            new: str | int | float | bool
            if isinstance(current, bool):
                if value not in ("true", "false"):
                    raise ValueError(value)
                new = value == "true"
            else:
                new = type(current)(value)
        except ValueError:
            raise ValueError(f"'{change}': {key} takes a {type(current).__name__}") from None
        h = replace(h, **{key: new})  # type: ignore[arg-type]
    if h.search not in SEARCHES:
        raise ValueError(f"search is one of {', '.join(SEARCHES)}, not '{h.search}'")
    if h.information not in INFORMATION:
        raise ValueError(f"information is one of {', '.join(INFORMATION)}, not '{h.information}'")
    return h


def make_player(name: str, base: str | None = None) -> Player:
    """A player from a name: a persona (`planner`), a search AI (`lookahead`, `refine`, `cem`) or a level
    (`hard`), optionally with a base persona after a colon (`hard:free_marketeer`).
    Unknown names raise ValueError listing the known ones."""
    head, _, tail = name.partition(":")
    base = tail or base
    if base is not None and base not in PERSONAS:
        raise ValueError(f"unknown persona '{base}'; personas are {', '.join(PERSONAS)}")
    if head in PERSONAS and not tail:
        return PersonaPlayer(persona(head))
    if head == "lookahead":
        return Lookahead(base=base or "planner", name=name)
    if head == "refine":
        return Refine(base=base or "planner", name=name)
    if head == "cem":
        return CrossEntropy(base=base or "planner", name=name)
    if head.split("+")[0] in LEVELS:
        return level_player(head, base or "planner", name)
    raise ValueError(f"unknown player '{name}'; players are {', '.join(player_names())} "
                     "(levels and search AIs take a base persona: hard:planner)")


def level_player(level: str, base: str, name: str | None = None) -> Player:
    """The player of a difficulty level in the style of `base`."""
    h = tuned(level)
    style = replace(persona(base), noise=h.noise)
    label = name or f"{level}:{base}"
    if h.search == "none":
        return PersonaPlayer(style, name=label) if h.judgement else Careless(style, name=label)
    # holding the 2017 course is the course a narrower search leaves out first: every strategy
    # stays, so no doctrine loses its best course (a list that cut strategies instead, ending
    # with standards_diplomat, cost the democracies theirs)
    courses = (base, *[c for c in (*STRATEGIC, "status_quo") if c != base])
    if h.search == "lookahead" and (h.slip > 0 or h.misjudge > 0 or h.doubt > 0 or h.stick > 0 or h.concede > 0):
        return Fallible(candidates=courses[: h.width], depth=h.depth, information=h.information, fog=h.fog,
                        base=base, noise=h.noise, name=label, slip=h.slip, misjudge=h.misjudge, doubt=h.doubt,
                        stick=h.stick, concede=h.concede, replan=h.replan)
    if h.search == "lookahead":
        return Lookahead(candidates=courses[: h.width], depth=h.depth, information=h.information, fog=h.fog,
                         base=base, noise=h.noise, name=label, replan=h.replan)
    return Refine(candidates=courses, depth=h.depth, information=h.information, fog=h.fog, base=base,
                  noise=h.noise, population=h.width, iterations=h.rounds, name=label)


class Careless(PersonaPlayer):
    """A scripted player without judgement of dilemmas: it answers each at random."""

    def decide_batch(self, state: GameState, power: int, rng: np.random.Generator,
                     orders: BatchOrders) -> None:
        super().decide_batch(state, power, rng, orders)
        pending = state.pending[:, power]
        counts = state.world.choice_count[np.maximum(pending, 0)]
        orders.answer[:, power] = np.where(pending >= 0, rng.integers(0, 1 << 30, size=state.batch) % counts, -1)


@dataclass
class Fallible(Lookahead):
    """A lookahead that errs: it misjudges each course's projected margin by `misjudge` points
    (a normal error, drawn anew for each course and decision) and, with chance `slip`, plays the
    course it ranks second. Both err the same way for every doctrine."""

    slip: float = 0.0
    misjudge: float = 0.0
    doubt: float = 0.0
    stick: float = 0.0
    concede: float = 0.0

    def __post_init__(self) -> None:
        super().__post_init__()
        self._last: NDArray[np.int64] | None = None  # last year's course per game

    def choose(self, margins: NDArray[np.float64], rng: np.random.Generator) -> NDArray[np.int64]:
        """The course played in each game, from the (courses, games) projected margins."""
        if self.misjudge > 0:
            margins = margins + rng.normal(0.0, self.misjudge, size=margins.shape)
        if self.doubt > 0:
            margins = margins + self.doubt * margins.std(axis=0) * rng.standard_normal(margins.shape)
        ranked = np.argsort(-margins, axis=0, kind="stable")
        course = ranked[0]
        if self.concede > 0:
            course = _conceding(margins, ranked, self.concede, rng)
        if self.slip > 0 and ranked.shape[0] > 1:
            course = np.where(rng.random(margins.shape[1]) < self.slip, ranked[1], course)
        return np.asarray(course, dtype=np.int64)

    def decide_batch(self, state: GameState, power: int, rng: np.random.Generator,
                     orders: BatchOrders) -> None:
        course = self.choose(self.projected(state, power, rng), rng)
        if self.stick > 0:
            if self._last is not None and self._last.shape == course.shape and state.turn > 0:
                course = np.where(rng.random(course.size) < self.stick, self._last, course)
            self._last = course
        _course_orders(state, power, self._people, course, rng, orders)


def _conceding(margins: NDArray[np.float64], ranked: NDArray[np.int64], concede: float,
               rng: np.random.Generator) -> NDArray[np.int64]:
    """Per game, a course drawn so that the projected margin it gives away is `concede` points on
    average: the two courses whose losses against the best bracket `concede`, mixed to that
    mean (the worst course where every course is within `concede` of the best). Every power
    gives away the same, whether its best course stands out or has close rivals; an error
    drawn without regard to the gaps (a random or second-best course) costs the power whose
    best course stands out far more."""
    games = np.arange(margins.shape[1])
    loss = margins[ranked[0], games][None, :] - margins[ranked, games[None, :]]  # (K, B), ascending
    above = loss >= concede
    hi = np.where(above.any(axis=0), above.argmax(axis=0), loss.shape[0] - 1)
    lo = np.maximum(hi - 1, 0)
    l_hi, l_lo = loss[hi, games], loss[lo, games]
    p_hi = np.where(l_hi > l_lo, (concede - l_lo) / np.maximum(l_hi - l_lo, 1e-12), 1.0)
    pick = np.where(rng.random(games.size) < np.clip(p_hi, 0.0, 1.0), hi, lo)
    return np.asarray(ranked[pick, games], dtype=np.int64)
