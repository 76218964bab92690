"""The projector window's facilitator console, headless: real mouse and keyboard events into the
window's own frame loop, with a live classroom server in its thread."""

from __future__ import annotations

import json
import os
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
from game.ui.projector import NEWS_PAGE_SECONDS, NOTE_SECONDS, Projector, ProjectorWindow
from tests.conftest import FakeClock


@pytest.fixture()
def live(tmp_path: Path) -> Iterator[tuple[ProjectorWindow, Hub]]:
    session = ClassSession.create("classroom-short", seed=2, path=tmp_path / "session.json", turn_seconds=600,
                                  clock=FakeClock())
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
    for _, future in list(window.view.pending):
        future.result(10)  # the server thread's reply, waited on rather than slept for
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


def test_the_countdown_waits_for_start_then_space_pauses_and_resumes(live: tuple[ProjectorWindow, Hub]) -> None:
    window, hub = live
    s = hub.session
    clock: FakeClock = s.clock  # type: ignore[assignment]
    clock.advance(120)  # nobody has joined yet: the first year must not run away
    frames(window, 2)
    assert s.time_left() == 600 and widget(window, "#bar_pause").text == "Start [Space]"
    click(window, widget(window, "#bar_pause"))
    assert s.started and not s.paused
    clock.advance(10)
    key(window, pygame.K_SPACE)
    assert s.paused
    left = s.time_left()
    clock.advance(30)
    frames(window, 2)
    assert s.time_left() == left == pytest.approx(590) and window.view.view["paused"]
    assert widget(window, "#bar_pause").text == "Resume [Space]"
    key(window, pygame.K_SPACE)
    assert not s.paused
    clock.advance(5)
    assert s.time_left() == pytest.approx(left - 5)


def test_status_lines_expire(live: tuple[ProjectorWindow, Hub]) -> None:
    window, _ = live
    key(window, pygame.K_s)  # S starts too
    assert "started" in window.view.note
    window.step(NOTE_SECONDS + 0.5)
    window.step(0.05)
    assert window.view.note == ""


def test_every_headline_of_the_year_is_seen_page_by_page(live: tuple[ProjectorWindow, Hub],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    window, hub = live
    with window.view.server.lock:
        for n in range(14):
            hub.session.news.append({"year": hub.session.game.year, "text": f"Headline number {n} of the year"})
    drawn = spy_text(monkeypatch)
    frames(window, 2)
    seen = set(drawn)
    assert window.view.news_pages > 1
    for _ in range(window.view.news_pages - 1):
        key(window, pygame.K_PAGEDOWN)
        seen |= set(drawn)
    assert all(any(f"Headline number {n} of" in line for line in seen) for n in range(14))
    page = window.view.news_page
    window.step(NEWS_PAGE_SECONDS + 0.5)  # and the pages turn by themselves
    frames(window, 1)
    assert window.view.news_page != page


def test_the_end_screen_names_the_winner_every_score_and_the_whole_verdict(
        live: tuple[ProjectorWindow, Hub], monkeypatch: pytest.MonkeyPatch) -> None:
    window, hub = live
    s = hub.session
    with window.view.server.lock:
        while not s.game.over:
            s.resolve()
    drawn = spy_text(monkeypatch)
    frames(window, 3)
    result = public_view(s)["result"]
    text = " ".join(drawn)
    assert f"Winner: {public_view(s)['powers'][result['winner']]['name']}" in text
    for pid, score in result["scores"].items():
        assert f"{public_view(s)['powers'][pid]['name']}: {score:.1f}" in text
    # productivity and stability are measured against par: the end screen says against what
    from game.engine.par import par_stability
    pars = par_stability(s.game.world)
    flat = " ".join(text.split())
    for p in range(s.game.world.n_powers):
        assert f"against its par {pars[p]:.0f}" in flat
    assert "0.50 is par" in flat
    assert " ".join(result["verdict"].split()) in " ".join(text.split())
    assert "thinking" not in text and "Resume" not in text
    assert widget(window, "#bar_pause").text == "Session over"


def spy_text(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The lines the projector draws from now on (cleared at each frame)."""
    drawn: list[str] = []
    real, draw = Projector.text, Projector.draw

    def spy(self: Projector, surf: pygame.Surface, text: str, *args: Any, **kw: Any) -> int:
        drawn.append(text)
        return real(self, surf, text, *args, **kw)

    def frame(self: Projector, surf: pygame.Surface) -> dict[str, Any]:
        drawn.clear()
        return draw(self, surf)
    monkeypatch.setattr(Projector, "text", spy)
    monkeypatch.setattr(Projector, "draw", frame)
    return drawn


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
