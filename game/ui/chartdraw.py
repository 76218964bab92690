"""History charts drawn in the game: one small line chart per indicator, a line per power."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui import tips
from game.ui.widgets import blit_text

if TYPE_CHECKING:
    from game.ui.app import App

CHARTS = ("gdp", "growth", "stability", "model_adoption", "standards_share", "data_stock",
          "ai_capability", "political_capital")


def draw_chart(surface: pygame.Surface, app: App, rect: pygame.Rect, indicator: str) -> None:
    game, pal = app.game, app.palette
    assert game is not None
    w = game.world
    pygame.draw.rect(surface, pal.panel, rect, border_radius=app.px(8))
    pygame.draw.rect(surface, pal.line, rect, 1, border_radius=app.px(8))
    blit_text(surface, tips.name_of(w, indicator), (rect.x + app.px(10), rect.y + app.px(6)), app.px(17),
              pal.text, True)
    plot = pygame.Rect(rect.x + app.px(64), rect.y + app.px(36), rect.w - app.px(80), rect.h - app.px(64))
    rows = game.history
    years = [r["year"] for r in rows]
    series = {p: [float(r["powers"][p][indicator]) for r in rows] for p in w.power_ids}
    values = [v for s in series.values() for v in s]
    lo, hi = min(values), max(values)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.08
    lo, hi = lo - pad, hi + pad
    x0, x1 = w.start_year, max(w.end_year, years[-1])
    for frac in (0.0, 0.5, 1.0):
        y = plot.bottom - frac * plot.h
        pygame.draw.line(surface, pal.line, (plot.x, y), (plot.right, y), 1)
        blit_text(surface, tips.fmt(w, indicator, lo + frac * (hi - lo)), (plot.x - app.px(6), int(y)),
                  app.px(12), pal.dim, False, "midright")
    for year in (x0, (x0 + x1) // 2, x1):
        x = plot.x + (year - x0) / max(1, x1 - x0) * plot.w
        blit_text(surface, str(year), (int(x), plot.bottom + app.px(4)), app.px(12), pal.dim, False, "midtop")
    for p, pid in enumerate(w.power_ids):
        pts = [(plot.x + (yr - x0) / max(1, x1 - x0) * plot.w, plot.bottom - (v - lo) / (hi - lo) * plot.h)
               for yr, v in zip(years, series[pid], strict=True)]
        colour = app.power_colour(pid)
        if len(pts) > 1:
            pygame.draw.lines(surface, colour, False, pts, max(2, app.px(3)))
        pygame.draw.circle(surface, colour, (int(pts[-1][0]), int(pts[-1][1])), app.px(4))
        del p


def draw_charts(surface: pygame.Surface, app: App, rect: pygame.Rect, indicators: tuple[str, ...] = CHARTS,
                columns: int = 4) -> None:
    rows = (len(indicators) + columns - 1) // columns
    gap = app.px(10)
    cw = (rect.w - gap * (columns - 1)) // columns
    ch = (rect.h - gap * (rows - 1)) // rows
    for i, ind in enumerate(indicators):
        r = pygame.Rect(rect.x + (i % columns) * (cw + gap), rect.y + (i // columns) * (ch + gap), cw, ch)
        draw_chart(surface, app, r, ind)


def draw_legend(surface: pygame.Surface, app: App, pos: tuple[int, int]) -> None:
    game = app.game
    assert game is not None
    x, y = pos
    for p, pid in enumerate(game.world.power_ids):
        pygame.draw.rect(surface, app.power_colour(pid), (x, y + app.px(5), app.px(24), app.px(8)))
        r = blit_text(surface, game.world.power_names[p], (x + app.px(30), y), app.px(16), app.palette.text, True)
        x = r.right + app.px(24)
