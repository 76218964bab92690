"""A standard interface for AI researchers (extra `systemic[rl]`): a PettingZoo Parallel
environment with one agent per power, and a Gymnasium environment for one power against
scripted personas.

Each year an agent picks ONE action (gymnasium `Discrete`), and its observation carries a
legal-action mask (`{"observation": Box, "action_mask": Box(int8)}`, PettingZoo's convention):

| actions | meaning | legal when |
|---|---|---|
| 0 | hold the 2017 course (status-quo budget, keep policies) | always |
| 1 .. K | follow a strategic persona's orders this year | always |
| then one per lever | status-quo budget with half of it moved to this lever | the lever is open to the doctrine |
| then one per policy option | status-quo budget and switch this policy to this option | open, not current, affordable |

Pending dilemmas take their default answer. The reward is the change in the power's projected
score margin over its best rival (so an episode's rewards add up to the final margin, /100).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

try:
    import gymnasium
    from gymnasium import spaces
    from pettingzoo import ParallelEnv
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("the RL environments need the rl extra: pip install 'systemic[rl]'") from exc

from game.ai.personas import decide_batch, persona
from game.ai.search import STRATEGIC
from game.engine import BatchOrders, GameState, World, new_game, outcome, resolve, status_quo_orders
from game.engine import rules_of_play as play
from game.lab.tournament import world_for


class Actions:
    """The discrete action set of one scenario and the orders each action means."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.personas = [persona(p) for p in STRATEGIC]
        self.levers = list(range(len(world.lever_ids)))
        self.options = [(q, o) for q in range(len(world.policy_ids)) for o in range(int(world.option_count[q]))]
        self.n = 1 + len(self.personas) + len(self.levers) + len(self.options)

    def label(self, action: int) -> str:
        w = self.world
        if action == 0:
            return "hold course"
        a = action - 1
        if a < len(self.personas):
            return f"play {self.personas[a].name}"
        a -= len(self.personas)
        if a < len(self.levers):
            return f"fund {w.lever_ids[a]}"
        q, o = self.options[a - len(self.levers)]
        return f"set {w.policy_ids[q]} to {w.option_ids[q][o]}"

    def mask(self, state: GameState, power: int) -> NDArray[np.int8]:
        w = self.world
        m = np.zeros(self.n, dtype=np.int8)
        m[0] = 1
        if state.collapsed[0, power] or state.over[0]:
            return m
        m[1: 1 + len(self.personas)] = 1
        base = 1 + len(self.personas)
        legal = play.legal_orders(w, state, power)
        m[base: base + len(self.levers)] = legal.levers
        base += len(self.levers)
        for i, (q, o) in enumerate(self.options):  # a switch to another option the rules allow now
            m[base + i] = int(bool(legal.options[q, o] and legal.current[q] != o))
        return m

    def apply(self, state: GameState, power: int, action: int, rng: np.random.Generator,
              orders: BatchOrders) -> bool:
        """Write the action's orders for `power` (a batch of one); an illegal action holds course.
        Returns whether the action was legal."""
        legal = 0 <= action < self.n and bool(self.mask(state, power)[action])
        sq = status_quo_orders(state)
        orders.budget[:, power] = sq.budget[:, power]
        orders.policy[:, power] = state.policy[:, power]
        if not legal or action == 0:
            return legal
        a = action - 1
        if a < len(self.personas):
            decide_batch(state, power, self.personas[a], rng, orders)
            return True
        a -= len(self.personas)
        if a < len(self.levers):
            orders.budget[:, power] *= 0.5
            orders.budget[:, power, a] += 0.5
            return True
        q, o = self.options[a - len(self.levers)]
        orders.policy[:, power, q] = o
        return True


def _squash(world: World) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    lo = world.lo.astype(np.float32)
    span = np.maximum(world.hi - world.lo, 1e-6).astype(np.float32)
    return lo, span


def observe(world: World, state: GameState, power: int) -> NDArray[np.float32]:
    """What a power sees, scaled to [0, 1]: its indicators, its rivals' (in power order), every
    region's alignment and adoption, and the share of the game played."""
    lo, span = _squash(world)
    order = [power, *[q for q in range(world.n_powers) if q != power]]
    nat = (state.nation[0, order] - lo) / span  # (P, I)
    parts = [nat.ravel(), state.alignment[0][:, order].ravel(), state.adoption[0][:, order].ravel(),
             np.array([state.turn / max(world.n_turns, 1)])]
    return np.clip(np.concatenate(parts), 0.0, 1.0).astype(np.float32)


def _margin(state: GameState) -> NDArray[np.float64]:
    s = outcome(state).scores[0].astype(np.float64)
    return np.array([s[p] - np.delete(s, p).max() for p in range(s.size)]) / 100.0


def _spaces(world: World, actions: Actions) -> tuple[spaces.Dict, spaces.Discrete]:
    dim = world.n_powers * len(world.indicator_ids) + 2 * world.n_regions * world.n_powers + 1
    obs = spaces.Dict({"observation": spaces.Box(0.0, 1.0, (dim,), np.float32),
                       "action_mask": spaces.Box(0, 1, (actions.n,), np.int8)})
    return obs, spaces.Discrete(actions.n)


