"""History mode as players and teachers meet it: the 2018-2024 deck fires in its years, the AI
takes history's answers while a person may choose otherwise, the random deck is silent until the
players leave history, saves replay it exactly, a broken deck gets located errors, and the
hindcast meets the World Bank series within its tolerance whatever the seed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine import Orders, build_world
from game.engine.history import CLOSED
from game.lab import hindcast
from game.match import Game, SaveError
from game.rules.loader import SCENARIOS_DIR, RulesError, load_scenario

SEATS = {"china": "planner", "usa": "free_marketeer", "eu": "standards_diplomat"}


def _news(game: Game, year: int) -> list[str]:
    return next(row["news"] for row in game.history if row["year"] == year)


def _in_the_news(game: Game, *lines: str) -> None:
    """Each line ("2020: ...") is in the news of the year it starts with."""
    for line in lines:
        assert line in _news(game, int(line[:4])), line


def _is_history_event(game: Game, name_fragment: str) -> bool:
    return any(name_fragment in e.name and CLOSED in e.doctrines for e in game.world.scenario.rules.events)


def test_history_mode_is_off_unless_chosen() -> None:
    game = Game.new("transatlantic-2017", SEATS, seed=3)
    game.play_out()
    assert game.history_mode == {}
    assert not any("COVID-19 pandemic" in line for row in game.history for line in row["news"])
    assert "history_mode" not in game.to_save()


def test_events_fire_in_their_years_and_the_ai_answers_as_history_did() -> None:
    game = Game.new("transatlantic-2017", SEATS, seed=3, history_mode=True)
    game.play_out()
    _in_the_news(game, "2018: GDPR in force", "2020: COVID-19 pandemic", "2022: The October 2022 chip controls")
    # the planner and the free marketeer would judge these dilemmas by their values; in history
    # mode they take history's answer
    _in_the_news(game, "2018: China decided 'US denial order on ZTE (2018)': Pay and accept the monitors",
                 "2020: USA decided 'The CARES Act (2020)': Go big",
                 "2024: European Union decided 'The AI Act (2024)': Adopt the AI Act")
    # the pandemic shows in the numbers: the West's output falls in 2020 and rebounds in 2021
    usa = {row["year"]: row["powers"]["usa"]["growth"] for row in game.history}
    eu = {row["year"]: row["powers"]["eu"]["growth"] for row in game.history}
    assert usa[2020] < 0 < usa[2021] and eu[2020] < 0 < eu[2021]


def test_a_player_may_answer_otherwise() -> None:
    game = Game.new("transatlantic-2017", {"china": "human", "usa": "status_quo", "eu": "status_quo"},
                    seed=1, history_mode=True)
    pending = game.state.pending[0, game.world.power_index("china")]
    assert game.world.event_ids[pending] == "zte_denial_order"
    game.advance({"china": Orders(power="china", answers={"zte_denial_order": "let_it_fall"})})
    assert "2018: China decided 'US denial order on ZTE (2018)': Refuse, and build Chinese chips" in _news(game, 2018)


def test_random_deck_is_silent_in_history_and_takes_over_after_leaving() -> None:
    random_after = 0
    for seed in range(6):
        game = Game.new("transatlantic-2017", SEATS, seed=seed, history_mode=2020)
        game.play_out()
        for row in game.history[1:]:
            for line in row["news"]:
                if "faces a dilemma" not in line:
                    continue
                name = line.split("faces a dilemma: ", 1)[1]
                historical = _is_history_event(game, name.rsplit(" (", 1)[0])
                if row["year"] < 2020:
                    assert historical, line  # next year is history: only history's dilemmas
                else:
                    assert not historical, line  # history ended with 2020
                    random_after += 1
        assert not any(line.startswith(("2021: COVID-19 waves", "2022: The Shanghai"))
                       for row in game.history for line in row["news"])
    assert random_after > 0  # the ordinary deck took over


def test_leaving_history_mid_game_is_saved_and_replayed(tmp_path: Path) -> None:
    game = Game.new("transatlantic-2017", SEATS, seed=5, history_mode=True)
    for _ in range(4):
        game.advance()
    assert game.in_history
    game.leave_history()  # the class takes over from 2022
    assert not game.in_history
    assert all(p < 0 for p in game.state.pending[0])  # history's 2022 dilemmas are withdrawn
    game.play_out()
    assert not any(line.startswith("2022: The Shanghai lockdown") for line in _news(game, 2022))
    path = tmp_path / "save.json"
    game.save(path)
    again = Game.load(path)
    assert again.history == game.history
    assert again.result() == game.result()
    assert json.loads(path.read_text())["history_mode"] == {"until": 2024, "left_at": 4}


def test_corrupt_history_mode_in_a_save_is_refused(tmp_path: Path) -> None:
    game = Game.new("transatlantic-2017", SEATS, seed=5, history_mode=True)
    game.advance()
    data = game.to_save()
    data["history_mode"] = {"until": "soon"}
    with pytest.raises(SaveError, match="history_mode"):
        Game.from_save(data)


def test_history_needs_a_deck_and_a_year_in_the_scenario() -> None:
    with pytest.raises(ValueError, match="no history deck"):
        Game.new("present-day-2024", history_mode=True)
    for year in (2050, 2030, 2017):  # past the deck's last event (2024), and no history at all
        with pytest.raises(ValueError, match="transatlantic-2017's history deck runs 2018-2024"):
            Game.new("transatlantic-2017", history_mode=year)


# ------------------------------------------------------------------ validation
def _broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of transatlantic-2017 with one edit; returns it and the edited line's number."""
    return _copy_with(tmp_path, "transatlantic-2017.yaml", old, new)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("      year: 2018\n      text: \"The General", "      year: 2016\n      text: \"The General",
     "history event 'gdpr_in_force': dated 2016, outside the years of scenario 'transatlantic-2017' "
     "(turns resolve 2018-2035)"),
    ("        - {power: eu, target: privacy_trust, add: 6}", "        - {power: eurozone, target: privacy_trust, add: 6}",
     "history event 'gdpr_in_force': unknown power 'eurozone'"),
    ("        - {scope: regions, target: unrest, add: 0.02}",
     "        - {scope: regions, target: unrest, add: 0.02, regions: [asia]}",
     "history event 'covid_outbreak': unknown region 'asia'"),
    ("      power: usa\n      historical: impose", "      power: russia\n      historical: impose",
     "history event 'section_301_tariffs': unknown power 'russia'"),
    ("2020: -0.0565, ", "",
     "hindcast series #3 (eu growth): no value for 2020; a series needs every year of the hindcast (2018-2023)"),
])
def test_broken_history_gets_a_located_error(tmp_path: Path, old: str, new: str, message: str) -> None:
    path, line = _broken(tmp_path, old, new)
    with pytest.raises(RulesError) as info:
        load_scenario(path)
    problems = [p for p in info.value.problems if message in p.message]
    assert problems, [str(p) for p in info.value.problems]
    assert problems[0].mark.line == line
    assert str(problems[0]).startswith(f"{problems[0].mark.file}:{line}:")
    out = subprocess.run([sys.executable, "-m", "game.cli", "validate", str(path)], capture_output=True, text=True)
    assert out.returncode == 1 and message in out.stdout and "Traceback" not in out.stderr


