"""Round-robin tournaments between players for every seat, on the batched engine.

Every assignment of the chosen players to the scenario's powers is a matchup, so each player
meets each other player from every seat (seats swapped). Games are cut into chunks of a fixed
size; chunk c of every matchup meets the luck of the same engine seed (common random numbers:
matchups differ by the players, not by luck). A task plays many chunks of many matchups in one
engine batch of at least BATCH games, each chunk's rows drawing their own luck (the engine takes
the year's luck as an input), because a call's fixed cost was 70% of a turn at 256 games. A
task's result depends only on the task, so local, pooled and Ray runs agree game for game.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.ai.difficulty import make_player
from game.ai.search import Player, known_course, place_rows
from game.engine import BatchOrders, GameState, Report, World, build_world, new_game, outcome, resolve
from game.engine.history import enable
from game.engine.luck import Luck
from game.lab.depth import Trace, Tracer
from game.lab.runner import LabError, Progress, RunOutcome, run_tasks
from game.match import history_years
from game.rules.loader import Scenario, load_scenario

Overrides = tuple[tuple[str, str, float], ...]
CHUNK = 256  # games per chunk: the unit of common luck across matchups
BATCH = 2_000  # games per engine call (per task) at least, when the tournament has that many

_SCENARIOS: dict[str, Scenario] = {}
_WORLDS: dict[tuple[str, int | None], World] = {}


def scenario_for(scenario: str) -> Scenario:
    """A scenario, loaded once per process (RulesError for a bad one)."""
    if scenario not in _SCENARIOS:
        _SCENARIOS[scenario] = load_scenario(scenario)
    return _SCENARIOS[scenario]


def world_for(scenario: str, overrides: Overrides = (), history: int | None = None) -> World:
    """The World of a scenario with coefficient overrides (the shipped one built once per process;
    sweeps build one per sample, which takes a couple of milliseconds), in history mode up to and
    including the year `history` if one is given (None: history off, the ordinary game)."""
    if not overrides:
        if (scenario, history) not in _WORLDS:
            _WORLDS[scenario, history] = build_world(enable(scenario_for(scenario), history))
        return _WORLDS[scenario, history]
    scen = scenario_for(scenario)
    coef = {g: dict(v) for g, v in scen.coefficients.items()}
    for group, name, value in overrides:
        coef[group][name] = value
    return build_world(enable(replace(scen, coefficients=coef), history))


def history_until(scenario: str, mode: bool | int | None) -> int | None:
    """The last year of history for lab games: None (off) for no `--history` or `--history off`,
    the deck's last year for `--history` alone, else the year asked; a LabError (one line) for a
    scenario without a history deck or a year outside the deck's."""
    if mode is None or mode is False:
        return None
    try:
        return history_years(scenario_for(scenario), mode)
    except ValueError as exc:
        raise LabError(str(exc)) from None


@dataclass(frozen=True)
class Task:
    """Chunks of games of several matchups, played in one batch: everything needed to replay
    them exactly. Unit u is chunk `chunks[u]` of matchup `matchups[u]`, `games` games seated by
    `seats[u]` (a player name per power)."""

    scenario: str
    seats: tuple[tuple[str, ...], ...]
    matchups: tuple[int, ...]
    chunks: tuple[int, ...]
    games: int  # per unit
    seed: int
    overrides: Overrides = ()
    history: int | None = None  # history mode up to this year (the deck's events fire), None: off

    @property
    def size(self) -> int:
        """Games in the task's batch."""
        return self.games * len(self.matchups)


@dataclass
class Chunk:
    """Per-game results of one task."""

    matchup: NDArray[np.int64]  # (n,) the matchup of each game
    scores: NDArray[np.float32]  # (n, P)
    winner: NDArray[np.int64]  # (n,) power, -1 for none
    kind: NDArray[np.int64]  # (n,) index into OUTCOMES
    victory_type: NDArray[np.int64]  # (n,) index into COMPONENTS, -1
    length: NDArray[np.int64]  # (n,) years played
    trace: Trace | None = None  # the depth report's year-by-year record


Watch = Callable[[GameState, GameState, Report], None]


