"""Headless UI tests: real mouse and keyboard events through the game's own frame loop."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pygame
import pytest

from game.match import HUMAN, Game

SIZE = (1280, 720)


@pytest.fixture()
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SYSTEMIC_HOME", str(tmp_path / "home"))
    from game.ui.app import App
    from game.ui.screens.title import TitleScreen
    from game.ui.settings import Settings
    a = App(Settings(sound=False), size=SIZE)
    a.show(TitleScreen(a))
    frames(a, 2)
    yield a
    pygame.quit()


def frames(app, n: int = 2) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        app.step(16)


def settle(app) -> None:  # type: ignore[no-untyped-def]
    """Frames until the worker thread has resolved the turn. Bounded by the clock, not by a count of
    frames: 2,000 back-to-back frames were not always enough on a loaded 2-core machine (the turn was
    still resolving and the test found the main screen where the report should be). Each frame
    leaves the worker a moment, as the window's own loop does at 60 frames a second."""
    deadline = time.monotonic() + 120
    app.step(16)
    while app.resolving and time.monotonic() < deadline:
        time.sleep(0.005)
        app.step(16)
    frames(app, 2)


def key(app, k: int, mod: int = 0) -> None:  # type: ignore[no-untyped-def]
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=k, mod=mod, unicode="", scancode=0))
    frames(app, 2)


def click(app, element) -> None:  # type: ignore[no-untyped-def]
    pos = element.get_abs_rect().center if hasattr(element, "get_abs_rect") else element.rect.center
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False))
    frames(app, 3)


def find(app, ident: str):  # type: ignore[no-untyped-def]
    for element in app.manager.get_sprite_group().sprites():
        if element.get_object_ids()[-1] == ident:
            return element
    raise AssertionError(f"no widget {ident} on screen {app.screen.name}")


def start_game(app, game: Game | None = None) -> Game:  # type: ignore[no-untyped-def]
    if game is None:
        key(app, pygame.K_n)
        assert app.screen.name == "newgame"
        find(app, "#seed").set_text("1")  # New game draws fresh luck; these tests replay seed 1's
        click(app, find(app, "#start"))
    else:
        app.start(game)
        frames(app)
    assert app.screen.name == "main"
    return app.game


def set_dilemma_aside(app) -> None:  # type: ignore[no-untyped-def]
    """A dilemma is drawn every year and its dialog opens by itself on the main screen; Esc sets
    it aside for later (tests that are about something else close it first)."""
    if app.screen.name == "main" and app.screen.dialog is not None and app.screen.dialog.alive():
        assert app.screen.dialog_kind == "dilemma"
        key(app, pygame.K_ESCAPE)


def state_copy(game: Game) -> dict[str, np.ndarray]:
    return {k: np.array(v, copy=True) for k, v in game.state.arrays().items()}


def game_with_dilemma() -> Game:
    """A game where China has a dilemma waiting (found by playing AI years)."""
    for seed in range(40):
        game = Game.new("digital-leninism-2017", {"china": HUMAN, "usa": "planner"}, seed)
        for _ in range(4):
            if game.state.pending[0, 0] >= 0:
                return game
            game.advance()
    raise AssertionError("no dilemma fired in 40 seeds")


def test_title_to_new_game_to_main(app) -> None:  # type: ignore[no-untyped-def]
    game = start_game(app)
    assert game.seats["china"] == HUMAN and game.year == 2017
    assert app.viewer == "china"


def test_slider_moves_and_budget_cannot_be_exceeded(app) -> None:  # type: ignore[no-untyped-def]
    start_game(app)
    draft = app.drafts["china"]
    assert draft.allocated() == pytest.approx(1.0)
    before = draft.budget["ai_research"]
    click(app, find(app, "#slider_ai_research").right_button)  # budget full: capped
    assert draft.budget["ai_research"] == pytest.approx(before)
    assert draft.allocated() <= 1.0 + 1e-9
    click(app, find(app, "#slider_data_infrastructure").left_button)
    click(app, find(app, "#slider_ai_research").right_button)
    assert draft.budget["ai_research"] == pytest.approx(before + 0.01)
    key(app, pygame.K_DOWN)
    key(app, pygame.K_LEFT)  # keyboard: lower the selected lever (AI research) again
    assert draft.budget["ai_research"] == pytest.approx(before)
    assert app.drafts["china"].orders().budget["ai_research"] == pytest.approx(before)


