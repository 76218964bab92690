"""The RL interface at the engine's batch speed (extra `systemic[rl]`): `num_envs` games are one
engine batch, stepped by one engine call a year.

* `SystemicVectorEnv` is a `gymnasium.vector.VectorEnv`: one learning power against chosen
  personas or difficulty levels on every other seat. It behaves as a `SyncVectorEnv` over the
  single-game `SystemicEnv` (game/lab/rl.py) with the same spaces, actions and seeds: Gymnasium
  1.x's next-step autoreset (the step after a game ends resets it, ignoring its action, with
  reward 0), observations as dicts of arrays with the legal-action mask under
  `"action_mask"`, and `infos["legal"]`.
* `SystemicBatchedParallelEnv` is self-play: every power acts in every game. It keeps
  PettingZoo's Parallel API names (`possible_agents`, `agents`, `observation_space(agent)`,
  `action_space(agent)`, `reset`, `step` with dicts keyed by agent), with arrays of `num_envs`
  values where PettingZoo has single values.

Each game draws its luck for a whole episode from its own Generator when it starts (seeded as
the single-game env is: `seed + i` for game i), and games that end early restart while the others
play on, so games may be in different years: each year's games are one engine call. A game's
trajectory depends only on its seed and its actions whenever the opponents play without dice
(every strategic persona); dice-drawing opponents (`random`, noisy or searching levels) draw
from one Generator for the batch, so their games differ in detail from single-game ones.

Bad input: `num_envs` below 1 and unknown opponents are refused when the env is made; actions of
the wrong shape, type or range are refused with a ValueError before any game moves (the step
is not taken); an action the mask forbids holds the 2017 course in that game alone (the
single-game env's documented fallback) and is reported as `infos["legal"][i] == False`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

try:
    from gymnasium import spaces
    from gymnasium.utils import seeding
    from gymnasium.vector import AutoresetMode, VectorEnv
    from gymnasium.vector.utils import batch_space
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("the RL environments need the rl extra: pip install 'systemic[rl]'") from exc

from game.ai.difficulty import make_player
from game.ai.personas import decide_batch
from game.ai.search import Player, known_course, place_rows
from game.engine import BatchOrders, GameState, World, new_game, outcome, resolve, status_quo_orders
from game.engine.luck import Luck
from game.lab.rl import Actions, _spaces, _squash, episode_luck
from game.lab.tournament import world_for

Obs = dict[str, NDArray[Any]]


def observe_batch(world: World, state: GameState, power: int) -> NDArray[np.float32]:
    """(B, dim) what `power` sees in every game: `rl.observe` for a batch."""
    lo, span = _squash(world)
    order = [power, *[q for q in range(world.n_powers) if q != power]]
    B = state.batch
    nat = (state.nation[:, order] - lo) / span  # (B, P, I)
    parts = [nat.reshape(B, -1), state.alignment[:, :, order].reshape(B, -1),
             state.adoption[:, :, order].reshape(B, -1), np.full((B, 1), state.turn / max(world.n_turns, 1))]
    return np.clip(np.concatenate(parts, axis=1), 0.0, 1.0).astype(np.float32)


def margins(state: GameState) -> NDArray[np.float64]:
    """(B, P) each power's projected score minus its best rival's, /100 (the reward's measure)."""
    s = outcome(state).scores.astype(np.float64)
    P = s.shape[1]
    best_rival = np.stack([np.delete(s, p, axis=1).max(axis=1) for p in range(P)], axis=1)
    return (s - best_rival) / 100.0


def apply_batch(actions: Actions, state: GameState, power: int, chosen: NDArray[np.int64],
                rng: np.random.Generator, orders: BatchOrders) -> NDArray[np.bool_]:
    """Write every game's action for `power` (`Actions.apply` for a batch); a game whose action
    its mask forbids holds course. Returns which games' actions were legal."""
    B = state.batch
    legal = actions.masks(state, power)[np.arange(B), chosen].astype(bool)
    act = np.where(legal, chosen, 0)
    sq = status_quo_orders(state)
    orders.budget[:, power] = sq.budget[:, power]
    orders.policy[:, power] = state.policy[:, power]
    first_lever = 1 + len(actions.personas)
    first_option = first_lever + len(actions.levers)
    for k, who in enumerate(actions.personas):
        rows = np.flatnonzero(act == 1 + k)
        if rows.size == B:
            decide_batch(state, power, who, rng, orders)
        elif rows.size:
            part = state.select(rows)
            tmp = BatchOrders.hold(part)
            decide_batch(part, power, who, rng, tmp)
            place_rows(orders, tmp, rows, power)
    lever = np.flatnonzero((act >= first_lever) & (act < first_option))
    if lever.size:
        orders.budget[lever, power] *= 0.5
        orders.budget[lever, power, act[lever] - first_lever] += 0.5
    option = np.flatnonzero(act >= first_option)
    if option.size:
        qo = np.array(actions.options, dtype=np.int64)[act[option] - first_option]
        orders.policy[option, power, qo[:, 0]] = qo[:, 1]
    return legal


@dataclass
class _Group:
    """Games in the same year, one engine batch: `rows` are their env indices."""

    state: GameState
    rows: NDArray[np.int64]


class Games:
    """The batch of games behind both vector envs: `learners` are the powers whose actions the
    caller gives, every other power is played by its `opponents` entry."""

    def __init__(self, scenario: str, num_envs: int, learners: list[int], opponents: dict[int, str]) -> None:
        if isinstance(num_envs, bool) or not isinstance(num_envs, int | np.integer) or num_envs < 1:
            raise ValueError(f"num_envs must be a whole number of at least 1, got {num_envs!r}")
        self.world = world_for(scenario)
        self.n = int(num_envs)
        self.learners = learners
        self.actions = Actions(self.world)
        self.players: dict[int, Player] = {q: make_player(name) for q, name in opponents.items()}
        known = [known_course(self.players[q]) if q in self.players else None for q in range(self.world.n_powers)]
        for player in self.players.values():
            if hasattr(player, "known"):
                player.known = known
        self._start = new_game(self.world, 1)
        T, P, R = self.world.n_turns, self.world.n_powers, self.world.n_regions
        empty = Luck.draw(np.random.default_rng(0), T, P, R)
        self._luck = {f.name: np.zeros((self.n, *getattr(empty, f.name).shape), np.float32) for f in fields(Luck)}
        self._rngs: list[np.random.Generator] = [np.random.default_rng(i) for i in range(self.n)]
        self._dice = np.random.default_rng(0)
        self.groups: list[_Group] = []
        self.last = np.zeros((self.n, P))
        self.done = np.zeros(self.n, dtype=bool)

    def _start_games(self, rows: NDArray[np.int64]) -> None:
        """New games at `rows`, each drawing its episode's luck from its own Generator."""
        for i in rows:
            luck = episode_luck(self._rngs[int(i)], self.world)
            for f in fields(Luck):
                self._luck[f.name][i] = getattr(luck, f.name)
        state = self._start.select(np.zeros(rows.size, dtype=np.int64))
        self.groups.append(_Group(state, rows.astype(np.int64)))
        self.last[rows] = margins(state)
        self.done[rows] = False

    def reset(self, seed: int | list[int | None] | None) -> None:
        if seed is None or isinstance(seed, int | np.integer):
            seeds: list[int | None] = [None if seed is None else int(seed) + i for i in range(self.n)]
        else:
            seeds = list(seed)
            if len(seeds) != self.n:
                raise ValueError(f"{len(seeds)} seeds given for {self.n} envs")
        self._rngs = [seeding.np_random(s)[0] for s in seeds]
        # the opponents' dice, for the whole batch (dice-free opponents never read them)
        self._dice = np.random.default_rng(None if seeds[0] is None else [int(seeds[0]), 7])
        self.groups = []
        self._start_games(np.arange(self.n))

    def check(self, actions: Any, width: int) -> NDArray[np.int64]:
        """Actions as an (n, width) table of action numbers, or a ValueError saying what is wrong."""
        a = np.asarray(actions)
        want = (self.n,) if width == 1 else (self.n, width)
        if a.shape != want and not (width == 1 and a.shape == (self.n, 1)):
            raise ValueError(f"actions must have shape {want} (one per env), got {a.shape}")
        whole = a.dtype.kind in "iu" or (a.dtype.kind == "f" and bool(np.all(np.mod(a, 1) == 0)))
        if not whole:
            raise ValueError(f"actions must be whole action numbers, got dtype {a.dtype}")
        a = a.astype(np.int64).reshape(self.n, width)
        bad = np.flatnonzero(((a < 0) | (a >= self.actions.n)).any(axis=1))
        if bad.size:
            raise ValueError(f"actions must be in 0..{self.actions.n - 1}; env {int(bad[0])} got "
                             f"{a[bad[0]].tolist()} ({bad.size} env(s) out of range)")
        return a

    def step(self, chosen: NDArray[np.int64]) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_]]:
        """Advance every game a year (games that ended last step restart instead): the rewards
        (n, learners), which games ended, and which learner actions were legal (n, learners)."""
        rewards = np.zeros((self.n, len(self.learners)))
        legal = np.ones((self.n, len(self.learners)), dtype=bool)
        restart = np.flatnonzero(self.done)
        if restart.size:
            keep = ~self.done
            self.groups = [_Group(g.state.select(np.flatnonzero(keep[g.rows])), g.rows[keep[g.rows]])
                           for g in self.groups if keep[g.rows].any()]
        moved: list[_Group] = []
        for g in self.groups:
            state = g.state
            orders = BatchOrders.hold(state)
            for q, player in self.players.items():
                if hasattr(player, "_plan"):
                    player._plan = None  # a per-batch plan cache: groups change from year to year
                player.decide_batch(state, q, self._dice, orders)
            for j, p in enumerate(self.learners):
                legal[g.rows, j] = apply_batch(self.actions, state, p, chosen[g.rows, j], self._dice, orders)
            year = Luck(**{name: arr[g.rows, state.turn] for name, arr in self._luck.items()})
            state, _ = resolve(state, orders, luck=year, explain=False)
            now = margins(state)
            rewards[g.rows] = (now - self.last[g.rows])[:, self.learners]
            self.last[g.rows] = now
            self.done[g.rows] = state.over
            moved.append(_Group(state, g.rows))
        self.groups = _merged(moved)
        if restart.size:
            self._start_games(restart)
            rewards[restart] = 0.0
            legal[restart] = True
            self.groups = _merged(self.groups)
        return rewards, self.done.copy(), legal

    @property
    def dim(self) -> int:
        """Numbers in one observation vector."""
        w = self.world
        return w.n_powers * len(w.indicator_ids) + 2 * w.n_regions * w.n_powers + 1

    def observe(self, power: int) -> Obs:
        obs = np.zeros((self.n, self.dim), dtype=np.float32)
        mask = np.zeros((self.n, self.actions.n), dtype=np.int8)
        for g in self.groups:
            obs[g.rows] = observe_batch(self.world, g.state, power)
            mask[g.rows] = self.actions.masks(g.state, power)
        return {"observation": obs, "action_mask": mask}


