"""History in the balance lab: `systemic balance --history YEAR` and `systemic mirrors --history YEAR`
play every game in history mode (the deck's events fire until YEAR while the players choose their
own orders, then the random deck), say so in the report, replay for a seed, and refuse a year
outside the deck in one line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from game.ai.difficulty import make_player
from game.cli import main
from game.engine import GameState, Report
from game.engine.history import until
from game.lab import tournament

SCEN = "digital-leninism-2017"
PLAYERS = ["planner", "free_marketeer"]


def _run(history: int | None, seed: int = 3) -> tournament.Results:
    t = tournament.plan(SCEN, PLAYERS, 32, seed=seed, history=history)
    return tournament.run(t, workers=1, progress=False)


def test_history_mode_games_differ_from_plain_ones_and_replay_for_a_seed() -> None:
    plain, hist, again = _run(None), _run(2020), _run(2020)
    assert until(plain.world) is None and until(hist.world) == 2020
    assert np.array_equal(plain.seat_player, hist.seat_player)  # the same matchups on the same luck seeds...
    assert not np.array_equal(plain.scores, hist.scores)  # ...and history's events change the games
    for name in ("scores", "winner", "kind", "length"):
        assert np.array_equal(getattr(hist, name), getattr(again, name)), name
    # history to 2020 and history to 2023 are different games too: the deck's later years fire
    assert not np.array_equal(hist.scores, _run(2023).scores)
    # the pandemic of history's 2020 shows in China's growth that year
    assert _china_growth(2020, None) - _china_growth(2020, 2020) > 0.02


def _china_growth(year: int, history: int | None) -> float:
    """China's median growth in `year` in lab games of planners on every seat."""
    w = tournament.world_for(SCEN, history=history)
    seen: dict[int, float] = {}

    def watch(before: GameState, after: GameState, report: Report) -> None:
        seen[after.year] = float(np.median(after.nat[w.column("growth"), :, w.power_index("china")]))

    tournament.play_mixed(w, [make_player("planner")], np.zeros((16, w.n_powers), np.int64), (3, 0), watch=watch)
    return seen[year]


def test_balance_report_says_it_was_played_in_history_mode(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "hist"
    assert main(["balance", "--scenario", SCEN, "--personas", *PLAYERS, "--games", "16", "--seed", "1",
                 "--history", "2020", "--no-depth", "--workers", "1", "--out", str(out)]) == 0
    assert "history deck fires as it happened up to 2020" in capsys.readouterr().err
    md = (out / "report.md").read_text()
    assert md.startswith(f"# Balance report: {SCEN} (history mode to 2020)\n")
    assert "**Played in history mode to 2020.**" in md and "from 2021 the ordinary random deck took over" in md
    assert json.loads((out / "report.json").read_text())["history"] == 2020
    plain = tmp_path / "plain"
    assert main(["balance", "--scenario", SCEN, "--personas", *PLAYERS, "--games", "16", "--seed", "1",
                 "--no-depth", "--workers", "1", "--quiet", "--out", str(plain)]) == 0
    assert "history" not in json.loads((plain / "report.json").read_text())
    assert "history mode" not in (plain / "report.md").read_text()


def test_mirrors_table_says_history_mode(tmp_path: Path) -> None:
    assert main(["mirrors", "--scenario", SCEN, "--personas", "planner", "--games", "16", "--history",
                 "--workers", "1", "--quiet", "--out", str(tmp_path)]) == 0
    md = (tmp_path / "mirrors.md").read_text()
    assert f"| {SCEN} (history mode to 2024) | planner |" in md and "**Played in history mode to 2024.**" in md
    assert "--history --out" in md  # the command that regenerates it
    assert json.loads((tmp_path / "mirrors.json").read_text())["mirrors"][0]["history"] == 2024


@pytest.mark.parametrize(("args", "message"), [
    (("balance", "--scenario", SCEN, "--history", "2030"), "digital-leninism-2017's history deck runs 2018-2024"),
    (("balance", "--scenario", SCEN, "--history", "2017"), "digital-leninism-2017's history deck runs 2018-2024"),
    (("balance", "--scenario", "present-day-2024", "--history"), "'present-day-2024' has no history deck"),
    (("mirrors", "--scenario", SCEN, "present-day-2024", "--history", "2020"), "'present-day-2024' has no history deck"),
])
def test_a_year_outside_the_deck_gets_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               args: tuple[str, ...], message: str) -> None:
    code = main([*args, "--games", "8", "--out", str(tmp_path / "x"), "--quiet"])
    assert code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], lines
    assert not (tmp_path / "x").exists()
