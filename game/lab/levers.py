"""Lever impact: what 10 points of budget buy (issue 11, `systemic levers`).

For each power and each lever open to it, the same games are played twice on the same luck
(common random numbers: the same engine and player seeds, game for game): once as the players
would, once with 10 points of the power's budget share moved into the lever every year, taken
from its other levers in proportion to their shares. The difference, averaged over the games, is the lever's effect on
the lever's own target, on output, stability, adoption and standards after 1, 5 and the last
year, and on the final score margin (the power's score minus its best rival's).

The games are "situations": the power plays each strategic persona against rivals that all play
one persona, every pairing, so a lever that matters in some plausible situation shows it in
the best situation's margin even when it averages out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.ai.difficulty import make_player
from game.ai.search import Player
from game.engine import BatchOrders, GameState, World, outcome
from game.engine.world import CH
from game.lab.runner import LabError, run_tasks

F = NDArray[np.float64]
SHIFT = 0.10  # 10 points of the budget share
MATTERS = 1.0  # a lever matters if funding it gains at least a point of final margin somewhere

# The indicator each channel is bought for (the lever's description says so); a lever's target
# is that of its largest channel. Signs: a lever is meant to raise its target, except these.
TARGET = {"coverage": "coverage", "ai": "ai_capability", "champion": "champion_cost",
          "standards": "standards_share", "services": "stability", "export": "model_adoption",
          "surveillance": "surveillance", "data_hub": "efficiency", "censorship": "protest",
          "privacy": "privacy_trust", "antitrust": "concentration", "cyber": "polarisation"}
SHOWN = ("gdp", "growth", "stability", "model_adoption", "standards_share")


@dataclass
class Shifted:
    """A player whose budget moves `SHIFT` of its share into one lever, from the others in proportion."""

    inner: Player
    lever: int
    name: str = ""

    def __post_init__(self) -> None:
        self.persona = self.inner.persona
        self.name = self.name or f"{self.inner.name}+lever{self.lever}"

    def decide_batch(self, state: GameState, power: int, rng: np.random.Generator, orders: BatchOrders) -> None:
        self.inner.decide_batch(state, power, rng, orders)
        budget = orders.budget[:, power].astype(np.float64)
        budget = budget / np.maximum(budget.sum(axis=1, keepdims=True), 1e-12)
        own = budget[:, self.lever].copy()
        rest = 1.0 - own
        moved = np.minimum(SHIFT, rest)
        # the other levers give in proportion to their shares: the lever against the power's mix
        budget *= np.where(rest > 0, (rest - moved) / np.maximum(rest, 1e-12), 0.0)[:, None]
        budget[:, self.lever] = own + moved
        orders.budget[:, power] = budget


def target_of(world: World, lever: int) -> str:
    weights = world.lever_channels[lever]
    return TARGET[list(CH)[int(np.argmax(weights))]]


@dataclass(frozen=True)
class LeverTask:
    scenario: str
    power: int
    lever: int  # -1: the unchanged baseline
    personas: tuple[str, ...]
    games: int  # per situation
    seed: int
    checkpoints: tuple[int, ...]
    history: int | None = None  # history mode up to this year, None: off


def play_lever(task: LeverTask) -> dict[str, Any]:
    """Play every situation with the lever shifted (or not): indicators at the checkpoints and the
    power's final margin, per game (situations in order, `games` games each)."""
    from game.lab.tournament import play_mixed, world_for
    w = world_for(task.scenario, history=task.history)
    k = len(task.personas)
    base = [make_player(n) for n in task.personas]
    players: list[Any] = list(base)
    if task.lever >= 0:
        players += [Shifted(p, task.lever) for p in base]
    mine = k if task.lever >= 0 else 0
    seats = np.zeros((k * k * task.games, w.n_powers), np.int64)
    for s, (a, b) in enumerate((a, b) for a in range(k) for b in range(k)):
        rows = slice(s * task.games, (s + 1) * task.games)
        seats[rows] = b
        seats[rows, task.power] = mine + a
    cols = [w.column(i) for i in {*SHOWN, *(target_of(w, lv) for lv in range(len(w.lever_ids)))}]
    names = [w.indicator_ids[c] for c in cols]
    seen: dict[int, NDArray[Any]] = {}

    def watch(before: GameState, after: GameState, report: Any) -> None:
        if after.turn in task.checkpoints:
            seen[after.turn] = after.nat[cols, :, task.power].astype(np.float64)

    state, _ = play_mixed(w, players, seats, (task.seed, 0), watch=watch)
    for c in task.checkpoints:  # games that all ended early keep their last values
        seen.setdefault(c, state.nat[cols, :, task.power].astype(np.float64))
    scores = outcome(state).scores.astype(np.float64)
    rivals = np.delete(scores, task.power, axis=1).max(axis=1)
    return {"names": names, "at": seen, "margin": scores[:, task.power] - rivals}