def _merged(groups: list[_Group]) -> list[_Group]:
    """One group per year: games that are in the same year share an engine call."""
    by_turn: dict[int, list[_Group]] = {}
    for g in groups:
        by_turn.setdefault(g.state.turn, []).append(g)
    out = []
    for same in by_turn.values():
        if len(same) == 1:
            out.append(same[0])
        else:
            out.append(_Group(GameState.join([g.state for g in same]), np.concatenate([g.rows for g in same])))
    return out


class SystemicVectorEnv(VectorEnv):
    """`num_envs` games of one power against `opponent` (a persona or level name for every
    other seat, or a dict power -> name), stepped as one engine batch."""

    metadata = {"autoreset_mode": AutoresetMode.NEXT_STEP}  # noqa: RUF012 - gymnasium declares it so

    def __init__(self, num_envs: int, scenario: str = "digital-leninism-2017", power: str | None = None,
                 opponent: str | dict[str, str] = "planner") -> None:
        world = world_for(scenario)
        named = opponent if isinstance(opponent, dict) else {q: opponent for q in world.power_ids}
        for q in [*named, *([power] if power else [])]:
            if q not in world.power_ids:
                raise ValueError(f"unknown power '{q}'; {scenario} has {', '.join(world.power_ids)}")
        me = world.power_index(power) if power else 0
        opponents = {world.power_index(q): who for q, who in named.items() if world.power_index(q) != me}
        self.games = Games(scenario, num_envs, [me], opponents)
        self.power = me
        self.num_envs = self.games.n
        self.single_observation_space, self.single_action_space = _spaces(world, self.games.actions)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)

    def reset(self, *, seed: int | list[int | None] | None = None, options: dict[str, Any] | None = None
              ) -> tuple[Obs, dict[str, Any]]:
        self.games.reset(seed)
        return self.games.observe(self.power), {}

    def step(self, actions: Any) -> tuple[Obs, NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_],
                                         dict[str, Any]]:
        chosen = self.games.check(actions, 1)
        stepped = ~self.games.done  # the others restart and report nothing, as a SyncVectorEnv's reset
        rewards, done, legal = self.games.step(chosen)
        infos = {"legal": legal[:, 0] & stepped, "_legal": stepped} if stepped.any() else {}
        return self.games.observe(self.power), rewards[:, 0], done, np.zeros(self.num_envs, dtype=bool), infos


