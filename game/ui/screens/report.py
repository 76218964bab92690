"""The turn report: what changed and why (the engine's causes), events, elections and Congresses."""

from __future__ import annotations

from html import escape

import pygame

from game import explain
from game.draft import MAIN_INDICATORS
from game.engine.report import SHOCKS
from game.ui import tips
from game.ui.app import App, Screen
from game.ui.widgets import blit_text, button, fitting_size, textbox
from game.wording import Names

EXTRA = ("legitimacy", "approval", "protest", "data_quality", "bubble")
# What a rival may know of a power in a hot-seat game: the indicators the classroom's projector shows
# to everyone (game.classroom.views.PUBLIC), without their causes, which would tell its orders.
PUBLIC = ("gdp", "growth", "stability", "model_adoption", "standards_share")


def change_html(app: App, power: str, public: bool = False) -> str:
    """Every main indicator: before » after, change, and its largest causes; with `public`, a
    rival's view: the public indicators and their changes only."""
    game, report = app.game, app.last_report
    assert game is not None and report is not None
    w = game.world
    p = w.power_index(power)
    inds = list(MAIN_INDICATORS) + [i for i in EXTRA if not (i == "legitimacy" and not w.autocratic[p])
                                    and not (i == "approval" and w.autocratic[p])]
    if public:
        inds = list(PUBLIC)
    rows = []
    for ind in inds:
        col = w.column(ind)
        before, after = float(report.before[0, p, col]), float(report.after[0, p, col])
        delta = after - before
        good = None if explain.negligible(w, ind, delta) else tips.good_change(w, ind, delta)
        good_c, bad_c = ("#56b4e9", "#e69f00") if app.settings.colour_blind else ("#3fb950", "#f85149")
        colour = "#9aa7bb" if good is None else (good_c if good else bad_c)
        regions = explain.regional(game, power, ind, report.year)
        if regions is not None:  # a share the swing regions decide: the regions say more than one cause
            head, why = explain.regional_label(game, power, ind), regions
        else:
            head, causes = explain.causes(game, report, power, ind)
            why = explain.causes_text(w, head, causes, ind, 4) + explain.crash_note(report, power, ind)
        line = (f"<b>{escape(tips.name_of(w, ind))}</b>  {tips.fmt(w, ind, before)} » "
                f"<b>{tips.fmt(w, ind, after)}</b>  <font color={colour}>{tips.fmt_change(w, ind, delta)}</font>")
        if not public and why:
            line += f"<br><font color=#9aa7bb>{escape(head)}: {escape(why)}</font>"
        rows.append(line)
    if public:
        rows.append("<br><font color=#9aa7bb>A rival's orders, causes and private indicators stay with its player "
                    "in a hot-seat game; this is what the world can see.</font>")
    return "<br>".join(rows)


def score_tip(app: App) -> str:
    """Every power's score so far, by component, productivity and stability against their pars."""
    game = app.game
    assert game is not None
    w, res = game.world, game.result()
    rows = [f"<b>{escape(w.power_names[w.power_index(pid)])} {score:.1f}</b>: "
            + escape("; ".join(explain.score_parts(game, pid, res["components"][pid])))
            for pid, score in sorted(res["scores"].items(), key=lambda kv: -kv[1])]
    return "<br>".join(rows) + f"<br><i>{escape(explain.SCORE_PAR_NOTE)}</i>"


def review_title(year: int) -> str:
    """The report's heading. The engine dates a turn by the year it leads into (elections fall in
    their calendar year), so the review of the year played names both: a heading of "2019: the
    year in review" above news dated 2020 read as a mistake."""
    return f"{year - 1} » {year} in review"


def news_html(app: App) -> str:
    game, report = app.game, app.last_report
    assert game is not None and report is not None
    news = report.news(0)
    important = [text for kind, text in news if kind in SHOCKS]
    rest = [text for kind, text in news if kind not in SHOCKS]
    html = f"<b>News as {report.year} begins</b><br><br>"
    if important:
        html += "<b>Elections, Congresses and shocks</b><br>" + "<br>".join(
            f"<font color=#ffd166>{escape(x)}</font>" for x in important) + "<br><br>"
    html += "<b>Events, dilemmas and agreements</b><br>"
    html += "<br>".join(escape(x) for x in rest) if rest else "A quiet year: no dilemma fired, no treaty was signed."
    return html


