"""History charts of the main indicators per power."""

from __future__ import annotations

import pygame

from game.ui.app import App, Screen
from game.ui.chartdraw import draw_charts, draw_legend
from game.ui.widgets import blit_text, button


class ChartsScreen(Screen):
    name = "charts"

    def __init__(self, app: App, previous: Screen) -> None:
        super().__init__(app)
        self.previous = previous
        self._cache: tuple[tuple[int, int], pygame.Surface] | None = None

    def build(self) -> None:
        app = self.app
        button(app, (app.w - app.px(200), app.px(14), app.px(186), app.px(44)), "Back [Esc]", self.back,
               ident="back", tip="Return to the game.")
        self._cache = None

    def back(self) -> None:
        self.app.show(self.previous)

    def on_key(self, key: int, mod: int) -> bool:
        if key in (pygame.K_c, pygame.K_RETURN):
            self.back()
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        app = self.app
        if self._cache is None or self._cache[0] != (app.w, app.h):
            canvas = pygame.Surface((app.w, app.h), pygame.SRCALPHA)
            blit_text(canvas, "History", (app.px(16), app.px(10)), app.px(36), app.palette.accent, True)
            draw_legend(canvas, app, (app.px(200), app.px(24)))
            draw_charts(canvas, app, pygame.Rect(app.px(16), app.px(76), app.w - app.px(32), app.h - app.px(92)))
            self._cache = ((app.w, app.h), canvas)
        surface.blit(self._cache[1], (0, 0))
