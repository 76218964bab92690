"""The orders panel: budget sliders, policies with their political-capital cost, agreements.

Every control edits the viewer's Draft only; the game state changes at End turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui
from pygame_gui.elements import UIDropDownMenu, UIHorizontalSlider

from game.ui import tips
from game.ui.theme import font
from game.ui.widgets import blit_text, button, label, oid

if TYPE_CHECKING:
    from game.draft import Draft
    from game.ui.app import App

TABS = ("Budget", "Policies", "Diplomacy", "Dilemma")
FULLY_SPENT = "The budget is fully spent: lower another lever first."


class OrdersPanel:
    """Right column. `tab` selects the content; the screen rebuilds it on a tab change."""

    def __init__(self, app: App, rect: pygame.Rect, tab: str, on_tab: Any, on_dilemma: Any) -> None:
        self.app, self.rect, self.tab = app, rect, tab
        self.draft: Draft = app.drafts[app.viewer]
        self.sliders: dict[Any, str] = {}
        self.slider_of: dict[str, UIHorizontalSlider] = {}
        self.value_rows: list[tuple[str, pygame.Rect]] = []
        self.dropdowns: dict[Any, str] = {}
        self.selected = 0
        texts = [f"{name} (!)" if name == "Dilemma" and self.draft.pending() and not self.draft.answers else name
                 for name in TABS]
        # widths follow the words (equal widths cut "Dilemma (!)" at 1280x720): each tab gets its
        # text and the spare room is shared out evenly
        tab_font = font(app.px(17), bold=True)
        needs = [tab_font.size(t)[0] + app.px(12) for t in texts]
        spare = max(0, rect.w - app.px(12) - sum(needs) - app.px(4) * len(TABS)) // len(TABS)
        x = rect.x + app.px(6)
        for i, (name, text) in enumerate(zip(TABS, texts, strict=True)):
            width = needs[i] + spare
            button(app, (x, rect.y + app.px(6), width, app.px(40)), text,
                   lambda n=name: on_tab(n), cls="@tab_on" if name == tab else "@tab",  # type: ignore[misc]
                   ident=f"tab_{name.lower()}", tip=f"{name} orders (key {i + 1}; Tab cycles)")
            x += width + app.px(4)
        self.top = rect.y + app.px(58)
        getattr(self, f"_build_{tab.lower()}")(on_dilemma)

    # ------------------------------------------------------------ budget
    def _build_budget(self, _: Any) -> None:
        app, d = self.app, self.draft
        w = d.game.world
        y = self.top + app.px(40)
        room = self.rect.bottom - y - app.px(50)
        row_h = min(app.px(60), max(app.px(50), room // max(1, len(d.levers()))))
        for lever in d.levers():
            x = self.rect.x + app.px(12)
            width = self.rect.w - app.px(24)
            label(app, (x, y, width - app.px(130), app.px(26)), tips.lever_name(w, lever),
                  tip=tips.lever_tip(w, lever))
            slider = UIHorizontalSlider(pygame.Rect(x, y + app.px(25), width, app.px(24)),
                                        round(100 * d.budget.get(lever, 0.0)), (0, 100), app.manager,
                                        object_id=oid(None, f"slider_{lever}"), click_increment=1)
            slider.set_tooltip(tips.lever_tip(w, lever))
            self.sliders[slider] = lever
            self.slider_of[lever] = slider
            self.value_rows.append((lever, pygame.Rect(x, y, width, app.px(26))))
            y += row_h
        button(app, (self.rect.x + app.px(12), y + app.px(4), app.px(200), app.px(36)), "Last year's split",
               self.reset_budget, tip="Put every slider back where it was at the start of this turn.",
               ident="reset_budget")

    def reset_budget(self) -> None:
        from game.draft import Draft
        fresh = Draft.start(self.draft.game, self.draft.power)
        self.draft.budget = fresh.budget
        for lever, slider in self.slider_of.items():
            slider.set_current_value(round(100 * self.draft.budget.get(lever, 0.0)))

    def set_share(self, lever: str, percent: float) -> None:
        percent = min(max(percent, 0.0), 100.0)
        actual = self.draft.set_share(lever, percent / 100.0)
        slider = self.slider_of.get(lever)
        if slider is not None and abs(slider.get_current_value() - 100 * actual) > 0.5:
            slider.set_current_value(round(100 * actual))  # a key nudge or a refused move
        # judged by what was asked, not by where the slider stood: a key nudge that went through
        # once said "fully spent" too, and kept the line on screen
        if percent - 100 * actual > 0.5:
            # a short hint: a held slider repeats it every frame, and it must not outstay the drag
            self.app.flash(FULLY_SPENT, seconds=2.5)
        else:  # the move went through: the budget was not (or is no longer) the obstacle
            self.app.unflash(FULLY_SPENT)

    def nudge(self, step: int) -> None:
        levers = self.draft.levers()
        lever = levers[self.selected % len(levers)]
        self.set_share(lever, round(100 * self.draft.budget.get(lever, 0.0)) + step)

    # ------------------------------------------------------------ policies
    def _build_policies(self, _: Any) -> None:
        app, d = self.app, self.draft
        w = d.game.world
        y = self.top + app.px(40)
        for pol in d.policies:
            q = w.policy_ids.index(pol)
            x = self.rect.x + app.px(12)
            width = self.rect.w - app.px(24)
            label(app, (x, y, width, app.px(26)),
                  f"{tips.policy_name(w, pol)}  ·  change costs {d.change_cost(pol):.0f} capital",
                  tip=tips.policy_tip(w, pol))
            names: list[str | tuple[str, str]] = [(tips.option_name(w, pol, o), o) for o in w.option_ids[q]]
            current = d.policies[pol]
            menu = UIDropDownMenu(names, (tips.option_name(w, pol, current), current),
                                  pygame.Rect(x, y + app.px(28), width, app.px(34)), app.manager,
                                  object_id=oid(None, f"policy_{pol}"))
            menu.set_tooltip(tips.policy_tip(w, pol))
            self.dropdowns[menu] = pol
            y += app.px(76)

    def choose(self, policy: str, option: str) -> bool:
        error = self.draft.set_policy(policy, option)
        if error:
            self.app.flash(error, bad=True)
            return False
        return True

    # ------------------------------------------------------------ diplomacy
    def _build_diplomacy(self, _: Any) -> None:
        app, d = self.app, self.draft
        game = d.game
        w, s = game.world, game.state
        p = w.power_index(d.power)
        y = self.top + app.px(40)
        x = self.rect.x + app.px(12)
        width = self.rect.w - app.px(24)
        any_row = False
        # offers the last turn let lapse: the partner did not accept (said here and in the news)
        lapsed = app.last_report.lapsed(0) if app.last_report is not None else None
        for a, agreement in enumerate(w.agreement_ids):
            for q, partner in enumerate(w.power_ids):
                if q == p or not (w.agreement_open[p, a] and w.agreement_open[q, a]) or game.collapsed(partner):
                    continue
                any_row = True
                name = next(x.name for x in w.scenario.rules.agreements if x.id == agreement)
                if s.agreement[0, a, p, q]:
                    status, kind = "in force", "withdraw"
                elif s.proposal[0, a, q, p]:
                    status, kind = f"offered by {w.power_names[q]}", "accept"
                elif s.proposal[0, a, p, q]:
                    status, kind = f"offered, {w.power_names[q]} to answer", "propose"
                elif lapsed is not None and lapsed[a, p, q]:
                    status, kind = f"{w.power_names[q]} did not accept", "propose"
                else:
                    status, kind = "not signed", "propose"
                on = (agreement, partner) in getattr(d, kind)
                label(app, (x, y, width, app.px(28)), f"{name} with {w.power_names[q]}",
                      tip=tips.agreement_tip(w, agreement))
                label(app, (x, y + app.px(30), width - app.px(150), app.px(26)), f"Status: {status}", cls="@dim")
                verb = {"propose": "Propose", "accept": "Accept", "withdraw": "Withdraw"}[kind]
                act = f"Undo: {verb.lower()}" if on else verb
                button(app, (x + width - app.px(140), y + app.px(28), app.px(140), app.px(34)), act,
                       lambda k=kind, ag=agreement, pa=partner: self.toggle(k, ag, pa),  # type: ignore[misc]
                       cls="@tab_on" if on else None, ident=f"{kind}_{agreement}_{partner}",
                       tip=f"{act} when the turn ends.")  # one line: a long tip covered this button
                y += app.px(72)
        if not any_row:
            label(app, (x, y, width, app.px(30)), "No agreement is open between your doctrine and the others.",
                  cls="@dim")

    def toggle(self, kind: str, agreement: str, partner: str) -> None:
        self.draft.toggle(kind, agreement, partner)
        self.app.rebuild()

    # ------------------------------------------------------------ dilemma
    def _build_dilemma(self, on_dilemma: Any) -> None:
        app, d = self.app, self.draft
        w = d.game.world
        x, width = self.rect.x + app.px(12), self.rect.w - app.px(24)
        y = self.top + app.px(40)
        event = d.pending()
        if event is None:
            label(app, (x, y, width, app.px(30)), "No dilemma awaits your decision this year.", cls="@dim")
            return
        ev = w.scenario.rules.events[w.event_ids.index(event)]
        label(app, (x, y - app.px(4), width, app.px(36)), ev.name, cls="@heading")
        chosen = d.answers.get(event)
        pick = next((c.label for c in ev.choices if c.id == chosen), "not answered yet (the first choice is "
                    "taken if you end the turn)")
        label(app, (x, y + app.px(36), width, app.px(26)), f"Your decision: {pick}", cls="@status")
        button(app, (x, y + app.px(74), app.px(240), app.px(44)), "Open the dilemma [D]", on_dilemma,
               cls="@accent", ident="open_dilemma", tip="Read the situation and choose.")

    # ------------------------------------------------------------ events and drawing
    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED and event.ui_element in self.sliders:
            self.set_share(self.sliders[event.ui_element], float(event.value))
        elif event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element in self.dropdowns:
            pol = self.dropdowns[event.ui_element]
            option = getattr(event, "selected_option_id", None) or event.text
            if not self.choose(pol, option):
                self.app.after(self.app.rebuild)

    def draw(self, surface: pygame.Surface) -> None:
        app, pal, d = self.app, self.app.palette, self.draft
        x = self.rect.x + app.px(14)
        if self.tab == "Budget":
            spent = d.allocated()
            free = max(0.0, 100 * (1 - spent))  # never "-0%" from rounding
            blit_text(surface, f"Budget ${d.budget_money():,.0f} bn · allocated {100 * spent:.0f}% · "
                      f"free {free:.0f}%", (x, self.top + app.px(4)), app.px(17), pal.accent, True,
                      width=self.rect.w - app.px(28))
            levers = d.levers()
            for i, (lever, r) in enumerate(self.value_rows):
                share = d.budget.get(lever, 0.0)
                colour = pal.accent if levers[self.selected % len(levers)] == lever else pal.text
                blit_text(surface, f"{100 * share:.0f}%  ${share * d.budget_money():,.0f} bn",
                          (r.right, r.y + app.px(2)), app.px(16), colour, True, "topright")
                del i
        elif self.tab == "Policies":
            cost = d.policy_cost()
            colour = pal.bad if cost > d.capital() else pal.accent
            blit_text(surface, f"Political capital {d.capital():.0f} · these changes cost {cost:.0f}",
                      (x, self.top + app.px(4)), app.px(17), colour, True,
                      width=self.rect.w - app.px(28))
        elif self.tab == "Diplomacy":
            blit_text(surface, "Agreements bind once both sides sign.", (x, self.top + app.px(4)),
                      app.px(17), pal.accent, True, width=self.rect.w - app.px(28))
        else:
            blit_text(surface, "Dilemmas arise from conditions at home.", (x, self.top + app.px(4)),
                      app.px(17), pal.accent, True, width=self.rect.w - app.px(28))
