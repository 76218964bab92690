"""Dialogs over the main screen: a pending dilemma, the end-turn projection, save as."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import pygame
from pygame_gui.elements import UITextEntryLine, UIWindow

from game import explain
from game.draft import MAIN_INDICATORS, YEARS_AHEAD
from game.engine.history import CLOSED
from game.ui import settings as settings_mod
from game.ui import tips
from game.ui.widgets import button, label, oid, textbox

if TYPE_CHECKING:
    from game.draft import Draft
    from game.ui.app import App


def _window(app: App, width: int, height: int, title: str, ident: str) -> UIWindow:
    rect = pygame.Rect(0, 0, min(width, app.w - app.px(40)), min(height, app.h - app.px(40)))
    rect.center = (app.w // 2, app.h // 2)
    return UIWindow(rect, app.manager, window_display_title=title, object_id=oid(None, ident),
                    draggable=False, always_on_top=True)


def _keys(n: int) -> str:
    """'1 or 2', '1, 2 or 3': the number keys that pick one of n choices."""
    keys = [str(k) for k in range(1, n + 1)]
    return keys[0] if n == 1 else f"{', '.join(keys[:-1])} or {keys[-1]}"


def dilemma_dialog(app: App, draft: Draft, on_close: Callable[[], None]) -> UIWindow | None:
    """The pending dilemma with its choices, each with a short explanation."""
    event = draft.pending()
    if event is None:
        return None
    w = draft.game.world
    ev = w.scenario.rules.events[w.event_ids.index(event)]
    height = app.px(140 + 92 * len(ev.choices) + 110)
    win = _window(app, app.px(860), height, f"Dilemma, {draft.game.year}: {ev.name}", "dilemma")
    inner = win.get_container().get_rect()
    pad = app.px(16)
    text = f"{escape(ev.text)}" + (f"<br><i>Source: {escape(ev.source)}</i>" if ev.source else "")
    textbox(app, (pad, pad, inner.w - 2 * pad, app.px(130)), text, cls="@plain", container=win)
    y = pad + app.px(140)
    chosen = draft.answers.get(event)
    historical = CLOSED in ev.doctrines  # a history dilemma: its first choice is the one history made
    for k, choice in enumerate(ev.choices):
        def pick(c: str = choice.id) -> None:
            draft.answer(event, c)
            win.kill()
            on_close()
        mark = "   (what history chose)" if historical and k == 0 else ""
        button(app, (pad, y, inner.w - 2 * pad, app.px(46)), f"{k + 1}.  {choice.label}{mark}", pick,
               cls="@choice_on" if chosen == choice.id else "@choice", ident=f"choice_{choice.id}",
               container=win, tip=escape(choice.explanation))
        label(app, (pad + app.px(10), y + app.px(48), inner.w - 2 * pad, app.px(26)), choice.explanation,
              cls="@dim", container=win)
        y += app.px(92)
    label(app, (pad, inner.h - app.px(40), inner.w - 2 * pad, app.px(28)),
          f"Press {_keys(len(ev.choices))} to choose; Esc to decide later"
          + ("; H leaves history." if historical else "."), cls="@dim", container=win)
    return win


def leave_history_dialog(app: App, on_confirm: Callable[[], None]) -> UIWindow:
    """Leave history? It cannot be undone: what changes, then Leave history or Stay in history."""
    game = app.game
    assert game is not None
    win = _window(app, app.px(640), app.px(250), "Leave history?", "leave_history")
    inner = win.get_container().get_rect()
    pad = app.px(16)
    text = (f"From {game.year + 1} the years are yours to write: the ordinary random deck of events takes "
            "over, and any dilemma history had put to you for next year is withdrawn. This cannot be undone "
            "(a save from before keeps history).")
    textbox(app, (pad, pad, inner.w - 2 * pad, inner.h - app.px(90)), escape(text), cls="@plain", container=win)
    bw = app.px(250)

    def confirm() -> None:
        win.kill()
        on_confirm()

    button(app, (inner.w - pad - bw, inner.h - app.px(62), bw, app.px(48)), "Leave history [Enter]", confirm,
           cls="@accent", ident="confirm_leave_history", container=win)
    button(app, (inner.w - 2 * pad - 2 * bw, inner.h - app.px(62), bw, app.px(48)), "Stay in history [Esc]",
           win.kill, ident="cancel_leave_history", container=win)
    return win


def years_ahead_rows(app: App, draft: Draft) -> list[str]:
    """The longer view: budget levers build stocks that act over years, so one year shows little
    of them. Each main indicator after YEARS_AHEAD years of these orders against last year's course."""
    w = draft.game.world
    ahead = draft.project_years()
    years = min(YEARS_AHEAD, w.n_turns - draft.game.state.turn)
    if years <= 1:
        return []
    rows = [f"<br><b>Levers act over years.</b> After {years} years of these orders, against keeping last "
            "year's budget and policies (medians, same luck):"]
    for ind in MAIN_INDICATORS:
        mine, course = ahead[ind]
        delta = mine - course
        if explain.negligible(w, ind, delta):
            continue
        good = tips.good_change(w, ind, delta)
        pair = ("#56b4e9", "#e69f00") if app.settings.colour_blind else ("#3fb950", "#f85149")
        colour = "#9aa7bb" if good is None else pair[0 if good else 1]
        rows.append(f"{escape(tips.name_of(w, ind))}: <b>{tips.fmt(w, ind, mine)}</b> against "
                    f"{tips.fmt(w, ind, course)} <font color={colour}>({tips.fmt_change(w, ind, delta)})</font>")
    if len(rows) == 1:
        rows.append("no difference worth showing: these orders keep last year's course.")
    return rows


