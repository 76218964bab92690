"""What the turn report and the verdict say in words: true in every case the playtests met."""

from __future__ import annotations

import numpy as np
import pytest

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


def _verdict(world, winner: str, victory: str, adoption: float, standards: float = 0.6) -> str:  # type: ignore[no-untyped-def]
    from game.engine.score import COMPONENTS, Outcome
    w = world.power_index(winner)
    comps = np.full((1, world.n_powers, len(COMPONENTS)), 0.4)
    comps[0, w, COMPONENTS.index("adoption")] = adoption
    comps[0, w, COMPONENTS.index("standards")] = standards
    scores = np.full((1, world.n_powers), 40.0)
    scores[0, w] = 55.0
    return Outcome(scores=scores, components=comps, winner=np.array([w]), kind=np.array([0]),
                   victory_type=np.array([COMPONENTS.index(victory)])).verdict(world)


def test_a_verdict_calls_a_majority_a_majority_and_a_minority_a_minority() -> None:
    """The USA's standards win once read 'even where its model won fewer hearts (57% leaned to
    it)'; every win's text must be true whether its model won most of the swing regions or not."""
    world = build_world(load_scenario("digital-leninism-2017"))
    for winner in world.power_ids:
        for victory in ("productivity", "stability", "adoption", "standards"):
            many = _verdict(world, winner, victory, 0.57)
            few = _verdict(world, winner, victory, 0.43)
            for text in (many, few):
                assert "{" not in text and "fewer hearts" not in text and "of their adoption" not in text
                assert "adoption went to" not in text
            assert "short of a majority" not in many
            assert "a majority" not in few or "short of a majority" in few
    usa_standards = _verdict(world, "usa", "standards", 0.57, standards=0.62)
    assert "a majority of the swing regions' weight (57%) leaned to its model" in usa_standards
    assert "built 62% of their networks on its standards" in usa_standards
    assert "43% of the swing regions' weight leaned to its model, short of a majority" in _verdict(
        world, "usa", "standards", 0.43)
    assert "43% of the swing regions' weight leaned to its model, short of a majority" in _verdict(
        world, "usa", "productivity", 0.43)
    assert "half of the swing regions' weight (50%)" in _verdict(world, "usa", "productivity", 0.5)


def test_a_dilemma_drawn_as_the_game_ends_is_not_news() -> None:
    """'2035: USA faces a dilemma: AI brain drain' appeared in the last report, a decision nobody
    can ever take; the engine still draws it (the outcome is untouched), the news leaves it out."""
    from game.match import Game
    game = Game.new("digital-leninism-2017", {"china": "planner", "usa": "free_marketeer"}, 1)
    reports = []
    while not game.over:
        reports.append(game.advance())
    last = reports[-1]
    assert (last.fired[0] >= 0).any()  # seed 1 draws dilemmas in 2035
    assert not [t for k, t in last.news(0) if k == "dilemma"]
    assert not [t for t in last.headlines(0) if "faces a dilemma" in t]
    assert any(k == "dilemma" for r in reports[:-1] for k, _ in r.news(0))  # earlier years still say so


def test_the_classroom_offers_no_dilemma_once_the_game_is_over() -> None:
    from game.classroom.session import ClassSession
    from game.classroom.views import team_view
    from game.match import Game
    s = ClassSession.create("classroom-short", seed=1)
    s.start()
    # a game in which every power drew a dilemma in the last year (the first seed that has one)
    for seed in range(1, 40):
        game = Game.new("classroom-short", {p: "planner" for p in s.game.world.power_ids}, seed)
        while not game.over:
            game.advance()
        if (game.state.pending[0] >= 0).all():
            break
    assert (game.state.pending[0] >= 0).all()
    s.game = game
    for team in game.world.power_ids:
        assert team_view(s, team)["card"]["dilemma"] is None


def test_new_governments_are_named_only_in_years_that_have_them() -> None:
    """A playtest as China read 'model adoption: new governments in the swing regions -9.3 pp' in
    a year whose news named no new government (last year's government's pull, differenced away).
    A year's change by component names new governments only when the news has one, and the parts
    still sum to the change."""
    from game.explain import causes
    from game.match import Game
    game = Game.new("digital-leninism-2017", {"china": "planner", "usa": "planner"}, 7)
    quiet = eventful = 0
    while not game.over:
        report = game.advance()
        turned = any(kind == "region" for kind, _ in report.news(0))
        for power in ("china", "usa"):
            for indicator, part in (("model_adoption", "new governments in the swing regions"),
                                    ("standards_share", "new governments' network choices")):
                label, items = causes(game, report, power, indicator)
                if label != "change by component":
                    continue
                named = dict(items)
                p, col = game.world.power_index(power), game.world.column(indicator)
                change = float(report.after[0, p, col] - report.before[0, p, col])
                assert sum(named.values()) == pytest.approx(change, abs=1e-6)
                if turned:
                    eventful += part in named
                else:
                    quiet += 1
                    assert part not in named, (report.year, power, items)
    assert quiet and eventful  # seed 7 has years of both kinds
