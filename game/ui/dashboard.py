"""The player's dashboard (indicators with tooltips; click one to see why it changed) and the
compact view of the rivals."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game.match import HUMAN
from game.ui import explain, tips
from game.ui.widgets import blit_text, button

if TYPE_CHECKING:
    from game.ui.app import App


def dashboard_indicators(app: App, power: str) -> list[str]:
    """What the dashboard shows for a power: the doctrine decides legitimacy vs approval."""
    assert app.game is not None
    w = app.game.world
    autocratic = bool(w.autocratic[w.power_index(power)])
    rows = ["gdp", "growth"]
    rows += ["reported_growth"] if autocratic else []
    rows += ["stability", "legitimacy" if autocratic else "approval", "protest", "political_capital",
             "data_stock", "data_quality", "ai_capability", "champions", "standards_share", "model_adoption",
             "bubble", CRASH_RISK]
    rows += [] if autocratic else ["privacy_trust"]
    return rows


# Not an indicator: the yearly chance of a financial crash at the current bubble, shown under it
# (the bubble alone gave no warning although crashes happen).
CRASH_RISK = "crash_risk"


def crash_tip(app: App) -> str:
    assert app.game is not None
    fi = app.game.world.coef.finance
    return ("<b>Crash risk</b><br>The chance a year that the asset bubble bursts at its present size: "
            f"none while the bubble index is below {fi.crash_floor:g}, about half at "
            f"{fi.crash_threshold:.2f} and rising steeply around it. A crash destroys about "
            f"{100 * fi.crash_loss:.0f}% of output and costs trust.<br>Loose credit builds the bubble; "
            "macro-prudential policy and, for a planner, good real-time data deflate it.")


def label_of(app: App, indicator: str) -> str:
    """A dashboard row's name; an index says its scale, so "14.01" is not a bare number."""
    assert app.game is not None
    if indicator == CRASH_RISK:
        return "Crash risk a year"
    w = app.game.world
    name = SHORT.get(indicator, tips.name_of(w, indicator))
    d = tips.indicator_def(w, indicator)
    if d.unit == "index":
        name += f" ({d.bounds[0]:g}-{d.bounds[1]:g})" if d.bounds[1] <= 100 else " (index)"
    return name


# Shorter names where the rules' names would crowd a narrow column (the tooltip has the full name).
SHORT = {"protest": "Protest", "champions": "Champions", "political_capital": "Political capital",
         "reported_growth": "Official growth", "privacy_trust": "Privacy trust"}