def end_turn_dialog(app: App, draft: Draft, on_confirm: Callable[[], None], submit_word: str) -> UIWindow:
    """The projection of the main effects, then End turn or Keep planning."""
    game = draft.game
    w = game.world
    win = _window(app, app.px(760), app.px(640), f"{submit_word}: {game.year} to {game.year + 1}?", "confirm")
    inner = win.get_container().get_rect()
    pad = app.px(16)
    proj = draft.project()
    # a year's change is mostly the world's own course (regions turning, growth slowing), not the
    # orders: a playtester read "model adoption -5.4 pp" as what his slider move did
    rows = ["<b>Next year with these orders</b> (the median of 32 simulated years; the world's own course "
            "is in it as well as your orders, and events and rivals may differ):<br>"]
    for ind in MAIN_INDICATORS:
        now, after = proj[ind]
        delta = after - now
        good = None if explain.negligible(w, ind, delta) else tips.good_change(w, ind, delta)  # no red "-0.0"
        colour = "#9aa7bb" if good is None else ("#3fb950" if good else "#f85149")
        if app.settings.colour_blind and good is not None:
            colour = "#56b4e9" if good else "#e69f00"
        rows.append(f"{escape(tips.name_of(w, ind))}: {tips.fmt(w, ind, now)} » <b>{tips.fmt(w, ind, after)}</b> "
                    f"<font color={colour}>({tips.fmt_change(w, ind, delta)})</font>")
    rows += years_ahead_rows(app, draft)
    cost = draft.policy_cost()
    rows.append(f"<br>Policy changes cost {cost:.0f} of {draft.capital():.0f} political capital.")
    if draft.pending() and not draft.answers:
        rows.append("<font color=#ffd166>A dilemma is unanswered: its first choice will be taken.</font>")
    textbox(app, (pad, pad, inner.w - 2 * pad, inner.h - app.px(90)), "<br>".join(rows), container=win)
    bw = app.px(230)
    def confirm() -> None:
        win.kill()
        on_confirm()

    button(app, (inner.w - pad - bw, inner.h - app.px(62), bw, app.px(48)), f"{submit_word} [Enter]",
           confirm, cls="@accent", ident="confirm_end", container=win)
    button(app, (inner.w - 2 * pad - 2 * bw, inner.h - app.px(62), bw, app.px(48)), "Keep planning [Esc]",
           win.kill, ident="cancel_end", container=win)
    return win


def save_dialog(app: App) -> UIWindow:
    """Save as: a file name in the saves folder (or any path)."""
    win = _window(app, app.px(640), app.px(250), "Save game", "save")
    inner = win.get_container().get_rect()
    pad = app.px(16)
    game = app.game
    assert game is not None
    default = f"{game.scenario.id}-{game.year}-{datetime.now():%H%M}"
    label(app, (pad, pad, inner.w - 2 * pad, app.px(28)), "Name of the save (or a full path):", cls="@dim",
          container=win, tip=f"Saves go to {settings_mod.saves_dir()}")
    entry = UITextEntryLine(pygame.Rect(pad, pad + app.px(34), inner.w - 2 * pad, app.px(40)), app.manager,
                            container=win, object_id=oid(None, "save_name"))
    entry.set_text(default)
    entry.focus()

    def do_save() -> None:
        name = entry.get_text().strip()
        if not name:
            app.flash("Give the save a name.", bad=True)
            return
        path = settings_mod.saves_dir() / (name if name.endswith(".json") else f"{name}.json")
        if "/" in name or "\\" in name:
            path = Path(name).expanduser()
        if app.save_game(path):
            win.kill()

    button(app, (inner.w - pad - app.px(160), inner.h - app.px(60), app.px(160), app.px(44)), "Save",
           do_save, cls="@accent", ident="save_confirm", container=win)
    button(app, (inner.w - 2 * pad - app.px(320), inner.h - app.px(60), app.px(160), app.px(44)), "Cancel",
           win.kill, ident="save_cancel", container=win)
    win.save_action = do_save  # type: ignore[attr-defined]
    return win
