"""The depth section of the balance report and the lever-impact table (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from game.cli import main
from game.lab import depth, levers
from game.lab.levers import LeverTask, play_lever

SCEN = "digital-leninism-2017"


def test_variance_shares_recover_a_known_strategy_and_luck_split() -> None:
    rng = np.random.default_rng(0)
    matchups, lucks = 8, 400
    strategy = rng.normal(0, 2.0, matchups)  # variance 4
    luck = rng.normal(0, 1.0, lucks)  # variance 1
    m, u = np.meshgrid(np.arange(matchups), np.arange(lucks), indexing="ij")
    margin = strategy[m] + luck[u] + rng.normal(0, 0.5, m.shape)  # interaction 0.25
    shares = depth.variance_shares(margin.ravel(), m.ravel(), u.ravel())
    expected = np.var(strategy) / (np.var(strategy) + np.var(luck) + 0.25)
    assert shares["strategy"] == pytest.approx(expected, abs=0.03)
    assert shares["strategy"] + shares["common_luck"] + shares["interaction"] == pytest.approx(1.0)


def test_upsets_count_matchups_whose_underdog_still_wins_often() -> None:
    margin = np.array([5, 5, 5, -5] * 10 + [5, 5, 5, 5] * 10, dtype=float)
    matchup = np.repeat([0, 1], 40)
    up = depth.upsets(margin, matchup, draw=1.0)
    assert up["underdog_win_rates"] == [0.25, 0.0]
    assert up["share_of_matchups"] == 0.5


def test_balance_report_has_a_depth_section_with_every_figure_defined(tmp_path: Path) -> None:
    out = tmp_path / "report"
    code = main(["balance", "--scenario", SCEN, "--games", "64", "--personas", "planner", "free_marketeer",
                 "--out", str(out), "--quiet", "--workers", "1", "--course-games", "8", "--lever-games", "2"])
    assert code == 0
    md = (out / "report.md").read_text()
    d = json.loads((out / "report.json").read_text())["depth"]
    for words in ("strategy share", "underdog", "Open regions", "Crises", "reckless course",
                  "prudent course", "incumbent", "decision beyond", "Lever impact"):
        assert words in md
    assert 0 <= d["variance_shares"]["strategy"] <= 1
    assert sum(d["live_paths"].values()) == pytest.approx(1.0)
    assert set(d["regions"]) >= {"asean", "africa"}
    assert set(d["targets"]) >= {"strategy_share", "upsets", "live_paths", "open_leans", "open_standards",
                                 "crises", "elections", "decisions", "levers"}
    # the USA votes every four years: incumbents win or lose every one of them
    assert d["elections"]["won"] + d["elections"]["lost"] > 0
    assert 0 < d["decisions"]["share_of_years"] < 1


def test_reckless_course_brings_more_crashes_than_the_prudent_one() -> None:
    found = depth.run_courses(SCEN, ["planner", "free_marketeer"], 32, seed=1, workers=1)
    for by in found["by_power"].values():
        assert by["reckless"]["financial_crash"] > by["prudent"]["financial_crash"]


def test_lever_shift_uses_the_same_luck_and_changes_only_what_the_lever_buys() -> None:
    base = play_lever(LeverTask(SCEN, 0, -1, ("planner",), 4, 1, (1, 5, 18)))
    again = play_lever(LeverTask(SCEN, 0, -1, ("planner",), 4, 1, (1, 5, 18)))
    np.testing.assert_array_equal(base["margin"], again["margin"])
    ai = play_lever(LeverTask(SCEN, 0, 1, ("planner",), 4, 1, (1, 5, 18)))  # ai_research
    k = ai["names"].index("ai_capability")
    assert (ai["at"][5][k] > base["at"][5][k]).all()  # more AI research, more AI capability


def test_levers_command_prints_the_table_for_every_open_lever(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["levers", "--scenario", SCEN, "--personas", "planner", "--games", "2", "--workers", "1",
                 "--json", str(tmp_path / "levers.json")])
    assert code == 0
    text = capsys.readouterr().out
    table = json.loads((tmp_path / "levers.json").read_text())["table"]
    assert len(table["china"]) == 9 and len(table["usa"]) == 9
    for row in table["china"]:
        assert f"| china | {row['lever']} |" in text


def test_levers_command_refuses_an_unknown_persona_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["levers", "--personas", "nobody", "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "unknown" in err and len(err.strip().splitlines()) == 1


def test_shifted_budget_moves_ten_points_and_keeps_the_total() -> None:
    from game.ai.difficulty import make_player
    from game.engine import BatchOrders, new_game
    from game.lab.tournament import world_for
    w = world_for(SCEN)
    state = new_game(w, 3)
    plain, shifted = BatchOrders.hold(state), BatchOrders.hold(state)
    p = make_player("planner")
    p.decide_batch(state, 0, np.random.default_rng(0), plain)
    levers.Shifted(p, 3).decide_batch(state, 0, np.random.default_rng(0), shifted)
    a, b = plain.budget[:, 0], shifted.budget[:, 0]
    assert b.sum(axis=1) == pytest.approx(a.sum(axis=1) / a.sum(axis=1))
    assert b[:, 3] - a[:, 3] / a.sum(axis=1) == pytest.approx(np.full(3, levers.SHIFT), abs=1e-6)


# ---------------------------------------------------------------- the mechanics issue 11 added

def _world(**changes: dict[str, float]):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from game.engine import build_world
    from game.rules.loader import load_scenario
    scen = load_scenario(SCEN)
    coef = {g: dict(v) for g, v in scen.coefficients.items()}
    for group, values in changes.items():
        coef[group].update(values)
    return build_world(replace(scen, coefficients=coef))


def _year(world, budget_policy=None, batch: int = 64, seed: int = 5):  # type: ignore[no-untyped-def]
    """One year from 2017 under the status-quo orders (optionally changed); (state, report)."""
    from game.engine import new_game, resolve, status_quo_orders
    state = new_game(world, batch)
    orders = status_quo_orders(state)
    if budget_policy is not None:
        budget_policy(world, orders)
    return resolve(state, orders, np.random.default_rng(seed))


def test_a_crash_discredits_the_government_by_crash_trust_points() -> None:
    from game.engine.world import N
    hit = _world(finance={"crash_threshold": 0.4, "crash_slope": 0.03})  # China's 2017 bubble crashes
    calm = _world(finance={"crash_threshold": 0.4, "crash_slope": 0.03, "crash_trust": 0.0})
    state, report = _year(hit)
    other, _ = _year(calm)
    crashed = report.crash[:, 0]
    assert crashed.any()
    drop = other.nation[crashed, 0, N.LEGITIMACY] - state.nation[crashed, 0, N.LEGITIMACY]
    assert drop == pytest.approx(np.full(drop.shape, hit.coef["finance"]["crash_trust"]), abs=1e-3)
    causes = dict(report.explain("china", "legitimacy", int(np.flatnonzero(crashed)[0])))
    assert causes["financial crash"] == pytest.approx(-hit.coef["finance"]["crash_trust"], abs=1e-4)


def _broad_controls_by_china(world, orders) -> None:  # type: ignore[no-untyped-def]
    q = world.policy_ids.index("tech_export_controls")
    orders.policy[:, 0, q] = world.option_ids[q].index("broad")


def test_broad_export_controls_are_answered_in_kind_and_spur_the_targets_champions() -> None:
    from game.engine.world import N
    plain = _world(industry={"retaliation": 0.0, "controls_spur": 0.0})
    costly = _world()
    before, _ = _year(plain, _broad_controls_by_china)
    after, _ = _year(costly, _broad_controls_by_china)
    # retaliation: the imposer's AI now suffers controls too
    assert (after.nation[:, 0, N.AI] < before.nation[:, 0, N.AI]).all()
    # spur: the target's champions learn faster under the controls they suffer
    assert (after.nation[:, 1, N.CHAMPION_COST] < before.nation[:, 1, N.CHAMPION_COST]).all()


def test_stability_scores_against_the_start_year_course() -> None:
    """A power scores stability for the order it keeps above what its start-year course gives it,
    not for the country it was dealt: holding that course scores one half; more stable scores
    more, on the rules' slope."""
    from game.engine import new_game, outcome, resolve, status_quo_orders
    from game.engine.luck import Luck
    from game.engine.par import PAR_GAMES, PAR_SEED, par_stability
    world = _world()
    par = par_stability(world)
    # the par is the status-quo course's mean stability, played on the par's own luck
    rng = np.random.default_rng(PAR_SEED)
    state = new_game(world, PAR_GAMES)
    while not state.finished:
        luck = Luck.draw(rng, PAR_GAMES, world.n_powers, world.n_regions)
        state, _ = resolve(state, status_quo_orders(state), luck=luck, explain=False)
    assert par == pytest.approx(state.stability_mean.mean(axis=0), abs=1e-4)
    # mid-game standings compare the same years: the par after three years is the course's mean
    # over its first three years, and the opening par is the opening stability
    from game.engine.par import par_stability_path
    path = par_stability_path(world)
    assert path.shape == (world.n_turns + 1, world.n_powers)
    assert par_stability(world, 0) == pytest.approx(new_game(world, 1).stability_mean[0], abs=1e-4)
    assert np.array_equal(par_stability(world, 3), path[3]) and not np.allclose(path[3], par)
    # the party-state opens far more stable than the democracy; against par neither starts ahead
    opening = new_game(world, 1)
    assert opening.stability_mean[0, 0] > opening.stability_mean[0, 1] + 5
    ended = outcome(state).components[:, :, 1]
    assert ended.mean(axis=0) == pytest.approx([0.5, 0.5], abs=1e-3)
    slope = world.coef.score.stability_slope
    above = state.copy_with(stability_mean=state.stability_mean + 4.0)
    assert outcome(above).components[:, :, 1] == pytest.approx(np.clip(ended + 4.0 * slope, 0, 1), abs=1e-5)


