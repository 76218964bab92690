"""The difficulty ladder (`systemic ladder`) and the handicaps that build the levels."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from game.ai.difficulty import LEVELS, make_player, tuned
from game.cli import main
from game.lab import ladder

SCEN = "digital-leninism-2017"


def test_a_step_seats_both_levels_on_every_power_and_shares_luck_across_steps() -> None:
    assert ladder.matchups(2) == [(0, 1), (1, 0)]
    assert len(ladder.matchups(3)) == 6  # every seating with both present, none a mirror
    steps = ladder.plan_steps(SCEN, ["novice", "normal", "expert"], 40, seed=4)
    assert [(s.lower, s.upper) for s in steps] == [("novice", "normal"), ("normal", "expert")]
    for s in steps:
        assert {task.seed for task in s.tournament.tasks} == {4}  # chunk c of every step meets the same luck
        assert s.tournament.games >= 40


def test_expert_beats_novice_significantly_and_the_report_says_so(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ladder", "--levels", "novice", "expert", "--games", "240", "--seed", "2", "--out", str(tmp_path),
                 "--quiet", "--workers", "1"])
    assert code == 0
    data = json.loads((tmp_path / "ladder.json").read_text())
    (step,) = data["steps"]
    assert (step["lower"], step["upper"], step["verdict"]) == ("novice", "expert", "rises")
    assert step["games"] >= 240 and step["paired_draws"] == step["games"] // 2  # each draw played both ways
    assert step["wilson95"][0] > 0.5 and step["margin95"][0] > 0  # significant on both figures
    assert set(step["by_power"]) == {"china", "usa"}
    assert step["won"] + step["lost"] + step["drawn"] == step["games"]  # one meeting a game with two powers
    assert data["rises"] and "--levels novice expert --games 240 --seed 2" in data["command"]
    md = (tmp_path / "ladder.md").read_text()
    assert "| expert vs novice |" in md and "The ladder rises" in md and data["command"] in md
    out = capsys.readouterr().out
    assert "expert vs novice: rises" in out and "the ladder rises" in out


def test_a_three_power_step_counts_every_meeting_of_the_two_levels(tmp_path: Path) -> None:
    code = main(["ladder", "--scenario", "transatlantic-2017", "--levels", "novice", "easy", "--games", "12",
                 "--out", str(tmp_path), "--quiet", "--workers", "1"])
    assert code == 0
    (step,) = json.loads((tmp_path / "ladder.json").read_text())["steps"]
    assert step["matchups"] == 6 and step["games"] == 12
    # a seating of two seats against one has two meetings of the levels per game
    assert step["won"] + step["lost"] + step["drawn"] == 2 * step["games"]
    assert step["verdict"] in ("rises", "level", "falls")


def test_verdict_needs_an_interval_wholly_on_one_side() -> None:
    assert ladder.verdict((0.51, 0.58), (-0.1, 0.5)) == "rises"
    assert ladder.verdict((0.45, 0.55), (0.1, 0.5)) == "rises"
    assert ladder.verdict((0.45, 0.55), (-0.1, 0.5)) == "level"
    assert ladder.verdict((0.40, 0.48), (-0.5, -0.1)) == "falls"
    assert ladder.verdict((0.51, 0.58), (-0.5, -0.1)) == "level"  # the two figures disagree


@pytest.mark.parametrize(("args", "message"), [
    (("--levels", "novice", "grandmaster"), "unknown player 'grandmaster'"),
    (("--levels", "hard"), "at least two levels"),
    (("--levels", "hard", "hard"), "names a level twice"),
    (("--levels", "novice", "hard+slip"), "is not a handicap=value"),
    (("--levels", "novice", "hard+width=wide"), "width takes a int"),
    (("--scenario", "atlantis-2040"), "atlantis-2040"),
    (("--games", "0"), "--games must be at least 1"),
])
def test_bad_ladder_input_gets_one_line_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           args: tuple[str, ...], message: str) -> None:
    code = main(["ladder", *args, "--out", str(tmp_path / "x"), "--quiet"])
    assert code != 0
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], lines
    assert not (tmp_path / "x").exists()


def test_a_level_takes_handicap_overrides_for_the_lab() -> None:
    assert tuned("hard+width=4+noise=0.2") == replace(LEVELS["hard"], width=4, noise=0.2)
    assert tuned("novice+search=none+judgement=false").judgement is False
    player = make_player("expert+misjudge=2:free_marketeer")
    assert player.persona.name == "free_marketeer" and player.misjudge == 2.0  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="information is one of"):
        make_player("hard+information=psychic")


def test_a_fallible_level_errs_as_its_handicaps_say() -> None:
    rng = np.random.default_rng(5)
    margins = np.array([[3.0] * 4000, [2.0] * 4000, [0.0] * 4000, [-1.0] * 4000])  # course 0 best, then 1
    assert (make_player("expert+misjudge=0.01").choose(margins, rng) == 0).all()  # type: ignore[attr-defined]
    assert (make_player("expert+slip=1").choose(margins, rng) == 1).all()  # type: ignore[attr-defined]
    slips = make_player("expert+slip=0.25").choose(margins, rng)  # type: ignore[attr-defined]
    assert set(np.unique(slips)) == {0, 1} and abs((slips == 1).mean() - 0.25) < 0.03
    # errors of 1 point: the best course most often, a close second often, a distant one rarely
    counts = np.bincount(make_player("expert+misjudge=1").choose(margins, rng), minlength=4)  # type: ignore[attr-defined]
    assert counts[0] > counts[1] > counts[2] > counts[3]
    # errors far above the gaps: every course about equally often
    counts = np.bincount(make_player("expert+misjudge=1000").choose(margins, rng), minlength=4)  # type: ignore[attr-defined]
    assert counts.min() > 800
