"""Difficulty levels for the desktop game, built from named handicaps.

| handicap | what it limits | weakest | strongest |
|---|---|---|---|
| `search` | search budget: none, lookahead over courses, lookahead then a search of its split | `none` | `refine` |
| `noise` | mistakes: a random tilt of the budget split (gamma noise of this scale) | 0.6 | 0 |
| `information` | what it assumes rivals do (see below) | `blind` | `known` |
| `fog` | log-normal error on the indicators it reads before searching | 0.3 | 0 |

Information: `blind` assumes rivals keep their 2017 course, `doctrine` assumes their doctrine's
typical strategy, `known` uses a scripted rival's actual strategy (what a tournament tells it);
a searching rival has no fixed strategy and is read by its doctrine, as a human is.

| level | search | width x depth (budget) | noise | information | fog |
|---|---|---|---|---|---|
| `novice` | none | - | 0.6 | blind | 0.3 |
| `easy` | none | - | 0.3 | blind | 0.15 |
| `normal` | lookahead | 5 courses (every strategy) to the end | 0.1 | doctrine | 0.1 |
| `hard` | lookahead | 5 courses (every strategy) to the end | 0 | doctrine | 0 |
| `expert` | lookahead | 6 courses (and the 2017 course) to the end | 0 | known | 0 |
| `research` | refine | 6 courses, then 2 rounds x 8 tilts of the best one's split, to the end | 0 | known | 0 |

Every searching lookahead level weighs every strategy and judges it by the final score, and none
plays `blind`: the balance lab found that each of those handicaps favours one doctrine when the same
level holds every seat (docs/balance/mirrors/mirrors.md). A narrower candidate list leaves out some
doctrine's best course (the first three, planner, status_quo and techno_nationalist, are all
party-state courses: China won 87% of normal-vs-normal games), a horizon short of the end
favours the doctrine whose courses pay off sooner, and `blind` underrates a rival whose 2017
course is far weaker than its best (China 65% of blind mirrors). The levels differ in mistakes,
fog and what they know of their rivals; searching to the end, those handicaps weaken them
little (docs/balance/README.md), and a handicap that weakens without favouring a doctrine is
still to be found.

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

from dataclasses import dataclass, replace

from game.ai.personas import PERSONAS, persona
from game.ai.search import STRATEGIC, TO_THE_END, CrossEntropy, Lookahead, PersonaPlayer, Player, Refine


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
    replan: int = 1  # lookahead: years between searches (each game keeps its chosen course between)


LEVELS: dict[str, Handicap] = {
    "novice": Handicap(search="none", width=0, depth=0, rounds=0, noise=0.6, information="blind", fog=0.3),
    "easy": Handicap(search="none", width=0, depth=0, rounds=0, noise=0.3, information="blind", fog=0.15),
    "normal": Handicap(search="lookahead", width=5, depth=TO_THE_END, rounds=0, noise=0.1, information="doctrine",
                       fog=0.1),
    "hard": Handicap(search="lookahead", width=5, depth=TO_THE_END, rounds=0, noise=0.0, information="doctrine",
                     fog=0.0),
    "expert": Handicap(search="lookahead", width=6, depth=TO_THE_END, rounds=0, noise=0.0, information="known",
                       fog=0.0),
    "research": Handicap(search="refine", width=8, depth=TO_THE_END, rounds=2, noise=0.0, information="known",
                         fog=0.0),
}

SEARCHERS = ("lookahead", "refine", "cem")


def player_names() -> list[str]:
    """Every name `make_player` accepts without a base persona."""
    return [*PERSONAS, *SEARCHERS, *LEVELS]


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
    if head in LEVELS:
        return level_player(head, base or "planner", name)
    raise ValueError(f"unknown player '{name}'; players are {', '.join(player_names())} "
                     "(levels and search AIs take a base persona: hard:planner)")


def level_player(level: str, base: str, name: str | None = None) -> Player:
    """The player of a difficulty level in the style of `base`."""
    h = LEVELS[level]
    style = replace(persona(base), noise=h.noise)
    label = name or f"{level}:{base}"
    if h.search == "none":
        return PersonaPlayer(style, name=label)
    # holding the 2017 course is the course a narrower search leaves out first: every strategy
    # stays, so no doctrine loses its best course (a list that cut strategies instead, ending
    # with standards_diplomat, cost the democracies theirs)
    courses = (base, *[c for c in (*STRATEGIC, "status_quo") if c != base])
    if h.search == "lookahead":
        return Lookahead(candidates=courses[: h.width], depth=h.depth, information=h.information, fog=h.fog,
                         base=base, noise=h.noise, name=label, replan=h.replan)
    return Refine(candidates=courses, depth=h.depth, information=h.information, fog=h.fog, base=base,
                  noise=h.noise, population=h.width, iterations=h.rounds, name=label)