def test_allies_networks_count_in_part_and_a_common_standard_merges_them_whole() -> None:
    """Without an agreement a democracy's standard gains a share of its ally's installed base
    (not its quality, nor the merge bonus); a common standard pools them whole."""
    from game.engine import kernels
    from game.engine.world import DTYPE
    world = _world()  # digital-leninism-2017 has one democracy: the table is the identity
    assert np.array_equal(world.allied_networks(0.5)[0], np.eye(2, dtype=DTYPE))
    P = 3
    quality = np.array([[1.0, 0.9, 1.2]], dtype=DTYPE)  # (B, P): china, usa, eu
    adoption = np.array([[[0.5], [0.4]], [[0.2], [0.1]], [[0.1], [0.3]]], dtype=DTYPE)  # (P, R, B)
    same = np.array([[1, 0, 0], [0, 1, 1], [0, 1, 1]], dtype=DTYPE)
    partial = (np.eye(P, dtype=DTYPE) + 0.5 * (same - np.eye(P, dtype=DTYPE)))[None]
    best, installed = kernels.pooled_networks(partial, quality, adoption, 0.2)
    assert installed[1, :, 0] == pytest.approx(adoption[1, :, 0] + 0.5 * adoption[2, :, 0])
    assert installed[0, :, 0] == pytest.approx(adoption[0, :, 0])  # the party-state has no ally
    assert best[0] == pytest.approx([1.0, 0.9, 1.2])  # own quality, no bonus
    whole = np.maximum(partial, same[None])
    best, installed = kernels.pooled_networks(whole, quality, adoption, 0.2)
    assert installed[1, :, 0] == pytest.approx(adoption[1, :, 0] + adoption[2, :, 0])
    assert best[0] == pytest.approx([1.0, 1.4, 1.4])  # the better partner's quality and the bonus


