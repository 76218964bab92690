"""Classroom session and protocol: codes, orders, refusals, region offers, facilitator, saves, debrief."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.classroom.debrief import write_debrief
from game.classroom.hub import MAX_MESSAGE, Hub
from game.classroom.regions import apply_region_decisions
from game.classroom.session import ClassSession
from tests.conftest import FakeClock


def fresh(tmp_path: Path | None = None, clock: FakeClock | None = None, **kw: Any) -> ClassSession:
    """A started session of the short scenario on a fake clock (move it with `s.clock.advance`)."""
    s = ClassSession.create("classroom-short", seed=2, path=(tmp_path / "s.json") if tmp_path else None,
                            turn_seconds=600, clock=clock or FakeClock(), **kw)
    s.start()
    return s


def joined(hub: Hub, code: str, device: str = "d") -> str:
    conn = hub.connect()
    out = hub.handle(conn, json.dumps({"type": "join", "code": code, "device": device}))
    assert out[0][1]["type"] in ("team", "facilitator"), out
    return conn


def send(hub: Hub, sender: str, **msg: Any) -> list[tuple[str, dict[str, Any]]]:
    return hub.handle(sender, json.dumps(msg))


def errors(out: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [m["message"] for _, m in out if m["type"] == "error"]


def test_codes_are_short_distinct_and_cover_powers_and_playable_regions() -> None:
    s = fresh()
    assert set(s.teams) == {"china", "usa", "eu", "asean", "africa", "latin_america", "middle_east"}
    codes = [t.code for t in s.teams.values()] + [s.facilitator_code]
    assert len(set(codes)) == len(codes) and all(len(c) >= 6 for c in codes)
    assert s.team_of_code(s.teams["eu"].code.lower()) == "eu"
    assert s.team_of_code("NOPE42") is None


def test_refusals_are_clear_and_change_nothing(caplog: pytest.LogCaptureFixture) -> None:
    hub = Hub(fresh())
    s = hub.session
    stranger = hub.connect()
    assert "unknown code" in errors(send(hub, stranger, type="join", code="ZZZZZZ"))[0]
    assert "join" in errors(send(hub, stranger, type="submit"))[0]
    assert "too large" in errors(hub.handle(stranger, "x" * (MAX_MESSAGE + 1)))[0]
    assert "JSON" in errors(hub.handle(stranger, "{nope"))[0]
    china = joined(hub, s.teams["china"].code)
    assert "cannot give orders for 'usa'" in errors(send(hub, china, type="draft", team="usa", orders={}))[0]
    assert "only the facilitator" in errors(send(hub, china, type="control", action="pause"))[0]
    # a draft that cannot be read is refused at once, and the team's draft stays as it was
    assert "must be between 0 and 1" in errors(send(hub, china, type="draft", orders={"budget": {"ai_research": 3}}))[0]
    assert "china" not in s.drafts
    send(hub, china, type="draft", orders={"budget": {"ai_research": 0.3}})
    assert not errors(send(hub, china, type="submit"))
    assert "already submitted" in errors(send(hub, china, type="submit"))[0]
    assert "already submitted" in errors(send(hub, china, type="draft", orders={}))[0]
    usa = joined(hub, s.teams["usa"].code)
    s.deadline = 0.0  # time is up
    assert "too late" in errors(send(hub, usa, type="submit"))[0]
    assert s.submitted["china"]["budget"] == {"ai_research": 0.3}
    assert "refused" in caplog.text


def test_orders_claiming_another_power_are_rewritten_to_the_sender() -> None:
    hub = Hub(fresh())
    china = joined(hub, hub.session.teams["china"].code)
    send(hub, china, type="draft", orders={"power": "usa", "budget": {"social_credit": 0.2}})
    assert hub.session.drafts["china"]["power"] == "china" and "usa" not in hub.session.drafts


def test_a_team_view_holds_no_other_team_draft() -> None:
    hub = Hub(fresh())
    s = hub.session
    china, usa = joined(hub, s.teams["china"].code), joined(hub, s.teams["usa"].code)
    out = send(hub, china, type="draft", orders={"budget": {"social_credit": 0.123}})
    assert all(conn != usa for conn, _ in out)
    assert "0.123" not in json.dumps(hub.view_for(usa))


def test_region_decisions_move_ties_standards_and_lean() -> None:
    s = fresh()
    w, st_ = s.game.world, s.game.state
    r, p = w.region_ids.index("africa"), w.power_index("eu")
    after = apply_region_decisions(st_, {"africa": {"eu": {"infrastructure": True, "standards": True, "data": True}}})
    assert after.ties[0, r, p] > st_.ties[0, r, p]
    assert after.adoption[0, r, p] > st_.adoption[0, r, p]
    assert after.alignment[0, r, p] > st_.alignment[0, r, p]
    assert after.alignment[0, r].sum() == pytest.approx(st_.alignment[0, r].sum(), abs=1e-5)
    rejected = apply_region_decisions(st_, {"africa": {"eu": {"data": False, "standards": False}}})
    assert rejected.alignment[0, r, p] < st_.alignment[0, r, p]
    assert rejected.adoption[0, r, p] < st_.adoption[0, r, p]


def test_a_year_resolves_when_all_submit_with_absent_and_ai_teams(tmp_path: Path) -> None:
    hub = Hub(fresh(tmp_path, teams=["china", "usa", "asean"]))
    s = hub.session
    fac = joined(hub, s.facilitator_code)
    asean = joined(hub, s.teams["asean"].code)
    china = joined(hub, s.teams["china"].code)
    assert not errors(send(hub, fac, type="control", action="takeover", team="usa", persona="planner"))
    assert not errors(send(hub, asean, type="draft", orders={"china": {"data": True}, "usa": {"standards": False}}))
    assert not errors(send(hub, asean, type="submit"))
    assert not hub.tick()
    send(hub, china, type="submit")
    out = hub.tick()
    assert {m["type"] for _, m in out} >= {"team", "facilitator"}
    assert s.game.year == 2018 and s.turn_log[0]["regions"]["asean"]["china"] == {"data": True}
    view = next(m for c, m in out if c == china)
    assert view["report"]["year"] == 2017
    assert "2018: ASEAN: accepts China's data offer" in view["public"]["news"]
    assert "2018: ASEAN: turns down USA's standards offer" in view["public"]["news"]


def test_facilitator_steers_timer_news_events_and_devices(tmp_path: Path) -> None:
    hub = Hub(fresh(tmp_path))
    s = hub.session
    fac = joined(hub, s.facilitator_code)
    usa = joined(hub, s.teams["usa"].code, "tablet")
    send(hub, fac, type="control", action="pause")
    left = s.time_left()
    assert s.paused and s.time_left() == left
    send(hub, fac, type="control", action="time", seconds=60)
    assert s.time_left() == pytest.approx(left + 60, abs=1)
    send(hub, fac, type="control", action="resume")
    send(hub, fac, type="control", action="news", text="Huawei wins the Brazil contract")
    assert any("Huawei" in n for n in hub.view_for(usa)["public"]["news"])
    assert not errors(send(hub, fac, type="control", action="inject", power="usa", event="foreign_bid"))
    assert hub.view_for(usa)["card"]["dilemma"]["id"] == "foreign_bid"
    assert "unknown action" in errors(send(hub, fac, type="control", action="explode"))[0]
    send(hub, fac, type="control", action="move", conn=usa, team="eu")
    assert hub.view_for(usa)["team"] == "eu"
    out = send(hub, fac, type="control", action="export")
    path = Path(next(m for _, m in out if m.get("path"))["path"])
    assert path.exists() and "Questions for discussion" in path.read_text()
    for team in s.teams:
        if s.teams[team].kind == "power":
            send(hub, fac, type="control", action="takeover", team=team, persona="planner")
    assert not s.due()  # every power on AI and no region has submitted: the clock decides
    send(hub, fac, type="control", action="end")
    assert s.ended and not s.due()


def test_resume_restores_submissions_drafts_injections_and_history(tmp_path: Path) -> None:
    hub = Hub(fresh(tmp_path))
    s = hub.session
    fac = joined(hub, s.facilitator_code)
    for team in s.teams:
        conn = joined(hub, s.teams[team].code)
        if s.teams[team].kind == "region":
            send(hub, conn, type="draft", orders={"china": {"standards": True}})
        send(hub, conn, type="submit")
    hub.tick()
    send(hub, fac, type="control", action="inject", power="eu", event="foreign_bid")
    eu = joined(hub, s.teams["eu"].code)
    send(hub, eu, type="draft", orders={"budget": {"antitrust": 0.4}})
    send(hub, eu, type="submit")
    again = ClassSession.load(tmp_path / "s.json")
    assert again.game.year == s.game.year == 2018
    assert again.submitted == s.submitted and again.game.history == s.game.history
    assert again.game.state.pending.tolist() == s.game.state.pending.tolist()
    assert again.teams["eu"].code == s.teams["eu"].code


def test_debrief_is_self_contained_with_csv_and_role_cards(tmp_path: Path) -> None:
    s = fresh(tmp_path, teams=["china", "usa", "eu", "africa"])
    while not s.game.over:
        s.submitted["africa"] = {"decisions": {"usa": {"infrastructure": True}}}
        s.resolve()
    html = write_debrief(s.to_save(), tmp_path / "out", game=s.game).read_text()
    assert "<svg" in html and "<script" not in html and "<link" not in html and "src=" not in html
    for theme in ("Planning vs markets", "Privacy vs data power", "Infant industries", "Standards", "Stability"):
        assert theme in html
    assert "infrastructure accepted" in html
    from game.engine.par import par_stability  # the scores' parts name the pars they were measured against
    pars = par_stability(s.game.world, s.game.state.turn)
    assert all(f"against its par {pars[p]:.0f}" in html for p in range(s.game.world.n_powers))
    assert "0.50 is par" in html
    rows = (tmp_path / "out" / "indicators.csv").read_text().splitlines()
    assert rows[0].startswith("year,power,gdp") and len(rows) == 1 + 3 * len(s.game.history)
    assert "Africa" in (tmp_path / "out" / "role-cards.html").read_text()
    # legitimacy is charted for the party-state only, approval for the democracies only
    charts = {m.group(1): m.group(2) for m in re.finditer(r'aria-label="([^"]+)">(.*?)</svg>', html)}
    lines = {k: v.count("<polyline") for k, v in charts.items()}
    assert lines["Legitimacy"] == 1 and lines["Approval"] == 2 and lines["Stability"] == 3


def test_debrief_command_reads_a_session_file(tmp_path: Path) -> None:
    from game.cli import main
    s = fresh(tmp_path)
    s.resolve()
    assert main(["debrief", str(tmp_path / "s.json"), "--out", str(tmp_path / "d")]) == 0
    assert (tmp_path / "d" / "debrief.html").exists()
    assert main(["debrief", str(tmp_path / "missing.json"), "--out", str(tmp_path / "d")]) == 1


def test_projector_draws_and_its_buttons_steer_the_session() -> None:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from game.classroom.server import Background, Server
    from game.ui.projector import Projector, run_projector
    hub = Hub(fresh())
    with Background(Server(hub, "127.0.0.1", 0)) as server:
        run_projector(server, frames=3)
        pygame.init()
        try:
            screen = pygame.display.set_mode((1280, 720))
            view = Projector(server, (1280, 720))
            shown = view.draw(screen)
            assert shown["year"] == 2017 and screen.get_at((5, 5))[:3] != (0, 0, 0)
            view.press("pause")  # the server's reply is the steer's future: waited on, not slept for
            for _, future in view.pending:
                future.result(10)
            assert hub.session.started and hub.session.paused
        finally:
            pygame.quit()


MESSAGES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12)
TYPED = st.fixed_dictionaries({"type": st.sampled_from(["join", "draft", "submit", "control", "ping", "x"])},
                              optional={"orders": MESSAGES, "code": st.text(max_size=10), "action": st.sampled_from(
                                  ["pause", "resume", "time", "inject", "news", "takeover", "handback", "move",
                                   "absent", "leave_history", "nope"]), "seconds": MESSAGES, "team": MESSAGES, "power": MESSAGES,
                                        "event": MESSAGES, "text": MESSAGES, "persona": MESSAGES, "seq": MESSAGES})


NUMBERS = st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "9" * 400, "1" + "0" * 40,
                           "0.5", "1e-999", "[" * 2000 + "]" * 2000, "[" * 9 + "1" + "]" * 9])
RAW = st.one_of(  # the texts a curious student types into the console: numbers JSON or floats cannot hold
    NUMBERS.map(lambda n: '{"type":"draft","orders":{"budget":{"ai_research":N}},"seq":1}'.replace("N", n)),
    NUMBERS.map(lambda n: '{"type":"control","action":"time","seconds":N}'.replace("N", n)),
    NUMBERS.map(lambda n: '{"type":"join","code":N,"device":"x"}'.replace("N", n)),
    NUMBERS, st.integers(1, 3000).map(lambda d: "[" * d + "]" * d),
    st.integers(1, 3000).map(lambda d: '{"a":' * d + "1" + "}" * d))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(TYPED.map(json.dumps), MESSAGES.map(json.dumps), RAW, st.text(max_size=40),
                          st.binary(max_size=40)), min_size=1, max_size=8),
       st.sampled_from(["china", "asean", "fac", "stranger"]))
@pytest.mark.slow
def test_fuzz_every_message_is_answered_in_strict_json_and_the_host_keeps_serving(
        messages: list[Any], who: str) -> None:
    hub = Hub(fresh())
    s = hub.session
    conn = hub.connect("10.0.0.9") if who == "stranger" else joined(
        hub, s.facilitator_code if who == "fac" else s.teams[who].code)
    other = joined(hub, s.teams["eu"].code)
    for raw in messages:
        out = hub.handle(conn, raw)
        assert any(c == conn for c, _ in out), f"no answer to {raw!r:.80}"
        assert all(isinstance(m, dict) and "type" in m for _, m in out)
        json.dumps([m for _, m in out], allow_nan=False)  # raises on NaN or Infinity: browsers can't read them
        assert all("could not handle" not in m.get("message", "") for _, m in out), out  # no bug of ours hit
        assert conn in hub.conns  # the connection stays open
    # the server still serves everyone else, and the session still saves as strict JSON
    assert send(hub, other, type="ping", seq=1) == [(other, {"type": "pong", "seq": 1})]
    assert not errors(send(hub, other, type="draft", orders={"budget": {"ai_research": 0.1}}))
    json.dumps(s.to_save(), allow_nan=False)


# ------------------------------------------------------------------ what the teacher found
def host_args(tmp_path: Path, *extra: str) -> Any:
    from game.cli import build_parser
    return build_parser().parse_args(["host", "--session", str(tmp_path / "s.json"), "--no-window",
                                      "--port", "0", *extra])


def test_host_refuses_to_overwrite_a_session_in_progress(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from game.cli import main
    s = fresh(tmp_path)
    for _ in range(3):
        s.resolve()
    before = (tmp_path / "s.json").read_text()
    assert main(["host", "--session", str(tmp_path / "s.json"), "--no-window", "--port", "0"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "3 years played" in err and "--resume" in err and "--new" in err
    assert (tmp_path / "s.json").read_text() == before


def test_host_new_keeps_a_backup_and_an_ended_session_is_kept_aside(tmp_path: Path) -> None:
    from game.classroom.commands import _open_session
    s = fresh(tmp_path)
    s.resolve()
    old = (tmp_path / "s.json").read_text()
    new = _open_session(host_args(tmp_path, "--new"))
    assert new.game.state.turn == 0 and new.facilitator_code != s.facilitator_code
    backups = [p for p in tmp_path.glob("s-*.json")]
    assert len(backups) == 1 and backups[0].read_text() == old
    new.ended = True
    new.save()
    again = _open_session(host_args(tmp_path))  # an ended lesson does not block the next one
    assert again.facilitator_code != new.facilitator_code and len(list(tmp_path.glob("s-*.json"))) == 2


def test_host_resume_says_what_it_ignores_and_refuses_an_ended_session(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from game.classroom.commands import _open_session
    from game.command import CliError
    s = fresh(tmp_path)
    s.resolve()
    resumed = _open_session(host_args(tmp_path, "--resume", "--scenario", "digital-leninism-2017"))
    assert resumed.game.scenario.spec.id == "classroom-short"
    assert "ignored: --scenario digital-leninism-2017" in capsys.readouterr().out
    assert list(resumed.teams) == list(s.teams)  # the scenario's order, not the save's sorted keys
    s.ended = True
    s.save()
    with pytest.raises(CliError, match=r"has ended.*systemic debrief"):
        _open_session(host_args(tmp_path, "--resume"))


@pytest.mark.parametrize(("option", "message"), [("--port=99999", "port must be 0-65535"),
                                                  ("--turn-seconds=-10", "must be 30-3600 seconds"),
                                                  ("--turn-seconds=0", "must be 30-3600 seconds")])
def test_host_refuses_bad_numbers_in_one_line(option: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    from game.cli import main
    with pytest.raises(SystemExit) as exit_:
        main(["host", "--no-window", option])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and message in err and "Traceback" not in err


def test_host_help_shows_the_default_port(capsys: pytest.CaptureFixture[str]) -> None:
    from game.cli import main
    with pytest.raises(SystemExit):
        main(["host", "--help"])
    assert "default: 8765" in capsys.readouterr().out


def test_debrief_speaks_the_rules_names_and_rounds_numbers(tmp_path: Path) -> None:
    s = fresh(tmp_path, teams=["china", "usa"])
    s.takeover["usa"] = "free_marketeer"
    s.resolve()
    s.resolve()
    html = write_debrief(s.to_save(), tmp_path / "out", game=s.game).read_text()
    assert "acquisition_screening" not in html and "credit_stance" not in html and "<td>china</td>" not in html
    assert "Acquisition screening: " in html and "<td>China</td>" in html
    assert "AI took over (Free marketeer)" in html  # the facilitator's choice, not "absent"
    assert "AI seat (Status quo)" in html  # the EU, which no team played
    assert not re.search(r"<td>\d+\.\d{3}</td>", html)  # scores with one decimal
    for line in (tmp_path / "out" / "indicators.csv").read_text().splitlines()[1:]:
        for cell in line.split(",")[2:]:
            digits = cell.lstrip("-").replace(".", "").lstrip("0")
            assert len(digits) <= 6, line  # no float32 noise such as 19.610001


def test_ending_before_any_year_names_no_winner_and_charts_nothing(tmp_path: Path) -> None:
    from game.classroom.views import public_view
    hub = Hub(fresh(tmp_path))
    fac = joined(hub, hub.session.facilitator_code)
    out = send(hub, fac, type="control", action="end")
    assert "no winner" in out[0][1]["message"]
    result = public_view(hub.session)["result"]
    assert result["winner"] is None and "before any year was played" in result["verdict"]
    html = write_debrief(hub.session.to_save(), tmp_path / "out", game=hub.session.game).read_text()
    assert "<svg" not in html and "winner:" not in html and "before any year was played" in html


def test_team_page_values_carry_their_units(tmp_path: Path) -> None:
    from game.classroom.views import report_view, team_view
    s = fresh(tmp_path)
    s.resolve()
    shown = {i["id"]: i["text"] for i in team_view(s, "china")["card"]["indicators"]}
    assert shown["protest"].endswith("%") and shown["standards_share"].endswith("%")
    assert shown["stability"].endswith("/100") and shown["champions"].endswith(" firms")
    assert shown["gdp"].startswith("$") and shown["gdp"].endswith(" tn")
    growth = report_view(s)["powers"]["china"]["growth"]  # type: ignore[index]
    assert growth["change"].endswith(" pp") and growth["text"].endswith("%")


def test_facilitator_actions_are_confirmed_and_errors_use_names(tmp_path: Path) -> None:
    hub = Hub(fresh(tmp_path))
    s = hub.session
    fac = joined(hub, s.facilitator_code)
    ok = send(hub, fac, type="control", action="inject", power="usa", event="foreign_bid")[0][1]
    assert ok["type"] == "ok" and "injected for USA" in ok["message"]
    wrong = errors(send(hub, fac, type="control", action="inject", power="usa", event="party_congress_targets"))
    assert wrong and "party_congress_targets" not in wrong[0] and "USA (Liberal democracy)" in wrong[0]
    china = joined(hub, s.teams["china"].code)
    send(hub, china, type="submit")
    late = errors(send(hub, fac, type="control", action="inject", power="china", event="foreign_bid"))
    assert late[0].startswith("China has already submitted")
    view = hub.view_for(fac)
    assert view["persona_names"]["status_quo"] == "Status quo"


def test_time_up_resolves_the_year_at_once(tmp_path: Path) -> None:
    hub = Hub(fresh(tmp_path))
    fac = joined(hub, hub.session.facilitator_code)
    send(hub, fac, type="control", action="pause")
    send(hub, fac, type="control", action="timeup")
    hub.tick()
    assert hub.session.game.year == 2018


def test_role_cards_differ_per_power_and_say_where_to_join(tmp_path: Path) -> None:
    from game.classroom.debrief import role_cards_html
    s = fresh(tmp_path)
    html = role_cards_html(s.game, None, "http://192.168.1.20:8765/")
    cards = {m.group(1): m.group(2) for m in re.finditer(r"<div class=card><h2>([^<]+)</h2>(.*?)</div>", html)}
    assert cards["USA"] != cards["European Union"].replace("European Union", "USA")
    assert "Elections in 2020" in cards["USA"] and "Elections in 2019" in cards["European Union"]
    assert html.count("Join at:</b> http://192.168.1.20:8765/") == len(cards)
    assert "Join at:</b> ____" in role_cards_html(s.game)


def test_favicon_is_answered_without_a_404(tmp_path: Path) -> None:
    import urllib.request

    from game.classroom.server import Background, Server
    with Background(Server(Hub(fresh(tmp_path)), "127.0.0.1", 0)) as server, \
            urllib.request.urlopen(f"http://127.0.0.1:{server.port}/favicon.ico", timeout=10) as resp:
        assert resp.status == 204


def test_classroom_numbers_are_the_desktop_dashboards() -> None:
    """The web pages format with game/wording.py, the desktop with game/ui/tips.py: the same
    value must read the same in both, for every indicator the rules declare."""
    from game.ui import tips
    from game.wording import Names
    w = fresh().game.world
    names = Names(w)
    for ind in w.scenario.rules.indicators:
        for x in (0.0, 0.0023, 0.0691, 0.5, 13.8512, 91.71, -0.013):
            assert names.value(ind.id, x) == tips.fmt(w, ind.id, x), ind.id
            assert names.change(ind.id, x) == tips.fmt_change(w, ind.id, x), ind.id


def test_debrief_events_in_order_region_lines_unlabelled_and_progress_said(tmp_path: Path) -> None:
    hub = Hub(fresh(tmp_path, teams=["china", "usa", "asean"]))
    s = hub.session
    fac, asean = joined(hub, s.facilitator_code), joined(hub, s.teams["asean"].code)
    s.url = "http://192.168.1.20:8765/"
    for year in range(3):
        send(hub, fac, type="control", action="news", text=f"Teacher's line {year}")
        send(hub, asean, type="draft", orders={"china": {"data": True}})
        send(hub, asean, type="submit")
        s.resolve()
    html = write_debrief(s.to_save(), tmp_path / "out", game=s.game).read_text()
    events = re.findall(r"<li>(\d{4}): ([^<]*)</li>", html)
    years = [int(y) for y, _ in events]
    assert years == sorted(years) and len(set(years)) > 1
    assert all("(facilitator)" not in text for _, text in events if "ASEAN" in text)
    assert all("(facilitator)" in text for _, text in events if "Teacher's line" in text)
    assert "still in progress: 3 of" in html and "was ended after" not in html
    s.ended = True
    assert "was ended after 3 of" in write_debrief(s.to_save(), tmp_path / "o2", game=s.game).read_text()


def test_debrief_from_the_command_line_fills_join_at_and_words_a_corrupt_save_as_replay_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from game.cli import main
    s = fresh(tmp_path)
    s.url = "http://192.168.1.20:8765/"
    s.resolve()
    assert main(["debrief", str(tmp_path / "s.json"), "--out", str(tmp_path / "d")]) == 0
    assert "Join at:</b> http://192.168.1.20:8765/" in (tmp_path / "d" / "role-cards.html").read_text()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "systemic-save", "version": 1, "scenario": "classroom-short", "seats": {')
    capsys.readouterr()
    assert main(["replay", str(bad)]) == 1
    said_by_replay = capsys.readouterr().err
    assert main(["debrief", str(bad), "--out", str(tmp_path / "e")]) == 1
    assert capsys.readouterr().err == said_by_replay