class SystemicBatchedParallelEnv:
    """Self-play: every power is an agent in each of `num_envs` games (PettingZoo's Parallel API
    names, arrays of `num_envs` values in its dicts, next-step autoreset as the vector env)."""

    metadata: dict[str, Any] = {"name": "systemic_batched_v0", "autoreset_mode": AutoresetMode.NEXT_STEP}  # noqa: RUF012

    def __init__(self, num_envs: int, scenario: str = "digital-leninism-2017") -> None:
        world = world_for(scenario)
        self.games = Games(scenario, num_envs, list(range(world.n_powers)), {})
        self.num_envs = self.games.n
        self.possible_agents = list(world.power_ids)
        self.agents: list[str] = []
        self._spaces = _spaces(world, self.games.actions)

    def observation_space(self, agent: str) -> spaces.Dict:
        return self._spaces[0]

    def action_space(self, agent: str) -> spaces.Discrete:
        return self._spaces[1]

    def _obs(self) -> dict[str, Obs]:
        return {a: self.games.observe(p) for p, a in enumerate(self.possible_agents)}

    def reset(self, seed: int | list[int | None] | None = None, options: dict[str, Any] | None = None
              ) -> tuple[dict[str, Obs], dict[str, dict[str, Any]]]:
        self.games.reset(seed)
        self.agents = list(self.possible_agents)
        return self._obs(), {a: {} for a in self.agents}

    def step(self, actions: dict[str, Any]) -> tuple[dict[str, Obs], dict[str, NDArray[np.float64]],
                                                     dict[str, NDArray[np.bool_]], dict[str, NDArray[np.bool_]],
                                                     dict[str, dict[str, Any]]]:
        missing = [a for a in self.possible_agents if a not in actions]
        if missing:
            raise ValueError(f"actions are missing for {', '.join(missing)}; every power acts in self-play")
        chosen = np.concatenate([self.games.check(actions[a], 1) for a in self.possible_agents], axis=1)
        rewards, done, legal = self.games.step(chosen)
        no = np.zeros(self.num_envs, dtype=bool)
        return (self._obs(), {a: rewards[:, p] for p, a in enumerate(self.possible_agents)},
                {a: done.copy() for a in self.possible_agents}, {a: no.copy() for a in self.possible_agents},
                {a: {"legal": legal[:, p]} for p, a in enumerate(self.possible_agents)})