def orders_html(app: App, power: str) -> str:
    """What this power ordered for the year just resolved (orders are revealed after resolution)."""
    game = app.game
    assert game is not None and game.orders_log
    w = game.world
    orders = game.orders_log[-1].get(power)
    if orders is None:
        return ""
    name = w.power_names[w.power_index(power)]
    spend = sorted(orders["budget"].items(), key=lambda kv: -kv[1])
    html = f"<br><br><b>{escape(name)}'s orders for the year</b><br>Budget: " + ", ".join(
        f"{escape(tips.lever_name(w, k))} {100 * v:.0f}%" for k, v in spend if v >= 0.005)
    p = w.power_index(power)
    if len(game.orders_log) > 1 and power in game.orders_log[-2]:
        previous = game.orders_log[-2][power]["policies"]
    else:
        previous = dict(game.scenario.spec.powers[p].policies)
    for pol, option in orders["policies"].items():
        if previous.get(pol, option) != option:
            html += (f"<br>Policy: {escape(tips.policy_name(w, pol))} set to "
                     f"{escape(tips.option_name(w, pol, option))}")
    if app.last_report is not None and app.last_report.refused[0, p]:
        html += "<br><font color=#ffd166>Policy changes were blocked: not enough political capital.</font>"
    if orders["answers"]:
        for event, choice in orders["answers"].items():
            ev = w.scenario.rules.events[w.event_ids.index(event)]
            label = next(c.label for c in ev.choices if c.id == choice)
            html += f"<br>Dilemma '{escape(ev.name)}': {escape(label)}"
    for kind, verb in (("propose", "proposed"), ("accept", "accepted"), ("withdraw", "withdrew from")):
        for agreement, partner in orders[kind]:
            html += (f"<br>{verb.capitalize()} {escape(Names(w).agreement(agreement))} with "
                     f"{escape(w.power_names[w.power_index(partner)])}")
    return html


class ReportScreen(Screen):
    name = "report"

    def __init__(self, app: App, seat: str | None = None) -> None:
        super().__init__(app)
        self.power = app.viewer
        self.seat = seat  # hot seat: the player this review belongs to (rivals: public view only)

    def build(self) -> None:
        app, game = self.app, self.app.game
        assert game is not None and app.last_report is not None
        w = game.world
        x = app.px(16)
        for p, pid in enumerate(w.power_ids):
            button(app, (x, app.px(70), app.px(200), app.px(40)), w.power_names[p], lambda q=pid: self.pick(q),  # type: ignore[misc]
                   cls="@tab_on" if pid == self.power else "@tab", ident=f"report_{pid}",
                   tip=f"What changed for {w.power_names[p]} and why")
            x += app.px(210)
        left_w = int(app.w * 0.58)
        top = app.px(122)
        rival = self.seat is not None and self.power != self.seat
        textbox(app, (app.px(16), top, left_w, app.h - top - app.px(16)), change_html(app, self.power, rival))
        textbox(app, (left_w + app.px(32), top, app.w - left_w - app.px(48), app.h - top - app.px(16)),
                news_html(app) + ("" if rival else orders_html(app, self.power)))
        button(app, (app.w - app.px(250), app.px(14), app.px(234), app.px(46)), "Continue  [Enter]", self.proceed,
               cls="@accent", ident="continue",
               tip="On to your orders (Enter)." if self.seat else "On to the next year (Enter).")
        button(app, (app.w - app.px(390), app.px(14), app.px(130), app.px(46)), "Charts", self.charts,
               ident="charts", tip="History charts (C).")
        # the standing drawn beside the heading: hovering it gives each score's parts and their pars
        button(app, (app.px(16), app.px(8), app.w - app.px(406), app.px(56)), "", lambda: None, cls="@rowsmall",
               ident="score_so_far", tip=score_tip(app))

    def pick(self, power: str) -> None:
        self.power = power
        self.app.rebuild()

    def proceed(self) -> None:
        if self.seat is not None:  # hot seat: this player's review is done; on to their orders
            from game.ui.screens.main import MainScreen
            self.app.reviewing.discard(self.seat)
            self.app.viewer = self.seat
            self.app.show(MainScreen(self.app))
            return
        self.app.new_turn()

    def charts(self) -> None:
        from game.ui.screens.charts import ChartsScreen
        self.app.show(ChartsScreen(self.app, self))

    def on_key(self, key: int, mod: int) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.proceed()
        elif key == pygame.K_c:
            self.charts()
        elif key == pygame.K_TAB:
            ids = self.app.game.world.power_ids  # type: ignore[union-attr]
            self.pick(ids[(ids.index(self.power) + 1) % len(ids)])
        else:
            return False
        return True

    def back(self) -> None:
        self.proceed()

    def draw(self, surface: pygame.Surface) -> None:
        app = self.app
        assert app.last_report is not None
        title = blit_text(surface, review_title(app.last_report.year), (app.px(16), app.px(10)),
                          app.px(36), app.palette.accent, True)
        game = app.game
        assert game is not None
        scores = game.result()["scores"]
        w = game.world
        standing = "Score so far: " + "  ·  ".join(f"{w.power_names[w.power_index(p)]} {s:.1f}"
                                                   for p, s in sorted(scores.items(), key=lambda kv: -kv[1]))
        room = app.w - app.px(390) - app.px(16) - (title.right + app.px(24))  # up to the Charts button
        blit_text(surface, standing, (title.right + app.px(24), app.px(26)),
                  fitting_size(standing, app.px(17), app.px(13), room, True), app.palette.text, True, width=room)
