"""Settings: window size, full screen, UI scale, colour-blind-safe palette, sound."""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UIDropDownMenu

from game.ui.app import App, Screen
from game.ui.settings import SCALES, SIZES
from game.ui.widgets import blit_text, button, label, oid


class SettingsScreen(Screen):
    name = "settings"

    def __init__(self, app: App, previous: Screen) -> None:
        super().__init__(app)
        self.previous = previous
        self.menus: dict[object, str] = {}

    def build(self) -> None:
        app, st = self.app, self.app.settings
        m, y = app.px(40), app.px(110)
        rows = [
            ("Window size", "size", [f"{w} x {h}" for w, h in SIZES], f"{st.width} x {st.height}",
             "The window's size (it can also be resized by dragging)."),
            ("Full screen (F11)", "fullscreen", ["Off", "On"], "On" if st.fullscreen else "Off",
             "Fill the whole screen."),
            ("UI scale", "scale", [f"{int(s * 100)}%" for s in SCALES], f"{int(st.ui_scale * 100)}%",
             "Larger text and controls for projectors and high-DPI screens."),
            ("Colour-blind-safe palette", "colour_blind", ["Off", "On"], "On" if st.colour_blind else "Off",
             "Okabe-Ito colours for powers; blue/orange instead of green/red for good/bad."),
            ("Sound", "sound", ["On", "Off"], "On" if st.sound else "Off", "Interface tones."),
        ]
        rows_t: list[tuple[str, str, list[str], str, str]] = rows
        for text, key, options, current, tip in rows_t:
            label(app, (m, y, app.px(320), app.px(44)), text, tip=tip)
            choices: list[str | tuple[str, str]] = [current, *options] if current not in options else list(options)
            menu = UIDropDownMenu(choices, current, pygame.Rect(m + app.px(340), y, app.px(260), app.px(44)),
                                  app.manager, object_id=oid(None, f"setting_{key}"))
            menu.set_tooltip(tip)
            self.menus[menu] = key
            y += app.px(64)
        button(app, (m, y + app.px(20), app.px(200), app.px(52)), "Done [Esc]", self.back, cls="@accent",
               ident="done", tip="Save the settings and go back.")

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type != pygame_gui.UI_DROP_DOWN_MENU_CHANGED or event.ui_element not in self.menus:
            return
        st, key, text = self.app.settings, self.menus[event.ui_element], event.text
        if key == "size":
            st.width, st.height = (int(x) for x in text.split(" x "))
        elif key == "scale":
            st.ui_scale = int(text.rstrip("%")) / 100
        elif key == "sound":
            st.sound = text == "On"
        else:
            setattr(st, key, text == "On")
        error = st.save()
        if error:
            self.app.flash(error, bad=True)
        self.app.after(self.app.apply_settings)

    def back(self) -> None:
        self.app.show(self.previous)

    def draw(self, surface: pygame.Surface) -> None:
        blit_text(surface, "Settings", (self.app.px(40), self.app.px(24)), self.app.px(40),
                  self.app.palette.accent, True)