def play_mixed(world: World, players: list[Player], seats: NDArray[np.int64], seed: tuple[int, ...],
               luck: Sequence[tuple[tuple[int, ...], int]] | None = None,
               watch: Watch | None = None) -> tuple[GameState, NDArray[np.int64]]:
    """Play a batch whose games may seat different players: seats[g, p] indexes `players`.
    A player holding only some of a seat's games decides for those games alone. `luck` lists
    consecutive groups of rows as (engine seed, games): each group draws its own luck, so
    groups with the same seed meet the same luck (default: one group, `seed`). Returns the
    final state and each game's length in years. `watch(before, after, report)` sees every year."""
    B = seats.shape[0]
    groups = [(np.random.default_rng(list(s)), n) for s, n in (luck or [(seed, B)])]
    if sum(n for _, n in groups) != B:
        raise ValueError(f"luck groups for {sum(n for _, n in groups)} games given to a batch of {B}")
    minds = [np.random.default_rng([*seed, 1 + p]) for p in range(world.n_powers)]
    state = new_game(world, B)
    length = np.zeros(B, dtype=np.int64)
    # the games each player holds at each seat, fixed for the whole game
    held = [[(int(k), np.flatnonzero(seats[:, p] == k)) for k in np.unique(seats[:, p])]
            for p in range(world.n_powers)]
    for _ in range(world.n_turns + 1):
        if state.finished:
            break
        orders = BatchOrders.hold(state)
        for p in range(world.n_powers):
            for k, rows in held[p]:
                if rows.size == B:
                    players[k].decide_batch(state, p, minds[p], orders)
                    continue
                part = state.select(rows)
                tmp = BatchOrders.hold(part)
                players[k].decide_batch(part, p, minds[p], tmp)
                place_rows(orders, tmp, rows, p)
        year = [Luck.draw(rng, n, world.n_powers, world.n_regions) for rng, n in groups]
        before = state
        state, report = resolve(state, orders, luck=year[0] if len(year) == 1 else Luck.join(year), explain=False)
        if watch is not None:
            watch(before, state, report)
        length = np.where((length == 0) & state.over, state.turn, length)
    return state, np.where(length == 0, state.turn, length)


def play_chunk(task: Task) -> Chunk:
    """Play one task's games to the end and score them."""
    world = world_for(task.scenario, task.overrides, task.history)
    # one player per seat and name (and, for searchers, per what they are told of their rivals)
    players: list[Player] = []
    index: dict[tuple[Any, ...], int] = {}
    seats = np.empty((task.size, world.n_powers), dtype=np.int64)
    for u, names in enumerate(task.seats):
        seated = [make_player(name) for name in names]
        known = [known_course(p) for p in seated]
        for p, (name, player) in enumerate(zip(names, seated, strict=True)):
            key = (p, name, names if hasattr(player, "known") else None)  # what it is told follows from the seats
            if key not in index:
                if hasattr(player, "known"):
                    player.known = known
                index[key] = len(players)
                players.append(player)
            seats[u * task.games:(u + 1) * task.games, p] = index[key]
    # the engine's seed depends on the chunk only: every matchup meets the same luck
    luck = [((task.seed, c), task.games) for c in task.chunks]
    # each game's luck is its chunk's: the depth report compares matchups game by game on it
    tracer = Tracer(np.concatenate([c * task.games + np.arange(task.games) for c in task.chunks]))
    state, length = play_mixed(world, players, seats, (task.seed, *task.chunks[:1]), luck, watch=tracer.watch)
    out = outcome(state)
    return Chunk(matchup=np.repeat(np.array(task.matchups, dtype=np.int64), task.games),
                 scores=out.scores.astype(np.float32),
                 winner=out.winner, kind=out.kind, victory_type=out.victory_type, length=length,
                 trace=tracer.trace(state))


@dataclass
class Tournament:
    """A planned round robin: players, matchups and tasks."""

    scenario: str
    players: list[str]
    seed: int
    games_requested: int
    matchups: list[tuple[int, ...]]  # player index per power
    per_chunk: int
    chunks: int
    overrides: Overrides = ()
    history: int | None = None  # history mode up to this year, None: off
    tasks: list[Task] = field(default_factory=list)

    @property
    def games(self) -> int:
        return len(self.matchups) * self.chunks * self.per_chunk


def check_players(players: list[str], games: int) -> None:
    """A LabError for a game count below one or an unknown player name."""
    if games < 1:
        raise LabError(f"--games must be at least 1, got {games}")
    for name in players:
        try:
            make_player(name)
        except ValueError as exc:
            raise LabError(str(exc)) from None