def test_the_score_par_moves_the_productivity_score_and_not_the_swing_regions() -> None:
    """`score_par_growth` is the balance lab's handle on the productivity score: a higher par
    lowers the power's productivity component by the slope, while the swing regions go on judging
    its growth against `par_growth` (the game itself plays the same)."""
    from dataclasses import replace

    from game.engine import build_world, new_game, outcome, resolve, status_quo_orders
    from game.rules.loader import load_scenario
    scen = load_scenario(SCEN)
    china = scen.spec.powers[0]
    assert china.score_par_growth is not None and china.score_par_growth != china.par_growth
    higher = china.model_copy(update={"score_par_growth": china.score_par_growth + 0.004})
    other = replace(scen, spec=scen.spec.model_copy(update={"powers": [higher, *scen.spec.powers[1:]]}))
    played = []
    for world in (build_world(scen), build_world(other)):
        state = new_game(world, 8)
        rng = np.random.default_rng(3)
        for _ in range(3):
            state, _ = resolve(state, status_quo_orders(state), rng, explain=False)
        played.append((state, outcome(state)))
    (a, out_a), (b, out_b) = played
    assert np.array_equal(a.alignment, b.alignment) and np.array_equal(a.nat, b.nat)
    slope = build_world(scen).coef.score.productivity_slope
    a_prod, b_prod = out_a.components[:, 0, 0], out_b.components[:, 0, 0]
    inside = (b_prod > 0) & (a_prod < 1)  # the component is held within 0-1
    assert inside.sum() >= 4
    assert (a_prod - b_prod)[inside] == pytest.approx(np.full(int(inside.sum()), slope * 0.004), abs=1e-6)
    assert np.array_equal(out_a.components[:, 1], out_b.components[:, 1])