def test_ui_actions_do_not_change_state_until_end_turn(app) -> None:  # type: ignore[no-untyped-def]
    game = start_game(app, game_with_dilemma())
    snapshot = state_copy(game)
    log_len = len(game.orders_log)
    key(app, pygame.K_ESCAPE)  # decide the dilemma later
    assert app.screen.dialog is None or not app.screen.dialog.alive()
    click(app, find(app, "#slider_data_infrastructure").left_button)
    key(app, pygame.K_2)
    assert app.screen.tab == "Policies"
    app.screen.orders.choose("credit_stance", "neutral")
    key(app, pygame.K_3)
    key(app, pygame.K_RETURN)  # opens the projection, which resolves a throwaway copy
    assert app.screen.dialog_kind == "confirm"
    frames(app, 20)
    for name, arr in state_copy(game).items():
        assert np.array_equal(arr, snapshot[name]), name
    assert len(game.orders_log) == log_len and game.state is not None
    key(app, pygame.K_RETURN)
    settle(app)
    assert app.screen.name == "report"
    assert len(game.orders_log) == log_len + 1
    assert game.orders_log[-1]["china"]["policies"]["credit_stance"] == "neutral"


def test_answer_dilemma_by_mouse_then_end_turn(app) -> None:  # type: ignore[no-untyped-def]
    game = start_game(app, game_with_dilemma())
    event_id = game.world.event_ids[int(game.state.pending[0, 0])]
    assert app.screen.dialog_kind == "dilemma" and app.screen.dialog.alive()
    event = game.world.scenario.rules.events[game.world.event_ids.index(event_id)]
    # the dialog names the number keys this dilemma has (not "1, 2 or 3" for a two-way choice)
    keys = " or ".join([", ".join(str(k) for k in range(1, len(event.choices))), str(len(event.choices))])
    hints = [e.text for e in app.manager.get_sprite_group().sprites() if getattr(e, "text", None)
             and str(e.text).startswith("Press ")]
    assert hints == [f"Press {keys} to choose; Esc to decide later."]
    choice = event.choices[1]
    click(app, find(app, f"#choice_{choice.id}"))
    assert app.drafts["china"].answers == {event_id: choice.id}
    year = game.year
    key(app, pygame.K_RETURN)
    key(app, pygame.K_RETURN)
    settle(app)
    assert game.year == year + 1
    assert game.orders_log[-1]["china"]["answers"] == {event_id: choice.id}