def test_shipped_deck_is_valid_and_sourced() -> None:
    scen = load_scenario("transatlantic-2017")
    deck = scen.spec.history
    assert deck is not None and not deck.enabled
    assert {e.year for e in deck.events} == set(range(2018, 2025))
    assert all(e.source for e in deck.events)
    build_world(scen)  # the deck compiles


# ------------------------------------------------------------------ hindcast
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hindcast_meets_the_world_bank_series(seed: int) -> None:
    """RMSE of the model's median path <= the scenario's tolerance (1.5 pp) per power, and the
    2020 dip and 2021 rebound with history's signs, whatever the luck."""
    h = hindcast.run("transatlantic-2017", games=48, seed=seed)
    checked = [r for r in h.results if r.series.checked and r.series.indicator == "growth"]
    assert {r.series.power for r in checked} == {"china", "usa", "eu"}
    for res in checked:
        assert res.rmse <= h.tolerance, (res.series.power, res.rmse)
        dip = res.value(2020).median - res.value(2019).median
        rebound = res.value(2021).median - res.value(2020).median
        assert dip < 0 and rebound > 0, res.series.power
        assert (res.value(2020).median < 0) == (res.value(2020).observed < 0), res.series.power
        assert res.value(2021).median > 0


def test_hindcast_command_prints_the_table_and_writes_the_chart(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "game.cli", "hindcast", "--scenario", "transatlantic-2017",
                          "--seeds", "20", "--out", str(tmp_path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "china growth vs World Bank WDI NY.GDP.MKTP.KD.ZG (CHN)" in out.stdout
    assert "  2020      2.2%" in out.stdout and "RMSE" in out.stdout
    png = tmp_path / "hindcast-transatlantic-2017.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = subprocess.run([sys.executable, "-m", "game.cli", "hindcast", "--scenario", "present-day-2024",
                          "--out", str(tmp_path)], capture_output=True, text=True)
    assert bad.returncode == 2 and "no history hindcast" in bad.stderr and "Traceback" not in bad.stderr