# ---------------------------------------------------------------- the lever pass

def test_the_lever_curve_keeps_every_2017_level_and_moves_more_for_the_same_money() -> None:
    """`budget.half_stock` reshapes returns, not the 2017 world: each power's channels start where
    the scenario's calibration put them whatever h is, h = 1 is the plain x/(x+1), and at the
    shipped h ten more points of a big lever buy a visible step where the old curve had saturated."""
    from game.engine import new_game, status_quo_orders
    from game.engine.state import channels
    from game.engine.world import CH
    old, new = _world(budget={"half_stock": 1.0}), _world()
    start = new_game(new, 1).lever_stock  # (L, 1, P), the 2017 stocks
    assert np.allclose(channels(new, start.copy()), channels(old, start.copy()), rtol=1e-5)
    x = (old.lever_channels.T @ start.reshape(start.shape[0], -1)).reshape(-1, 1, old.n_powers)
    assert np.allclose(channels(old, start.copy()), x / (x + 1), rtol=1e-6)
    # ten points of China's budget moved into data infrastructure, for ten years
    state = new_game(new, 1)
    orders = status_quo_orders(state)
    lever = new.lever_ids.index("data_infrastructure")
    more = start.copy()
    more[lever, 0, 0] += 10 * 0.1 * new.budget_share[0] * 100 * (1 - 0.85 ** 10) / 0.15
    assert orders.budget.shape[-1] == len(new.lever_ids)
    c = CH["coverage"]
    gain_new = channels(new, more.copy())[c, 0, 0] - channels(new, start.copy())[c, 0, 0]
    gain_old = channels(old, more.copy())[c, 0, 0] - channels(old, start.copy())[c, 0, 0]
    assert gain_new > 2 * gain_old > 0
    # repression keeps the old, fast-saturating curve: censorship never passes its full effect
    heavy = start.copy()
    heavy[new.lever_ids.index("information_control"), 0, 0] += 50.0
    assert channels(new, heavy.copy())[CH["censorship"], 0, 0] == pytest.approx(
        channels(old, heavy.copy())[CH["censorship"], 0, 0], rel=1e-6)
    assert channels(new, heavy.copy())[CH["censorship"], 0, 0] < 1.0


