"""The main screen: top bar (year, next election or Congress, actions), the viewer's dashboard,
the world map, the live projection and news, and the orders panel."""

from __future__ import annotations

from html import escape

import pygame
import pygame_gui
from pygame_gui.elements import UIWindow

from game import explain
from game.draft import MAIN_INDICATORS, Draft
from game.engine.history import until as history_until
from game.ui import tips
from game.ui.app import App, Screen
from game.ui.dashboard import Dashboard
from game.ui.dialogs import dilemma_dialog, end_turn_dialog, leave_history_dialog, save_dialog
from game.ui.orders import TABS, OrdersPanel
from game.ui.theme import font
from game.ui.widgets import blit_text, button, fitting_size, panel, textbox
from game.ui.worldmap import WorldMap, region_tip


class MainScreen(Screen):
    name = "main"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.tab = "Budget"
        self.info_html = ""
        self.dialog: UIWindow | None = None
        self.dialog_kind = ""
        self.projection: dict[str, tuple[float, float]] = {}
        self.draft_key: object = None
        self.shown_dilemma = False

    # ------------------------------------------------------------ layout
    def build(self) -> None:
        app = self.app
        game = app.game
        assert game is not None
        m, top = app.px(12), app.px(72)
        left_w = min(max(app.px(330), int(app.w * 0.24)), app.px(470))
        right_w = min(max(app.px(400), int(app.w * 0.29)), app.px(580))
        self.left = pygame.Rect(m, top, left_w, app.h - top - m)
        self.right = pygame.Rect(app.w - right_w - m, top, right_w, app.h - top - m)
        centre_w = self.right.x - self.left.right - 2 * m
        map_h = min(int(centre_w / 2.5), int((app.h - top) * 0.5))
        self.map_rect = pygame.Rect(self.left.right + m, top, centre_w, map_h)
        bottom_y = self.map_rect.bottom + app.px(30)
        bottom_h = app.h - bottom_y - m
        if centre_w >= app.px(600):  # projection and news side by side
            half = (centre_w - m) // 2
            self.proj_rect = pygame.Rect(self.map_rect.x, bottom_y, half, bottom_h)
            self.info_rect = pygame.Rect(self.proj_rect.right + m, bottom_y, centre_w - half - m, bottom_h)
        else:  # stacked
            proj_h = min(app.px(40 + 22 * len(MAIN_INDICATORS)), bottom_h // 2 + app.px(40))
            self.proj_rect = pygame.Rect(self.map_rect.x, bottom_y, centre_w, proj_h)
            self.info_rect = pygame.Rect(self.map_rect.x, bottom_y + proj_h + m, centre_w, bottom_h - proj_h - m)
        self._top_bar()
        self.dashboard = Dashboard(app, self.left, self.explain)
        self.worldmap = WorldMap(app, game)
        self.worldmap.chips(self.map_rect, self.explain_region)
        self._projection_rows()
        self.orders = OrdersPanel(app, self.right, self.tab, self.set_tab, self.open_dilemma)
        if not self.info_html:
            self.info_html = self.news_html()
        self.info = textbox(app, (self.info_rect.x, self.info_rect.y + app.px(30), self.info_rect.w,
                                  self.info_rect.h - app.px(30)), self.info_html, cls="@plain")
        self.dialog = None
        draft = app.drafts.get(app.viewer)
        if draft and draft.pending() and not draft.answers and not self.shown_dilemma and not app.resolving:
            self.shown_dilemma = True
            self.open_dilemma()

    def _top_bar(self) -> None:
        app = self.app
        bh, y, gap = app.px(44), app.px(14), app.px(8)
        x = app.w - app.px(12)
        submit = "Submit orders" if app.hotseat and len(app.game.humans()) > 1 else "End turn"  # type: ignore[union-attr]
        wide = app.w >= app.px(1500)
        # narrow windows: the small buttons shrink to their words, leaving the title its room
        small = app.px(76) if wide else app.px(64)
        label = f"{submit}  [Enter]" if wide else submit
        # as wide as its words in the accent font (20 pt bold) need: "Submit orders  [Enter]" was cut off
        need = font(app.px(20), True).size(label)[0] + app.px(28)
        items = [(label, self.end_turn, "@accent", "end_turn", max(app.px(210 if wide else 160), need),
                  "Review the projection of your orders, then resolve the year (Enter)."),
                 ("Help", self.help, None, "help", small, "How to play (F1)."),
                 ("Menu", self.menu, None, "menu", small, "Back to the title screen (Esc); autosaved."),
                 ("Load", self.load, None, "load", small, "Load a saved game (Ctrl+L)."),
                 ("Save", self.save, None, "save", small, "Save the game (Ctrl+S)."),
                 ("Charts", self.charts, None, "charts", small + app.px(14), "History charts of every power (C).")]
        for text, cmd, cls, ident, width, tip in items:
            x -= width
            button(app, (x, y, width, bh), text, cmd, cls=cls, ident=ident, tip=tip)
            x -= gap
        self.bar_right = x
    # ------------------------------------------------------------ actions
    def set_tab(self, tab: str) -> None:
        self.tab = tab
        self.app.rebuild()

    def explain(self, indicator: str) -> None:
        app, game = self.app, self.app.game
        assert game is not None
        w = game.world
        name = tips.name_of(w, indicator)
        d = tips.indicator_def(w, indicator)
        html = f"<b>{escape(name)}</b>: {escape(d.description)}<br>"
        if app.last_report is None:
            html += f"<i>No turn has been played yet. Driven by: {escape(d.drivers)}</i>"
        else:
            report = app.last_report
            regions = explain.regional_rows(game, app.viewer, indicator, report.year, limit=len(w.region_ids))
            if regions is not None:  # standards share, model adoption: the regions' picture
                label = explain.regional_label(game, app.viewer, indicator)
                html += f"<b>{escape(label[:1].upper() + label[1:])} in {report.year}:</b><br>"
                html += "<br>".join(escape(x) for x in regions) + "<br>"
            else:
                kind, causes = explain.causes(game, report, app.viewer, indicator)
                head = {"why": "Why it changed", "change by component": "Why it changed, by component",
                        "now made of": "What its value is now made of"}[kind]
                html += f"<b>{head} in {report.year}:</b><br>"
                for cause, amount in causes[:8]:
                    if kind == "now made of":  # the residual alone names nothing: no line for it
                        part = explain.causes_text(w, kind, [(cause, amount)], indicator)
                        html += f"{escape(part)}<br>" if part else ""
                    else:
                        html += f"{escape(cause)}: {tips.fmt_change(w, indicator, amount)}<br>"
                if not causes:
                    html += "no change<br>"
        self.info_html = html
        self.info.set_text(html)

    def explain_region(self, region: str) -> None:
        game = self.app.game
        assert game is not None
        self.info_html = region_tip(game, region)
        self.info.set_text(self.info_html)

    def _projection_rows(self) -> None:
        """Invisible rows over the drawn projection, so every indicator shown has its tooltip."""
        app, game = self.app, self.app.game
        assert game is not None
        y, step = self.proj_rect.y + app.px(34), self._proj_step()
        for ind in MAIN_INDICATORS:
            if y + step > self.proj_rect.bottom + app.px(4):
                break
            button(app, (self.proj_rect.x + app.px(4), y - app.px(2), self.proj_rect.w - app.px(8), step), "",
                   lambda i=ind: self.explain(i), cls="@rowsmall", ident=f"proj_{ind}",  # type: ignore[misc]
                   tip=tips.indicator_tip(game.world, ind))
            y += step

    def _proj_step(self) -> int:
        app = self.app
        return min(app.px(30), max(app.px(20), (self.proj_rect.h - app.px(40)) // len(MAIN_INDICATORS)))

    def news_html(self) -> str:
        game = self.app.game
        assert game is not None
        news = game.history[-1].get("news") or []
        # the panel heading is too short to say how to get the causes: the first line says it
        hint = "<i>Click an indicator or a region to see why.</i><br>"
        if not news:
            return f"{hint}<b>Briefing</b><br>{escape(game.scenario.spec.briefing)}"
        return f"{hint}<b>News of the year</b><br>" + "<br>".join(escape(n) for n in news[:12])

    def open_dilemma(self) -> None:
        draft = self.app.drafts.get(self.app.viewer)
        if draft is None or (self.dialog is not None and self.dialog.alive()):
            return
        if draft.pending() is None:  # D with nothing to decide: say so rather than do nothing
            self.app.flash("No dilemma to decide this year.")
            return
        self.dialog = dilemma_dialog(self.app, draft, self.app.rebuild)
        self.dialog_kind = "dilemma"

    def end_turn(self) -> None:
        app = self.app
        if app.resolving or (self.dialog is not None and self.dialog.alive()):
            return
        draft = app.drafts[app.viewer]
        word = "Submit orders" if app.hotseat and len(app.game.humans()) > 1 else "End turn"  # type: ignore[union-attr]
        self.dialog = end_turn_dialog(app, draft, self.confirm, word)
        self.dialog_kind = "confirm"

    def confirm(self) -> None:
        error = self.app.submit(self.app.viewer)
        if error:
            self.app.flash(error, bad=True)

    def ask_leave_history(self) -> None:
        """H in history mode: ask first (leaving cannot be undone), then leave history."""
        app = self.app
        game = app.game
        if game is None or not game.in_history:
            app.flash("H leaves history, but this game is not in history mode.")
            return
        if self.dialog is not None and self.dialog.alive():
            self.dialog.kill()  # the dilemma dialog, when H is pressed facing history's dilemma
        self.dialog = leave_history_dialog(app, self.leave_history)
        self.dialog_kind = "history"

    def leave_history(self) -> None:
        """Leave history now; from next year on the random deck takes over."""
        app = self.app
        game = app.game
        assert game is not None
        game.leave_history()
        # a dilemma history had put for next year is withdrawn: the drafts start afresh
        app.drafts = {p: Draft.start(game, p) for p in game.humans()}
        app.flash(f"You left history: from {game.year + 1} the years are yours to write.")
        app.rebuild()

    def save(self) -> None:
        if self.dialog is None or not self.dialog.alive():
            self.dialog = save_dialog(self.app)
            self.dialog_kind = "save"

    def load(self) -> None:
        from game.ui.screens.files import LoadScreen
        self.app.show(LoadScreen(self.app, self))

    def charts(self) -> None:
        from game.ui.screens.charts import ChartsScreen
        self.app.show(ChartsScreen(self.app, self))

    def help(self) -> None:
        from game.ui.screens.help import HelpScreen
        self.app.show(HelpScreen(self.app, self))

    def menu(self) -> None:
        from game.ui.screens.title import TitleScreen
        self.app.autosave()
        self.app.show(TitleScreen(self.app))

    # ------------------------------------------------------------ keys
    def on_key(self, key: int, mod: int) -> bool:
        if self.app.resolving:
            return True
        ctrl = bool(mod & pygame.KMOD_CTRL)
        if self.dialog is not None and self.dialog.alive():
            return self._dialog_key(key)
        if ctrl and key == pygame.K_s:
            self.save()
        elif ctrl and key == pygame.K_l:
            self.load()
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.end_turn()
        elif key == pygame.K_TAB:
            step = -1 if mod & pygame.KMOD_SHIFT else 1
            self.set_tab(TABS[(TABS.index(self.tab) + step) % len(TABS)])
        elif pygame.K_1 <= key <= pygame.K_4:
            self.set_tab(TABS[key - pygame.K_1])
        elif key == pygame.K_c:
            self.charts()
        elif key == pygame.K_d:
            self.open_dilemma()
        elif key == pygame.K_h:
            self.ask_leave_history()
        elif self.tab == "Budget" and key in (pygame.K_UP, pygame.K_DOWN):
            self.orders.selected += 1 if key == pygame.K_DOWN else -1
        elif self.tab == "Budget" and key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.orders.nudge(1 if key == pygame.K_RIGHT else -1)
        else:
            return False
        return True

    def _dialog_key(self, key: int) -> bool:
        assert self.dialog is not None
        if key == pygame.K_ESCAPE:
            self.dialog.kill()
        elif self.dialog_kind == "confirm" and key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.dialog.kill()
            self.confirm()
        elif self.dialog_kind == "save" and key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.dialog.save_action()  # type: ignore[attr-defined]
        elif self.dialog_kind == "dilemma" and key == pygame.K_h:  # facing history's dilemma, leave history
            self.ask_leave_history()
        elif self.dialog_kind == "history" and key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.dialog.kill()
            self.leave_history()
        elif self.dialog_kind == "dilemma" and pygame.K_1 <= key <= pygame.K_3:
            draft = self.app.drafts[self.app.viewer]
            event = draft.pending()
            w = draft.game.world
            if event is not None:
                choices = w.scenario.rules.events[w.event_ids.index(event)].choices
                if key - pygame.K_1 < len(choices):
                    draft.answer(event, choices[key - pygame.K_1].id)
                    self.dialog.kill()
                    self.app.rebuild()
        else:
            return False
        return True

    def back(self) -> None:
        if self.dialog is not None and self.dialog.alive():
            self.dialog.kill()
        else:
            self.menu()

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is self.dialog:
            self.dialog = None
        elif (event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and self.dialog_kind == "save"
              and self.dialog is not None and self.dialog.alive()):
            self.dialog.save_action()  # type: ignore[attr-defined]
        self.orders.on_event(event)

    # ------------------------------------------------------------ drawing
    def update(self, dt: float) -> None:
        draft = self.app.drafts.get(self.app.viewer)
        if draft is None or self.app.resolving:
            return
        key = draft.orders().dumps()
        if key != self.draft_key:  # at most once a frame, and only when the draft changed (~5 ms)
            self.draft_key = key
            self.projection = draft.project()

    def draw(self, surface: pygame.Surface) -> None:
        app, pal, game = self.app, self.app.palette, self.app.game
        assert game is not None
        w = game.world
        blit_text(surface, str(game.year), (app.px(16), app.px(8)), app.px(40), pal.accent, True)
        turns = f"turn {game.state.turn + 1} of {w.n_turns}"
        miles = game.next_milestones()
        mine = miles.get(app.viewer, "")
        others = [f"{w.power_names[w.power_index(p)]}: {v}" for p, v in miles.items() if p != app.viewer]
        room = self.bar_right - app.px(140)
        title = f"{game.scenario.spec.name} · {turns}"
        if game.in_history:  # the years play as they happened: say so, and how to leave
            title += f" · history to {history_until(w)} [H]"
        blit_text(surface, title, (app.px(130), app.px(10)), fitting_size(title, app.px(17), app.px(14), room, True),
                  pal.text, True, width=room)
        votes = f"Next for you: {mine or 'no vote ahead'}  ·  " + "  ·  ".join(others)
        blit_text(surface, votes, (app.px(130), app.px(36)), fitting_size(votes, app.px(16), app.px(13), room),
                  pal.dim, width=room)
        panel(surface, app, self.left)
        self.dashboard.draw(surface)
        self.worldmap.draw(surface, self.map_rect)
        self.worldmap.legend(surface, (self.map_rect.x, self.map_rect.bottom + app.px(6)), self.map_rect.w)
        panel(surface, app, self.right)
        self.orders.draw(surface)
        panel(surface, app, self.proj_rect, "Projection: if you end the turn now")
        self._projection(surface)
        panel(surface, app, self.info_rect, "News and causes")

    def _projection(self, surface: pygame.Surface) -> None:
        app, pal, game = self.app, self.app.palette, self.app.game
        assert game is not None
        w = game.world
        y = self.proj_rect.y + app.px(34)
        step = self._proj_step()
        for ind in MAIN_INDICATORS:
            if ind not in self.projection or y + step > self.proj_rect.bottom + app.px(4):
                continue
            now, after = self.projection[ind]
            good = None if explain.negligible(w, ind, after - now) else tips.good_change(w, ind, after - now)
            colour = pal.dim if good is None else (pal.good if good else pal.bad)
            x = self.proj_rect.x + app.px(12)
            blit_text(surface, tips.name_of(w, ind), (x, y), app.px(15), pal.text,
                      width=self.proj_rect.w - app.px(200))
            blit_text(surface, tips.fmt(w, ind, after), (self.proj_rect.right - app.px(96), y), app.px(15),
                      pal.text, True, "topright")
            blit_text(surface, "=" if good is None else tips.fmt_change(w, ind, after - now),
                      (self.proj_rect.right - app.px(12), y),
                      app.px(15), colour, True, "topright")
            y += step


__all__ = ["MainScreen"]