def test_end_turn_save_and_load(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from game.ui import settings as settings_mod
    game = start_game(app)
    click(app, find(app, "#end_turn"))
    click(app, find(app, "#confirm_end"))
    settle(app)
    assert app.screen.name == "report" and game.year == 2018
    assert settings_mod.autosave_path().exists()
    key(app, pygame.K_RETURN)
    assert app.screen.name == "main"
    set_dilemma_aside(app)
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    assert app.screen.dialog_kind == "save"
    key(app, pygame.K_ESCAPE)  # leaves the dialog even while its text field has the focus
    assert not app.screen.dialog or not app.screen.dialog.alive()
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    click(app, find(app, "#save_confirm"))
    saves = list(settings_mod.saves_dir().glob("digital-leninism-2017-2018-*.json"))
    assert len(saves) == 1
    log = json.loads(saves[0].read_text())["turns"]
    key(app, pygame.K_l, pygame.KMOD_CTRL)
    assert app.screen.name == "load"
    app.screen.list.set_item_list([])  # choose by typing the path instead
    app.screen.entry.set_text(str(saves[0]))
    click(app, find(app, "#load_confirm"))
    assert app.screen.name == "main"
    assert app.game is not game and app.game.year == 2018
    assert [t for t in app.game.orders_log] == log


@pytest.mark.parametrize("content, words", [(None, "no such save"), ("{not json", "corrupt"),
                                            ('{"format": "systemic-save", "version": 99}', "newer version")])
def test_bad_saves_give_one_line_and_keep_the_game(app, tmp_path: Path, content, words) -> None:  # type: ignore[no-untyped-def]
    game = start_game(app)
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    assert app.load_game(path) is False
    assert words in app.message and "\n" not in app.message and app.message_bad
    assert app.game is game and app.screen.name == "main"


def test_every_indicator_and_lever_shown_has_a_tooltip(app) -> None:  # type: ignore[no-untyped-def]
    start_game(app)
    seen = {"ind": 0, "slider": 0, "policy": 0, "region": 0, "proj": 0}
    for tab in (pygame.K_1, pygame.K_2):
        key(app, tab)
        for element in app.manager.get_sprite_group().sprites():
            ident = element.get_object_ids()[-1] or ""
            kind = ident.lstrip("#").split("_")[0]
            if ident.startswith("#") and kind in seen:
                text = getattr(element, "tool_tip_text", None)
                assert text and len(text) > 30, ident
                seen[kind] += 1
    assert seen["ind"] >= 2 * 12 and seen["slider"] == 9 and seen["policy"] == 6 and seen["region"] == 2 * 6 and seen["proj"] == 2 * 9
    # the lever labels carry the same tooltip as their sliders
    key(app, pygame.K_1)
    labels = [e for e in app.manager.get_sprite_group().sprites()
              if type(e).__name__ == "UILabel" and getattr(e, "tool_tip_text", None)]
    assert len(labels) >= 9


def test_hotseat_privacy_screen_between_players(app) -> None:  # type: ignore[no-untyped-def]
    app.hotseat = True
    game = Game.new("digital-leninism-2017", {"china": HUMAN, "usa": HUMAN}, 3)
    app.start(game)
    frames(app)
    assert app.screen.name == "privacy"
    key(app, pygame.K_RETURN)
    assert app.screen.name == "main" and app.viewer == "china"
    click(app, find(app, "#slider_data_infrastructure").left_button)
    key(app, pygame.K_RETURN)
    key(app, pygame.K_RETURN)
    assert app.screen.name == "privacy" and app.screen.power == "usa"
    assert not any("#slider" in str(i) for e in app.manager.get_sprite_group().sprites() for i in e.get_object_ids())
    key(app, pygame.K_RETURN)
    assert app.viewer == "usa"
    key(app, pygame.K_RETURN)
    key(app, pygame.K_RETURN)
    settle(app)
    assert game.year == 2018 and set(game.orders_log[-1]) == {"china", "usa"}
    # each seat's review of the year comes behind its own hand-over, and shows a rival only what
    # the world could see: no orders, no causes, no private indicators
    for seat, rival in (("china", "usa"), ("usa", "china")):
        assert app.screen.name == "privacy" and app.screen.power == seat
        key(app, pygame.K_RETURN)
        assert app.screen.name == "report" and app.screen.seat == seat
        rival_name = game.world.power_names[game.world.power_index(rival)]
        own = " ".join(str(getattr(e, "html_text", "")) for e in app.manager.get_sprite_group().sprites())
        assert "orders for the year" in own and "why" in own
        key(app, pygame.K_TAB)  # the rival's tab
        assert app.screen.power == rival
        shown = " ".join(str(getattr(e, "html_text", "")) for e in app.manager.get_sprite_group().sprites())
        assert f"{rival_name}'s orders" not in shown and "Budget:" not in shown
        for private in ("Legitimacy", "Approval", "Protest", "Data quality", "Political capital", "why:"):
            assert private not in shown, private
        assert "GDP" in shown and "Stability" in shown
        key(app, pygame.K_RETURN)  # done reviewing: on to this seat's orders
        assert app.screen.name == "main" and app.viewer == seat
        if seat == "china":  # answer a pending dilemma (End turn asks for it first), then submit
            draft = app.drafts["china"]
            if draft.pending():
                event = game.world.scenario.rules.events[game.world.event_ids.index(draft.pending())]
                draft.answer(event.id, event.choices[0].id)
            if app.screen.dialog is not None and app.screen.dialog.alive():
                key(app, pygame.K_ESCAPE)  # the dilemma's own window, opened on arrival
            key(app, pygame.K_RETURN)
            key(app, pygame.K_RETURN)


def test_resize_rebuilds_cleanly(app) -> None:  # type: ignore[no-untyped-def]
    start_game(app)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1920, h=1080, size=(1920, 1080)))
    frames(app, 3)
    assert app.window.get_size() == (1920, 1080)
    for element in app.manager.get_sprite_group().sprites():
        r = element.get_abs_rect()
        assert r.right <= 1920 + 1 and r.bottom <= 1080 + 1
    assert find(app, "#end_turn").get_abs_rect().right > 1600


