"""The `systemic` command as a designer uses it: sim, replay, saves, bench, and clean errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main


def systemic(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """A command line's exit code and stderr, run in this process: the error paths a user meets,
    without a fresh interpreter per case (the commands themselves run as subprocesses above and
    below). An exception escaping `main` fails the test, as a traceback would."""
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's own refusals
        code = exc.code if isinstance(exc.code, int) else 2
    return code, capsys.readouterr().err


SIM = ("sim", "--scenario", "digital-leninism-2017", "--ai", "china=planner",
       "--ai", "usa=free_marketeer", "--seed", "7")


def test_sim_prints_a_year_table_score_and_verdict() -> None:
    out = systemic(*SIM)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "GDP" in lines[0] and "regions leaning" in lines[0]
    years = [ln for ln in lines if ln[:4].isdigit()]
    assert [int(y[:4]) for y in years] == list(range(2017, 2036))
    assert any(ln.startswith("Final score:") for ln in lines)
    assert "Historians' verdict" in out.stdout
    assert "2035 (18/18 turns)" in out.stderr  # progress goes to stderr


@pytest.mark.slow
def test_sim_json_is_byte_identical_for_one_seed_and_replays_exactly(tmp_path: Path) -> None:
    first = systemic(*SIM, "--json", "--quiet", "--save", str(tmp_path / "game.json"))
    second = systemic(*SIM, "--json", "--quiet")
    assert first.returncode == 0 and second.returncode == 0
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["seed"] == 7 and len(data["years"]) == 19
    assert data["result"]["outcome"] in ("win", "draw", "collapse", "global_crisis")
    for banned in ("time", "elapsed", "timestamp"):
        assert banned not in json.dumps(data["result"])
    replay = systemic("replay", str(tmp_path / "game.json"), "--json")
    assert replay.returncode == 0, replay.stderr
    assert replay.stdout == first.stdout
    other_seed = systemic(*SIM[:-1], "8", "--json", "--quiet")
    assert other_seed.stdout != first.stdout


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such save file"),
    ("", "save file is empty"),
    ("{\"format\": \"systemic-save\", \"version\": 1, \"turns\": [", "save is corrupt"),
    ("\x00\x01garbage", "save is corrupt"),
    ("{\"format\": \"systemic-save\", \"version\": 99, \"scenario\": \"x\", \"seed\": 1, \"seats\": {}, \"turns\": []}",
     "newer version"),
    ("{\"format\": \"systemic-save\", \"version\": 1, \"scenario\": \"digital-leninism-2017\", \"seed\": 1, "
     "\"seats\": {}, \"turns\": [{\"china\": {\"power\": \"china\", \"budget\": {\"social_credit\": 3}}}]}",
     "save is corrupt"),
    ("[1, 2, 3]", "not a Systemic save file"),
    ("{\"format\": \"systemic-save\", \"version\": 1, \"scenario\": \"digital-leninism-2017\", \"seed\": \"x\", "
     "\"seats\": {}, \"turns\": []}", "its seed 'x' is not a whole number"),
    ("{\"format\": \"systemic-classroom\", \"version\": 1}", "a classroom session, not a game save; use"),
])
def test_bad_saves_get_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None,
                                      message: str) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    code, err = refused(capsys, "replay", str(path))
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1
    if content is not None:
        assert path.read_text() == content  # nothing lost


@pytest.mark.parametrize(("args", "message"), [
    (("sim", "--ai", "china=genius"), "unknown persona 'genius'"),
    (("sim", "--ai", "mars=planner"), "unknown power 'mars'"),
    (("sim", "--ai", "china"), "POWER=PERSONA"),
    (("sim", "--scenario", "digital-leninsm-2017"), "did you mean 'digital-leninism-2017'"),
    (("sim", "--scenario", "my-scenaro.yaml"), "my-scenaro.yaml:1:1: error: no such file or directory"),
    (("sim", "--scenario", "scenarios"), "scenarios:1:1: error: is a directory"),
    (("sim", "--seed", "-5"), "the seed must be a whole number of at least 0, got -5"),
    (("sim", "--ai", "china=planner", "--ai", "china=random"), "--ai china is given twice"),
])
def test_bad_command_lines_get_one_line_errors(capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
                                              message: str) -> None:
    code, err = refused(capsys, *args)
    assert code != 0
    assert message in err


def test_a_modders_scenario_file_plays_by_path(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parent.parent / "scenarios" / "classroom-short.yaml"
    mine = tmp_path / "my-scenario.yaml"
    mine.write_text(source.read_text().replace("id: classroom-short", "id: my-scenario")
                    .replace("end_year: 2025", "end_year: 2021"))
    out = systemic("sim", "--scenario", str(mine), "--json", "--quiet", "--seed", "2")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["scenario"] == "my-scenario" and data["years"][-1]["year"] == 2021


@pytest.mark.slow
def test_bench_prints_one_json_line_last() -> None:
    out = systemic("bench", "--games", "300", "--turns", "3")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["batch_games"] == 300
    for key in ("turns_per_s_batch", "turns_per_s_single", "ratio", "peak_rss_mb"):
        assert result[key] > 0


@pytest.mark.slow
def test_ai_bench_prints_every_figure_in_one_json_line() -> None:
    out = systemic("bench", "--ai", "--games", "40")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(result["decision_ms"]) == {"novice", "easy", "normal", "hard", "expert", "research"}
    assert result["decision_ms"]["research"] > result["decision_ms"]["novice"]
    for key in ("scripted", "normal_seat", "normal_mirror", "research_seat"):
        assert result[f"{key}_games_per_s"] > 0
    for key in ("normal_seat", "normal_mirror", "research_seat"):
        assert result[f"{key}_cost_x"] > 1  # a searching seat costs more than a scripted game
    assert set(result["vector_steps_per_s"]) == {"1", "256", "4096"}
    assert result["vector_steps_per_s"]["4096"] > result["vector_steps_per_s"]["1"]
    assert result["trivial_env_steps_per_s"] > 0 and result["single_env_steps_per_s"] > 0


@pytest.mark.parametrize(("args", "message"), [
    (("--games", "0"), "--games must be at least 1"),
    (("--before", "/nonexistent"), "--before /nonexistent: not a checkout of the game"),
    (("--scenario", "atlantis"), "no such scenario"),
])
def test_ai_bench_bad_input_gets_one_line(capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
                                          message: str) -> None:
    code, err = refused(capsys, "bench", "--ai", *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


@pytest.mark.slow
def test_paths_that_cannot_be_written_get_one_line_and_lose_nothing(tmp_path: Path) -> None:
    out = systemic(*SIM, "--save", str(tmp_path), "--quiet")
    assert out.returncode != 0 and "is a directory" in out.stderr
    assert "simulating" not in out.stderr  # refused before the game was played
    save = tmp_path / "g.json"
    assert systemic(*SIM, "--save", str(save), "--quiet").returncode == 0
    kept = save.read_text()
    for args in (("debrief", str(save), "--out", str(save)),  # an existing file where a folder goes
                 ("balance", "--games", "10", "--quiet", "--out", str(save / "report"))):
        out = systemic(*args)
        assert out.returncode != 0, args
        assert out.stderr.strip().count("\n") == 0 and "Traceback" not in out.stderr, out.stderr
        assert str(save) in out.stderr
    assert save.read_text() == kept


def test_a_save_is_an_ordinary_readable_document(tmp_path: Path) -> None:
    # saves go to shared class folders; mkstemp's private 0600 mode would hide them from others
    save = tmp_path / "g.json"
    out = subprocess.run(["sh", "-c", f"umask 022 && {sys.executable} -m game sim --quiet --save {save}"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert save.stat().st_mode & 0o777 == 0o644


def test_progress_in_a_log_is_whole_lines() -> None:
    out = systemic(*SIM)
    assert "\r" not in out.stderr and "simulating 2035 (18/18 turns)\n" in out.stderr


def test_sim_without_a_seed_draws_a_fresh_one_and_says_it_so_the_game_replays() -> None:
    args = ("sim", "--scenario", "classroom-short", "--json", "--quiet")
    first, second = systemic(*args), systemic(*args)
    seeds = [re.search(r"seed (\d+) \(play this game again with --seed \1\)", o.stderr) for o in (first, second)]
    assert all(seeds) and first.returncode == 0
    assert seeds[0].group(1) != seeds[1].group(1)  # type: ignore[union-attr]  # 1 in a million to clash
    again = systemic(*args[:-2], "--seed", seeds[0].group(1), "--json", "--quiet")  # type: ignore[union-attr]
    assert again.stdout == first.stdout and again.stderr == ""
