"""The vectorised RL interface: many games in one engine batch, trajectory for trajectory the
same as Gymnasium's SyncVectorEnv over the single-game env, and safe against bad input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pytest.importorskip("gymnasium")

from gymnasium.vector import AutoresetMode, SyncVectorEnv

from game.lab.rl import SystemicEnv, SystemicParallelEnv
from game.lab.rl_vector import SystemicBatchedParallelEnv, SystemicVectorEnv


def _legal_choice(mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.array([rng.choice(np.flatnonzero(row)) for row in mask])


@pytest.mark.parametrize(("scenario", "power", "opponent"), [
    ("digital-leninism-2017", "usa", "planner"),
    ("transatlantic-2017", "eu", "techno_nationalist"),
])
def test_vector_env_trajectories_equal_a_sync_vector_env_of_single_games(scenario: str, power: str,
                                                                         opponent: str) -> None:
    n = 5
    vec = SystemicVectorEnv(n, scenario=scenario, power=power, opponent=opponent)
    ref = SyncVectorEnv([lambda: SystemicEnv(scenario, power=power, opponent=opponent) for _ in range(n)],
                        autoreset_mode=AutoresetMode.NEXT_STEP)
    assert vec.single_observation_space == ref.single_observation_space
    assert vec.single_action_space == ref.single_action_space
    obs, _ = vec.reset(seed=11)
    want, _ = ref.reset(seed=11)
    rng = np.random.default_rng(0)
    ends = 0
    for _ in range(45):  # past the end of the first episodes: autoreset included
        for key in ("observation", "action_mask"):
            np.testing.assert_array_equal(obs[key], want[key])
        actions = _legal_choice(obs["action_mask"], rng)
        obs, reward, term, trunc, info = vec.step(actions)
        want, w_reward, w_term, w_trunc, w_info = ref.step(actions)
        np.testing.assert_array_equal(reward, w_reward)
        np.testing.assert_array_equal(term, w_term)
        np.testing.assert_array_equal(trunc, w_trunc)
        assert info.keys() == w_info.keys()
        for key in info:
            np.testing.assert_array_equal(info[key], w_info[key])
        ends += int(term.sum())
    assert ends >= n  # every game ended at least once and was reset on the next step


def test_self_play_batch_equals_parallel_envs_of_single_games() -> None:
    n = 3
    batch = SystemicBatchedParallelEnv(n, scenario="transatlantic-2017")
    singles = [SystemicParallelEnv("transatlantic-2017") for _ in range(n)]
    obs, _ = batch.reset(seed=4)
    single_obs = [env.reset(seed=4 + i)[0] for i, env in enumerate(singles)]
    rng = np.random.default_rng(1)
    assert batch.possible_agents == singles[0].possible_agents
    while singles[0].agents:
        for i, one in enumerate(single_obs):
            for agent in batch.possible_agents:
                np.testing.assert_array_equal(obs[agent]["observation"][i], one[agent]["observation"])
                np.testing.assert_array_equal(obs[agent]["action_mask"][i], one[agent]["action_mask"])
        acts = {a: _legal_choice(obs[a]["action_mask"], rng) for a in batch.possible_agents}
        obs, rewards, terms, _, _ = batch.step(acts)
        for i, env in enumerate(singles):
            single_obs[i], r, t, _, _ = env.step({a: int(acts[a][i]) for a in batch.possible_agents})
            for agent in batch.possible_agents:
                assert rewards[agent][i] == r[agent]
                assert terms[agent][i] == t[agent]


def test_a_bad_row_leaves_the_other_games_unchanged() -> None:
    """Mask-violating actions in game 0 hold its course (the documented fallback, reported in
    infos), refused steps (wrong shape, out of range) move no game, and games 1.. play exactly
    as they do without the bad row."""
    n = 4
    clean, dirty = SystemicVectorEnv(n, opponent="planner"), SystemicVectorEnv(n, opponent="planner")
    obs, _ = clean.reset(seed=2)
    d_obs, _ = dirty.reset(seed=2)
    rng = np.random.default_rng(3)
    held = 0
    for step in range(30):
        actions = _legal_choice(obs["action_mask"], rng)
        bad = actions.copy()
        illegal = np.flatnonzero(d_obs["action_mask"][0] == 0)
        if illegal.size:
            bad[0] = illegal[step % illegal.size]
        if step == 5:
            for wrong in (bad[:2], np.full(n, dirty.single_action_space.n), np.full(n, -1), np.full(n, 0.5),
                          [[0, 0]] * n):
                with pytest.raises(ValueError, match="actions must"):
                    dirty.step(wrong)
        obs, reward, term, _, _ = clean.step(actions)
        d_obs, d_reward, d_term, _, info = dirty.step(bad)
        np.testing.assert_array_equal(d_obs["observation"][1:], obs["observation"][1:])
        np.testing.assert_array_equal(d_reward[1:], reward[1:])
        np.testing.assert_array_equal(d_term[1:], term[1:])
        if "legal" in info:  # absent on the step that restarts every game
            held += int(illegal.size > 0 and not info["legal"][0])
            assert info["legal"][1:].all()
    assert held > 10


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"num_envs": 0}, "num_envs must be a whole number of at least 1, got 0"),
    ({"num_envs": -3}, "num_envs must be a whole number of at least 1, got -3"),
    ({"num_envs": 2.5}, "num_envs must be a whole number"),
    ({"num_envs": 2, "opponent": "grandmaster"}, "unknown player 'grandmaster'"),
    ({"num_envs": 2, "power": "atlantis"}, "atlantis"),
])
def test_bad_vector_env_settings_are_refused_with_a_clear_error(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SystemicVectorEnv(**kwargs)


def test_vector_env_plays_against_levels_and_self_play_needs_every_power() -> None:
    vec = SystemicVectorEnv(3, opponent={"china": "normal"}, power="usa")
    obs, _ = vec.reset(seed=0)
    obs, reward, *_ = vec.step(np.zeros(3, dtype=np.int64))
    assert reward.shape == (3,) and obs["observation"].shape == (3, vec.single_observation_space["observation"].shape[0])
    batch = SystemicBatchedParallelEnv(2)
    batch.reset(seed=0)
    with pytest.raises(ValueError, match="actions are missing for usa"):
        batch.step({"china": np.zeros(2, dtype=np.int64)})


def test_the_benchmarks_yardstick_env_builds_what_a_real_env_of_these_spaces_builds() -> None:
    """`bench --ai` compares the vector env with a hand-written single-game env: that yardstick
    must hand out observations of the real env's space, built from its own game state, and a
    fresh legal-action mask every step (an env sharing one mask array would alias every stored
    observation), or the ratio measures a random-number generator."""
    from game.bench.ai import TrivialEnv, trivial_parallel_env

    real = SystemicEnv("digital-leninism-2017", opponent="planner")
    w = real.world
    shape = (len(w.indicator_ids), w.n_regions, real.actions.n, w.n_turns)
    env = TrivialEnv(w.n_powers, *shape)
    assert env.observation_space == real.observation_space and env.action_space == real.action_space
    first = env.reset()
    second, _, _, _, _ = env.step(3)
    assert env.observation_space.contains(first) and env.observation_space.contains(second)
    assert second["action_mask"] is not first["action_mask"]
    assert not np.array_equal(first["observation"], second["observation"])
    zoo = trivial_parallel_env(list(w.power_ids), *shape)
    seen, _ = zoo.reset()
    assert set(seen) == set(w.power_ids) and all(zoo.observation_space(a).contains(o) for a, o in seen.items())