def test_a_new_government_moves_its_region_toward_the_patron_it_picked_and_the_news_says_so() -> None:
    """With a government falling every year, every region gets a new one each turn: its lean moves
    `turnover_swing` of the way to the patron picked, the model-adoption report names the cause,
    and each turn is a line of news; with the chance at zero nothing of the kind happens."""
    from game.engine.world import N
    every = _world(diffusion={"turnover": 1.0, "turnover_network": 0.0})
    never = _world(diffusion={"turnover": 0.0})
    state, report = _year(every, batch=32)
    _, calm_report = _year(never, batch=32)
    assert report.turnover is not None and (report.turnover >= 0).all()
    assert calm_report.turnover is None
    picked = report.turnover  # (B, R)
    swing = every.coef.diffusion.turnover_swing
    # the patron's lean is at least the swing; nobody else's is above 1 - swing
    lean = state.alignment  # (B, R, P)
    for p in range(every.n_powers):
        mine = picked == p
        assert (lean[:, :, p][mine] >= swing - 1e-6).all()
        assert (lean[:, :, p][~mine] <= 1 - swing + 1e-6).all()
    causes = dict(report.explain("china", "model_adoption", 0))
    assert "new governments in the swing regions" in causes
    total = sum(causes.values())
    assert total == pytest.approx(float(state.nation[0, 0, N.MODEL_ADOPTION]), abs=1e-5)
    kinds = [k for k, _ in report.news(0)]
    assert kinds.count("region") == every.n_regions
    assert any("looks to China" in text or "looks to USA" in text for _, text in report.news(0))
    assert not [k for k, _ in calm_report.news(0) if k == "region"]


def test_new_governments_pick_their_patron_with_the_chances_the_region_gives_each_camp() -> None:
    """The successor's patron is luck weighted by politics: where China's infrastructure ties are
    stronger, more new governments pick China (a strategy that courts a region makes the turns
    likelier), and luck still decides some either way."""
    from game.engine import new_game, resolve, status_quo_orders
    every = _world(diffusion={"turnover": 1.0, "turnover_network": 0.0})
    r = every.region_ids.index("latin_america")
    shares = []
    for china_ties in (0.0, 1.0):
        state = new_game(every, 4000)
        state.tie[0, r, :] = china_ties  # (P, R, B)
        _, report = resolve(state, status_quo_orders(state), np.random.default_rng(5))
        assert report.turnover is not None
        shares.append(float((report.turnover[:, r] == 0).mean()))
    assert shares[1] > shares[0] + 0.1
    assert shares[0] > 0.02 and shares[1] < 0.98


def test_a_new_government_moves_part_of_its_networks_to_its_patrons_standard() -> None:
    from game.engine.world import N
    moves = _world(diffusion={"turnover": 1.0, "turnover_network": 0.3})
    stays = _world(diffusion={"turnover": 1.0, "turnover_network": 0.0})
    a, report = _year(moves, batch=64)
    b, _ = _year(stays, batch=64)
    assert report.turnover is not None
    on_china = report.turnover == 0  # (B, R) regions whose new government picked China
    assert (a.adoption[:, :, 0][on_china] > b.adoption[:, :, 0][on_china]).all()
    assert (a.adoption[:, :, 0][~on_china] < b.adoption[:, :, 0][~on_china] + 1e-6).all()
    # what is on no power's standard stays off
    assert a.adoption.sum(axis=2) == pytest.approx(b.adoption.sum(axis=2), abs=1e-5)
    causes = dict(report.explain("china", "standards_share", 0))
    assert "new governments' network choices" in causes
    assert sum(causes.values()) == pytest.approx(float(a.nation[0, 0, N.STANDARDS_SHARE]), abs=1e-5)