@pytest.mark.slow
def test_autoplay_writes_screenshots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYSTEMIC_HOME", str(tmp_path / "home"))
    from game.cli import main
    shots = tmp_path / "shots"
    assert main(["play", "--autoplay", "2", "--screenshots", str(shots), "--size", "1280x720"]) == 0
    names = sorted(p.name for p in shots.glob("*.png"))
    for screen in ("title", "new-game", "main", "end-turn-projection", "turn-report", "charts", "end"):
        assert any(screen in n for n in names), (screen, names)


def test_no_display_prints_how_to_play_headless(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY")}
    env["SYSTEMIC_HOME"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-m", "game"], capture_output=True, text=True, env=env, timeout=60)
    lines = [x for x in out.stdout.splitlines() if x.strip() and "pygame-ce" not in x]
    assert len(lines) == 1 and "--autoplay" in lines[0] and "systemic sim" in lines[0]
    assert "Traceback" not in out.stderr


def test_settings_scale_and_colour_blind_palette_apply_and_persist(app) -> None:  # type: ignore[no-untyped-def]
    import pygame_gui

    from game.ui.settings import Settings
    from game.ui.theme import OKABE_ITO
    key(app, pygame.K_s)
    assert app.screen.name == "settings"
    for ident, text in (("#setting_scale", "150%"), ("#setting_colour_blind", "On")):
        menu = find(app, ident)
        pygame.event.post(pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED, ui_element=menu, text=text,
                                             ui_object_id=ident))
        frames(app, 3)
    # 150% does not fit the minimum window: the layout stays at 100% and says why
    assert app.s == 1.0 and app.settings.colour_blind
    assert "1920 x 1080" in app.message
    assert Settings.load().ui_scale == 1.5 and Settings.load().colour_blind
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1920, h=1080, size=(1920, 1080)))
    frames(app, 3)
    assert app.s == 1.5
    assert find(app, "#done").get_abs_rect().h == round(52 * 1.5)
    for element in app.manager.get_sprite_group().sprites():
        r = element.get_abs_rect()
        assert r.right <= 1920 + 1 and r.bottom <= 1080 + 1
    key(app, pygame.K_ESCAPE)
    start_game(app)
    assert app.power_colour("china") in OKABE_ITO


def test_continue_from_title_resumes_the_autosave(app) -> None:  # type: ignore[no-untyped-def]
    game = start_game(app)
    key(app, pygame.K_RETURN)
    key(app, pygame.K_RETURN)
    settle(app)
    key(app, pygame.K_RETURN)
    set_dilemma_aside(app)
    key(app, pygame.K_ESCAPE)  # menu (autosaves)
    assert app.screen.name == "title"
    key(app, pygame.K_c)
    assert app.screen.name == "main" and app.game is not game
    assert app.game.year == 2018 and app.game.orders_log == game.orders_log


