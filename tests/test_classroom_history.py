"""Leaving history from the facilitator console mid-session: the year under way ends as it happened,
the next is the class's own; every page says so; the session file keeps it; bad requests are refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from game.classroom.hub import Hub
from game.classroom.session import ClassSession
from tests.conftest import FakeClock
from tests.test_classroom import errors, joined, send

LEFT = "The class leaves history"


def history_session(tmp_path: Path | None, mode: bool | int = True, name: str = "s.json") -> ClassSession:
    s = ClassSession.create("classroom-short", seed=4, path=(tmp_path / name) if tmp_path else None,
                            turn_seconds=600, clock=FakeClock(), history_mode=mode)
    s.start()
    s.save()  # as `systemic host` does
    return s


def dilemma_names(s: ClassSession) -> list[str]:
    events = s.game.scenario.rules.events
    return [events[e].name for e in s.game.state.pending[0] if e >= 0]


def news_lines(s: ClassSession) -> list[str]:
    return [line for row in s.game.history for line in row["news"]]


def test_leaving_history_ends_this_year_as_it_happened_and_the_next_is_the_classs(tmp_path: Path) -> None:
    hub = Hub(history_session(tmp_path))
    s = hub.session
    fac = joined(hub, s.facilitator_code)
    china = joined(hub, s.teams["china"].code)
    s.resolve()
    s.resolve()
    assert s.game.year == 2019 and "Health-code apps (2020)" in dilemma_names(s)
    answered = {"answers": {"health_codes": "paper_passes"}}
    assert not errors(send(hub, china, type="draft", orders=answered))
    assert hub.view_for(fac)["public"]["history"] == {"own_from": 2024, "left": False, "can_leave": True}

    out = send(hub, fac, type="control", action="leave_history", seq=7)
    reply = next(m for c, m in out if c == fac and m["type"] == "ok")
    assert reply["message"] == "History ends with this year: from 2020 the years are the class's own"
    # every page gets a fresh view: the projector's and the team's news carry the line
    team_view = next(m for c, m in out if c == china)
    assert any(line.startswith(f"2019: {LEFT}: this year ends and 2020 begins as it happened")
               for line in team_view["public"]["news"])
    assert team_view["public"]["history"] == {"own_from": 2020, "left": True, "can_leave": False}
    # the year under way is untouched: its history dilemma and the team's answer stand
    assert "Health-code apps (2020)" in dilemma_names(s)
    assert s.drafts["china"]["answers"] == {"health_codes": "paper_passes"}
    assert not errors(send(hub, china, type="submit"))
    s.resolve()
    assert "2020: COVID-19 pandemic" in news_lines(s)  # 2020 began as it happened
    assert s.game.orders_log[-1]["china"]["answers"] == {"health_codes": "paper_passes"}
    # from 2020 on the ordinary deck: no history dilemma, no history event
    assert s.game.year == 2020 and not any("(20" in name for name in dilemma_names(s))
    s.resolve()
    assert not any(line.startswith(("2021: COVID-19 waves", "2021: Didi")) for line in news_lines(s))


def test_leaving_during_a_year_plays_the_game_history_until_next_year_plays(tmp_path: Path) -> None:
    """Leave during 2019 = a session started with `--history 2020`, year for year."""
    left = history_session(tmp_path)
    started = history_session(tmp_path, 2020, "other.json")
    for _ in range(2):
        left.resolve()
        started.resolve()
    left.leave_history()
    for _ in range(4):
        left.resolve()
        started.resolve()
    assert left.game.history == started.game.history
    assert left.game.result() == started.game.result()


def test_a_resumed_host_keeps_the_class_out_of_history(tmp_path: Path) -> None:
    hub = Hub(history_session(tmp_path))
    s = hub.session
    fac = joined(hub, s.facilitator_code)
    s.resolve()
    send(hub, fac, type="control", action="inject", power="usa", event="foreign_bid")
    assert not errors(send(hub, fac, type="control", action="leave_history"))
    saved = json.loads((tmp_path / "s.json").read_text())
    assert saved["game"]["history_mode"] == {"until": 2024, "left_at": 1, "left_until": 2019}
    again = ClassSession.load(tmp_path / "s.json", clock=FakeClock())
    assert again.game.history_mode == s.game.history_mode and again.own_from() == 2019
    assert again.game.state.pending.tolist() == s.game.state.pending.tolist()
    resumed = Hub(again)
    view = resumed.view_for(joined(resumed, again.facilitator_code))
    assert any(LEFT in line for line in view["public"]["news"]) and view["public"]["history"]["left"]
    for session in (s, again):
        for _ in range(3):
            session.resolve()
    assert again.game.history == s.game.history
    # and once more from the file the resumed host wrote, years after the leaving
    third = ClassSession.load(tmp_path / "s.json", clock=FakeClock())
    assert third.game.history == s.game.history


def refused(hub: Hub, conn: str, **msg: Any) -> str:
    before = (dict(hub.session.game.history_mode), list(hub.session.news))
    found = errors(send(hub, conn, type="control", **msg))
    assert len(found) == 1, found
    assert (hub.session.game.history_mode, hub.session.news) == before  # a refusal changes nothing
    return found[0]


def test_leaving_is_refused_with_a_reason_when_there_is_no_history_to_leave(tmp_path: Path) -> None:
    plain = Hub(history_session(None, False))
    fac = joined(plain, plain.session.facilitator_code)
    assert "does not play history" in refused(plain, fac, action="leave_history")
    assert "--history" in refused(plain, fac, action="leave_history")

    hub = Hub(history_session(tmp_path, 2021))
    s = hub.session
    fac = joined(hub, s.facilitator_code)
    china = joined(hub, s.teams["china"].code)
    assert "only the facilitator" in errors(send(hub, china, type="control", action="leave_history"))[0]
    for _ in range(3):
        s.resolve()
    assert s.game.year == 2020
    assert refused(hub, fac, action="leave_history") == (
        "history already ends with this year: from 2021 the years are the class's own")
    s.resolve()
    assert refused(hub, fac, action="leave_history") == (
        "history has already ended: the years since 2021 are the class's own")
    send(hub, fac, type="control", action="end")
    assert refused(hub, fac, action="leave_history") == "the session has ended"


def test_malformed_leave_requests_are_refused_and_the_host_carries_on(tmp_path: Path) -> None:
    hub = Hub(history_session(tmp_path))
    s = hub.session
    fac = joined(hub, s.facilitator_code)
    saved = (tmp_path / "s.json").read_bytes()
    assert "'action' must be text" in refused(hub, fac, action=["leave_history"])
    assert "unknown action 'leave history'" in refused(hub, fac, action="leave history")
    for raw in ('{"type": "control", "action": "leave_history", "year": NaN}',
                '{"type": "control", "action": "leave_history"',
                '{"type": "control", "action": "leave_history", "x": ' + "[" * 200 + "]" * 200 + "}"):
        assert errors(hub.handle(fac, raw)), raw
    assert (tmp_path / "s.json").read_bytes() == saved and s.game.history_mode == {"until": 2024}
    assert send(hub, fac, type="ping", seq=1) == [(fac, {"type": "pong", "seq": 1})]
    # an unknown extra field is ignored: the leave itself goes through
    assert not errors(send(hub, fac, type="control", action="leave_history", year=1900))
    assert s.game.history_mode["left_until"] == 2018


def test_the_projector_leaves_history_with_h_once_confirmed_and_says_why_not_without() -> None:
    import pygame

    from game.classroom.server import Background, Server
    from game.ui.projector import Projector, _history_words
    for mode in (True, False):
        hub = Hub(history_session(None, mode))
        with Background(Server(hub, "127.0.0.1", 0)) as server:
            pygame.init()
            try:
                screen = pygame.display.set_mode((1280, 720))
                view = Projector(server, (1280, 720))
                view.draw(screen)
                view.key(pygame.K_h)
                if mode:
                    assert view.confirm is not None and not view.pending  # nothing sent before confirming
                    view.key(pygame.K_ESCAPE)
                    assert view.confirm is None and hub.session.game.history_mode == {"until": 2024}
                    assert "takes over in 2024" in _history_words(view.draw(screen))
                    view.key(pygame.K_h)
                    view.key(pygame.K_RETURN)
                for _, future in view.pending:
                    future.result(10)
                view.update(0.1)
                if mode:
                    assert hub.session.game.history_mode == {"until": 2024, "left_at": 0, "left_until": 2018}
                    assert view.note == "History ends with this year: from 2018 the years are the class's own"
                    assert _history_words(view.draw(screen)).endswith("the class takes over in 2018")
                else:
                    assert view.note_bad and "does not play history" in view.note
            finally:
                pygame.quit()


def test_the_host_banner_says_history_is_on_and_how_to_leave_it() -> None:
    from game.classroom.commands import _banner
    s = history_session(None, 2020)
    assert "the years play as they happened until the class takes over in 2020" in _banner(s, "http://x/")
    assert "History card" in _banner(s, "http://x/")
    assert "histor" not in _banner(history_session(None, False), "http://x/").lower()


def test_a_session_file_with_an_impossible_leaving_is_refused_in_one_line(tmp_path: Path) -> None:
    import pytest

    from game.match import SaveError
    s = history_session(tmp_path)
    s.resolve()
    s.leave_history()
    data = json.loads((tmp_path / "s.json").read_text())
    for bad in (2050, 2017, "soon"):
        data["game"]["history_mode"]["left_until"] = bad
        (tmp_path / "bad.json").write_text(json.dumps(data))
        with pytest.raises(SaveError, match="corrupt") as err:
            ClassSession.load(tmp_path / "bad.json", clock=FakeClock())
        assert "\n" not in str(err.value)
