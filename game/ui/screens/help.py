"""How to play: the loop in under two minutes of reading."""

from __future__ import annotations

import pygame

from game.ui.app import App, Screen
from game.ui.widgets import blit_text, button, textbox

HOW_TO_PLAY = """<b>What you are doing.</b> It is 2017. You lead a power in the systemic competition of the
big-data age: China's digital-Leninist party-state, or a liberal democracy (the USA, the EU). Six swing
regions watch which model is <i>politically effective, economically productive and socially stable</i>,
lean toward it, and adopt one power's technical standards. A turn is one year; the game ends in the
scenario's last year, or earlier if a regime collapses.<br><br>
<b>Each year, give orders</b> (all powers at once, in secret):<br>
<b>1. Budget</b> - split your discretionary budget across levers with the sliders. The shares cannot
exceed the budget: lower one lever to raise another. Spending builds up over the years and wears off.<br>
<b>2. Policies</b> - settings that stay until changed. Each change costs <b>political capital</b>
(the cost is shown next to the policy); capital grows back each year.<br>
<b>3. Diplomacy</b> - propose or accept agreements; they take effect when both sides sign.<br>
<b>4. Dilemmas</b> - when one fires, a dialog offers two or three choices, each with its likely effects.<br><br>
<b>Before you end the turn</b>, the projection shows next year with your orders (the world's own course
included) and, over five years, what your orders change against last year's. After it,
the <b>turn report</b> says what changed and <b>why</b>: every change is split into the engine's causes.
Click any indicator on the dashboard to see its causes; hover anything for what it is and the research
behind it.<br><br>
<b>Winning.</b> The score weighs productivity, stability, the adoption of your model and your standards'
share. Watch out: data has bounded returns (Farboodi &amp; Veldkamp), planning needs good data (Hayek),
repression blurs the information a regime needs (Wintrobe), and standards lock in (Arthur). Everyone can
lose in a global crisis.<br><br>
<b>Keys.</b> Enter: end turn / continue · 1-4 or Tab: order tabs · Up/Down and Left/Right: choose and move a
budget slider · D: open the dilemma · H: leave history (history mode) · C: charts · Ctrl+S: save · Ctrl+L: load ·
F1: this help · F11: full screen · Esc: back."""


class HelpScreen(Screen):
    name = "help"

    def __init__(self, app: App, previous: Screen) -> None:
        super().__init__(app)
        self.previous = previous

    def build(self) -> None:
        app = self.app
        width = min(app.w - app.px(48), app.px(1200))
        x = (app.w - width) // 2
        text = HOW_TO_PLAY.replace("\n", " ").replace("<br> ", "<br>")
        textbox(app, (x, app.px(80), width, app.h - app.px(170)), text)
        button(app, (x + width - app.px(220), app.h - app.px(76), app.px(220), app.px(54)), "Back [Esc]",
               self.back, cls="@accent", ident="back", tip="Return.")

    def back(self) -> None:
        self.app.show(self.previous)

    def on_key(self, key: int, mod: int) -> bool:
        if key in (pygame.K_RETURN, pygame.K_F1):
            self.back()
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        width = min(self.app.w - self.app.px(48), self.app.px(1200))
        blit_text(surface, "How to play", ((self.app.w - width) // 2, self.app.px(18)), self.app.px(40),
                  self.app.palette.accent, True)
