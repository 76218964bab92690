"""The cluster backend: a local Ray instance gives the same games as a local run."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.slow  # a Ray instance takes seconds to start

from game.bench.balance import run_balance_bench  # noqa: E402
from game.cli import main  # noqa: E402
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


def _listener() -> tuple[socket.socket, str]:
    """A TCP port where something other than Ray listens (accepts, then says nothing)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)
    threading.Thread(target=accept, daemon=True).start()
    return server, f"127.0.0.1:{server.getsockname()[1]}"


def test_an_address_with_something_else_behind_it_gets_one_line_quickly(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    ray.shutdown()  # a driver already connected (the fixture's) would be used as it is
    server, address = _listener()
    try:
        start = time.monotonic()
        code = main(["balance", "--ray", address, "--games", "10", "--out", str(tmp_path), "--quiet"])
        took = time.monotonic() - start
    finally:
        server.close()
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and f"no Ray cluster answers at {address}" in err[0]
    assert took < 30  # it used to hang for over 100 s


def _kill_ray_under(temp_dir: Path) -> None:
    """End the Ray processes of one `ray start`, by id: those whose command line names its temp
    dir, and the agents their raylet started (`ray stop` would stop every Ray on the machine)."""
    def read(pid: str, name: str) -> str:
        try:
            return (Path("/proc") / pid / name).read_bytes().replace(b"\0", b"\n").decode(errors="replace")
        except OSError:
            return ""
    pids = [p.name for p in Path("/proc").iterdir() if p.name.isdigit() and int(p.name) != os.getpid()]
    ours = {p for p in pids if str(temp_dir) in read(p, "cmdline")}
    ours |= {p for p in pids if any(f"RAY_RAYLET_PID={q}" in read(p, "environ").splitlines() for q in ours)}
    for pid in ours:
        with contextlib.suppress(OSError):
            os.kill(int(pid), signal.SIGKILL)


def test_a_cluster_requiring_a_token_says_so_in_one_line_and_the_token_gets_in(tmp_path: Path) -> None:
    """A real head on loopback with token authentication: a driver without the token gets one
    line about authentication and how to pass the token; with it, the games equal a local run."""
    ray_bin = Path(sys.executable).parent / "ray"
    temp = Path(tempfile.mkdtemp(prefix="rt", dir="/tmp"))  # Ray's socket paths must stay short
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    auth = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": token}
    bare = {k: v for k, v in os.environ.items() if not k.startswith("RAY_AUTH")}
    try:
        subprocess.run([str(ray_bin), "start", "--head", f"--port={port}", "--num-cpus=1", "--include-dashboard=false",
                        "--disable-usage-stats", f"--temp-dir={temp}"], env=bare | auth, check=True,
                       capture_output=True, timeout=120)
        address = f"127.0.0.1:{port}"
        args = ["balance", "--ray", address, "--games", "8", "--personas", "planner", "free_marketeer",
                "--out", str(tmp_path / "r"), "--quiet"]
        denied = subprocess.run([sys.executable, "-m", "game", *args], env=bare, capture_output=True, text=True,
                                timeout=60)
        assert denied.returncode == 2
        lines = denied.stderr.strip().splitlines()
        assert len(lines) == 1 and "requires token authentication" in lines[0] and address in lines[0]
        assert "RAY_AUTH_TOKEN" in lines[0]
        allowed = subprocess.run([sys.executable, "-m", "game", *args], env=bare | auth, capture_output=True,
                                 text=True, timeout=120)
        assert allowed.returncode in (0, 1), allowed.stderr  # 1: the balance target is not met
        local = subprocess.run([sys.executable, "-m", "game", *args[:1], *args[3:-3], "--out",
                                str(tmp_path / "l"), "--quiet", "--workers", "1"], env=bare, capture_output=True,
                               text=True, timeout=120)
        assert local.returncode in (0, 1), local.stderr
        remote_games = json.loads((tmp_path / "r" / "report.json").read_text())
        local_games = json.loads((tmp_path / "l" / "report.json").read_text())
        assert remote_games["games"] == local_games["games"] > 0
        timing = ("seconds", "backend", "workers", "games_per_s", "command", "out")
        for key, value in local_games.items():
            if not any(word in key for word in timing):
                assert remote_games[key] == value, key
    finally:
        _kill_ray_under(temp)