def test_policy_change_beyond_political_capital_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    import pygame_gui
    game = start_game(app)
    draft = app.drafts["china"]
    key(app, pygame.K_2)
    wanted = [("planning_share", "planned"), ("data_governance", "balanced"), ("acquisition_screening", "open"),
              ("credit_stance", "neutral"), ("tech_export_controls", "broad")]
    for policy, option in wanted:
        menu = find(app, f"#policy_{policy}")
        pygame.event.post(pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED, ui_element=menu, text=option,
                                             selected_option_id=option, ui_object_id=f"#policy_{policy}"))
        frames(app, 3)
    assert draft.policy_cost() <= game.value("china", "political_capital")
    assert draft.policies["planning_share"] == "planned"
    assert draft.policies["tech_export_controls"] == "none"  # the unaffordable change was refused
    assert "political capital" in app.message and app.message_bad
    assert find(app, "#policy_tech_export_controls").selected_option[1] == "none"


def test_clicking_an_indicator_explains_its_causes(app) -> None:  # type: ignore[no-untyped-def]
    start_game(app)
    key(app, pygame.K_RETURN)
    key(app, pygame.K_RETURN)
    settle(app)
    key(app, pygame.K_RETURN)
    click(app, find(app, "#ind_gdp"))
    html = app.screen.info_html
    assert "Why it changed in 2018" in html
    causes = app.last_report.explain("china", "gdp")
    assert causes and causes[0][0] in html


def test_save_with_a_typed_name_and_enter(app) -> None:  # type: ignore[no-untyped-def]
    from game.ui import settings as settings_mod
    start_game(app)
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    entry = find(app, "#save_name")
    entry.set_text("")
    for ch in "mygame":
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    frames(app, 3)
    assert entry.get_text() == "mygame"
    key(app, pygame.K_RETURN)
    assert (settings_mod.saves_dir() / "mygame.json").exists()
    assert "Saved" in app.message


def test_new_game_scenario_and_seats(app) -> None:  # type: ignore[no-untyped-def]
    import pygame_gui
    key(app, pygame.K_n)
    menu = find(app, "#scenario")
    pygame.event.post(pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED, ui_element=menu,
                                         text="transatlantic-2017", selected_option_id="transatlantic-2017",
                                         ui_object_id="#scenario"))
    frames(app, 3)
    assert set(app.screen.seats) == {"china", "usa", "eu"}
    seat = find(app, "#seat_usa")
    pygame.event.post(pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED, ui_element=seat,
                                         text="human", selected_option_id="human", ui_object_id="#seat_usa"))
    frames(app, 2)
    key(app, pygame.K_RETURN)
    assert app.game.scenario.id == "transatlantic-2017"
    assert app.game.humans() == ["china", "usa"] and app.hotseat
    assert app.screen.name == "privacy"


def pick(app, menu_id: str, option: str) -> None:  # type: ignore[no-untyped-def]
    """Open a dropdown with the mouse and click one of its options."""
    click(app, find(app, menu_id))
    for element in app.manager.get_sprite_group().sprites():
        ids = element.get_object_ids()
        if ids[0] == menu_id and ids[-1] == option and "#drop_down_options_list" in ids:
            click(app, element)
            frames(app, 3)  # the menu reports its change a few frames after the click
            return
    raise AssertionError(f"no option {option} in {menu_id}")


def test_new_game_difficulty_by_mouse_plays_that_level(app) -> None:  # type: ignore[no-untyped-def]
    import copy

    from game.ai.difficulty import make_player
    from game.ai.personas import decide
    from game.engine import BatchOrders, decode
    key(app, pygame.K_n)
    assert find(app, "#level_usa").selected_option[1] == "normal"  # the default a new player expects
    assert not find(app, "#level_china").is_enabled  # China is the human: no difficulty to choose
    pick(app, "#level_usa", "hard")
    assert "short of the best" in find(app, "#level_usa").tool_tip_text  # the tooltip explains the level chosen
    click(app, find(app, "#start"))
    game = app.game
    assert app.screen.name == "main" and game.seats == {"china": HUMAN, "usa": "hard:planner"}
    # the AI's orders this turn are the hard planner's, on the seed the game's AI stream gives it
    seed = int(copy.deepcopy(game.ai_rng).integers(1 << 62))
    player = make_player("hard:planner")
    expected = BatchOrders.hold(game.state)
    player.decide_batch(game.state, game.world.power_index("usa"), np.random.default_rng(seed), expected)
    hard = decode(game.state, expected, 0)["usa"].to_json()
    assert hard != decide(game.state, "usa", "planner", copy.deepcopy(game.ai_rng)).to_json()
    click(app, find(app, "#end_turn"))
    click(app, find(app, "#confirm_end"))
    settle(app)
    assert app.screen.name == "report" and game.orders_log[-1]["usa"] == hard


