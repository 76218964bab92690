"""`systemic bench`: engine speed, batched and single, with persona orders."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from typing import Any

import numpy as np

from game.ai.personas import decide_batch, persona
from game.engine import BatchOrders, build_world, new_game, resolve
from game.rules.loader import load_scenario

SEATS = ("planner", "free_marketeer")


def _advance(world: Any, batch: int, turns: int, seed: int, explain: bool) -> tuple[int, float, float]:
    """Advance `batch` games `turns` turns with persona orders: (game-turns, seconds for the whole
    loop of persona decisions and resolution, seconds in `resolve` alone)."""
    rng = np.random.default_rng(seed)
    state = new_game(world, batch)
    people = [persona(SEATS[p % len(SEATS)]) for p in range(world.n_powers)]
    start = time.perf_counter()
    in_resolve = 0.0
    done = 0
    for _ in range(turns):
        if state.finished:
            break
        orders = BatchOrders.hold(state)
        for p, who in enumerate(people):
            decide_batch(state, p, who, rng, orders)
        before = time.perf_counter()
        state, _ = resolve(state, orders, rng, explain=explain)
        in_resolve += time.perf_counter() - before
        done += batch
    return done, time.perf_counter() - start, in_resolve


# The figures are for one core (issue 2): numpy's BLAS must not spread a matrix product over
# threads, which on a shared machine wait on each other. Its thread count is read once, when
# numpy loads, so the measurement runs in a fresh interpreter with these set.
ONE_CORE = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def run_bench(scenario: str = "digital-leninism-2017", games: int = 10_000, turns: int = 18,
              repeats: int = 3) -> dict[str, Any]:
    """Measure on one core (see ONE_CORE), in a fresh interpreter unless this one is set so."""
    from game.command import CliError

    load_scenario(scenario)  # a bad name is reported here, as the other commands report it
    if games < 1 or turns < 1:
        raise CliError("bench: --games and --turns must be at least 1")
    if all(os.environ.get(k) == v for k, v in ONE_CORE.items()):
        return measure(scenario, games, turns, repeats)
    code = ("import json, sys; from game.bench.engine import measure; "
            "print(json.dumps(measure(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))))")
    done = subprocess.run([sys.executable, "-c", code, scenario, str(games), str(turns), str(repeats)],
                          env=os.environ | ONE_CORE, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise CliError("bench: " + (done.stderr.strip().splitlines() or ["the measurement failed"])[-1])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(scenario: str, games: int, turns: int, repeats: int) -> dict[str, Any]:
    """Game-turns per second: `games` games advanced together (the best of `repeats` runs, since
    the machine may be shared and a run can only be slowed down, never sped up, by other work),
    and one game at a time with explanations, as a player's game runs."""
    world = build_world(load_scenario(scenario))
    _advance(world, 16, 2, 0, False)  # warm-up
    # a tournament reads outcomes, not explanations; a player's game explains every change
    runs = [_advance(world, games, turns, 1, False) for _ in range(max(1, repeats))]
    batch_turns, batch_s, resolve_s = min(runs, key=lambda r: r[1])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    single_turns, single_s = 0, 0.0
    for seed in range(5):
        n, s, _ = _advance(world, 1, turns, seed, True)
        single_turns += n
        single_s += s
    batch_rate = batch_turns / batch_s
    single_rate = single_turns / single_s
    return {
        "batch_games": games,
        "turns_per_s_batch": round(batch_rate),
        "turns_per_s_batch_resolve_only": round(batch_turns / resolve_s),
        "turns_per_s_single": round(single_rate),
        "ratio": round(batch_rate / single_rate, 1),
        "single_turn_ms": round(1000 / single_rate, 3),
        "peak_rss_mb": round(peak_mb, 1),
    }
