"""Autoplay: the real window plays itself, every seat by AI, saving a PNG of each screen it passes.

The first power's (or --as POWER's) persona plays through the UI controls (its draft is filled with the persona's
orders, dilemmas are answered with the number keys, End turn with Enter), so the run exercises
the same paths as a person; the other seats are ordinary AI seats.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pygame
from pygame_gui.core import UIElement

from game.ai.personas import decide
from game.engine import Orders
from game.match import HUMAN, Game
from game.ui.app import App

Frames = Iterator[None]


def press(key: int, mod: int = 0) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=0))


class Autopilot:
    def __init__(self, app: App, turns: int, scenario: str, seed: int, persona: str = "planner",
                 power: str | None = None) -> None:
        self.app = app
        self.power = power  # the seat played through the window (--as); the scenario's first power if None
        self.turns = turns
        self.scenario = scenario
        self.seed = seed
        self.persona = persona
        self.rng = np.random.default_rng(seed)
        self.taken: set[str] = set()
        self.script = self.run()
        self.done = False
        self.failed = ""

    def tick(self) -> None:
        if self.done:
            return
        try:
            next(self.script)
        except StopIteration:
            self.done = True
            self.app.running = False
        except RuntimeError as exc:
            self.done = True
            self.failed = str(exc)
            self.app.running = False

    def shot(self, name: str, once: bool = True) -> None:
        if once and name in self.taken:
            return
        self.taken.add(name)
        self.app.screenshot(name)

    def wait(self, frames: int = 3) -> Frames:
        for _ in range(frames):
            yield

    def until(self, cond: Callable[[], bool], limit: int = 2000) -> Frames:
        for _ in range(limit):
            if cond():
                return
            yield
        raise RuntimeError("autoplay: the window did not reach the expected screen")

    def run(self) -> Frames:
        from game.ui.screens.charts import ChartsScreen
        from game.ui.screens.endgame import EndScreen
        from game.ui.screens.help import HelpScreen
        from game.ui.screens.main import MainScreen
        from game.ui.screens.newgame import NewGameScreen
        from game.ui.screens.title import TitleScreen
        app = self.app
        app.show(TitleScreen(app))
        yield from self.wait()
        self.shot("title")
        press(pygame.K_n)
        yield from self.until(lambda: isinstance(app.screen, NewGameScreen))
        yield from self.wait()
        self.shot("new-game")
        game = Game.new(self.scenario, {}, self.seed)
        me = self.power or game.world.power_ids[0]
        seats = {p: ("planner" if p != me else HUMAN) for p in game.world.power_ids}
        app.start(Game.new(self.scenario, seats, self.seed))
        played = 0
        while played < self.turns and app.game is not None and not app.game.over:
            yield from self.until(lambda: isinstance(app.screen, MainScreen) and not app.resolving)
            yield from self.wait(4)
            screen = app.screen
            assert isinstance(screen, MainScreen)
            if screen.dialog is not None and screen.dialog.alive():
                self.shot("dilemma")
                press(pygame.K_1 + self.answer_index())
                yield from self.wait(3)
            self.fill_draft()
            yield from self.wait(2)
            self.shot("main")
            if played == 1:
                yield from self.hover("#ind_stability", "tooltip")
            if played == 0:
                press(pygame.K_F1)
                yield from self.until(lambda: isinstance(app.screen, HelpScreen))
                yield from self.wait()
                self.shot("how-to-play")
                press(pygame.K_ESCAPE)
                yield from self.until(lambda: isinstance(app.screen, MainScreen))
                yield from self.wait()
            press(pygame.K_RETURN)
            yield from self.wait(4)
            self.shot("end-turn-projection")
            press(pygame.K_RETURN)
            yield from self.until(lambda: app.screen.name == "report")
            yield from self.wait(3)
            self.shot("turn-report")
            played += 1
            press(pygame.K_RETURN)
            yield from self.wait(2)
        yield from self.until(lambda: isinstance(app.screen, MainScreen | EndScreen) and not app.resolving)
        yield from self.wait(3)
        if isinstance(app.screen, MainScreen) and app.screen.dialog is not None and app.screen.dialog.alive():
            self.shot("dilemma")
            press(pygame.K_ESCAPE)
            yield from self.wait(2)
        if "dilemma" not in self.taken and isinstance(app.screen, MainScreen):
            # a short run may see no dilemma fire: the save dialog still shows the run passes a dialog
            press(pygame.K_s, pygame.KMOD_CTRL)
            yield from self.wait(4)
            self.shot("save-dialog")
            press(pygame.K_ESCAPE)
            yield from self.wait(2)
        app.show(ChartsScreen(app, app.screen))
        yield from self.wait()
        self.shot("charts")
        if not isinstance(app.screen.previous, EndScreen):  # type: ignore[attr-defined]
            app.show(EndScreen(app))
        else:
            press(pygame.K_ESCAPE)
            yield from self.until(lambda: isinstance(app.screen, EndScreen))
        yield from self.wait()
        self.shot("end")

    def hover(self, ident: str, name: str) -> Frames:
        """Rest the mouse on a widget until its tooltip shows, then take a picture."""
        app = self.app
        for element in app.manager.get_sprite_group().sprites():
            if isinstance(element, UIElement) and element.get_object_ids()[-1] == ident:
                pos = element.get_abs_rect().center
                pygame.mouse.set_pos(pos)
                pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0),
                                                     touch=False))
                yield from self.wait(90)
                self.shot(name)
                away = (app.w - 5, app.h - 5)
                pygame.mouse.set_pos(away)
                pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=away, rel=(0, 0), buttons=(0, 0, 0),
                                                     touch=False))
                yield from self.wait(3)
                return

    def answer_index(self) -> int:
        game = self.app.game
        assert game is not None
        draft = self.app.drafts[self.app.viewer]
        event = draft.pending()
        if event is None:
            return 0
        choices = [c.id for c in game.world.scenario.rules.events[game.world.event_ids.index(event)].choices]
        wanted = self.ai_orders().answers.get(event)
        return choices.index(wanted) if wanted in choices else 0

    def ai_orders(self) -> Orders:
        game = self.app.game
        assert game is not None
        return decide(game.state, self.app.viewer, self.persona, np.random.default_rng(int(self.rng.integers(1 << 30))))

    def fill_draft(self) -> None:
        """The persona's budget and policies, entered into the viewer's draft."""
        draft = self.app.drafts[self.app.viewer]
        orders = self.ai_orders()
        draft.budget = {k: 0.0 for k in draft.budget}
        for lever, share in orders.budget.items():
            draft.set_share(lever, share)
        for pol, option in orders.policies.items():
            draft.set_policy(pol, option)
        self.app.rebuild()
