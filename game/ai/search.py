"""Search AIs: they look ahead with the batched engine instead of following a fixed script.

* `Lookahead` scores candidate order sets (each candidate persona's orders, continued for a few
  years) by simulating every candidate for every game of the batch in one engine call a year,
  all candidates on the same luck, and plays the candidate with the best projected score margin.
* `CrossEntropy` searches the budget split itself: for each game it samples a population of
  lever splits around its current plan, simulates them all at once, refits the sampling
  distribution to the elite and repeats (the cross-entropy method, Rubinstein 1999).
* `Refine` is the lookahead and then a cross-entropy search around its choice: it tilts the chosen
  course's budget split and judges every tilt to the end of the game on the lookahead's own
  future (the same luck and rival models), keeping the untilted course in the population, so it
  never projects a smaller margin than the lookahead. It beats the lookahead head to head.

All of them simulate with one loop, `Future.rollout`: candidates x games on the game axis, each
game copied once per plan, every copy meeting the game's luck (the engine takes the year's luck
as an input, game/engine/luck.py), so a decision costs one engine call per simulated year (per
refine round) instead of one per plan and year. They see the world through an opponent
model (what they assume rivals will do: the information handicap) and optional fog on the
indicators they read; all decide for a whole batch of games at once, like the personas, and
give the same orders a person would.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, cast

import numpy as np
from numpy.typing import NDArray

from game.ai.personas import Persona, decide_batch, decide_courses, persona, together
from game.engine import rules_of_play as play
from game.engine.luck import Luck
from game.engine.orders import BatchOrders
from game.engine.resolve import resolve
from game.engine.score import scores as scored
from game.engine.state import GameState

# What a player assumes about a rival it cannot read, by the rival's doctrine.
DOCTRINE_MODEL = {"digital_leninist": "planner", "liberal_democracy": "free_marketeer"}
STRATEGIC = ("planner", "techno_nationalist", "surveillance_hawk", "free_marketeer", "standards_diplomat")
INFORMATION = ("blind", "doctrine", "known")
# Years a searcher simulates: the longest shipped scenario, so the search judges a course by the
# final score, the one that decides the game. Searchers judging by the score 2-4 years ahead
# favoured whichever doctrine's courses pay off sooner (the balance lab measured lookahead mirrors
# at 70-88% for China in digital-leninism-2017 and 25-35% in transatlantic-2017).
TO_THE_END = 18


class Player(Protocol):
    """Anything that writes one power's orders for a whole batch of games."""

    name: str
    persona: Persona

    def decide_batch(self, state: GameState, power: int, rng: np.random.Generator,
                     orders: BatchOrders) -> None: ...


@dataclass
class PersonaPlayer:
    """A scripted persona as a player (the tournament's common currency)."""

    persona: Persona
    name: str = ""

    def __post_init__(self) -> None:
        self.name = self.name or self.persona.name

    def decide_batch(self, state: GameState, power: int, rng: np.random.Generator,
                     orders: BatchOrders) -> None:
        decide_batch(state, power, self.persona, rng, orders)


def known_course(player: Player) -> Persona | None:
    """What 'known' information tells a searcher about a player: a scripted persona's course. A
    searcher has no fixed course (it re-plans every year; its persona is only its style), so it
    is read by its doctrine, like a human. Told that an expert rival would play its planner
    style, expert searchers misjudged each other (the party-state expert mirror fell to 44%)."""
    return player.persona if isinstance(player, PersonaPlayer) else None


def opponent_models(state: GameState, power: int, information: str,
                    known: Sequence[Persona | None] | None = None) -> list[Persona]:
    """The persona a searcher assumes for every power (its own entry is unused). 'blind' assumes
    rivals repeat their 2017 course, 'doctrine' assumes the typical strategy of their doctrine,
    'known' uses their actual persona where the tournament tells it."""
    w = state.world
    out = []
    for q in range(w.n_powers):
        told = known[q] if known is not None and information == "known" else None
        if told is not None:
            out.append(told)
        elif information in ("doctrine", "known"):
            out.append(persona(DOCTRINE_MODEL.get(w.doctrine_of[q], "planner")))
        else:
            out.append(persona("status_quo"))
    return out


