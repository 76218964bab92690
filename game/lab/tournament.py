"""Round-robin tournaments between players for every seat, on the batched engine.

Every assignment of the chosen players to the scenario's powers is a matchup, so each player
meets each other player from every seat (seats swapped). Games are cut into chunks of a fixed
size; chunk c of every matchup uses the same engine seed (common random numbers: matchups
differ by the players, not by luck), and a chunk's result depends only on its task, so local,
pooled and Ray runs agree game for game.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.ai.difficulty import make_player
from game.ai.search import Player, copy_rows, known_course
from game.engine import BatchOrders, GameState, Report, World, build_world, new_game, outcome, resolve
from game.lab.depth import Trace, Tracer
from game.lab.runner import LabError, Progress, RunOutcome, run_tasks
from game.rules.loader import Scenario, load_scenario

Overrides = tuple[tuple[str, str, float], ...]
CHUNK = 256  # games per engine batch: big enough for numpy, small enough to share out

_SCENARIOS: dict[str, Scenario] = {}
_WORLDS: dict[str, World] = {}


def scenario_for(scenario: str) -> Scenario:
    """A scenario, loaded once per process (RulesError for a bad one)."""
    if scenario not in _SCENARIOS:
        _SCENARIOS[scenario] = load_scenario(scenario)
    return _SCENARIOS[scenario]


def world_for(scenario: str, overrides: Overrides = ()) -> World:
    """The World of a scenario with coefficient overrides (the shipped one built once per process;
    sweeps build one per sample, which takes a couple of milliseconds)."""
    if not overrides:
        if scenario not in _WORLDS:
            _WORLDS[scenario] = build_world(scenario_for(scenario))
        return _WORLDS[scenario]
    scen = scenario_for(scenario)
    coef = {g: dict(v) for g, v in scen.coefficients.items()}
    for group, name, value in overrides:
        coef[group][name] = value
    return build_world(replace(scen, coefficients=coef))


@dataclass(frozen=True)
class Task:
    """One chunk of games of one matchup: everything needed to replay it exactly."""

    scenario: str
    seats: tuple[str, ...]  # player name per power
    matchup: int
    chunk: int
    games: int
    seed: int
    overrides: Overrides = ()
    information: tuple[str, ...] | None = None  # the seats' personas, for searchers told them


@dataclass
class Chunk:
    """Per-game results of one task."""

    matchup: int
    chunk: int
    scores: NDArray[np.float32]  # (n, P)
    winner: NDArray[np.int64]  # (n,) power, -1 for none
    kind: NDArray[np.int64]  # (n,) index into OUTCOMES
    victory_type: NDArray[np.int64]  # (n,) index into COMPONENTS, -1
    length: NDArray[np.int64]  # (n,) years played
    trace: Trace | None = None  # the depth report's year-by-year record


Watch = Callable[[GameState, GameState, Report], None]


def play_mixed(world: World, players: list[Player], seats: NDArray[np.int64], seed: tuple[int, ...],
               watch: Watch | None = None) -> tuple[GameState, NDArray[np.int64]]:
    """Play a batch whose games may seat different players: seats[g, p] indexes `players`.
    Each player decides for the whole batch and keeps the rows it holds. Returns the final
    state and each game's length in years. `watch(before, after, report)` sees every year."""
    rng = np.random.default_rng(list(seed))
    minds = [np.random.default_rng([*seed, 1 + p]) for p in range(world.n_powers)]
    B = seats.shape[0]
    state = new_game(world, B)
    length = np.zeros(B, dtype=np.int64)
    uniform = [bool((seats[:, p] == seats[0, p]).all()) for p in range(world.n_powers)]
    for _ in range(world.n_turns + 1):
        if state.finished:
            break
        orders = BatchOrders.hold(state)
        for p in range(world.n_powers):
            if uniform[p]:
                players[int(seats[0, p])].decide_batch(state, p, minds[p], orders)
                continue
            for k in np.unique(seats[:, p]):
                tmp = BatchOrders.hold(state)
                players[int(k)].decide_batch(state, p, minds[p], tmp)
                copy_rows(orders, tmp, seats[:, p] == k, p)
        before = state
        state, report = resolve(state, orders, rng, explain=False)
        if watch is not None:
            watch(before, state, report)
        length = np.where((length == 0) & state.over, state.turn, length)
    return state, np.where(length == 0, state.turn, length)


def play_chunk(task: Task) -> Chunk:
    """Play one task's games to the end and score them."""
    world = world_for(task.scenario, task.overrides)
    players = [make_player(name) for name in task.seats]
    known = [known_course(p) for p in players]
    for p in players:
        if hasattr(p, "known"):
            p.known = known
    seats = np.tile(np.arange(world.n_powers), (task.games, 1))
    # the engine's seed depends on the chunk only: every matchup meets the same luck
    tracer = Tracer(task.chunk * task.games + np.arange(task.games))
    state, length = play_mixed(world, players, seats, (task.seed, task.chunk), watch=tracer.watch)
    out = outcome(state)
    return Chunk(matchup=task.matchup, chunk=task.chunk, scores=out.scores.astype(np.float32),
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
         chunk: int = CHUNK, mirror_only: bool = False) -> Tournament:
    """Every assignment of players to powers, `games` games in all (rounded up to whole chunks)."""
    check_players(players, games)
    world = world_for(scenario, overrides)
    k, P = len(players), world.n_powers
    matchups = [(i,) * P for i in range(k)] if mirror_only else list(itertools.product(range(k), repeat=P))
    per_matchup = max(1, math.ceil(games / len(matchups)))
    chunks = math.ceil(per_matchup / chunk)
    per_chunk = math.ceil(per_matchup / chunks)
    t = Tournament(scenario=scenario, players=list(players), seed=seed, games_requested=games,
                   matchups=matchups, per_chunk=per_chunk, chunks=chunks, overrides=overrides)
    t.tasks = [Task(scenario=scenario, seats=tuple(players[i] for i in m), matchup=mi, chunk=c,
                    games=per_chunk, seed=seed, overrides=overrides)
               for c in range(chunks) for mi, m in enumerate(matchups)]
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
    world = world_for(t.scenario, t.overrides)
    chunks = [run.results[i] for i in sorted(run.results)]
    P = world.n_powers
    if chunks:
        mu = np.concatenate([np.full(c.winner.size, c.matchup) for c in chunks])
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
                    weight=lambda task: task.games, progress=bar)
    return collect(t, out)


def summary_line(r: Results) -> dict[str, Any]:
    """Games played and the speed, for benchmarks and logs."""
    return {"games": r.n, "seconds": round(r.seconds, 3), "games_per_s": round(r.n / max(r.seconds, 1e-9), 1),
            "backend": r.backend, "workers": r.workers}
