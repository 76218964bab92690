"""`systemic bench --balance`: tournament throughput, on the local process pool and through Ray."""

from __future__ import annotations

from typing import Any

from game.lab import tournament
from game.lab.commands import resolve_players
from game.lab.runner import LabError


def run_balance_bench(scenario: str = "digital-leninism-2017", games: int = 10_000,
                      ray_address: str | None = None) -> dict[str, Any]:
    """Games per second of a `games`-game round robin of every strategic persona: once on all
    local cores, once through Ray (`ray_address`, or a Ray instance started here). If Ray is
    missing or unreachable the Ray figures are null and `ray_error` says why."""
    players = resolve_players(["all"])
    t = tournament.plan(scenario, players, games, seed=1)
    tournament.play_chunk(t.tasks[0])  # warm-up: imports and the world cache
    local = tournament.run(t, progress=False)
    out: dict[str, Any] = {"scenario": scenario, "games": local.n, "players": len(players),
                           "matchups": len(t.matchups), "local_workers": local.workers,
                           "local_games_per_s": round(local.n / local.seconds, 1),
                           "local_seconds": round(local.seconds, 2)}
    try:
        # warm-up: start the Ray workers and import the engine in each before timing
        warm = tournament.plan(scenario, players, 2 * len(t.matchups), seed=2, chunk=1)
        tournament.run(warm, ray_address=ray_address or "local", progress=False)
        via_ray = tournament.run(t, ray_address=ray_address or "local", progress=False)
        out |= {"ray_address": ray_address or "local", "ray_workers": via_ray.workers,
                "ray_games_per_s": round(via_ray.n / via_ray.seconds, 1), "ray_seconds": round(via_ray.seconds, 2),
                "ray_equals_local": bool((via_ray.scores == local.scores).all())}
    except LabError as exc:
        out |= {"ray_games_per_s": None, "ray_error": str(exc)}
    return out
