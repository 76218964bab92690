"""What the turn report and the verdict say in words: true in every case the playtests met."""

from __future__ import annotations

import numpy as np

from game.engine import build_world, new_game, resolve, status_quo_orders
from game.engine.world import N
from game.rules.loader import load_scenario


def _play_to(world, year: int, seed: int = 1):  # type: ignore[no-untyped-def]
    state, rng = new_game(world), np.random.default_rng(seed)
    while state.year < year:
        state, _ = resolve(state, status_quo_orders(state), rng)
    return state, rng


def test_capital_lost_to_the_cap_is_not_called_a_negative_mandate() -> None:
    """China at 99 capital meets its 2022 Party Congress (+15): what lies above the cap is lost,
    and the report says so instead of booking a 'governing mandate' of -14."""
    w = build_world(load_scenario("digital-leninism-2017"))
    state, rng = _play_to(w, 2021)
    nat = state.nat.copy()
    p = w.power_index("china")
    nat[N.POLITICAL_CAPITAL, :, p] = 99.0
    state, report = resolve(state.copy_with(nat=nat), status_quo_orders(state), rng)
    assert report.year == 2022 and report.congress[0, p]
    causes = dict(report.explain("china", "political_capital"))
    assert causes.get("governing mandate", 0.0) >= 0.0, causes
    lost = causes["above the cap (100), unspent"]
    assert lost < 0
    assert abs(sum(causes.values()) - (float(report.after[0, p, N.POLITICAL_CAPITAL])
                                       - float(report.before[0, p, N.POLITICAL_CAPITAL]))) < 1e-4
