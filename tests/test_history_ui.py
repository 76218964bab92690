"""History mode on the desktop: New game offers it for a scenario with a history deck, with the
year up to which the years play as they happened, and the game starts in that mode."""

from __future__ import annotations

import pygame
import pygame_gui
from test_ui import app, find, frames, key, pick  # noqa: F401  (the `app` fixture is used by name)


def test_new_game_plays_history_to_the_chosen_year(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    key(app, pygame.K_n)
    assert not any(e.get_object_ids()[-1] == "#history" for e in app.manager.get_sprite_group().sprites()), \
        "digital-leninism-2017 has no history deck: no history option"
    menu = find(app, "#scenario")
    pygame.event.post(pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED, ui_element=menu,
                                         text="transatlantic-2017", selected_option_id="transatlantic-2017",
                                         ui_object_id="#scenario"))
    frames(app, 3)
    assert find(app, "#history").selected_option[1] == "off"  # opt-in
    pick(app, "#history", "2020")
    key(app, pygame.K_RETURN)
    assert app.screen.name == "main"
    assert app.game.history_mode == {"until": 2020}
    china = app.game.world.power_index("china")
    assert app.game.world.event_ids[app.game.state.pending[0, china]] == "zte_denial_order"
