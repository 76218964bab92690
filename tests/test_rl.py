"""The RL interface passes PettingZoo's and Gymnasium's own checkers, replays by seed, and masks
illegal orders."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pettingzoo")
pytest.importorskip("gymnasium")

from gymnasium.utils.env_checker import check_env
from pettingzoo.test import api_test, parallel_api_test
from pettingzoo.test.seed_test import parallel_seed_test, seed_test

from game.lab.rl import SystemicEnv, SystemicParallelEnv, aec_env


@pytest.mark.parametrize("scenario", ["digital-leninism-2017", "transatlantic-2017"])
def test_parallel_env_passes_pettingzoo_api_test(scenario: str) -> None:
    parallel_api_test(SystemicParallelEnv(scenario), num_cycles=40)


def test_aec_conversion_passes_pettingzoo_api_test() -> None:
    api_test(aec_env(), num_cycles=40)


def test_same_seed_same_episode_parallel_and_aec() -> None:
    parallel_seed_test(SystemicParallelEnv, num_cycles=40)
    seed_test(aec_env, num_cycles=40)


def test_single_agent_env_passes_gymnasium_check_env() -> None:
    check_env(SystemicEnv(opponent="free_marketeer"), skip_render_check=True)


def test_masks_close_other_doctrines_levers_and_current_policies() -> None:
    env = SystemicParallelEnv()
    obs, _ = env.reset(seed=3)
    acts = env.actions
    china = obs["china"]["action_mask"]
    usa = obs["usa"]["action_mask"]
    for a in range(acts.n):
        label = acts.label(a)
        if label == "fund social_credit":
            assert china[a] == 1 and usa[a] == 0
        if label == "fund antitrust":
            assert china[a] == 0 and usa[a] == 1
        if label == "set planning_share to guided":  # China's current option is not a change
            assert china[a] == 0


def test_episode_rewards_add_up_to_final_margin() -> None:
    env = SystemicEnv(power="usa", opponent="planner")
    obs, _ = env.reset(seed=0)
    total, done, start = 0.0, False, env._last
    rng = np.random.default_rng(0)
    while not done:
        legal = np.flatnonzero(obs["action_mask"])
        obs, reward, done, _, info = env.step(int(rng.choice(legal)))
        assert info["legal"]
        total += reward
    assert total == pytest.approx(env._last - start, abs=1e-6)
    assert env.state_ is not None and env.state_.over[0]