def plan(scenario: str, players: list[str], games: int, seed: int, overrides: Overrides = (),
         chunk: int = CHUNK, mirror_only: bool = False, batch: int | None = None,
         matchups: list[tuple[int, ...]] | None = None, history: int | None = None) -> Tournament:
    """Every assignment of players to powers (or the `matchups` given: a player index per
    power), `games` games in all (rounded up to whole chunks); with `history` (a year, from
    `history_until`) every game plays in history mode up to that year."""
    check_players(players, games)
    world = world_for(scenario, overrides, history)
    k, P = len(players), world.n_powers
    if matchups is None:
        matchups = [(i,) * P for i in range(k)] if mirror_only else list(itertools.product(range(k), repeat=P))
    elif any(len(m) != P or not all(0 <= i < k for i in m) for m in matchups):
        raise LabError(f"a matchup names a player per power: {P} indices below {k}")
    per_matchup = max(1, math.ceil(games / len(matchups)))
    chunks = math.ceil(per_matchup / chunk)
    per_chunk = math.ceil(per_matchup / chunks)
    t = Tournament(scenario=scenario, players=list(players), seed=seed, games_requested=games,
                   matchups=matchups, per_chunk=per_chunk, chunks=chunks, overrides=overrides,
                   history=history)
    units = [(mi, c) for c in range(chunks) for mi in range(len(matchups))]
    # as few tasks as keep every batch at `batch` games or more, the units shared out evenly; an
    # even number of them, so that two cores finish together (a fixed rule: the grouping, like
    # everything else in a task, must not depend on where it runs)
    n_tasks = min(len(units), max(1, len(units) * per_chunk // max(batch or BATCH, 1)))
    if n_tasks > 2:
        n_tasks -= n_tasks % 2
    edges = np.linspace(0, len(units), n_tasks + 1).round().astype(int)
    for a, b in itertools.pairwise(edges):
        group = units[a:b]
        seated = tuple(tuple(players[i] for i in matchups[mi]) for mi, _ in group)
        t.tasks.append(Task(scenario=scenario, seats=seated,
                            matchups=tuple(mi for mi, _ in group), chunks=tuple(c for _, c in group),
                            games=per_chunk, seed=seed, overrides=overrides, history=history))
    return t


@dataclass
class Results:
    """A tournament's games, flat arrays over every finished game."""

    tournament: Tournament
    world: World
    matchup: NDArray[np.int64]
    seat_player: NDArray[np.int64]  # (n, P) player index per power
    scores: NDArray[np.float32]
    winner: NDArray[np.int64]
    kind: NDArray[np.int64]
    victory_type: NDArray[np.int64]
    length: NDArray[np.int64]
    trace: Trace | None
    interrupted: bool
    seconds: float
    backend: str
    workers: int

    @property
    def n(self) -> int:
        return int(self.matchup.size)


def collect(t: Tournament, run: RunOutcome[Chunk]) -> Results:
    """Flatten finished chunks in task order (so every backend gives the same arrays)."""
    world = world_for(t.scenario, t.overrides, t.history)
    chunks = [run.results[i] for i in sorted(run.results)]
    P = world.n_powers
    if chunks:
        mu = np.concatenate([c.matchup for c in chunks])
        cat = {name: np.concatenate([getattr(c, name) for c in chunks])
               for name in ("scores", "winner", "kind", "victory_type", "length")}
    else:
        mu = np.zeros(0, dtype=np.int64)
        cat = {"scores": np.zeros((0, P), np.float32), **{n: np.zeros(0, np.int64)
                                                           for n in ("winner", "kind", "victory_type", "length")}}
    seats = np.array(t.matchups, dtype=np.int64)[mu] if mu.size else np.zeros((0, P), np.int64)
    traces = [c.trace for c in chunks if c.trace is not None]
    trace = Trace.concat(traces) if traces and len(traces) == len(chunks) else None
    return Results(tournament=t, world=world, matchup=mu.astype(np.int64), seat_player=seats, trace=trace,
                   interrupted=run.interrupted, seconds=run.seconds, backend=run.backend,
                   workers=run.workers, **cat)


def run(t: Tournament, *, workers: int | None = None, ray_address: str | None = None,
        progress: bool = True) -> Results:
    """Play a planned tournament; Ctrl-C returns the finished chunks, marked interrupted."""
    bar = Progress(t.games, "games", enabled=progress)
    out = run_tasks(play_chunk, t.tasks, workers=workers, ray_address=ray_address,
                    weight=lambda task: task.size, progress=bar)
    return collect(t, out)


def summary_line(r: Results) -> dict[str, Any]:
    """Games played and the speed, for benchmarks and logs."""
    return {"games": r.n, "seconds": round(r.seconds, 3), "games_per_s": round(r.n / max(r.seconds, 1e-9), 1),
            "backend": r.backend, "workers": r.workers}
