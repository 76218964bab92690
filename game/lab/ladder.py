"""The difficulty ladder: each level against the one below it, head to head, seats swapped, on
common luck; does every step rise?

A step is a two-player tournament between adjacent levels in which every seat assignment with
both players present is a matchup (two in a two-power scenario, six in a three-power one), and
chunk c of every matchup, and of every step, meets the same luck. Two figures per step:

* the **win share**: among the meetings of the upper level with the lower one (each pair of
  powers they hold in a game, won by the higher score beyond the draw margin), the share the
  upper level won of the decided ones, with a Wilson 95% interval;
* the **paired margin**: per luck draw (the same game index of the same chunk in every matchup),
  the upper level's mean score minus the lower level's, averaged over the matchups (so over
  every seat) and then over the draws, with a Student t 95% interval. Luck and seat advantage
  cancel within a draw, so it separates smaller steps than the win share does.

A step **rises** when either interval lies wholly on the upper level's side (above 50%, above 0)
and neither on the other side; it **falls** in the mirror case, and is **level** otherwise.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.lab import stats
from game.lab.runner import LabError, Progress, run_tasks
from game.lab.tournament import Chunk, Task, Tournament, plan, play_chunk, world_for

BATCH = 1_000  # games per task at least: smaller than a round robin's, so two cores share a step


@dataclass(frozen=True)
class Step:
    """One rung: `upper` against `lower`, every seat assignment with both present."""

    lower: str
    upper: str
    tournament: Tournament


def matchups(n_powers: int) -> list[tuple[int, ...]]:
    """Every seating of players 0 (lower) and 1 (upper) on the powers with both present."""
    return [m for m in itertools.product((0, 1), repeat=n_powers) if 0 in m and 1 in m]


def plan_steps(scenario: str, levels: list[str], games: int, seed: int) -> list[Step]:
    """One step per pair of adjacent levels, `games` games each (rounded up to whole chunks),
    every step on the same seed: chunk c of every step and matchup meets the same luck."""
    if len(levels) < 2:
        raise LabError("--levels needs at least two levels, weakest first")
    if len(set(levels)) < len(levels):
        raise LabError("--levels names a level twice")
    world = world_for(scenario)
    seats = matchups(world.n_powers)
    return [Step(lower, upper, plan(scenario, [lower, upper], games, seed, matchups=seats, batch=BATCH))
            for lower, upper in itertools.pairwise(levels)]


@dataclass
class StepGames:
    """A step's finished games: per game its matchup, its luck draw and the scores."""

    matchup: NDArray[np.int64]
    draw: NDArray[np.int64]  # chunk * games per chunk + index in the chunk: the same luck across matchups
    scores: NDArray[np.float64]  # (n, P)


def _games(step: Step, chunks: dict[int, Chunk]) -> StepGames:
    t = step.tournament
    P = world_for(t.scenario).n_powers
    mu, draw, scores = [], [], []
    for i in sorted(chunks):
        task: Task = t.tasks[i]
        c = chunks[i]
        mu.append(c.matchup)
        draw.append(np.concatenate([chunk * task.games + np.arange(task.games) for chunk in task.chunks]))
        scores.append(c.scores.astype(np.float64))
    if not mu:
        return StepGames(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, P)))
    return StepGames(np.concatenate(mu), np.concatenate(draw), np.concatenate(scores))


