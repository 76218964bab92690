"""The cluster backend: a local Ray instance gives the same games as a local run."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.slow  # a Ray instance takes seconds to start

from game.bench.balance import run_balance_bench  # noqa: E402
from game.lab import tournament  # noqa: E402


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    yield
    ray.shutdown()


def test_ray_results_equal_the_local_run_for_the_same_seeds(local_ray: None) -> None:
    t = tournament.plan("transatlantic-2017", ["planner", "surveillance_hawk"], 48, seed=11, chunk=4)
    local = tournament.run(t, workers=1, progress=False)
    remote = tournament.run(t, ray_address="auto", progress=False)
    assert remote.backend == "ray" and not remote.interrupted
    assert remote.n == local.n == t.games
    for name in ("scores", "winner", "kind", "victory_type", "length", "seat_player"):
        assert np.array_equal(getattr(local, name), getattr(remote, name)), name


def test_balance_bench_reports_local_and_ray_throughput(local_ray: None) -> None:
    out = run_balance_bench("digital-leninism-2017", games=200)
    assert out["games"] >= 200
    assert out["local_games_per_s"] > 0 and out["ray_games_per_s"] > 0
    assert out["ray_equals_local"] is True
