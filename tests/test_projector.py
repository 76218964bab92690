"""The projector window's facilitator console, headless: real mouse and keyboard events into the
window's own frame loop, with a live classroom server in its thread."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pygame
import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from game.classroom.hub import Hub
from game.classroom.server import Background, Server
from game.classroom.session import ClassSession
from game.classroom.views import public_view, team_view
from game.ui.projector import Projector, ProjectorWindow


@pytest.fixture()
def live(tmp_path: Path) -> Iterator[tuple[ProjectorWindow, Hub]]:
    session = ClassSession.create("classroom-short", seed=2, path=tmp_path / "session.json", turn_seconds=600)
    hub = Hub(session)
    with Background(Server(hub, "127.0.0.1", 0)) as server:
        window = ProjectorWindow(server, (1280, 720))
        try:
            frames(window, 2)
            yield window, hub
        finally:
            window.close()


def frames(window: ProjectorWindow, n: int = 2) -> None:
    for _ in range(n):
        window.step(0.05)


def settle(window: ProjectorWindow) -> None:
    """Frames until every action sent to the server has its reply."""
    for _ in range(200):
        window.step(0.05)
        if not window.view.pending:
            break
        time.sleep(0.01)
    frames(window, 2)


def widget(window: ProjectorWindow, ident: str) -> Any:
    for element in window.view.manager.get_sprite_group().sprites():
        if element.get_object_ids()[-1] == ident:
            return element
    raise AssertionError(f"no widget {ident} on the projector")


def click(window: ProjectorWindow, element: Any) -> None:
    pos = element.get_abs_rect().center
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False))
    frames(window, 3)
    settle(window)


def key(window: ProjectorWindow, k: int, text: str = "") -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=text, scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=k, mod=0, unicode=text, scancode=0))
    frames(window, 2)
    settle(window)


def pick(window: ProjectorWindow, menu: str, option: str) -> None:
    """Open a dropdown with the mouse and click one of its options."""
    click(window, widget(window, menu))
    for element in window.view.manager.get_sprite_group().sprites():
        ids = element.get_object_ids()
        if ids[0] == menu and ids[-1] == option and "#drop_down_options_list" in ids:
            click(window, element)
            frames(window, 3)  # the menu reports its change a few frames after the click
            assert widget(window, menu).selected_option[1] == option
            return
    raise AssertionError(f"no option {option} in {menu}")


def test_pause_stops_the_countdown_and_space_resumes_it(live: tuple[ProjectorWindow, Hub]) -> None:
    window, hub = live
    s = hub.session
    click(window, widget(window, "#bar_pause"))
    assert s.paused
    left = s.time_left()
    time.sleep(0.3)
    frames(window, 2)
    assert s.time_left() == left and window.view.view["paused"]
    assert widget(window, "#bar_pause").text == "Resume [Space]"
    key(window, pygame.K_SPACE)
    assert not s.paused
    time.sleep(0.2)
    assert s.time_left() < left


def test_plus_and_minus_one_minute(live: tuple[ProjectorWindow, Hub]) -> None:
    window, hub = live
    s = hub.session
    before = s.time_left()
    click(window, widget(window, "#bar_plus"))
    assert s.time_left() == pytest.approx(before + 60, abs=2)
    key(window, pygame.K_MINUS)
    key(window, pygame.K_MINUS)
    assert s.time_left() == pytest.approx(before - 60, abs=2)


def test_ai_takes_over_a_team_with_the_persona_chosen_and_hands_it_back(live: tuple[ProjectorWindow, Hub]) -> None:
    window, hub = live
    s = hub.session
    key(window, pygame.K_TAB)  # opens the console
    assert window.view.console
    pick(window, "#persona_usa", "planner")
    click(window, widget(window, "#ai_usa"))
    assert s.takeover == {"usa": "planner"}
    assert public_view(s)["teams"]["usa"]["ai"] == "planner"
    assert widget(window, "#ai_usa").text == "Hand back [2]"  # the console rebuilt for the new state
    key(window, pygame.K_2)
    assert s.takeover == {}
    key(window, pygame.K_1)  # China by its number key, with the default persona
    assert s.takeover == {"china": "status_quo"}


def test_custom_news_line_reaches_the_public_news(live: tuple[ProjectorWindow, Hub]) -> None:
    window, hub = live
    key(window, pygame.K_TAB)
    click(window, widget(window, "#news"))
    line = "Huawei wins the Brazil contract"
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=line))
    frames(window, 2)
    key(window, pygame.K_c, "c")  # typing: the shortcut for codes must not fire
    assert not window.view.show_codes
    key(window, pygame.K_RETURN)
    news = public_view(hub.session)["news"]
    assert f"{hub.session.game.year}: {line}" in news
    assert widget(window, "#news").get_text() == ""


def test_inject_an_event_from_the_deck_for_a_team(live: tuple[ProjectorWindow, Hub]) -> None:
    window, hub = live
    key(window, pygame.K_TAB)
    pick(window, "#event_for", "eu")
    pick(window, "#event", "transatlantic_summit")
    click(window, widget(window, "#inject"))
    assert team_view(hub.session, "eu")["card"]["dilemma"]["id"] == "transatlantic_summit"
    pick(window, "#event_for", "china")  # a liberal-democracy event for China: refused, and said so
    key(window, pygame.K_i)
    assert window.view.note_bad and "not open to China (Digital Leninism)" in window.view.note


def test_move_a_device_to_another_team(live: tuple[ProjectorWindow, Hub]) -> None:
    window, hub = live
    s = hub.session
    with window.view.server.lock:
        conn = hub.connect()
        hub.handle(conn, json.dumps({"type": "join", "code": s.teams["usa"].code, "device": "tablet-7"}))
    key(window, pygame.K_TAB)
    frames(window, 2)
    assert widget(window, "#device").selected_option == ("tablet-7 (USA)", conn)
    pick(window, "#device_to", "eu")
    click(window, widget(window, "#move"))
    assert hub.conns[conn]["team"] == "eu"


def test_end_session_asks_first(live: tuple[ProjectorWindow, Hub]) -> None:
    window, hub = live
    s = hub.session
    key(window, pygame.K_END)
    assert window.view.confirm is not None and window.view.confirm.alive()
    key(window, pygame.K_ESCAPE)  # keeps playing
    assert not s.ended and window.view.confirm is None
    click(window, widget(window, "#bar_end"))
    click(window, widget(window, "#confirm_button"))
    assert s.ended and public_view(s)["ended"]


def test_export_writes_the_debrief_and_shows_its_path(live: tuple[ProjectorWindow, Hub]) -> None:
    window, _ = live
    key(window, pygame.K_e)
    path = Path(window.view.export_path)
    assert path.name == "debrief.html" and path.exists()
    assert str(path) in window.view.note and "Questions for discussion" in path.read_text()


def test_team_codes_are_hidden_until_the_teacher_shows_them(live: tuple[ProjectorWindow, Hub],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    window, hub = live
    drawn: list[str] = []
    real = Projector.text

    def spy(self: Projector, surf: pygame.Surface, text: str, *args: Any, **kw: Any) -> int:
        drawn.append(text)
        return real(self, surf, text, *args, **kw)

    monkeypatch.setattr(Projector, "text", spy)
    codes = [t.code for t in hub.session.teams.values()] + [hub.session.facilitator_code]
    key(window, pygame.K_TAB)  # the console shows devices, never codes
    frames(window, 2)
    assert drawn and not any(code in line for line in drawn for code in codes)
    click(window, widget(window, "#bar_codes"))
    drawn.clear()
    frames(window, 2)
    team_codes = [t.code for t in hub.session.teams.values()]
    assert all(any(code in line for line in drawn) for code in team_codes)
    assert not any(hub.session.facilitator_code in line for line in drawn)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_the_console_fits_the_window(tmp_path: Path, size: tuple[int, int]) -> None:
    session = ClassSession.create("classroom-short", seed=2, turn_seconds=600)
    with Background(Server(Hub(session), "127.0.0.1", 0)) as server:
        pygame.init()
        try:
            screen = pygame.display.set_mode(size)
            view = Projector(server, size, console=True)
            view.draw(screen)
            area = view.console_rect()
            bar = [b.get_abs_rect() for b in view.bar.values()]
            assert all(screen.get_rect().contains(r) for r in bar)
            for name, element in view.widgets.items():
                assert area.contains(element.get_abs_rect()), name
            assert not any(a.colliderect(b) for i, a in enumerate(bar) for b in bar[i + 1:])
        finally:
            pygame.quit()
