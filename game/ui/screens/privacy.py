"""Hot-seat privacy screen: nothing of one player's orders shows while the computer is passed."""

from __future__ import annotations

import pygame

from game.ui.app import App, Screen
from game.ui.widgets import blit_text, button


class PrivacyScreen(Screen):
    name = "privacy"

    def __init__(self, app: App, power: str) -> None:
        super().__init__(app)
        self.power = power

    def build(self) -> None:
        app = self.app
        button(app, (app.w // 2 - app.px(200), app.h // 2 + app.px(60), app.px(400), app.px(64)),
               "I am ready  [Enter]", self.ready, cls="@accent", ident="ready",
               tip="Show this power's dashboard and orders.")

    def ready(self) -> None:
        from game.ui.screens.main import MainScreen
        from game.ui.screens.report import ReportScreen
        self.app.viewer = self.power
        if self.power in self.app.reviewing and self.app.last_report is not None:
            self.app.show(ReportScreen(self.app, seat=self.power))  # this player's own review first
        else:
            self.app.show(MainScreen(self.app))

    def on_key(self, key: int, mod: int) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.ready()
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        app, game = self.app, self.app.game
        assert game is not None
        name = game.world.power_names[game.world.power_index(self.power)]
        blit_text(surface, f"Pass the computer to {name}", (app.w // 2, app.h // 2 - app.px(80)), app.px(48),
                  app.power_colour(self.power), True, "midbottom")
        blit_text(surface, f"{game.year}: other players, please look away while {name} gives orders.",
                  (app.w // 2, app.h // 2 - app.px(40)), app.px(22), app.palette.text, False, "midbottom")
