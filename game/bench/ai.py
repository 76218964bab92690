"""`systemic bench --ai`: what the thinking players cost, in one JSON line.

* `decision_ms`: a decision's CPU time in a desktop game (one game, the level on the first power
  against `planner`), the median over the game's years, for every level;
* `*_games_per_s`: 2-worker tournaments of `games` games (wall time): scripted personas
  (`planner`, `free_marketeer`), one `normal` seat against `planner` (seats swapped), a `normal`
  mirror, one `research` seat against `planner`; `*_cost_x` is how many scripted games each game
  costs, measured in the same run;
* `vector_steps_per_s`: env-steps a second of the vector env at `num_envs` 1, 256 and 4,096 on
  one core, against `planner`, with random legal actions; `trivial_env_steps_per_s` a hand-written
  single-game numpy Gymnasium env with the same spaces (one game a Python step: it keeps a game's
  arrays and builds the observation and a fresh legal-action mask from them, see `TrivialGame`); the
  single-game `SystemicEnv`'s figure for comparison;
* with `before=TREE` (a checkout of the code before the search was batched, e.g. the main
  branch), the same decision times and tournaments for that tree, measured in a subprocess
  in the same run (`before_*` keys).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any, ClassVar

import numpy as np

from game.ai.difficulty import LEVELS, make_player
from game.engine import BatchOrders, new_game
from game.lab import tournament
from game.lab.runner import one_blas_thread

OPPONENT = "planner"
SCRIPTED = ["planner", "free_marketeer"]


def decision_ms(scenario: str, level: str) -> float:
    """Median CPU milliseconds of a `level` decision over one desktop game."""
    world = tournament.world_for(scenario)
    me, rival = make_player(level), make_player(OPPONENT)
    state = new_game(world, 1)
    rng = np.random.default_rng(1)
    spent = []
    from game.engine import resolve
    while not state.finished:
        orders = BatchOrders.hold(state)
        start = time.process_time()
        me.decide_batch(state, 0, rng, orders)
        spent.append(time.process_time() - start)
        rival.decide_batch(state, 1, rng, orders)
        state, _ = resolve(state, orders, rng)
    return round(1000 * float(np.median(spent)), 2)


def games_per_s(scenario: str, players: list[str], matchups: list[tuple[int, ...]], games: int) -> float:
    """Games a second of a 2-worker tournament of these matchups (wall time)."""
    t = tournament.plan(scenario, players, games, seed=1, matchups=matchups)
    r = tournament.run(t, workers=2, progress=False)
    return round(r.n / r.seconds, 1)


class TrivialGame:
    """The least a hand-written single-game numpy env of these spaces does in a step: it keeps a
    game's arrays (every power's indicators, every region's alignment and adoption, the year),
    moves them by the action and a little noise (trivial rules), and builds what a power sees as
    `rl.observe` does (scaled, in its own-first order, concatenated, clipped, float32) and a fresh
    legal-action mask from the state (policy changes need political capital, as in the game).
    A yardstick that drew random numbers and handed out one shared mask did less than any real
    env of these spaces must, and measured a ceiling, not an env."""

    def __init__(self, powers: int, indicators: int, regions: int, actions: int, years: int) -> None:
        self.powers, self.indicators, self.regions = powers, indicators, regions
        self.actions, self.years = actions, years
        self.dim = powers * indicators + 2 * regions * powers + 1
        self.rng = np.random.default_rng(0)
        self.lo, self.span = np.zeros(indicators), np.ones(indicators)
        self.start()

    def start(self) -> None:
        self.nat = self.rng.random((self.powers, self.indicators))
        self.alignment = self.rng.random((self.regions, self.powers))
        self.adoption = self.rng.random((self.regions, self.powers))
        self.turn = 0

    def move(self, acts: dict[int, int]) -> None:
        for p, action in acts.items():
            self.nat[p, action % self.indicators] += 0.01
        self.nat += self.rng.normal(0.0, 0.01, self.nat.shape)
        self.turn += 1

    def observe(self, power: int) -> dict[str, Any]:
        order = [power, *[q for q in range(self.powers) if q != power]]
        nat = (self.nat[order] - self.lo) / self.span
        parts = [nat.ravel(), self.alignment[:, order].ravel(), self.adoption[:, order].ravel(),
                 np.array([self.turn / self.years])]
        mask = np.ones(self.actions, dtype=np.int8)
        mask[self.actions // 2:] = self.nat[power, 0] > 0.2
        return {"observation": np.clip(np.concatenate(parts), 0.0, 1.0).astype(np.float32), "action_mask": mask}

    def margin(self, power: int) -> float:
        return float(self.nat[power, 0] - np.delete(self.nat[:, 0], power).max())


class TrivialEnv:
    """A hand-written single-game numpy Gymnasium env with the vector env's spaces, one power
    learning: the yardstick the issue names (one game a Python step)."""

    def __init__(self, powers: int, indicators: int, regions: int, actions: int, years: int) -> None:
        from gymnasium import spaces
        self.game = TrivialGame(powers, indicators, regions, actions, years)
        self.observation_space = spaces.Dict({"observation": spaces.Box(0.0, 1.0, (self.game.dim,), np.float32),
                                              "action_mask": spaces.Box(0, 1, (actions,), np.int8)})
        self.action_space = spaces.Discrete(actions)

    def reset(self) -> dict[str, Any]:
        self.game.start()
        return self.game.observe(0)

    def step(self, action: int) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        self.game.move({0: action})
        return self.game.observe(0), self.game.margin(0), self.game.turn >= self.game.years, False, {}


def trivial_parallel_env(agents: list[str], indicators: int, regions: int, actions: int, years: int) -> Any:
    """The same yardstick as a hand-written PettingZoo ParallelEnv (the issue's first measure:
    the shipped PettingZoo env ran at 0.03x of one): every power an agent, dicts per agent."""
    from gymnasium import spaces
    from pettingzoo import ParallelEnv

    class Trivial(ParallelEnv):
        metadata: ClassVar[dict[str, Any]] = {"name": "trivial_v0"}

        def __init__(self) -> None:
            self.possible_agents = list(agents)
            self.agents: list[str] = []
            self.game = TrivialGame(len(agents), indicators, regions, actions, years)
            self._obs = spaces.Dict({"observation": spaces.Box(0.0, 1.0, (self.game.dim,), np.float32),
                                     "action_mask": spaces.Box(0, 1, (actions,), np.int8)})
            self._act = spaces.Discrete(actions)

        def observation_space(self, agent: str) -> Any:
            return self._obs

        def action_space(self, agent: str) -> Any:
            return self._act

        def _see(self) -> dict[str, Any]:
            return {a: self.game.observe(p) for p, a in enumerate(self.possible_agents) if a in self.agents}

        def reset(self, seed: int | None = None, options: dict[str, Any] | None = None) -> Any:
            self.agents = list(self.possible_agents)
            self.game.start()
            return self._see(), {a: {} for a in self.agents}

        def step(self, acts: dict[str, Any]) -> Any:
            self.game.move({self.possible_agents.index(a): int(x) for a, x in acts.items()})
            done = self.game.turn >= self.game.years
            obs = self._see()
            out: tuple[Any, ...] = (obs, {a: self.game.margin(p) for p, a in enumerate(self.possible_agents)},
                   {a: done for a in self.agents}, {a: False for a in self.agents}, {a: {} for a in self.agents})
            if done:
                self.agents = []
            return out

    return Trivial()


def _pick(mask: Any, rng: np.random.Generator) -> Any:
    """A random legal action per row of a mask (one vector operation, no Python loop)."""
    return (rng.random(mask.shape) * mask).argmax(axis=-1)


def _steps_per_s(step: Any, per_call: int, seconds: float = 2.0) -> float:
    start = time.process_time()
    steps = 0
    while time.process_time() - start < seconds:
        step()
        steps += per_call
    return steps / (time.process_time() - start)


def vector_figures(scenario: str) -> dict[str, Any]:
    """Env-steps a second of the vector env, the single-game env and the trivial env (one core)."""
    try:
        from game.lab.rl import SystemicEnv
        from game.lab.rl_vector import SystemicVectorEnv
    except ImportError as exc:
        return {"vector_error": str(exc)}
    out: dict[str, Any] = {}
    rng = np.random.default_rng(0)
    rates = {}
    for n in (1, 256, 4096):
        env = SystemicVectorEnv(n, scenario=scenario, opponent=OPPONENT)
        obs = env.reset(seed=0)[0]

        def vstep(env: SystemicVectorEnv = env) -> None:
            nonlocal obs
            obs = env.step(_pick(obs["action_mask"], rng))[0]
        rates[n] = _steps_per_s(vstep, n)
    single = SystemicEnv(scenario, opponent=OPPONENT)
    s_obs = single.reset(seed=0)[0]

    def sstep() -> None:
        nonlocal s_obs
        s_obs, _, done, _, _ = single.step(int(_pick(s_obs["action_mask"], rng)))
        if done:
            s_obs = single.reset()[0]
    w = single.world
    shape = (len(w.indicator_ids), w.n_regions, single.actions.n, w.n_turns)
    trivial = TrivialEnv(w.n_powers, *shape)
    if trivial.game.dim != s_obs["observation"].size:
        raise AssertionError("the yardstick's observation must have the env's size")
    t_obs = trivial.reset()

    def tstep() -> None:
        nonlocal t_obs
        t_obs, _, done, _, _ = trivial.step(int(_pick(t_obs["action_mask"], rng)))
        if done:
            t_obs = trivial.reset()
    trivial_rate = _steps_per_s(tstep, 1)
    zoo = trivial_parallel_env(list(w.power_ids), *shape)
    z_obs = zoo.reset()[0]

    def zstep() -> None:
        nonlocal z_obs
        z_obs = zoo.step({a: int(_pick(o["action_mask"], rng)) for a, o in z_obs.items()})[0]
        if not zoo.agents:
            z_obs = zoo.reset()[0]
    zoo_rate = _steps_per_s(zstep, 1)
    single_rate = _steps_per_s(sstep, 1)
    out["vector_steps_per_s"] = {str(n): round(r) for n, r in rates.items()}
    out["vector_x_trivial"] = {str(n): round(r / trivial_rate, 2) for n, r in rates.items()}
    out["vector_x_trivial_parallel"] = {str(n): round(r / zoo_rate, 2) for n, r in rates.items()}
    out["trivial_env_steps_per_s"] = round(trivial_rate)
    out["trivial_parallel_env_steps_per_s"] = round(zoo_rate)
    out["single_env_steps_per_s"] = round(single_rate)
    out["single_env_x_trivial"] = round(single_rate / trivial_rate, 3)
    return out


def run_ai_bench(scenario: str = "digital-leninism-2017", games: int = 10_000, before: str | None = None,
                 levels: list[str] | None = None) -> dict[str, Any]:
    """Every figure of the AI benchmark (see the module note), as one dict."""
    from game.command import CliError
    if games < 1:
        raise CliError("bench: --games must be at least 1")
    if before is not None and not os.path.isdir(os.path.join(before, "game")):
        raise CliError(f"bench: --before {before}: not a checkout of the game (no game/ folder)")
    try:
        tournament.world_for(scenario)
    except Exception as exc:  # a bad scenario is reported as the other commands report it
        raise CliError(f"bench: {exc}") from None
    out: dict[str, Any] = {"scenario": scenario, "games": games}
    with one_blas_thread():
        out["decision_ms"] = {lv: decision_ms(scenario, lv) for lv in (levels or list(LEVELS))}
        out |= vector_figures(scenario)
    scripted = games_per_s(scenario, SCRIPTED, [(0, 1), (1, 0)], games)
    out["scripted_games_per_s"] = scripted
    for key, players, matchups in _TOURNAMENTS:
        rate = games_per_s(scenario, players, matchups, games)
        out[f"{key}_games_per_s"] = rate
        out[f"{key}_cost_x"] = round(scripted / rate, 1)
    if before:
        out |= _before(before, scenario, games, levels)
    return out


_TOURNAMENTS: list[tuple[str, list[str], list[tuple[int, ...]]]] = [
    ("normal_seat", ["normal", OPPONENT], [(0, 1), (1, 0)]),
    ("normal_mirror", ["normal"], [(0, 0)]),
    ("research_seat", ["research", OPPONENT], [(0, 1), (1, 0)]),
]

# The same figures through the API a tree from before this benchmark has (make_player,
# decide_batch, tournament.plan/run; its tasks are filtered to the wanted matchups).
_BEFORE = r"""
import json, os, sys, time
# this checkout is installed in editable mode: its import hook must not answer for the other tree
sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "__module__", "").startswith("__editable__")]
sys.path.insert(0, os.getcwd())
import numpy as np
from game.ai.difficulty import LEVELS, make_player
from game.engine import BatchOrders, new_game, resolve
from game.lab import tournament
scenario, games, levels = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
out = {}
world = tournament.world_for(scenario)
def decision(level):
    me, rival = make_player(level), make_player("planner")
    state, rng, spent = new_game(world, 1), np.random.default_rng(1), []
    while not state.finished:
        orders = BatchOrders.hold(state)
        start = time.process_time(); me.decide_batch(state, 0, rng, orders); spent.append(time.process_time() - start)
        rival.decide_batch(state, 1, rng, orders)
        state, _ = resolve(state, orders, rng)
    return round(1000 * float(np.median(spent)), 2)
