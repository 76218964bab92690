"""Load game: the saves folder (newest first) or any path; errors are one line, nothing is lost."""

from __future__ import annotations

import time
from pathlib import Path

import pygame
import pygame_gui
from pygame_gui.elements import UISelectionList, UITextEntryLine

from game.ui import settings as settings_mod
from game.ui.app import App, Screen
from game.ui.widgets import blit_text, button, label, oid


def list_saves() -> list[Path]:
    folder = settings_mod.saves_dir()
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)


class LoadScreen(Screen):
    name = "load"

    def __init__(self, app: App, previous: Screen) -> None:
        super().__init__(app)
        self.previous = previous
        self.paths: dict[str, Path] = {}

    def build(self) -> None:
        app = self.app
        m = app.px(24)
        items: list[str | tuple[str, str]] = []
        for path in list_saves():
            stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(path.stat().st_mtime))
            text = f"{path.stem}   ·   {stamp}"
            self.paths[text] = path
            items.append(text)
        label(app, (m, app.px(80), app.w - 2 * m, app.px(30)), f"Saves in {settings_mod.saves_dir()}", cls="@dim")
        self.list = UISelectionList(pygame.Rect(m, app.px(116), app.w - 2 * m, app.h - app.px(300)), items,
                                    app.manager, object_id=oid(None, "saves"))
        y = app.h - app.px(170)
        label(app, (m, y, app.w - 2 * m, app.px(28)), "Or type the path of a save file:", cls="@dim")
        self.entry = UITextEntryLine(pygame.Rect(m, y + app.px(32), app.w - 2 * m, app.px(42)), app.manager,
                                     object_id=oid(None, "load_path"))
        button(app, (app.w - m - app.px(220), app.h - app.px(80), app.px(220), app.px(54)), "Load  [Enter]", self.load,
               cls="@accent", ident="load_confirm", tip="Load the selected save (Enter).")
        button(app, (app.w - m - app.px(380), app.h - app.px(80), app.px(140), app.px(54)), "Back", self.back,
               ident="back", tip="Back (Esc).")
        if not items:
            label(app, (m, app.px(130), app.w - 2 * m, app.px(30)), "No saves yet.", cls="@dim")

    def load(self) -> None:
        typed = self.entry.get_text().strip()
        chosen = self.list.get_single_selection()
        if typed:
            path = Path(typed).expanduser()
        elif chosen is not None and chosen in self.paths:
            path = self.paths[chosen]
        else:
            self.app.flash("Choose a save from the list or type its path.", bad=True)
            return
        self.app.load_game(path)

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_SELECTION_LIST_DOUBLE_CLICKED_SELECTION:
            self.load()

    def on_key(self, key: int, mod: int) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.load()
            return True
        return False

    def back(self) -> None:
        self.app.show(self.previous)

    def draw(self, surface: pygame.Surface) -> None:
        blit_text(surface, "Load game", (self.app.px(24), self.app.px(16)), self.app.px(40),
                  self.app.palette.accent, True)
