"""The title screen: New game, Continue, Load game, Settings, How to play, Quit."""

from __future__ import annotations

import pygame

from game.ui import settings as settings_mod
from game.ui.app import Screen
from game.ui.widgets import blit_text, button
from game.ui.worldmap import WorldMap

ESSAY = ("After the 2017 MERICS essay on China's \"digital Leninism\": can a party-state with big data "
         "out-plan markets and democracies?")


class TitleScreen(Screen):
    name = "title"

    def build(self) -> None:
        app = self.app
        self.backdrop = WorldMap(app, None)
        bw, bh, gap = app.px(340), app.px(56), app.px(14)
        x = app.w // 2 - bw // 2
        y = int(app.h * 0.42)
        items = [("New game   [N]", self.new_game, "Choose a scenario and who plays each power."),
                 ("Continue   [C]", self.resume, "Resume the autosave of your last game."),
                 ("Load game   [L]", self.load, "Open a saved game."),
                 ("Settings   [S]", self.settings, "Window size, full screen, UI scale, colours, sound."),
                 ("How to play   [H]", self.help, "The game in two minutes."),
                 ("Quit   [Q]", self.quit, "Close Systemic.")]
        if not settings_mod.autosave_path().exists():
            items.pop(1)
        for text, cmd, tip in items:
            button(app, (x, y, bw, bh), text, cmd, tip=tip, cls="@bigbutton", ident=text.split()[0].lower())
            y += bh + gap

    def new_game(self) -> None:
        from game.ui.screens.newgame import NewGameScreen
        self.app.show(NewGameScreen(self.app))

    def resume(self) -> None:
        self.app.load_game(settings_mod.autosave_path())

    def load(self) -> None:
        from game.ui.screens.files import LoadScreen
        self.app.show(LoadScreen(self.app, self))

    def settings(self) -> None:
        from game.ui.screens.settings_screen import SettingsScreen
        self.app.show(SettingsScreen(self.app, self))

    def help(self) -> None:
        from game.ui.screens.help import HelpScreen
        self.app.show(HelpScreen(self.app, self))

    def quit(self) -> None:
        self.app.running = False

    def on_key(self, key: int, mod: int) -> bool:
        actions = {pygame.K_n: self.new_game, pygame.K_l: self.load, pygame.K_s: self.settings,
                   pygame.K_h: self.help, pygame.K_q: self.quit, pygame.K_RETURN: self.new_game}
        if settings_mod.autosave_path().exists():
            actions[pygame.K_c] = self.resume
        if mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META):
            return False  # Ctrl+S is "save" elsewhere: on the title screen it must not open Settings
        if key in actions:
            actions[key]()
            return True
        return False

    def back(self) -> None:
        self.quit()

    def draw(self, surface: pygame.Surface) -> None:
        app, pal = self.app, self.app.palette
        self.backdrop.draw(surface, pygame.Rect(0, 0, app.w, app.h), dim=True)
        cx = app.w // 2
        blit_text(surface, "SYSTEMIC", (cx, int(app.h * 0.12)), app.px(96), pal.accent, True, "midtop")
        blit_text(surface, "Global systemic competition in the age of big data",
                  (cx, int(app.h * 0.12) + app.px(122)), app.px(28), pal.text, False, "midtop")
        blit_text(surface, ESSAY, (cx, app.h - app.px(34)), app.px(15), pal.dim, False, "midbottom")