out["before_decision_ms"] = {lv: decision(lv) for lv in (levels or list(LEVELS))}
def rate(players, matchups):
    try:  # a tree whose plan takes the matchups (batched lab tasks)
        t = tournament.plan(scenario, players, games, seed=1, matchups=matchups)
    except TypeError:  # older: one matchup a task, filtered
        every = tournament.plan(scenario, players, 1, seed=1).matchups
        t = tournament.plan(scenario, players, games * len(every) // len(matchups), seed=1)
        t.tasks = [k for k in t.tasks if t.matchups[k.matchup] in matchups]
    tournament.run(tournament.plan(scenario, players, 2, seed=2), workers=1, progress=False)  # warm-up
    r = tournament.run(t, workers=2, progress=False)
    return round((getattr(r, "n", 0) or sum(k.games for k in t.tasks)) / r.seconds, 1)
scripted = rate(["planner", "free_marketeer"], [(0, 1), (1, 0)])
out["before_scripted_games_per_s"] = scripted
for key, players, matchups in json.loads(sys.argv[4]):
    r = rate(players, [tuple(m) for m in matchups])
    out[f"before_{key}_games_per_s"] = r
    out[f"before_{key}_cost_x"] = round(scripted / r, 1)
print(json.dumps(out))
"""


def _before(tree: str, scenario: str, games: int, levels: list[str] | None) -> dict[str, Any]:
    """The figures of another checkout (`tree`), measured by its own code in a subprocess."""
    done = subprocess.run([sys.executable, "-c", _BEFORE, scenario, str(games), json.dumps(levels or []),
                           json.dumps(_TOURNAMENTS)], capture_output=True, text=True, check=False,
                          cwd=os.path.abspath(tree))
    if done.returncode != 0:
        return {"before_error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