def measure(scenario: str, personas: list[str], games: int = 16, seed: int = 1,
            workers: int | None = None, progress: bool = False, history: int | None = None) -> dict[str, Any]:
    """The lever-impact table of a scenario, JSON-ready (in history mode up to the year `history`,
    if given)."""
    from game.lab.tournament import check_players, world_for
    check_players(personas, games)
    w = world_for(scenario, history=history)
    last = w.n_turns
    checkpoints = tuple(sorted({1, min(5, last), last}))
    tasks = [LeverTask(scenario, p, lv, tuple(personas), games, seed, checkpoints, history)
             for p in range(w.n_powers) for lv in [-1, *np.flatnonzero(w.lever_open[p]).tolist()]]
    run = run_tasks(play_lever, tasks, workers=workers)
    if run.interrupted or len(run.results) < len(tasks):
        raise LabError("the lever measurement was interrupted")
    base = {t.power: run.results[i] for i, t in enumerate(tasks) if t.lever < 0}
    k = len(personas)
    table: dict[str, list[dict[str, Any]]] = {}
    for i, t in enumerate(tasks):
        if t.lever < 0:
            continue
        r, b = run.results[i], base[t.power]
        names = r["names"]
        effect: dict[str, dict[int, float]] = {}
        for c in checkpoints:
            diff = r["at"][c] - b["at"][c]  # (indicators, games)
            for j, name in enumerate(names):
                if name == "gdp":  # output as a percentage change
                    d = 100 * (r["at"][c][j] / b["at"][c][j] - 1)
                elif name in ("growth",):
                    d = 100 * diff[j]  # percentage points
                elif name in ("model_adoption", "standards_share", "coverage", "efficiency"):
                    d = 100 * diff[j]  # points of share
                else:
                    d = diff[j]
                effect.setdefault(name, {})[c] = float(np.mean(d))
        dm = r["margin"] - b["margin"]
        by_situation = dm.reshape(k * k, games).mean(axis=1)
        best = int(np.argmax(by_situation))  # where funding the lever pays most
        table.setdefault(w.power_ids[t.power], []).append({
            "lever": w.lever_ids[t.lever], "target": target_of(w, t.lever), "effect": effect,
            "margin": float(dm.mean()), "margin_se": float(dm.std() / np.sqrt(dm.size)),
            "best_situation_margin": float(by_situation[best]),
            "best_situation": f"{personas[best // k]} vs {personas[best % k]}",
        })
    useless = [(pid, row["lever"]) for pid, rows in table.items() for row in rows
               if row["best_situation_margin"] < MATTERS]
    return {"scenario": scenario, "personas": personas, "games_per_situation": games, "seed": seed,
            "checkpoints": list(checkpoints), "shift": SHIFT, "table": table,
            "every_lever_matters": not useless, "levers_that_do_not_matter": useless}


def markdown(d: dict[str, Any]) -> list[str]:
    """The lever-impact table as Markdown."""
    c = d["checkpoints"]
    head = "/".join(str(x) for x in c)
    lines = ["### Lever impact", "",
             f"Each row: {int(100 * d['shift'])} points of the power's budget share moved into the lever every "
             "year, from its other levers in proportion, against the same games without the change (same luck). "
             f"Effects after {head} years, averaged over {len(d['personas'])}x{len(d['personas'])} situations "
             f"(the power's persona against its rivals' persona) of {d['games_per_situation']} games each. "
             "Target: the lever's own indicator (champion cost should fall, protest and polarisation too); "
             "output in %, shares in points; margin: the power's score minus its best rival's; best situation: "
             "the situation where funding the lever gains most margin. "
             f"Every lever gains at least {MATTERS:.0f} point of margin somewhere: "
             f"{'met' if d['every_lever_matters'] else '**NOT met**'}.", "",
             f"| power | lever | target | target {head}y | output % {head}y | stability {c[-1]}y | "
             f"adoption pts {c[-1]}y | standards pts {c[-1]}y | margin (mean ± se) | best situation |",
             "|---|---|---|---|---|---:|---:|---:|---|---|"]
    def at(e: dict[str, Any], name: str) -> str:
        return "/".join(f"{e[name][x]:+.2f}" for x in c)

    for pid, rows in d["table"].items():
        for r in rows:
            e = r["effect"]
            lines.append(f"| {pid} | {r['lever']} | {r['target']} | {at(e, r['target'])} | {at(e, 'gdp')} | "
                         f"{e['stability'][c[-1]]:+.2f} | {e['model_adoption'][c[-1]]:+.2f} | "
                         f"{e['standards_share'][c[-1]]:+.2f} | {r['margin']:+.2f} ± {r['margin_se']:.2f} | "
                         f"{r['best_situation_margin']:+.2f} ({r['best_situation']}) |")
    return [*lines, ""]