def test_a_class_replays_to_2020_and_takes_over_from_2021(tmp_path: Path) -> None:
    """`systemic host --scenario transatlantic-2017 --history 2020`: 2018-2020 as they happened,
    the class's own decisions from 2021; the session resumes in the same mode."""
    from game.classroom.commands import _open_session
    from game.classroom.session import ClassSession
    from game.cli import build_parser
    args = build_parser().parse_args(["host", "--scenario", "transatlantic-2017", "--history", "2020",
                                      "--session", str(tmp_path / "s.json"), "--no-window", "--port", "0"])
    session = _open_session(args)
    assert session.game.history_mode == {"until": 2020}
    for _ in range(4):
        session.resolve()
    news = [line for row in session.game.history for line in row["news"]]
    assert "2020: COVID-19 pandemic" in news
    assert not any(line.startswith("2021: COVID-19 waves") for line in news)
    resumed = ClassSession.load(tmp_path / "s.json")
    assert resumed.game.history == session.game.history


def test_present_day_opens_with_the_agreements_in_force(tmp_path: Path) -> None:
    game = Game.new("present-day-2024", seed=1)
    w = game.world
    a, usa, eu = w.agreement_ids.index("data_flows_pact"), w.power_index("usa"), w.power_index("eu")
    assert game.year == 2024 and game.state.agreement[0, a, usa, eu] and game.state.agreement[0, a, eu, usa]
    assert not game.state.agreement[0, a, w.power_index("china")].any()
    path, line = _copy_with(tmp_path, "present-day-2024.yaml", "    powers: [usa, eu]", "    powers: [usa, china]")
    with pytest.raises(RulesError) as info:
        load_scenario(path)
    [problem] = info.value.problems
    assert problem.mark.line == line
    assert "agreement 'data_flows_pact' is not open to china's doctrine 'digital_leninist'" in problem.message


def _copy_with(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, int]:
    """A copy of a shipped scenario with one edit; returns it and the edited line's number."""
    text = (SCENARIOS_DIR / name).read_text(encoding="utf-8")
    at = text.index(old)
    path = tmp_path / name
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return path, text[:at].count("\n") + 1


def test_a_scenario_can_play_another_files_deck_and_errors_point_into_it(tmp_path: Path) -> None:
    """classroom-short plays transatlantic-2017's deck (within its own years: a shorter copy plays
    a shorter history); a deck naming a power not in play is reported at the event in the deck file."""
    game = Game.new("classroom-short", seed=1, history_mode=2019)
    game.play_out()
    assert "2019: Huawei on the US entity list" in _news(game, 2019)
    short, _ = _copy_with(tmp_path, "classroom-short.yaml", "end_year: 2025", "end_year: 2021")
    history = load_scenario(short).spec.history
    assert history is not None and max(e.year for e in history.events) == 2021
    _deck, line = _copy_with(tmp_path, "transatlantic-2017.yaml", "        - {power: eu, target: privacy_trust, add: 6}",
                             "        - {power: europe, target: privacy_trust, add: 6}")
    with pytest.raises(RulesError) as info:
        load_scenario(short)
    [problem] = info.value.problems
    assert problem.mark.file.endswith("transatlantic-2017.yaml") and problem.mark.line == line
    assert "history event 'gdpr_in_force': unknown power 'europe'" in problem.message


