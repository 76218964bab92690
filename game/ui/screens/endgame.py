"""End of game: final scores, the historians' verdict and the charts; for a game left unfinished
(autoplay stops after N turns) the standings so far, with a leader and no verdict."""

from __future__ import annotations

from html import escape
from typing import Any

import pygame

from game import explain
from game.engine.score import COMPONENTS
from game.ui.app import Screen
from game.ui.chartdraw import draw_charts, draw_legend
from game.ui.widgets import blit_text, button, textbox


class EndScreen(Screen):
    name = "end"

    def build(self) -> None:
        app, game = self.app, self.app.game
        assert game is not None
        res = game.result()
        w = game.world
        over = bool(res["over"])
        rows = [f"<b>{escape(self.heading(res))}</b>"]
        ranked = sorted(res["scores"].items(), key=lambda kv: -kv[1])
        if over and res["winner"]:
            rows.append(f"Outcome: <b>{escape(res['outcome'])}</b>, "
                        f"{escape(w.power_names[w.power_index(res['winner'])])} leads "
                        f"({escape(str(res['victory_type']))})")
        elif over:
            rows.append(f"Outcome: <b>{escape(res['outcome'].replace('_', ' '))}</b>")
        elif res["winner"] and len(ranked) > 1:
            # an unfinished game has a leader, not a winner: no "won by", no historians' verdict yet
            lead = ranked[0][1] - ranked[1][1]
            rows.append(f"<b>{escape(w.power_names[w.power_index(res['winner'])])}</b> is leading by "
                        f"{lead:.1f} points, above all on {escape(str(res['victory_type']))}.")
        else:
            rows.append("Too close to call: the leaders are within the draw margin.")
        for pid, score in ranked:
            parts = "; ".join(explain.score_parts(game, pid, {c: res["components"][pid][c] for c in COMPONENTS}))
            rows.append(f"<b>{escape(w.power_names[w.power_index(pid)])}: {score:.1f}</b>  ({escape(parts)})")
        rows.append(f"<i>{escape(explain.SCORE_PAR_NOTE)}</i>")
        if over:
            verdict = str(res["verdict"]).removeprefix("Historians' verdict: ")
            rows.append(f"<br><b>The historians' verdict</b><br><i>{escape(verdict)}</i>")
        else:
            rows.append(f"<br><i>The game runs to {game.scenario.spec.end_year}; the historians give their verdict "
                        "when it ends.</i>")
        height = min(app.px(40 + 31 * (len(rows) + 3)), int(app.h * 0.45))
        self.text_rect = pygame.Rect(app.px(16), app.px(72), app.w - app.px(32), height)
        textbox(app, self.text_rect.topleft + self.text_rect.size, "<br>".join(rows))
        button(app, (app.w - app.px(236), app.px(14), app.px(220), app.px(44)), "Title screen [Esc]", self.back,
               ident="title", tip="Back to the title screen.")
        self._cache: tuple[tuple[int, int], pygame.Surface] | None = None

    @staticmethod
    def heading(res: dict[str, Any]) -> str:
        if res["over"]:
            return f"The game is over ({res['year']})"
        return f"Standings in {res['year']}: the game is not finished"

    def back(self) -> None:
        from game.ui.screens.title import TitleScreen
        self.app.show(TitleScreen(self.app))

    def on_key(self, key: int, mod: int) -> bool:
        if key == pygame.K_RETURN:
            self.back()
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        app = self.app
        if self._cache is None or self._cache[0] != (app.w, app.h):
            canvas = pygame.Surface((app.w, app.h), pygame.SRCALPHA)
            title = "End of the game" if self.app.game is not None and self.app.game.over else "Standings so far"
            blit_text(canvas, title, (app.px(16), app.px(10)), app.px(36), app.palette.accent, True)
            top = self.text_rect.bottom + app.px(12)
            draw_legend(canvas, app, (app.px(16), top))
            draw_charts(canvas, app, pygame.Rect(app.px(16), top + app.px(30), app.w - app.px(32),
                                                 app.h - top - app.px(46)))
            self._cache = ((app.w, app.h), canvas)
        surface.blit(self._cache[1], (0, 0))