class SystemicParallelEnv(ParallelEnv):
    """Every power is an agent; all give orders at once each year, as in the game."""

    metadata: ClassVar[dict[str, Any]] = {"name": "systemic_v0", "render_modes": ["ansi"], "is_parallelizable": True}

    def __init__(self, scenario: str = "digital-leninism-2017", render_mode: str | None = None) -> None:
        self.world = world_for(scenario)
        self.actions = Actions(self.world)
        self.render_mode = render_mode
        self.possible_agents = list(self.world.power_ids)
        self.agents: list[str] = []
        self._spaces = {a: _spaces(self.world, self.actions) for a in self.possible_agents}
        self._rng = np.random.default_rng()
        self.state_: GameState | None = None

    def observation_space(self, agent: str) -> spaces.Dict:
        return self._spaces[agent][0]

    def action_space(self, agent: str) -> spaces.Discrete:
        return self._spaces[agent][1]

    def _obs(self) -> dict[str, dict[str, NDArray[Any]]]:
        assert self.state_ is not None
        return {a: {"observation": observe(self.world, self.state_, p),
                    "action_mask": self.actions.mask(self.state_, p)}
                for p, a in enumerate(self.possible_agents) if a in self.agents}

    def reset(self, seed: int | None = None, options: dict[str, Any] | None = None
              ) -> tuple[dict[str, Any], dict[str, Any]]:
        self._rng = np.random.default_rng(seed)
        self.state_ = new_game(self.world, 1)
        self._last = _margin(self.state_)
        self.agents = list(self.possible_agents)
        return self._obs(), {a: {} for a in self.agents}

    def step(self, actions: dict[str, Any]) -> tuple[dict[str, Any], dict[str, float], dict[str, bool],
                                                    dict[str, bool], dict[str, Any]]:
        assert self.state_ is not None
        state = self.state_
        orders = BatchOrders.hold(state)
        legal = {}
        for p, a in enumerate(self.possible_agents):
            if a in self.agents:
                legal[a] = self.actions.apply(state, p, int(actions.get(a, 0)), self._rng, orders)
        self.state_, _ = resolve(state, orders, self._rng, explain=False)
        margin = _margin(self.state_)
        rewards = {a: float(margin[p] - self._last[p]) for p, a in enumerate(self.possible_agents) if a in self.agents}
        self._last = margin
        done = bool(self.state_.over[0])
        obs = self._obs()
        terminations = {a: done for a in self.agents}
        truncations = {a: False for a in self.agents}
        infos = {a: {"legal": legal.get(a, True)} for a in self.agents}
        if done:
            self.agents = []
        return obs, rewards, terminations, truncations, infos

    def render(self) -> str | None:
        if self.render_mode != "ansi" or self.state_ is None:
            return None
        s = outcome(self.state_).scores[0]
        return f"{self.state_.year}: " + ", ".join(f"{a} {v:.1f}" for a, v in zip(self.possible_agents, s, strict=True))

    def close(self) -> None:
        pass


def aec_env(scenario: str = "digital-leninism-2017") -> Any:
    """The same game as a PettingZoo AEC environment (turn-taking view of simultaneous orders)."""
    from pettingzoo.utils.conversions import parallel_to_aec
    return parallel_to_aec(SystemicParallelEnv(scenario))


class SystemicEnv(gymnasium.Env):
    """One power against scripted personas on every other seat (Gymnasium single-agent)."""

    metadata = {"render_modes": ["ansi"]}  # noqa: RUF012 - gymnasium declares it an instance field

    def __init__(self, scenario: str = "digital-leninism-2017", power: str | None = None,
                 opponent: str = "planner", render_mode: str | None = None) -> None:
        self.world = world_for(scenario)
        self.power = self.world.power_index(power) if power else 0
        self.opponent = persona(opponent)
        self.actions = Actions(self.world)
        self.observation_space, self.action_space = _spaces(self.world, self.actions)
        self.render_mode = render_mode
        self.state_: GameState | None = None

    def _obs(self) -> dict[str, NDArray[Any]]:
        assert self.state_ is not None
        return {"observation": observe(self.world, self.state_, self.power),
                "action_mask": self.actions.mask(self.state_, self.power)}

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None
              ) -> tuple[dict[str, NDArray[Any]], dict[str, Any]]:
        super().reset(seed=seed)
        self.state_ = new_game(self.world, 1)
        self._last = float(_margin(self.state_)[self.power])
        return self._obs(), {}

    def step(self, action: Any) -> tuple[dict[str, NDArray[Any]], float, bool, bool, dict[str, Any]]:
        assert self.state_ is not None
        state = self.state_
        orders = BatchOrders.hold(state)
        for q in range(self.world.n_powers):
            if q != self.power:
                decide_batch(state, q, self.opponent, self.np_random, orders)
        legal = self.actions.apply(state, self.power, int(action), self.np_random, orders)
        self.state_, _ = resolve(state, orders, self.np_random, explain=False)
        margin = float(_margin(self.state_)[self.power])
        reward, self._last = margin - self._last, margin
        done = bool(self.state_.over[0])
        return self._obs(), reward, done, False, {"legal": legal}

    def render(self) -> str | None:
        if self.render_mode != "ansi" or self.state_ is None:
            return None
        s = outcome(self.state_).scores[0]
        return f"{self.state_.year}: " + ", ".join(f"{p} {v:.1f}" for p, v in zip(self.world.power_ids, s, strict=True))