def test_sim_says_on_stderr_that_history_mode_is_on(capsys: pytest.CaptureFixture[str]) -> None:
    from game.cli import main
    assert main(["sim", "--scenario", "classroom-short", "--history", "2020", "--seed", "1", "--json"]) == 0
    out = capsys.readouterr()
    assert "history deck plays as it happened up to 2020" in out.err
    assert json.loads(out.out)["history_mode"] == {"until": 2020}
    assert main(["sim", "--scenario", "classroom-short", "--seed", "1", "--json"]) == 0
    assert "history" not in capsys.readouterr().err


# ------------------------------------------------------------------ digital-leninism-2017: the deck without the EU
DL_SEATS = {"china": "planner", "usa": "free_marketeer"}


def test_digital_leninism_plays_the_deck_for_china_and_the_usa() -> None:
    """The flagship two-power scenario plays transatlantic-2017's deck: the events and dilemmas of
    China and the USA in their years; the EU's parts are left out, and an event with nothing left to
    do (GDPR) does not happen."""
    game = Game.new("digital-leninism-2017", DL_SEATS, seed=3, history_mode=True)
    assert game.history_mode == {"until": 2024}
    china = game.world.power_index("china")
    assert game.world.event_ids[game.state.pending[0, china]] == "zte_denial_order"
    game.play_out()
    _in_the_news(game, "2019: Huawei on the US entity list", "2020: COVID-19 pandemic",
                 "2022: The October 2022 chip controls",
                 "2018: USA decided 'Section 301 tariffs on Chinese goods (2018)': Impose the tariffs",
                 "2021: China decided 'The platform crackdown (2021)': Rein in the platforms",
                 "2022: USA decided 'The CHIPS and Science Act (2022)': Subsidise the fabs")
    news = [line for row in game.history for line in row["news"]]
    assert not any("GDPR" in line or "AI Act" in line or "NextGenerationEU" in line for line in news)
    usa = {row["year"]: row["powers"]["usa"]["growth"] for row in game.history}
    assert usa[2020] < 0 < usa[2021]
    # the deck is read from transatlantic-2017, not copied: the same events for the powers in play
    mine = {e.id for e in load_scenario("digital-leninism-2017").spec.history.events}  # type: ignore[union-attr]
    theirs = load_scenario("transatlantic-2017").spec.history.events  # type: ignore[union-attr]
    kept = {e.id for e in theirs if e.power != "eu" and (e.choices or any(f.power != "eu" for f in e.effects))}
    assert mine == kept and "gdpr_in_force" not in kept and "covid_outbreak" in kept


def test_digital_leninism_leaves_history_and_the_random_deck_takes_over() -> None:
    plain = Game.new("digital-leninism-2017", DL_SEATS, seed=4)
    plain.play_out()
    game = Game.new("digital-leninism-2017", DL_SEATS, seed=4, history_mode=True)
    game.advance()
    game.advance()
    assert game.in_history and game.year == 2019
    game.leave_history()
    assert not game.in_history and all(p < 0 for p in game.state.pending[0])  # 2020's dilemmas withdrawn
    game.play_out()
    news = [line for row in game.history for line in row["news"]]
    assert "2019: Huawei on the US entity list" in news
    assert not any(line.startswith(("2020: COVID-19", "2021: Evergrande")) for line in news)
    assert game.history != plain.history  # 2018-2019 were history's