def _fogged(state: GameState, fog: float, rng: np.random.Generator) -> GameState:
    """The state as a player with imperfect information sees it: indicators off by ~`fog`."""
    if fog <= 0:
        return state
    w = state.world
    noise = rng.lognormal(0.0, fog, size=state.nat.shape).astype(state.nat.dtype)
    nat = np.clip(state.nat * noise, w.lo[:, None, None], w.hi[:, None, None]).astype(state.nat.dtype)
    return state.copy_with(nat=nat)


def _margin(state: GameState, power: int) -> NDArray[np.float64]:
    """Projected score of `power` minus its best rival's, per game."""
    scores = scored(state)
    rivals = np.delete(scores, power, axis=1)
    return np.asarray(scores[:, power] - rivals.max(axis=1), dtype=np.float64)


class Rows:
    """Dice for some rows of a rollout, each row a copy of one of B games: every draw is made for
    the B games, as a fresh Generator would make it for them alone, and each row gets its game's
    numbers. So every copy of a game, in whatever sub-batch it is decided, meets the dice that
    game would meet alone. Personas draw with the game axis first."""

    def __init__(self, rng: np.random.Generator, games: int, game_of_row: NDArray[np.int64]) -> None:
        self.rng, self.games, self.game_of_row = rng, games, game_of_row
        # the rivals' rows in a rollout are the B games copy after copy: a block copy per copy
        # gives the same numbers as gathering rows, at a fraction of the cost
        rows = game_of_row.size
        self.copies = rows // games if rows % games == 0 and (
            game_of_row is copy_major(rows, games) or np.array_equal(game_of_row, copy_major(rows, games))) else 0

    def _rows(self, drawn: Any) -> Any:
        if self.copies:
            return np.tile(drawn, (self.copies,) + (1,) * (drawn.ndim - 1))
        return drawn[self.game_of_row]

    def _shape(self, size: int | tuple[int, ...]) -> tuple[int, ...]:
        shape = (size,) if isinstance(size, int) else tuple(size)
        if shape[0] != self.game_of_row.size:
            raise ValueError(f"a draw of {shape[0]} rows for {self.game_of_row.size}")
        return (self.games, *shape[1:])

    def random(self, size: int | tuple[int, ...]) -> Any:
        return self._rows(self.rng.random(self._shape(size)))

    def integers(self, low: int, high: int, size: int | tuple[int, ...]) -> Any:
        return self._rows(self.rng.integers(low, high, size=self._shape(size)))

    def dirichlet(self, alpha: Any, size: int) -> Any:
        return self._rows(self.rng.dirichlet(alpha, size=self._shape(size)))

    def gamma(self, shape: float, scale: float, size: int | tuple[int, ...]) -> Any:
        return self._rows(self.rng.gamma(shape, scale, size=self._shape(size)))


class Dice:
    """A year's fresh dice (a Generator from `seed`) for several players of a rollout, drawn once.

    Each course of a lookahead decides on fresh dice from the same seed, so every course asks
    for the same numbers (a gamma draw per lever and game, for a noisy course): the first to ask
    draws them and the rest get copies. A player whose calls depart from the recorded ones gets
    its own Generator from the seed, brought to where it stands by repeating its calls, so each
    player meets exactly the numbers a fresh Generator would give it alone."""

    def __init__(self, seed: list[int]) -> None:
        self.seed = seed
        self.calls: list[tuple[tuple[Any, ...], tuple[Any, ...], dict[str, Any], Any]] = []
        self.rng: np.random.Generator | None = None  # stands after the recorded calls

    def fresh(self) -> np.random.Generator:
        """Dice as a fresh Generator from the seed (as far as a persona can tell)."""
        return cast(np.random.Generator, _Replay(self))