def _student(values: NDArray[np.float64]) -> tuple[float, float, float]:
    """Mean and Student t 95% interval of independent values."""
    from scipy.stats import t as student
    n = values.size
    if n < 2:
        return (float(values.mean()) if n else 0.0, -math.inf, math.inf)
    mean = float(values.mean())
    half = float(student.ppf(0.975, n - 1) * values.std(ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half


def verdict(share_ci: tuple[float, float], margin_ci: tuple[float, float]) -> str:
    """'rises', 'falls' or 'level' (see the module docstring)."""
    up = share_ci[0] > 0.5 or margin_ci[0] > 0
    down = share_ci[1] < 0.5 or margin_ci[1] < 0
    if up and not down:
        return "rises"
    if down and not up:
        return "falls"
    return "level"


def analyse_step(step: Step, games: StepGames) -> dict[str, Any]:
    """The step's win share, paired margin, per-power shares and verdict, JSON-ready."""
    t = step.tournament
    world = world_for(t.scenario)
    draw_margin = world.scenario.rules.victory.draw_margin
    seats = np.array(t.matchups, dtype=np.int64)[games.matchup] if games.matchup.size else \
        np.zeros((0, world.n_powers), np.int64)
    upper = seats == 1
    won = lost = drawn = 0
    by_power: dict[str, dict[str, Any]] = {}
    for p, pid in enumerate(world.power_ids):
        w_p = l_p = 0
        for q in range(world.n_powers):
            if q == p:
                continue
            meet = upper[:, p] & ~upper[:, q]  # the upper level at p meets the lower one at q
            diff = games.scores[meet, p] - games.scores[meet, q]
            w_p += int((diff > draw_margin).sum())
            l_p += int((diff < -draw_margin).sum())
            drawn += int((np.abs(diff) <= draw_margin).sum())
        won, lost = won + w_p, lost + l_p
        lo, hi = stats.wilson(w_p, w_p + l_p)
        by_power[pid] = {"won": w_p, "decided": w_p + l_p, "share": w_p / max(w_p + l_p, 1), "wilson95": [lo, hi]}
    share_ci = stats.wilson(won, won + lost)
    # per game: the upper level's mean score over its seats minus the lower level's
    n_up = np.maximum(upper.sum(axis=1), 1)
    n_low = np.maximum((~upper).sum(axis=1), 1)
    margin = (games.scores * upper).sum(axis=1) / n_up - (games.scores * ~upper).sum(axis=1) / n_low
    # paired: per luck draw, the mean over the matchups; only draws every matchup finished
    k = len(t.matchups)
    draws, slot = np.unique(games.draw, return_inverse=True)
    total = np.zeros(draws.size)
    count = np.zeros(draws.size)
    np.add.at(total, slot, margin)
    np.add.at(count, slot, 1)
    paired = total[count == k] / k
    mean, lo_m, hi_m = _student(paired)
    return {
        "lower": step.lower, "upper": step.upper, "games": int(games.matchup.size), "matchups": k,
        "won": won, "lost": lost, "drawn": drawn,
        "share": won / max(won + lost, 1), "wilson95": list(share_ci),
        "paired_draws": int(paired.size), "margin": mean, "margin95": [lo_m, hi_m],
        "by_power": by_power, "verdict": verdict(share_ci, (lo_m, hi_m)),
    }


def run(steps: list[Step], *, workers: int | None = None, ray_address: str | None = None,
        progress: bool = True) -> tuple[list[dict[str, Any]], bool, float]:
    """Play every step's tasks in one pool; (per-step results, interrupted, seconds)."""
    jobs = [(s, i) for s, step in enumerate(steps) for i in range(len(step.tournament.tasks))]
    tasks = [steps[s].tournament.tasks[i] for s, i in jobs]
    bar = Progress(sum(task.size for task in tasks), "games", enabled=progress)
    out = run_tasks(play_chunk, tasks, workers=workers, ray_address=ray_address,
                    weight=lambda task: task.size, progress=bar)
    found: list[dict[int, Chunk]] = [{} for _ in steps]
    for j, chunk in out.results.items():
        s, i = jobs[j]
        found[s][i] = chunk
    results = [analyse_step(step, _games(step, found[s])) for s, step in enumerate(steps)]
    return results, out.interrupted, out.seconds


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def step_line(r: dict[str, Any]) -> str:
    lo, hi = r["wilson95"]
    mlo, mhi = r["margin95"]
    return (f"{r['upper']} vs {r['lower']}: {r['verdict']}; wins {_pct(r['share'])} [{_pct(lo)}, {_pct(hi)}] of "
            f"{r['won'] + r['lost']} decided meetings, paired margin {r['margin']:+.2f} [{mlo:+.2f}, {mhi:+.2f}] "
            f"points over {r['paired_draws']} luck draws")


def overall(results: list[dict[str, Any]]) -> str:
    """'rises' when every step rises; otherwise which steps do not."""
    bad = [f"{r['upper']} vs {r['lower']} {r['verdict']}" for r in results if r["verdict"] != "rises"]
    return "rises" if not bad else "does not rise (" + "; ".join(bad) + ")"


def write(results: list[dict[str, Any]], out: Path, *, scenario: str, seed: int, games: int, command: str,
          interrupted: bool, seconds: float) -> list[Path]:
    """ladder.md and ladder.json in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    powers = list(results[0]["by_power"]) if results else []
    lines = [f"# Difficulty ladder: {scenario}", "", "Generated by", "", f"    {command}", ""]
    if interrupted:
        lines += ["> **PARTIAL: the run was interrupted; only finished batches are counted.**", ""]
    lines += [f"Each level against the one below it, every seating of the two on the powers (seats swapped), "
              f"{games} games a step asked, seed {seed}, every step and matchup on the same luck "
              f"({seconds:.0f} s). **The ladder {overall(results)}.**", "",
              "Win share: the upper level's share of its decided meetings with the lower one (a meeting is a pair "
              "of powers they hold in one game, won by the higher score beyond the draw margin), Wilson 95% "
              "interval. Paired margin: per luck draw, the upper level's mean score minus the lower level's, "
              "averaged over every seating, then over the draws, Student t 95% interval. A step rises when "
              "either interval lies wholly on the upper level's side and neither on the other.", "",
              "| step | games | win share [Wilson 95%] | draws | paired margin, points [t 95%] | "
              + " | ".join(f"as {p}" for p in powers) + " | verdict |",
              "|---|---:|---|---:|---|" + "---|" * len(powers) + "---|"]
    for r in results:
        lo, hi = r["wilson95"]
        mlo, mhi = r["margin95"]
        cells = " | ".join(_pct(v["share"]) for v in r["by_power"].values())
        lines.append(f"| {r['upper']} vs {r['lower']} | {r['games']:,} | {_pct(r['share'])} [{_pct(lo)}, "
                     f"{_pct(hi)}] | {r['drawn']:,} | {r['margin']:+.2f} [{mlo:+.2f}, {mhi:+.2f}] | {cells} | "
                     f"{'**' + r['verdict'] + '**' if r['verdict'] != 'rises' else r['verdict']} |")
    lines.append("")
    md = out / "ladder.md"
    md.write_text("\n".join(lines))
    js = out / "ladder.json"
    js.write_text(json.dumps({"command": command, "scenario": scenario, "seed": seed, "games": games,
                              "interrupted": interrupted, "seconds": round(seconds, 2),
                              "rises": all(r["verdict"] == "rises" for r in results) and not interrupted,
                              "overall": overall(results), "steps": results}, indent=1, sort_keys=True) + "\n")
    return [md, js]