def test_digital_leninism_history_in_sim_and_in_class_with_leaving(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from game.classroom.commands import _open_session
    from game.classroom.session import ClassSession
    from game.cli import build_parser, main
    assert main(["sim", "--scenario", "digital-leninism-2017", "--history", "2020", "--seed", "1", "--json"]) == 0
    out = capsys.readouterr()
    assert "digital-leninism-2017's history deck plays as it happened up to 2020" in out.err
    assert json.loads(out.out)["history_mode"] == {"until": 2020}
    assert main(["sim", "--scenario", "digital-leninism-2017", "--history", "2025", "--seed", "1"]) == 2
    assert "history deck runs 2018-2024" in capsys.readouterr().err
    args = build_parser().parse_args(["host", "--scenario", "digital-leninism-2017", "--history", "2021",
                                      "--session", str(tmp_path / "s.json"), "--no-window", "--port", "0"])
    session = _open_session(args)
    assert session.game.history_mode == {"until": 2021}
    session.resolve()
    # the facilitator leaves history during 2018: 2019 begins as it happened, 2020 is the class's
    assert session.leave_history() == 2019
    for _ in range(3):
        session.resolve()
    news = [line for row in session.game.history for line in row["news"]]
    assert "2018: China decided 'US denial order on ZTE (2018)': Pay and accept the monitors" in news
    assert "2019: Huawei on the US entity list" in news
    assert not any(line.startswith("2020: COVID-19") for line in news)
    assert ClassSession.load(tmp_path / "s.json").game.history == session.game.history


def test_digital_leninism_hindcast_meets_the_world_bank_series() -> None:
    """China's and the USA's series are transatlantic-2017's (read from the deck), and the two-power
    world meets them within the tolerance."""
    h = hindcast.run("digital-leninism-2017", games=48, seed=1)
    checked = [r for r in h.results if r.series.checked]
    assert {r.series.power for r in checked} == {"china", "usa"}
    for res in checked:
        assert res.rmse <= h.tolerance, (res.series.power, res.rmse)
        assert res.value(2020).median < res.value(2019).median < res.value(2021).median


@pytest.mark.parametrize(("old", "new", "where", "message"), [
    ("  absent_powers: [eu]", "  absent_powers: [eus]", "digital-leninism-2017.yaml",
     "history 'absent_powers': 'eus' is not a power of the deck 'transatlantic-2017.yaml' (did you mean 'eu'?)"),
    ("  absent_powers: [eu]", "  absent_powers: [usa, eu]", "digital-leninism-2017.yaml",
     "history 'absent_powers': 'usa' is a power of this scenario"),
    ("  absent_powers: [eu]\n", "", "digital-leninism-2017.yaml",
     "history deck 'transatlantic-2017.yaml' acts on power 'eu', which this scenario does not have; "
     "add it to history 'absent_powers'"),
])
def test_digital_leninism_bad_deck_reference_gets_a_located_error(tmp_path: Path, old: str, new: str, where: str,
                                                                   message: str) -> None:
    path, line = _copy_with(tmp_path, "digital-leninism-2017.yaml", old, new)
    if not new:  # the line removed: the error points at the `deck` line above it
        line -= 1
    out = subprocess.run([sys.executable, "-m", "game.cli", "validate", str(path)], capture_output=True, text=True)
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    located = [row for row in out.stdout.splitlines() if message in row]
    assert located and located[0].startswith(f"{path}:{line}:") and ": error: " in located[0], out.stdout
    assert where in located[0]


def test_a_power_in_no_scenario_is_still_caught_in_the_borrowed_deck(tmp_path: Path) -> None:
    """A typo in the deck (a power in neither scenario) is an error at the event in the deck file,
    even where the deck's absent powers are dropped."""
    _copy_with(tmp_path, "digital-leninism-2017.yaml", "deck: transatlantic-2017.yaml", "deck: transatlantic-2017.yaml")
    _deck, line = _copy_with(tmp_path, "transatlantic-2017.yaml", "        - {power: usa, target: polarisation, add: 0.05}",
                             "        - {power: usaa, target: polarisation, add: 0.05}")
    with pytest.raises(RulesError) as info:
        load_scenario(tmp_path / "digital-leninism-2017.yaml")
    [problem] = info.value.problems
    assert problem.mark.file.endswith("transatlantic-2017.yaml") and problem.mark.line == line
    assert "history event 'us_election_2020': unknown power 'usaa' (did you mean 'usa'?)" in problem.message