def _key(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """What identifies a call to a Generator (arrays by their bytes)."""
    def one(a: Any) -> Any:
        return (a.dtype.str, a.shape, a.tobytes()) if isinstance(a, np.ndarray) else a
    return (name, tuple(one(a) for a in args), tuple(sorted((k, one(v)) for k, v in kwargs.items())))


class _Replay:
    """One player's view of shared `Dice`: the recorded draws while its calls match them."""

    def __init__(self, dice: Dice) -> None:
        self.dice, self.n = dice, 0
        self.own: np.random.Generator | None = None  # once its calls depart from the record

    def _call(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if self.own is not None:
            return getattr(self.own, name)(*args, **kwargs)
        d, key = self.dice, _key(name, args, kwargs)
        if self.n < len(d.calls):
            if d.calls[self.n][0] == key:
                self.n += 1
                return np.copy(d.calls[self.n - 1][3])
            self.own = np.random.default_rng(d.seed)
            for k, a, kw, _ in d.calls[: self.n]:  # where a fresh Generator stands after them
                getattr(self.own, k[0])(*a, **kw)
            return getattr(self.own, name)(*args, **kwargs)
        if d.rng is None:
            d.rng = np.random.default_rng(d.seed)
        drawn = getattr(d.rng, name)(*args, **kwargs)
        d.calls.append((key, args, kwargs, drawn))
        self.n += 1
        return np.copy(drawn)

    def random(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("random", args, kwargs)

    def integers(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("integers", args, kwargs)

    def dirichlet(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("dirichlet", args, kwargs)

    def gamma(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("gamma", args, kwargs)


def _dice(seed: list[int] | Dice, games: int, game_of_row: NDArray[np.int64]) -> np.random.Generator:
    """A year's fresh dice for the rows `game_of_row` (a Generator as far as personas can tell),
    from a seed or from dice shared with other players of the rollout."""
    rng = seed.fresh() if isinstance(seed, Dice) else np.random.default_rng(seed)
    alone = game_of_row.size == games and (game_of_row is copy_major(games, games)
                                           or bool((game_of_row == np.arange(games)).all()))
    return rng if alone else cast(np.random.Generator, Rows(rng, games, game_of_row))


@functools.lru_cache(maxsize=32)
def copy_major(rows: int, games: int) -> NDArray[np.int64]:
    """The game of each row of a rollout of `rows` rows, copy after copy of `games` games (made
    once per shape: a rollout asks for it every simulated year)."""
    out = np.arange(rows) % games
    out.setflags(write=False)
    return out


def place_rows(dst: BatchOrders, part: BatchOrders, rows: NDArray[np.int64] | slice, power: int) -> None:
    """Copy one power's orders for some games (`part`, decided on those games alone) to their rows."""
    dst.budget[rows, power] = part.budget[:, power]
    dst.policy[rows, power] = part.policy[:, power]
    dst.answer[rows, power] = part.answer[:, power]
    dst.propose[rows, :, power] = part.propose[:, :, power]
    dst.accept[rows, :, power] = part.accept[:, :, power]
    dst.withdraw[rows, :, power] = part.withdraw[:, :, power]


def _each_course(sim: GameState, power: int, people: Sequence[Persona], course: NDArray[np.int64],
                 seed: list[int], games: int, step: BatchOrders) -> None:
    """In a rollout, every row's orders from its own course (`course` indexes `people`), each
    course deciding for its own rows alone (deciding for all rows and keeping some cost the
    lookahead K times the work), on the year's fresh dice."""
    game_of_row = copy_major(sim.batch, games)
    shared = Dice(seed)  # every course asks fresh dice of the same seed for the same numbers
    used = np.flatnonzero(np.bincount(course, minlength=len(people)))
    if used.size > 1 and together([people[int(k)] for k in used]):
        # every course in one pass over all rows, each row on its game's dice
        decide_courses(sim, power, people, course, _dice(shared, games, game_of_row), step)
        return
    for k in used:
        rows = np.flatnonzero(course == k)
        if rows.size == sim.batch:
            decide_batch(sim, power, people[int(k)], _dice(seed, games, game_of_row), step)
            return
        dice = _dice(shared, games, game_of_row[rows])
        if rows[-1] - rows[0] + 1 == rows.size:  # the lookahead's courses: one block each
            # decided on views of the block's rows, written straight into the year's orders
            start, stop = int(rows[0]), int(rows[-1]) + 1
            decide_batch(sim.window(start, stop), power, people[int(k)], dice, _orders_window(step, start, stop))
            continue
        part = sim.select(rows)
        tmp = BatchOrders.hold(part)
        decide_batch(part, power, people[int(k)], dice, tmp)
        place_rows(step, tmp, rows, power)


def _orders_window(orders: BatchOrders, start: int, stop: int) -> BatchOrders:
    """Games start..stop-1 of a batch's orders as views: a player writing them writes the batch's."""
    return BatchOrders(budget=orders.budget[start:stop], policy=orders.policy[start:stop],
                       answer=orders.answer[start:stop], propose=orders.propose[start:stop],
                       accept=orders.accept[start:stop], withdraw=orders.withdraw[start:stop])


def _copies(orders: BatchOrders, copies: int) -> BatchOrders:
    """A batch's orders `copies` times over, copy after copy (rows k*B + b are game b)."""
    def tiled(a: NDArray[Any]) -> NDArray[Any]:
        return np.tile(a, (copies,) + (1,) * (a.ndim - 1))
    return BatchOrders(budget=tiled(orders.budget), policy=tiled(orders.policy), answer=tiled(orders.answer),
                       propose=tiled(orders.propose), accept=tiled(orders.accept), withdraw=tiled(orders.withdraw))


@dataclass(frozen=True)
class Plans:
    """K plans for each of B games, copy-major (row k*B + b is plan k of game b): the course
    each row follows (an index into the searcher's people), and optionally a log tilt of that
    course's budget split or a budget split replacing it."""

    course: NDArray[np.int64]  # (K*B,)
    tilt: NDArray[np.float64] | None = None  # (K*B, L)
    shares: NDArray[np.float64] | None = None  # (K*B, L)

    def block(self, k: int, batch: int) -> Plans:
        """Plan k alone, for the B games."""
        rows = slice(k * batch, (k + 1) * batch)
        return Plans(self.course[rows], None if self.tilt is None else self.tilt[rows],
                     None if self.shares is None else self.shares[rows])

    def write(self, sim: GameState, power: int, people: Sequence[Persona], seed: list[int], games: int,
              step: BatchOrders) -> None:
        """The searcher's orders in a rollout, on the year's own dice."""
        _each_course(sim, power, people, self.course, seed, games, step)
        if self.tilt is not None:
            _tilt_budget(step, power, self.tilt)
        if self.shares is not None:
            step.budget[:, power] = self.shares


def stacked(per_game: NDArray[Any]) -> NDArray[Any]:
    """(B, K, ...) per-game plans -> (K*B, ...) copy-major rows."""
    return np.ascontiguousarray(np.swapaxes(per_game, 0, 1)).reshape(-1, *per_game.shape[2:])


@dataclass(frozen=True)
class Future:
    """One imagined future: the state a searcher sees, what it assumes its rivals do, and the
    luck of every simulated year (common random numbers: every plan it compares meets these)."""

    seen: GameState
    power: int
    models: list[Persona]
    years: tuple[int, ...]
    batched: bool = True  # False: one plan per engine call (the search before luck was an input)

    def rollout(self, plans: Plans, people: Sequence[Persona]) -> NDArray[np.float64]:
        """(K, B) projected score margin of every plan for every game. All K plans of all B games
        are simulated together, one engine call per year, each game copied K times on the game
        axis and every copy meeting that game's luck (the same shocks, crashes, dilemmas and
        elections, and the same dice for the rivals' and its own persona mistakes)."""
        B = self.seen.batch
        K = plans.course.size // B
        if not self.batched and K > 1:
            return np.concatenate([self.rollout(plans.block(k, B), people) for k in range(K)])
        # the K copies of a game are one block each (block copies: cheaper than gathering rows)
        sim = self.seen if K == 1 else GameState.join([self.seen] * K)
        w = sim.world
        for n, year in enumerate(self.years):
            if sim.finished:
                break
            if n == 0 and K > 1:
                # in the first year every copy of a game is still that game: the rivals decide for
                # the B games once (the same dice as each copy would draw) and every copy gets it
                step = BatchOrders.hold(self.seen)
                self._rivals(self.seen, [year, 0], B, step)
                step = _copies(step, K)
            else:
                step = BatchOrders.hold(sim)
                self._rivals(sim, [year, 0], B, step)
            plans.write(sim, self.power, people, [year, 1], B, step)
            luck = Luck.draw(np.random.default_rng([year, 0, 0]), B, w.n_powers, w.n_regions)
            sim, _ = resolve(sim, step, luck=luck if K == 1 else luck.repeat(K), explain=False)
        return _margin(sim, self.power).reshape(K, B)

    def _rivals(self, sim: GameState, seed: list[int], games: int, step: BatchOrders) -> None:
        """Every rival's orders as the searcher models them, on the year's dice for its rivals."""
        dice = _dice(seed, games, copy_major(sim.batch, games))
        for q, model in enumerate(self.models):
            if q != self.power:
                decide_batch(sim, q, model, dice, step)


def copy_rows(dst: BatchOrders, src: BatchOrders, rows: NDArray[np.bool_] | slice, power: int) -> None:
    """Copy one power's orders for some games from `src` into `dst`."""
    dst.budget[rows, power] = src.budget[rows, power]
    dst.policy[rows, power] = src.policy[rows, power]
    dst.answer[rows, power] = src.answer[rows, power]
    dst.propose[rows, :, power] = src.propose[rows, :, power]
    dst.accept[rows, :, power] = src.accept[rows, :, power]
    dst.withdraw[rows, :, power] = src.withdraw[rows, :, power]


@dataclass
class Lookahead:
    """Score each candidate persona's course by simulating `depth` years for every game of the
    batch at once, candidate by candidate on the same luck; play the best. `candidates` is the
    search budget's width."""

    candidates: tuple[str, ...] = ("status_quo", *STRATEGIC)  # holding the 2017 course is a course too
    depth: int = TO_THE_END
    information: str = "doctrine"
    fog: float = 0.0
    base: str = "planner"
    noise: float = 0.0
    name: str = "lookahead"
    known: list[Persona | None] | None = None
    batched: bool = True  # every plan in one engine call a year (False: one plan per call, the old way)
    # years between searches: in between, each game keeps the course its last search chose (1:
    # every year, what every level plays; the issue 13 notes measure 2 as a cheaper search)
    replan: int = 1
    persona: Persona = field(init=False)

    def __post_init__(self) -> None:
        self.persona = persona(self.base)
        self._people = [replace(persona(c), noise=self.noise) for c in self.candidates]
        self._chosen: NDArray[np.int64] | None = None
        self._chosen_at = -1

    def projected(self, state: GameState, power: int, rng: np.random.Generator) -> NDArray[np.float64]:
        """(candidates, games) projected score margin of each candidate course after `depth` years.

        Common random numbers: every candidate course meets the same luck (the same TFP shocks,
        crashes, dilemmas and elections), so the comparison measures the course, not the dice.
        Drawn on independent luck, candidates were ranked mostly by noise once the rules gained
        yearly TFP shocks, and the searcher dithered between courses year after year."""
        return self._courses(self._future(state, power, rng))

    def _future(self, state: GameState, power: int, rng: np.random.Generator) -> Future:
        """What the search simulates: the fogged state, the rival models and the years' luck."""
        seen = _fogged(state, self.fog, rng)
        models = opponent_models(state, power, self.information, self.known)
        years = tuple(int(x) for x in rng.integers(1 << 62, size=self.depth))
        return Future(seen, power, models, years, self.batched)

    def _courses(self, future: Future) -> NDArray[np.float64]:
        """Every candidate course for every game, in one rollout."""
        course = np.repeat(np.arange(len(self._people)), future.seen.batch)
        return future.rollout(Plans(course), self._people)

    def decide_batch(self, state: GameState, power: int, rng: np.random.Generator,
                     orders: BatchOrders) -> None:
        stale = (self.replan <= 1 or self._chosen is None or self._chosen.shape[0] != state.batch
                 or not 0 <= state.turn - self._chosen_at < self.replan)
        if stale:
            self._chosen = self.projected(state, power, rng).argmax(axis=0)
            self._chosen_at = state.turn
        assert self._chosen is not None
        _course_orders(state, power, self._people, self._chosen, rng, orders)


@dataclass
class Refine(Lookahead):
    """The lookahead's course, then a cross-entropy refinement of its budget split.

    For each game it first picks the lookahead's best course; then it searches a tilt of that
    course's budget split (a log-scale factor per lever, applied every simulated year on top of
    what the course would spend), each round sampling `population` tilts around the mean of the
    last round's elite. Every tilt is judged to the end of the game on the lookahead's own
    future: the same luck and the same rival models. The untilted course keeps its lookahead
    score in the population (elitism) and a tilt is played only where it projects strictly
    more, so its projected margin is never below the lookahead's. Policies and dilemma answers
    are the chosen course's."""

    population: int = 8
    elite: int = 3
    iterations: int = 2
    spread: float = 0.5  # first round's standard deviation of the log tilt
    name: str = "refine"

    def refined(self, state: GameState, power: int, rng: np.random.Generator
                ) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
        """(course per game, log tilt per game and lever, projected margin per game)."""
        future = self._future(state, power, rng)
        margins = self._courses(future)
        course = margins.argmax(axis=0)
        best = margins.max(axis=0)  # the lookahead's plan: its course untilted
        B, L = state.batch, len(state.world.lever_ids)
        tilt = np.zeros((B, L))
        mu, sigma = np.zeros((B, L)), np.full((B, L), self.spread)
        draw = np.random.default_rng(int(rng.integers(1 << 62)))
        for round_ in range(self.iterations):
            samples = mu[:, None, :] + sigma[:, None, :] * draw.standard_normal((B, self.population, L))
            samples[:, 0] = mu  # the current mean stays in the population
            margin = np.empty((B, self.population))
            margin[:, 0] = best  # round 1: the untilted course, already simulated by the lookahead
            new = np.arange(1 if round_ == 0 else 0, self.population)
            plans = Plans(np.tile(course, new.size), tilt=stacked(samples[:, new]))
            margin[:, new] = future.rollout(plans, self._people).T
            pick = margin.argmax(axis=1)
            top = margin[np.arange(B), pick]
            better = top > best
            tilt[better] = samples[better, pick[better]]
            best = np.where(better, top, best)
            elite = np.argsort(-margin, axis=1)[:, : self.elite]
            chosen = np.take_along_axis(samples, elite[:, :, None], axis=1)
            mu, sigma = chosen.mean(axis=1), np.maximum(chosen.std(axis=1), 0.1)
        return course, tilt, best

    def decide_batch(self, state: GameState, power: int, rng: np.random.Generator,
                     orders: BatchOrders) -> None:
        course, tilt, _ = self.refined(state, power, rng)
        _course_orders(state, power, self._people, course, rng, orders)
        _tilt_budget(orders, power, tilt)


def _course_orders(state: GameState, power: int, people: Sequence[Persona], course: NDArray[np.int64],
                   rng: np.random.Generator, orders: BatchOrders) -> None:
    """Each game's orders from its own course (`course` indexes `people`), the courses deciding
    one after another on `rng` for the whole batch, each game keeping its own course's."""
    used = np.unique(course)
    if used.size > 1 and together([people[int(k)] for k in used]):
        # in one pass: each course's draw made in turn, as it would make it deciding alone
        drawing = [int(k) for k in used if not people[int(k)].status_quo]
        decide_courses(state, power, people, course, cast(np.random.Generator, _InTurn(rng, course, drawing)),
                       orders)
        return
    for k in used:
        rows = course == k
        if rows.all():
            decide_batch(state, power, people[int(k)], rng, orders)
            return
        tmp = BatchOrders.hold(state)
        decide_batch(state, power, people[int(k)], rng, tmp)
        copy_rows(orders, tmp, rows, power)


class _InTurn:
    """Dice for courses decided in one pass that used to decide one after another on one
    Generator, each for the whole batch: a draw is made once per drawing course, in their order,
    and each game gets its own course's numbers."""

    def __init__(self, rng: np.random.Generator, course: NDArray[np.int64], drawing: list[int]) -> None:
        self.rng, self.course, self.drawing = rng, course, drawing

    def gamma(self, shape: float, scale: float, size: tuple[int, ...]) -> NDArray[np.float64]:
        out = np.empty(size)
        for k in self.drawing:
            drawn = self.rng.gamma(shape, scale, size=size)
            mine = self.course == k
            out[mine] = drawn[mine]
        return out


def _tilt_budget(orders: BatchOrders, power: int, tilt: NDArray[np.float64]) -> None:
    """Tilt a power's budget split by exp(tilt) per lever, keeping its total."""
    budget = orders.budget[:, power].astype(np.float64)
    tilted = budget * np.exp(tilt)
    total, new = budget.sum(axis=1, keepdims=True), tilted.sum(axis=1, keepdims=True)
    orders.budget[:, power] = tilted * (total / np.maximum(new, 1e-12))


@dataclass
class CrossEntropy:
    """Cross-entropy search over the budget split, per game, all games batched, every sample on the same luck.
    Search budget = iterations x population x depth simulated years per decision; the plan is
    refreshed every `replan` years and the base persona sets policies and answers dilemmas."""

    population: int = 12
    elite: int = 3
    iterations: int = 3
    depth: int = TO_THE_END  # judged 4 years ahead, it lost to its own base persona
    replan: int = 2
    information: str = "doctrine"
    fog: float = 0.0
    base: str = "planner"
    name: str = "cem"
    known: list[Persona | None] | None = None
    batched: bool = True  # every sampled split in one engine call a year
    persona: Persona = field(init=False)

    def __post_init__(self) -> None:
        self.persona = persona(self.base)
        self._plan: NDArray[np.float64] | None = None
        self._planned_at = -1

    def decide_batch(self, state: GameState, power: int, rng: np.random.Generator,
                     orders: BatchOrders) -> None:
        decide_batch(state, power, self.persona, rng, orders)
        stale = (self._plan is None or self._plan.shape[0] != state.batch
                 or state.turn - self._planned_at >= self.replan or state.turn < self._planned_at)
        if stale:
            self._plan = self._search(state, power, rng, orders.budget[:, power].astype(np.float64))
            self._planned_at = state.turn
        assert self._plan is not None
        orders.budget[:, power] = self._plan

    def _search(self, state: GameState, power: int, rng: np.random.Generator,
                start: NDArray[np.float64]) -> NDArray[np.float64]:
        w = state.world
        B, N, L = state.batch, self.population, len(w.lever_ids)
        open_ = play.lever_mask(w, power)
        mu = np.log(np.maximum(start, 1e-3))
        sigma = np.full((B, L), 0.8)
        seen = _fogged(state, self.fog, rng)
        models = opponent_models(state, power, self.information, self.known)
        sim_rng = np.random.default_rng(int(rng.integers(1 << 62)))
        # common random numbers, as in the lookahead: every sampled split of every round meets the
        # same luck, so the elite are the best splits rather than the luckiest
        years = tuple(int(x) for x in rng.integers(1 << 62, size=self.depth))
        future = Future(seen, power, models, years, self.batched)
        for _ in range(self.iterations):
            logits = mu[:, None, :] + sigma[:, None, :] * sim_rng.standard_normal((B, N, L))
            logits[:, 0] = mu  # keep the current plan in the population (elitism)
            shares = np.where(open_, np.exp(logits - logits.max(axis=2, keepdims=True)), 0.0)
            shares /= shares.sum(axis=2, keepdims=True)
            plans = Plans(np.zeros(N * B, dtype=np.int64), shares=stacked(shares))
            margin = future.rollout(plans, [self.persona]).T
            top = np.argsort(-margin, axis=1)[:, : self.elite]
            chosen = np.take_along_axis(logits, top[:, :, None], axis=1)
            mu = chosen.mean(axis=1)
            sigma = np.maximum(chosen.std(axis=1), 0.15)
        plan = np.where(open_, np.exp(mu - mu.max(axis=1, keepdims=True)), 0.0)
        return np.asarray(plan / plan.sum(axis=1, keepdims=True), dtype=np.float64)


def with_persona(who: Persona, **changes: Any) -> Persona:
    """A persona with some parameters changed (what parameter searches vary)."""
    return replace(who, **changes)