def test_new_game_human_seat_has_no_difficulty(app) -> None:  # type: ignore[no-untyped-def]
    key(app, pygame.K_n)
    pick(app, "#seat_usa", "human")
    assert not find(app, "#level_usa").is_enabled
    pick(app, "#seat_usa", "free_marketeer")
    assert find(app, "#level_usa").is_enabled
    pick(app, "#level_usa", "novice")
    key(app, pygame.K_RETURN)
    assert app.game.seats["usa"] == "novice:free_marketeer"


@pytest.mark.slow
def test_level_seats_replay_from_the_save_without_searching(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from game.ai import search
    # the cross-entropy searcher keeps a plan between years; hard looks ahead afresh every year
    game = Game.new("digital-leninism-2017", {"china": "cem:techno_nationalist", "usa": "hard:free_marketeer"}, 4)
    for _ in range(3):
        game.advance()
    game.save(tmp_path / "g.json")

    def no_search(*args: object) -> None:
        raise AssertionError("a replay re-ran the search")

    monkeypatch.setattr(search.Lookahead, "decide_batch", no_search)
    monkeypatch.setattr(search.CrossEntropy, "decide_batch", no_search)
    loaded = Game.load(tmp_path / "g.json")
    assert loaded.history == game.history and loaded.seats["usa"] == "hard:free_marketeer"
    monkeypatch.undo()
    game.advance()
    loaded.advance()  # play continues after loading exactly as it would have
    assert loaded.orders_log == game.orders_log


@pytest.mark.parametrize("who, words", [("genius", "unknown persona 'genius' for usa"),
                                        ("hard:genius", "usa: unknown persona 'genius'"),
                                        ("brutal:planner", "unknown player 'brutal:planner'")])
def test_unknown_seat_names_are_one_line_errors(who: str, words: str) -> None:
    with pytest.raises(ValueError) as info:
        Game.new("digital-leninism-2017", {"usa": who})
    assert words in str(info.value) and "\n" not in str(info.value)


def test_play_command_seats_ai_levels() -> None:
    import argparse

    from game.command import CliError
    from game.ui.commands import _new_game
    args = argparse.Namespace(scenario=None, seed=1, as_power="china", hotseat=False, ai=None)
    assert _new_game(args).seats == {"china": HUMAN, "usa": "normal:planner"}  # as New game starts
    args.ai = ["usa=expert:standards_diplomat"]
    assert _new_game(args).seats["usa"] == "expert:standards_diplomat"
    args.ai = ["usa=brutal"]
    with pytest.raises(CliError, match="unknown persona 'brutal' for usa"):
        _new_game(args)


def test_the_projection_is_the_likely_course_not_one_roll_of_the_dice() -> None:
    # a player who sees "-0.3% growth" projected because one simulated year drew a crash would
    # blame their orders; the median of many simulated years must not depend on the roll
    from game.draft import Draft
    game = Game.new("digital-leninism-2017", {"china": HUMAN, "usa": "planner"}, seed=1)
    draft = Draft.start(game, "china")
    medians = [draft.project(seed=s)["growth"][1] for s in range(8)]
    singles = [draft.project(seed=s, draws=1)["growth"][1] for s in range(40)]
    assert max(medians) - min(medians) < 0.01  # one percentage point of growth
    assert max(medians) - min(medians) < 0.25 * (max(singles) - min(singles))
    assert game.state.turn == 0 and game.orders_log == []  # projecting changes nothing


def _cut_short(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Widget texts wider than their widget (pygame_gui clips them: "Dilemma (" for "Dilemma (!)")."""
    from pygame_gui.elements import UIButton, UILabel
    out = []
    for element in app.manager.get_sprite_group().sprites():
        if (isinstance(element, UIButton | UILabel) and element.visible and getattr(element, "text", "")
                and element.font.size(element.text)[0] > element.rect.w - 4):
            out.append(f"{element.get_object_ids()[-1]}: {element.text!r}")
    return out


@pytest.mark.parametrize("viewer", ["china", "eu"])
def test_window_minimum_size_is_clamped_and_nothing_is_cut_short(app, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                                  viewer: str) -> None:
    from game.ui import widgets
    from game.ui.settings import MIN_SIZE
    shortened: list[str] = []
    original = widgets.fit

    def fit(text: str, size: int, width: int, bold: bool = False) -> str:
        out = original(text, size, width, bold)
        if out != text:
            shortened.append(text)
        return out

    monkeypatch.setattr(widgets, "fit", fit)  # blit_text and panel headings shorten through it
    game = Game.new("classroom-short", {p: HUMAN if p == viewer else "planner" for p in ("china", "usa", "eu")}, 1)
    start_game(app, game)  # three powers and the longest scenario name: the most crowded screen
    for w, h in ((1000, 600), (640, 480), MIN_SIZE):
        pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=w, h=h, size=(w, h)))
        frames(app, 3)
        assert app.window.get_size() == (max(w, MIN_SIZE[0]), max(h, MIN_SIZE[1]))
    assert app.screen.name == "main"
    for tab in (pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_4):
        key(app, tab)
        frames(app, 2)
        assert not _cut_short(app), _cut_short(app)
    assert not shortened, sorted(set(shortened))
    if app.screen.dialog is not None:
        key(app, pygame.K_ESCAPE)
    key(app, pygame.K_RETURN)
    key(app, pygame.K_RETURN)
    settle(app)
    assert app.screen.name == "report"
    frames(app, 2)
    assert not shortened and not _cut_short(app), (sorted(set(shortened)), _cut_short(app))


def test_size_below_the_minimum_is_refused_in_one_line() -> None:
    from game.command import CliError
    from game.ui.commands import parse_size
    with pytest.raises(CliError, match="at least 1280x720"):
        parse_size("800x600")
    assert parse_size("1280x720") == (1280, 720)


def test_unfinished_game_explanations_units_and_crash_risk(app) -> None:  # type: ignore[no-untyped-def]
    from html import escape

    from game.ui.screens.endgame import EndScreen
    game = start_game(app)
    tip = find(app, "#ind_crash_risk").tool_tip_text
    assert "Crash risk" in tip and "%" in find(app, "#ind_bubble").tool_tip_text
    key(app, pygame.K_RETURN)
    key(app, pygame.K_RETURN)
    settle(app)
    key(app, pygame.K_RETURN)
    assert app.screen.name == "main"
    set_dilemma_aside(app)
    click(app, find(app, "#ind_standards_share"))
    html = app.screen.info_html
    assert "standard" in html and all(escape(name) in html for name in game.world.region_names)
    click(app, find(app, "#ind_stability"))
    assert "now made of" in app.screen.info_html  # the first year has no earlier make-up to compare
    key(app, pygame.K_RETURN)
    key(app, pygame.K_RETURN)
    settle(app)
    from game.ui.screens.report import change_html
    text = change_html(app, "china")
    assert "change by component" in text and "$" in text.split("GDP", 1)[1].split("<br>", 1)[0].split("»")[1]
    app.show(EndScreen(app))  # as autoplay does when it stops early
    frames(app, 2)
    shown = " ".join(getattr(e, "html_text", "") or "" for e in app.manager.get_sprite_group().sprites())
    assert not game.over and "leading by" in shown and "won by" not in shown
    assert "The historians' verdict</b>" not in shown and "not finished" in shown


def test_autoplay_plays_as_the_chosen_power(app) -> None:  # type: ignore[no-untyped-def]
    from game.ui.autoplay import Autopilot
    app.autopilot = Autopilot(app, 1, "transatlantic-2017", 1, power="eu")
    for _ in range(400):
        app.step(16)
        if app.screen.name == "main":
            break
    assert app.viewer == "eu" and app.game.seats["eu"] == HUMAN


@pytest.mark.slow
def test_the_frame_benchmark_prints_one_json_line() -> None:
    out = subprocess.run([sys.executable, "-m", "game", "bench", "--ui"], capture_output=True, text=True,
                         timeout=300, env={**os.environ, "SDL_VIDEODRIVER": "dummy"})
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures["window"] == "1920x1080" and figures["frames"] == 300
    assert figures["frame_ms_median"] > 0 and figures["fps_capacity"] == pytest.approx(
        1000 / figures["frame_ms_median"], rel=0.01)


def test_a_new_game_draws_fresh_luck_shows_its_seed_and_replays_by_it(app) -> None:  # type: ignore[no-untyped-def]
    key(app, pygame.K_n)
    first = find(app, "#seed").get_text()
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_n)
    second = find(app, "#seed").get_text()
    assert first.isdigit() and second.isdigit() and (first, second) != ("1", "1")
    click(app, find(app, "#start"))
    game = app.game
    assert str(game.seed) == second and f"Seed {second}" in app.message
    assert Game.new(game.scenario_ref, game.seats, int(second)).state.nat.tobytes() == game.state.nat.tobytes()


def test_small_desktop_points_d_without_dilemma_ctrl_s_on_title_lever_tips(app) -> None:  # type: ignore[no-untyped-def]
    from game.ui import tips
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    assert app.screen.name == "title"  # Ctrl+S is no shortcut for Settings
    game = start_game(app, Game.new("digital-leninism-2017", {"china": HUMAN, "usa": "planner"}, 5))
    assert app.drafts["china"].pending() is None  # no dilemma before the first year
    key(app, pygame.K_d)
    assert "No dilemma" in app.message
    tip = tips.lever_tip(game.world, "ai_research")
    assert "Builds:</b> AI capability" in tip and "Builds:</b> ai;" not in tip


def test_submit_orders_fits_its_button_at_1600_px(app) -> None:  # type: ignore[no-untyped-def]
    from game.ui.theme import font
    app.hotseat = True
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1600, h=900, size=(1600, 900)))
    frames(app, 3)
    app.start(Game.new("digital-leninism-2017", {"china": HUMAN, "usa": HUMAN}, 3))
    frames(app)
    key(app, pygame.K_RETURN)  # past the hand-over
    assert app.screen.name == "main"
    button = find(app, "#end_turn")
    assert button.text == "Submit orders  [Enter]"
    assert font(app.px(20), True).size(button.text)[0] < button.get_abs_rect().w - app.px(12)


def test_the_first_years_explanations_have_no_stray_nothing_line(app) -> None:  # type: ignore[no-untyped-def]
    from game import explain
    game = Game.new("digital-leninism-2017", {"china": HUMAN, "usa": "planner"}, 1)
    report = game.advance({})
    for ind in ("stability", "growth"):
        label, causes = explain.causes(game, report, "china", ind)
        assert label == "now made of"
        # a make-up line for each named part; the residual alone names nothing and gets no line
        assert explain.causes_text(game.world, label, [("limits and rounding", 1e-6)], ind) == ""
        assert "nothing" not in explain.causes_text(game.world, label, causes, ind)


def test_a_first_year_crash_is_named_with_its_cost_in_the_turn_report(app) -> None:  # type: ignore[no-untyped-def]
    from game import explain
    from game.ui.screens.report import change_html
    game = Game.new("digital-leninism-2017", {"china": HUMAN, "usa": "planner"}, 1)
    report = game.advance({"china": app_orders(game)})
    assert report.crash[0, 0]  # seed 1: China's bubble bursts in 2017
    cost = explain.crash_cost(report, "china")
    assert cost is not None and cost < 0
    assert explain.crash_cost(report, "usa") is None
    app.game, app.last_report = game, report
    html = change_html(app, "china")
    assert "a financial crash took -$" in html and "growth" in html.lower()
    assert "a financial crash" not in change_html(app, "usa")


def app_orders(game: Game):  # type: ignore[no-untyped-def]
    from game.draft import Draft
    return Draft.start(game, "china").orders()