class Dashboard:
    """Left column: the viewer's indicators, then the rivals."""

    def __init__(self, app: App, rect: pygame.Rect, on_pick: Callable[[str], None]) -> None:
        self.app = app
        self.rect = rect
        self.rows: list[tuple[str, pygame.Rect]] = []
        self.rivals: list[tuple[str, pygame.Rect]] = []
        self.on_pick = on_pick
        game = app.game
        assert game is not None
        row_h = app.px(29)
        y = rect.y + app.px(40)
        for ind in dashboard_indicators(app, app.viewer):
            r = pygame.Rect(rect.x + app.px(6), y, rect.w - app.px(12), row_h)
            if ind == CRASH_RISK:  # its tooltip says all there is; a click explains the bubble
                button(app, r.topleft + r.size, label_of(app, ind), lambda: self.pick("bubble"), tip=crash_tip(app),
                       cls="@row", ident=f"ind_{ind}")
            else:
                tip = tips.indicator_tip(game.world, ind)
                if ind == "bubble":
                    risk = explain.crash_risk(game.world, game.value(app.viewer, ind))
                    tip += f"<br><b>Crash risk at this size: {100 * risk:.0f}% a year.</b>"
                button(app, r.topleft + r.size, label_of(app, ind), lambda i=ind: self.pick(i),  # type: ignore[misc]
                       tip=tip, cls="@row", ident=f"ind_{ind}")
            self.rows.append((ind, r))
            y += row_h
        y += app.px(40)
        for pid in game.world.power_ids:
            if pid == app.viewer:
                continue
            r = pygame.Rect(rect.x + app.px(6), y, rect.w - app.px(12), app.px(56))
            who = game.seats[pid]
            seat = tips.seat_text(who)
            summary = tips.seat_summary(who)
            button(app, r.topleft + r.size, "", lambda: None, cls="@row", ident=f"rival_{pid}",
                   tip=f"<b>{game.world.power_names[game.world.power_index(pid)]}</b> ({seat})<br>{summary}")
            self.rivals.append((pid, r))
            y += r.h + app.px(4)
        self.situations: list[pygame.Rect] = []
        p = game.world.power_index(app.viewer)
        rules = game.world.scenario.rules
        y += app.px(30)
        for s, sit in enumerate(rules.situations):
            if game.state.situation[0, p, s] and y + app.px(28) < rect.bottom:
                r = pygame.Rect(rect.x + app.px(6), y, rect.w - app.px(12), app.px(28))
                button(app, r.topleft + r.size, sit.name, lambda: None, cls="@rowsmall", ident=f"situation_{sit.id}",
                       tip=f"<b>{sit.name}</b> (situation in force)<br>{sit.description}"
                           + (f"<br><i>{sit.source}</i>" if sit.source else ""))
                self.situations.append(r)
                y += r.h

    def _draw_crash_risk(self, surface: pygame.Surface, r: pygame.Rect, prev: dict[str, float] | None) -> None:
        app, pal, game = self.app, self.app.palette, self.app.game
        assert game is not None
        w = game.world
        risk = explain.crash_risk(w, game.value(app.viewer, "bubble"))
        colour = pal.bad if risk >= 0.1 else pal.text  # one year in ten is a real threat
        blit_text(surface, f"{100 * risk:.0f}%", (r.right - app.px(84), r.centery), app.px(18), colour, True,
                  "midright")
        if prev is not None and "bubble" in prev:
            delta = risk - explain.crash_risk(w, float(prev["bubble"]))
            if abs(delta) >= 0.0005:
                blit_text(surface, f"{100 * delta:+.1f} pp", (r.right - app.px(6), r.centery), app.px(15),
                          pal.bad if delta > 0 else pal.good, True, "midright")

    def pick(self, indicator: str) -> None:
        self.on_pick(indicator)

    def draw(self, surface: pygame.Surface) -> None:
        app, pal, game = self.app, self.app.palette, self.app.game
        assert game is not None
        w = game.world
        name = w.power_names[w.power_index(app.viewer)]
        blit_text(surface, name, (self.rect.x + app.px(12), self.rect.y + app.px(6)), app.px(22),
                  app.power_colour(app.viewer), True)
        prev = game.history[-2]["powers"][app.viewer] if len(game.history) > 1 else None
        for ind, r in self.rows:
            if ind == CRASH_RISK:
                self._draw_crash_risk(surface, r, prev)
                continue
            value = game.value(app.viewer, ind)
            text = tips.fmt(w, ind, value)
            blit_text(surface, text, (r.right - app.px(84), r.centery), app.px(18), pal.text, True, "midright")
            if prev is not None and ind in prev:
                delta = value - float(prev[ind])
                good = None if explain.negligible(w, ind, delta) else tips.good_change(w, ind, delta)
                colour = pal.dim if good is None else (pal.good if good else pal.bad)
                text = "=" if good is None else tips.fmt_change(w, ind, delta)
                blit_text(surface, text, (r.right - app.px(6), r.centery), app.px(15), colour, True, "midright")
        if self.rivals:
            top = self.rivals[0][1].y - app.px(30)
            blit_text(surface, "RIVALS", (self.rect.x + app.px(12), top), app.px(15), pal.dim, True)
        if self.situations:
            top = self.situations[0].y - app.px(26)
            blit_text(surface, "SITUATIONS IN FORCE", (self.rect.x + app.px(12), top), app.px(15), pal.dim, True)
        for pid, r in self.rivals:
            p = w.power_index(pid)
            pygame.draw.rect(surface, app.power_colour(pid), (r.x, r.y + app.px(4), app.px(5), r.h - app.px(8)))
            seat = "human" if game.seats[pid] == HUMAN else tips.seat_text(game.seats[pid])
            head = blit_text(surface, w.power_names[p], (r.x + app.px(14), r.y + app.px(3)), app.px(17),
                             app.power_colour(pid), True)
            blit_text(surface, seat, (head.right + app.px(10), r.y + app.px(6)), app.px(13), pal.dim,
                      width=r.right - head.right - app.px(16))
            stab = "legitimacy" if w.autocratic[p] else "approval"
            line = (f"GDP {tips.fmt(w, 'gdp', game.value(pid, 'gdp'))} · growth "
                    f"{tips.fmt(w, 'growth', game.value(pid, 'growth'))} · stability "
                    f"{game.value(pid, 'stability'):.0f}")
            # whole percentages: with "legitimacy" the line would not fit the column at 1280x720
            line2 = (f"{stab} {game.value(pid, stab):.0f} · model "
                     f"{100 * game.value(pid, 'model_adoption'):.0f}% · standards "
                     f"{100 * game.value(pid, 'standards_share'):.0f}%"
                     + (" · COLLAPSED" if game.collapsed(pid) else ""))
            width = r.w - app.px(20)
            blit_text(surface, line, (r.x + app.px(14), r.y + app.px(23)), app.px(14), pal.text, width=width)
            blit_text(surface, line2, (r.x + app.px(14), r.y + app.px(39)), app.px(14), pal.dim, width=width)
