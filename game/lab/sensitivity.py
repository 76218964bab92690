"""Which rule coefficients decide who wins: a Saltelli sweep of game/rules/mechanics.yaml.

Two base matrices A and B of coefficient samples (a scrambled Sobol sequence, or a Latin
hypercube) are drawn inside each coefficient's declared `range`; A with column i taken from B
gives AB_i. Every sampled world plays a short round robin of the chosen players (one batch,
the same engine seed for every world, so worlds differ by their rules rather than their luck).
From f(A), f(B) and f(AB_i) come first-order indices (Saltelli 2010) and total indices
(Jansen 1999) of the digital-Leninist head-to-head win rate.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.ai.difficulty import make_player
from game.engine import outcome
from game.lab import stats
from game.lab.runner import LabError, Progress, run_tasks
from game.lab.tournament import play_mixed, scenario_for, world_for

LENINIST = "digital_leninist"


@dataclass(frozen=True)
class Param:
    group: str
    name: str
    low: float
    high: float
    integer: bool

    @property
    def id(self) -> str:
        return f"{self.group}.{self.name}"


def parameters(scenario: str, wanted: list[str], ranges: list[str]) -> list[Param]:
    """Resolve `group.name` (or a unique `name`, or `all`) against the declared ranges, applying
    `group.name=lo:hi` narrowings; anything unknown or impossible is a LabError."""
    scen = scenario_for(scenario)
    declared: dict[str, Param] = {}
    for group, coefs in scen.rules.mechanics.items():
        for name, c in coefs.items():
            lo, hi = (float(x) for x in c.range)
            integer = all(float(x).is_integer() for x in (*c.range, c.value)) and isinstance(c.value, int)
            declared[f"{group}.{name}"] = Param(group, name, lo, hi, integer)
    by_name: dict[str, list[str]] = {}
    for key in declared:
        by_name.setdefault(key.split(".", 1)[1], []).append(key)

    def lookup(item: str) -> str:
        if item in declared:
            return item
        if len(by_name.get(item, [])) == 1:
            return by_name[item][0]
        if item in by_name:
            raise LabError(f"parameter '{item}' is ambiguous: {', '.join(by_name[item])}")
        raise LabError(f"unknown parameter '{item}'; parameters are GROUP.NAME from game/rules/mechanics.yaml "
                       f"(e.g. {', '.join(list(declared)[:3])})")

    chosen: list[str] = []
    for item in wanted:
        for part in item.split(","):
            part = part.strip()
            keys = [k for k, p in declared.items() if p.high > p.low] if part == "all" else [lookup(part)]
            chosen += [k for k in keys if k not in chosen]
    narrowed = dict(declared)
    for spec in ranges:
        key, _, span = spec.partition("=")
        lo_s, _, hi_s = span.partition(":")
        key = lookup(key.strip())
        try:
            lo, hi = float(lo_s), float(hi_s)
        except ValueError:
            raise LabError(f"--range {spec}: expected GROUP.NAME=LOW:HIGH") from None
        d = declared[key]
        if not lo < hi:
            raise LabError(f"--range {spec}: impossible range, low must be below high")
        if lo < d.low or hi > d.high:
            raise LabError(f"--range {spec}: outside the declared range [{d.low:g}, {d.high:g}] of {key}")
        narrowed[key] = Param(d.group, d.name, lo, hi, d.integer)
        if key not in chosen:
            chosen.append(key)
    out = [narrowed[k] for k in chosen]
    for p in out:
        if not p.high > p.low:
            raise LabError(f"parameter {p.id} has an empty range [{p.low:g}, {p.high:g}]: nothing to vary")
    if not out:
        raise LabError("no parameters to vary")
    return out


@dataclass(frozen=True)
class Sample:
    scenario: str
    overrides: tuple[tuple[str, str, float], ...]
    players: tuple[str, ...]
    games: int
    seed: int


def evaluate(sample: Sample) -> tuple[float, float]:
    """(digital-Leninist head-to-head win rate with draws half, its mean score margin) in one world."""
    world = world_for(sample.scenario, sample.overrides)
    players = [make_player(n) for n in sample.players]
    k, P = len(players), world.n_powers
    rng = np.random.default_rng([sample.seed, 7])
    seats = rng.integers(0, k, size=(sample.games, P))  # a random round robin, the same in every world
    state, _ = play_mixed(world, players, seats, (sample.seed, 0))
    scores = outcome(state).scores.astype(float)
    margin_v = world.scenario.rules.victory.draw_margin
    points, duels, gap = 0.0, 0, 0.0
    for p in range(P):
        for q in range(P):
            if world.doctrine_of[p] == LENINIST and world.doctrine_of[q] != LENINIST:
                diff = scores[:, p] - scores[:, q]
                points += float(np.where(diff > margin_v, 1.0, np.where(diff < -margin_v, 0.0, 0.5)).sum())
                duels += diff.size
                gap += float(diff.sum())
    return (points / max(duels, 1), gap / max(duels, 1))


@dataclass
class Sweep:
    scenario: str
    params: list[Param]
    method: str
    samples: int
    games: int
    players: list[str]
    seed: int
    a: NDArray[np.float64]  # (N, k) coefficient values
    b: NDArray[np.float64]
    tasks: list[Sample] = field(default_factory=list)


def _scale(unit: NDArray[np.float64], params: list[Param]) -> NDArray[np.float64]:
    lo = np.array([p.low for p in params])
    hi = np.array([p.high for p in params])
    x = lo + unit * (hi - lo)
    for i, p in enumerate(params):
        if p.integer:
            x[:, i] = np.clip(np.floor(lo[i] + unit[:, i] * (hi[i] - lo[i] + 1)), lo[i], hi[i])
    return x


def plan(scenario: str, wanted: list[str], *, samples: int = 64, method: str = "sobol", games: int = 64,
         players: list[str] | None = None, seed: int = 1, ranges: list[str] | None = None) -> Sweep:
    """Lay out the sweep: N x (k + 2) sampled worlds."""
    from scipy.stats import qmc
    if samples < 2:
        raise LabError(f"--samples must be at least 2, got {samples}")
    if games < 1:
        raise LabError(f"--games must be at least 1, got {games}")
    params = parameters(scenario, wanted, ranges or [])
    names = players or ["planner", "free_marketeer"]
    for name in names:
        try:
            make_player(name)
        except ValueError as exc:
            raise LabError(str(exc)) from None
    k = len(params)
    if method == "sobol":
        n = 1 << max(1, math.ceil(math.log2(samples)))  # Sobol points come in powers of two
        unit = qmc.Sobol(d=2 * k, scramble=True, seed=seed).random(n)
    elif method == "lhs":
        n = samples
        unit = qmc.LatinHypercube(d=2 * k, seed=seed).random(n)
    else:
        raise LabError(f"unknown method '{method}'; methods are sobol, lhs")
    a, b = _scale(unit[:, :k], params), _scale(unit[:, k:], params)
    sweep = Sweep(scenario, params, method, n, games, names, seed, a, b)
    matrices = [a, b] + [np.where(np.arange(k) == i, b, a) for i in range(k)]
    for m in matrices:
        for row in m:
            values = tuple((p.group, p.name, float(v)) for p, v in zip(params, row, strict=True))
            sweep.tasks.append(Sample(scenario, values, tuple(names), games, seed))
    return sweep


@dataclass
class SweepResult:
    sweep: Sweep
    f: NDArray[np.float64]  # (k + 2, N) win rates; NaN where interrupted
    margin: NDArray[np.float64]
    interrupted: bool
    seconds: float

    def indices(self, values: NDArray[np.float64] | None = None) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """First-order and total indices per parameter, from rows where every matrix finished."""
        f = self.f if values is None else values
        ok = ~np.isnan(f).any(axis=0)
        return stats.sobol_indices(f[0, ok], f[1, ok], f[2:, ok])

    def ranking(self) -> list[dict[str, Any]]:
        first, total = self.indices()
        mfirst, mtotal = self.indices(self.margin)
        rows = [{"parameter": p.id, "range": [p.low, p.high], "first_order": float(first[i]),
                 "total": float(total[i]), "margin_first_order": float(mfirst[i]), "margin_total": float(mtotal[i])}
                for i, p in enumerate(self.sweep.params)]
        return sorted(rows, key=lambda r: -r["total"])

    @property
    def interrupted_samples(self) -> int:
        return int(np.isnan(self.f).any(axis=0).sum())


def run(sweep: Sweep, *, workers: int | None = None, ray_address: str | None = None,
        progress: bool = True) -> SweepResult:
    bar = Progress(len(sweep.tasks), "worlds", enabled=progress)
    out = run_tasks(evaluate, sweep.tasks, workers=workers, ray_address=ray_address, progress=bar)
    k2, n = len(sweep.params) + 2, sweep.samples
    f = np.full(k2 * n, np.nan)
    m = np.full(k2 * n, np.nan)
    for i, (rate, gap) in out.results.items():
        f[i], m[i] = rate, gap
    return SweepResult(sweep, f.reshape(k2, n), m.reshape(k2, n), out.interrupted, out.seconds)


def write(result: SweepResult, out: Path, command: str = "") -> list[Path]:
    """sensitivity.md, sensitivity.json and a bar chart of the indices."""
    out.mkdir(parents=True, exist_ok=True)
    s = result.sweep
    rows = result.ranking()
    f = result.f[:2][~np.isnan(result.f[:2])]
    data: dict[str, Any] = {
            "scenario": s.scenario, "method": s.method, "samples": s.samples, "games_per_world": s.games,
            "players": s.players, "seed": s.seed, "worlds": int(result.f.size),
            "interrupted": result.interrupted, "seconds": round(result.seconds, 2),
            "win_rate_mean": float(f.mean()) if f.size else None,
            "win_rate_sd": float(f.std()) if f.size else None, "parameters": rows, "command": command}
    (out / "sensitivity.json").write_text(json.dumps(data, indent=1) + "\n")
    lines = [f"# Sensitivity: {s.scenario}", ""]
    if result.interrupted:
        lines += [f"> **PARTIAL REPORT: interrupted; {result.interrupted_samples} of {s.samples} sample rows "
                  "are incomplete and left out.**", ""]
    if command:
        lines += ["Generated by", "", f"    {command}", ""]
    lines += [f"{s.method} design (Saltelli), {s.samples} base samples x {len(s.params) + 2} matrices = "
              f"{result.f.size} worlds of {s.games} games ({', '.join(s.players)}); output: the digital-Leninist "
              f"head-to-head win rate (draws half), mean {100 * (data['win_rate_mean'] or 0):.1f}%, "
              f"sd {100 * (data['win_rate_sd'] or 0):.1f} points across worlds.", "",
              "| parameter | range | first-order | total | first-order (margin) | total (margin) |",
              "|---|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['parameter']} | [{r['range'][0]:g}, {r['range'][1]:g}] | {r['first_order']:.3f} | "
                     f"{r['total']:.3f} | {r['margin_first_order']:.3f} | {r['margin_total']:.3f} |")
    lines += ["", "Indices below ~0.05 are within sampling noise at this sample size; a negative first-order index "
              "is estimator noise (the total index is the steadier ranking; raise --samples to 256+ for "
              "first-order indices you can quote).", "",
              "![indices](sensitivity.png)", ""]
    (out / "sensitivity.md").write_text("\n".join(lines))
    files = [out / "sensitivity.md", out / "sensitivity.json"]
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return files
    top = rows[:20][::-1]
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(top) + 1.2))
    y = np.arange(len(top))
    ax.barh(y - 0.2, [r["first_order"] for r in top], height=0.4, label="first-order", color="#346ede")
    ax.barh(y + 0.2, [r["total"] for r in top], height=0.4, label="total", color="#de4034")
    ax.set_yticks(y, [r["parameter"] for r in top], fontsize=8)
    ax.set_xlabel("Sobol index of the digital-Leninist win rate")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "sensitivity.png", dpi=90)
    plt.close(fig)
    return [*files, out / "sensitivity.png"]
