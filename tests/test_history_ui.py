"""History mode on the desktop: New game offers it for a scenario with a history deck, with the
year up to which the years play as they happened, and the game starts in that mode."""

from __future__ import annotations

from typing import Any

import pygame
import pygame_gui
from test_ui import app, find, frames, key, pick, settle  # noqa: F401  (the `app` fixture is used by name)

from game.match import HUMAN, Game


def _choose_scenario(ui: Any, name: str) -> None:
    menu = find(ui, "#scenario")
    pygame.event.post(pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED, ui_element=menu, text=name,
                                         selected_option_id=name, ui_object_id="#scenario"))
    frames(ui, 3)


def _has_history_option(ui: Any) -> bool:
    return any(e.get_object_ids()[-1] == "#history" for e in ui.manager.get_sprite_group().sprites())


def test_new_game_plays_history_to_the_chosen_year(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    key(app, pygame.K_n)
    _choose_scenario(app, "present-day-2024")
    assert not _has_history_option(app), "present-day-2024 has no history deck: no history option"
    _choose_scenario(app, "transatlantic-2017")
    assert find(app, "#history").selected_option[1] == "off"  # opt-in
    pick(app, "#history", "2020")
    key(app, pygame.K_RETURN)
    assert app.screen.name == "main"
    assert app.game.history_mode == {"until": 2020}
    china = app.game.world.power_index("china")
    assert app.game.world.event_ids[app.game.state.pending[0, china]] == "zte_denial_order"


def test_new_game_offers_history_in_digital_leninism(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The flagship two-power scenario plays the same deck without the EU: the same option."""
    key(app, pygame.K_n)
    assert find(app, "#scenario").selected_option[1] == "digital-leninism-2017"
    assert find(app, "#history").selected_option[1] == "off"
    pick(app, "#history", "2021")
    key(app, pygame.K_RETURN)
    assert app.screen.name == "main"
    assert app.game.scenario.id == "digital-leninism-2017" and app.game.history_mode == {"until": 2021}
    usa = app.game.world.power_index("usa")
    assert app.game.world.event_ids[app.game.state.pending[0, usa]] == "section_301_tariffs"


def test_h_leaves_history_and_the_turn_still_resolves(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    game = Game.new("transatlantic-2017", {"china": HUMAN}, seed=2, history_mode=True)
    app.start(game)
    frames(app, 2)
    china = game.world.power_index("china")
    assert game.world.event_ids[game.state.pending[0, china]] == "zte_denial_order"
    # the dilemma says which answer history gave, and how to leave history
    assert "what history chose" in find(app, "#choice_settle").text
    assert "what history chose" not in find(app, "#choice_let_it_fall").text
    key(app, pygame.K_h)  # leaving cannot be undone: asked first, and Esc stays in history
    assert game.in_history and app.screen.dialog_kind == "history" and find(app, "#confirm_leave_history")
    key(app, pygame.K_ESCAPE)
    assert game.in_history and game.state.pending[0, china] >= 0
    key(app, pygame.K_h)
    key(app, pygame.K_RETURN)
    assert not game.in_history and "You left history" in app.message
    assert game.state.pending[0, china] < 0  # history's 2018 dilemma is withdrawn
    key(app, pygame.K_RETURN)  # End turn, then confirm
    key(app, pygame.K_RETURN)
    settle(app)
    assert game.year == 2018
    assert not any("GDPR in force" in line for line in game.history[-1]["news"])
    if app.screen.name != "main":
        key(app, pygame.K_RETURN)  # continue from the turn report
    assert app.screen.name == "main"
    if app.screen.dialog is not None and app.screen.dialog.alive():
        key(app, pygame.K_ESCAPE)  # a dilemma from the random deck
    key(app, pygame.K_h)
    assert "not in history mode" in app.message
