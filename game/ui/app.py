"""The window, the frame loop and the game session the screens share.

One `App` owns the pygame window, the pygame_gui manager and the current screen. Screens build
their widgets for the window's size and UI scale and are rebuilt on resize. A turn resolves in a
worker thread so the window keeps drawing; the game state changes only when End turn resolves.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygame
import pygame_gui

from game.draft import Draft
from game.engine import OrderError, Orders, Report
from game.match import Game, SaveError
from game.rules.loader import RulesError
from game.ui import settings as settings_mod
from game.ui.settings import MIN_SIZE, Settings
from game.ui.sound import Sounds
from game.ui.theme import COLOUR_BLIND, NORMAL, Palette, font, power_colours, reset_fonts, theme_dict

BLOCKED_WHILE_RESOLVING = (pygame.KEYDOWN, pygame.KEYUP, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP,
                           pygame.TEXTINPUT)
FADE_SECONDS = 1.0  # a status line fades out over its last second rather than vanishing


class Screen:
    """One screen: builds its widgets, handles keys, draws what widgets do not."""

    name = "screen"

    def __init__(self, app: App) -> None:
        self.app = app

    def build(self) -> None:
        """Create the widgets for the current window size and scale."""

    def on_event(self, event: pygame.event.Event) -> None:
        """Any pygame or pygame_gui event not consumed by a widget."""

    def on_key(self, key: int, mod: int) -> bool:
        """A key press; return True if handled."""
        return False

    def back(self) -> None:
        """Escape: go back (default: nothing)."""

    def update(self, dt: float) -> None:
        """Per-frame work (cheap)."""

    def draw(self, surface: pygame.Surface) -> None:
        """Drawing behind the widgets (cached surfaces, blitted)."""


class App:
    """The desktop game."""

    def __init__(self, settings: Settings | None = None, *, hotseat: bool = False,
                 size: tuple[int, int] | None = None, shots: Path | None = None) -> None:
        self.settings = settings or Settings.load()
        if size:
            self.settings.width, self.settings.height = size
        self.hotseat = hotseat
        self.reviewing: set[str] = set()  # hot seat: players still to see their review of the year
        self.shots = shots
        self.shot_count = 0
        pygame.init()
        reset_fonts()
        pygame.display.set_caption("Systemic")
        self.window = self._open_window()
        self.s = self.fitted_scale()
        self.manager = self.make_manager()
        self.clock = pygame.time.Clock()
        self.sounds = Sounds(self.settings.sound)
        self.running = True
        self.screen: Screen = Screen(self)
        self.message = ""
        self.message_bad = False
        self.message_until = 0.0
        # the game session
        self.game: Game | None = None
        self.drafts: dict[str, Draft] = {}
        self.viewer = ""  # the power whose dashboard and orders are shown
        self.submitted: dict[str, Orders] = {}
        self.worker: threading.Thread | None = None
        self.worker_result: Report | BaseException | None = None
        self.last_report: Report | None = None
        self.autopilot: Any = None
        self.frame_ms = 0.0
        self.later: list[Callable[[], None]] = []

    # ------------------------------------------------------------------ window
    @property
    def palette(self) -> Palette:
        return COLOUR_BLIND if self.settings.colour_blind else NORMAL

    @property
    def w(self) -> int:
        return self.window.get_width()

    @property
    def h(self) -> int:
        return self.window.get_height()

    def fitted_scale(self) -> float:
        """The UI scale in use: the chosen one, capped so the layout (made for the minimum window
        at 100%) still fits the window; a 150% scale in a 1280x720 window overlapped widgets.
        Never below the settings' 75% floor, which lets small fullscreen displays fit too."""
        fit = min(self.w / MIN_SIZE[0], self.h / MIN_SIZE[1])
        return max(0.75, min(self.settings.ui_scale, fit))

    def px(self, n: float) -> int:
        """A length in scaled pixels."""
        return round(n * self.s)

    def _open_window(self) -> pygame.Surface:
        flags = pygame.RESIZABLE
        if self.settings.fullscreen:
            return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        size = (max(MIN_SIZE[0], self.settings.width), max(MIN_SIZE[1], self.settings.height))
        return pygame.display.set_mode(size, flags)

    def make_manager(self) -> pygame_gui.UIManager:
        """The widget manager with the scaled theme; the fonts HTML text boxes use are preloaded."""
        manager = pygame_gui.UIManager(self.window.get_size(), theme_dict(self.s))
        sizes = {max(8, round(n * self.s)) for n in (15, 17, 18, 19)}
        with warnings.catch_warnings():  # "already loaded" notes are harmless
            warnings.simplefilter("ignore")
            manager.preload_fonts([{"name": "noto", "point_size": n, "style": style}
                                   for n in sizes for style in ("bold", "italic", "bold_italic")])
        return manager

    def apply_settings(self) -> None:
        """Reopen the window and rebuild everything after the settings changed."""
        self.window = self._open_window()
        self.s = self.fitted_scale()
        self.manager = self.make_manager()
        self.sounds.enabled = self.settings.sound
        self.rebuild()
        wanted = self.settings.ui_scale
        if self.s < wanted:
            self.flash(f"UI scale {wanted:.0%} needs a window of at least {round(MIN_SIZE[0] * wanted)} x "
                       f"{round(MIN_SIZE[1] * wanted)}; shown at {self.s:.0%} until the window is that large.")

    def rebuild(self) -> None:
        if self.fitted_scale() != self.s:  # the window was resized past what the scale fits
            self.s = self.fitted_scale()
            self.manager = self.make_manager()
        self.manager.set_window_resolution(self.window.get_size())
        self.manager.clear_and_reset()
        self.screen.build()

    def show(self, screen: Screen) -> None:
        self.manager.clear_and_reset()
        self.screen = screen
        screen.build()

    def flash(self, text: str, bad: bool = False, seconds: float = 6.0) -> None:
        """A one-line message at the bottom of the window (errors are never tracebacks); it fades
        out over its last second."""
        self.message, self.message_bad = text.splitlines()[0] if text else "", bad
        self.message_until = time.monotonic() + seconds

    def unflash(self, text: str) -> None:
        """Take down the message `text` if it is the one shown: a hint that is no longer true
        ("the budget is fully spent" once a lever was lowered) should not outstay its cause."""
        if self.message == text.splitlines()[0]:
            self.message, self.message_until = "", 0.0

    def message_alpha(self) -> int:
        """How opaque the message is now: 255 until its last second, then fading to 0."""
        if not self.message:
            return 0
        left = self.message_until - time.monotonic()
        return max(0, min(255, round(255 * left / FADE_SECONDS)))

    def power_colour(self, power: str) -> tuple[int, int, int]:
        assert self.game is not None
        w = self.game.world
        cols = power_colours([tuple(p.color) for p in self.game.scenario.spec.powers],  # type: ignore[misc]
                             self.settings.colour_blind)
        return cols[w.power_index(power)]

    def screenshot(self, name: str) -> None:
        """Save the current frame as PNG (autoplay and docs)."""
        if self.shots is None:
            return
        self.shots.mkdir(parents=True, exist_ok=True)
        self.shot_count += 1
        pygame.image.save(self.window, str(self.shots / f"{self.shot_count:02d}-{name}.png"))

    # ------------------------------------------------------------------ loop
    def step(self, dt_ms: float | None = None) -> None:
        """One frame: events, updates, drawing."""
        start = time.perf_counter()
        dt = (dt_ms if dt_ms is not None else self.clock.tick(60)) / 1000.0
        calls, self.later = self.later, []
        for call in calls:
            call()
        for event in pygame.event.get():
            self.handle(event)
        self.poll_worker()
        if self.autopilot is not None:
            self.autopilot.tick()
        self.manager.update(dt)
        self.screen.update(dt)
        self.draw()
        self.frame_ms = (time.perf_counter() - start) * 1000.0

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
            return
        if event.type == pygame.VIDEORESIZE and not self.settings.fullscreen:
            # a window dragged smaller than the layout supports is put back to the minimum
            size = (max(MIN_SIZE[0], event.w), max(MIN_SIZE[1], event.h))
            self.window = pygame.display.set_mode(size, pygame.RESIZABLE)
            self.settings.width, self.settings.height = self.window.get_size()
            self.rebuild()
            return
        if self.resolving and event.type in BLOCKED_WHILE_RESOLVING:
            return
        consumed = self.manager.process_events(event)
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and self.typing():
            self.screen.back()  # Esc leaves a text field's dialog too
            return
        if (event.type == pygame.KEYDOWN and not consumed and not self.typing()
                and (self.global_key(event.key, event.mod) or self.screen.on_key(event.key, event.mod))):
            return
        self.screen.on_event(event)

    def typing(self) -> bool:
        focus = self.manager.get_focus_set() or set()
        return any(isinstance(e, pygame_gui.elements.UITextEntryLine) for e in focus)

    def global_key(self, key: int, mod: int) -> bool:
        from game.ui.screens.help import HelpScreen
        if key == pygame.K_F11:
            self.settings.fullscreen = not self.settings.fullscreen
            self.apply_settings()
            return True
        if key == pygame.K_F1 and not isinstance(self.screen, HelpScreen):
            self.show(HelpScreen(self, self.screen))
            return True
        if key == pygame.K_ESCAPE:
            self.screen.back()
            return True
        return False

    def draw(self) -> None:
        self.window.fill(self.palette.bg)
        self.screen.draw(self.window)
        self.manager.draw_ui(self.window)
        if self.resolving:
            self.draw_resolving()
        alpha = self.message_alpha()
        if alpha:
            f = font(self.px(18), bold=True)
            colour = self.palette.bad if self.message_bad else self.palette.accent
            text = f.render(self.message, True, colour)
            box = text.get_rect(midbottom=(self.w // 2, self.h - self.px(10))).inflate(self.px(28), self.px(12))
            note = pygame.Surface(box.size, pygame.SRCALPHA)
            inner = note.get_rect()
            pygame.draw.rect(note, (8, 12, 20), inner, border_radius=self.px(6))
            pygame.draw.rect(note, colour, inner, 2, border_radius=self.px(6))
            note.blit(text, text.get_rect(center=inner.center))
            note.set_alpha(alpha)
            self.window.blit(note, box)
        pygame.display.flip()

    def draw_resolving(self) -> None:
        """A veil and a moving note while the worker thread resolves the year."""
        veil = pygame.Surface((self.w, self.h), pygame.SRCALPHA)
        veil.fill((*self.palette.bg, 255 if self.hotseat else 190))  # hot seat: hide the last orders
        self.window.blit(veil, (0, 0))
        year = self.game.year + 1 if self.game else ""
        dots = "." * (1 + int(time.monotonic() * 3) % 3)
        text = font(self.px(34), bold=True).render(f"The world moves into {year}{dots}", True, self.palette.accent)
        self.window.blit(text, text.get_rect(center=(self.w // 2, self.h // 2)))

    def run(self) -> int:
        while self.running:
            self.step()
        return 0

    # ------------------------------------------------------------------ session
    def start(self, game: Game) -> None:
        """Begin (or resume) a game: drafts for the human seats, then their first screen."""
        self.game = game
        self.submitted = {}
        self.last_report = game.reports[-1] if game.reports else None
        self.new_turn()
        self.flash(f"Seed {game.seed}: the same seed and the same orders replay this game "
                   f"(New game, or systemic play --seed {game.seed}).", seconds=10.0)

    def new_turn(self) -> None:
        from game.ui.screens.endgame import EndScreen
        from game.ui.screens.main import MainScreen
        from game.ui.screens.privacy import PrivacyScreen
        game = self.game
        assert game is not None
        if game.over:
            self.show(EndScreen(self))
            return
        self.submitted = {}
        self.drafts = {p: Draft.start(game, p) for p in game.humans()}
        humans = game.humans()
        if not humans:  # every human regime has collapsed: the AI plays on, year by year
            self.flash("No human power is left standing: the AI plays the remaining years.")
            self.resolve_turn()
            return
        self.viewer = humans[0] if humans else self.viewer or game.world.power_ids[0]
        if self.hotseat and len(humans) > 1:
            self.show(PrivacyScreen(self, humans[0]))
        else:
            self.show(MainScreen(self))

    def submit(self, power: str) -> str | None:
        """A human's orders are final; resolves once every human has submitted."""
        from game.ui.screens.main import MainScreen
        from game.ui.screens.privacy import PrivacyScreen
        assert self.game is not None
        try:
            orders = self.drafts[power].check()
        except OrderError as exc:
            return str(exc)
        self.submitted[power] = orders
        waiting = [p for p in self.game.humans() if p not in self.submitted]
        if waiting:
            self.viewer = waiting[0]
            self.show(PrivacyScreen(self, waiting[0]))
            return None
        self.resolve_turn()
        if not isinstance(self.screen, MainScreen):
            self.show(MainScreen(self))
        return None

    def resolve_turn(self) -> None:
        """Resolve in a worker thread; the window keeps drawing a progress note."""
        game = self.game
        assert game is not None
        orders = dict(self.submitted)
        self.worker_result = None

        def work() -> None:
            try:
                self.worker_result = game.advance(orders)
            except BaseException as exc:  # reported in the window, never a traceback
                self.worker_result = exc

        self.worker = threading.Thread(target=work, name="resolve-turn", daemon=True)
        self.worker.start()
        self.sounds.play("turn")

    @property
    def resolving(self) -> bool:
        return self.worker is not None

    def poll_worker(self) -> None:
        if self.worker is None or self.worker.is_alive():
            return
        self.worker = None
        result = self.worker_result
        if isinstance(result, BaseException):
            self.flash(f"The turn could not be resolved: {result}", bad=True)
            self.new_turn()
            return
        from game.ui.screens.report import ReportScreen
        self.last_report = result
        self.autosave()
        assert self.game is not None
        if self.hotseat and len(self.game.humans()) > 1 and not self.game.over:
            # each player sees the year behind their own hand-over, and only what a rival could know
            self.reviewing = set(self.game.humans())
            self.new_turn()
            return
        self.show(ReportScreen(self))

    def autosave(self) -> None:
        if self.game is None:
            return
        try:
            self.game.save(settings_mod.autosave_path())
        except OSError as exc:
            self.flash(f"Autosave failed: {exc.strerror or exc}", bad=True)

    def save_game(self, path: Path) -> bool:
        if self.game is None:
            return False
        try:
            self.game.save(path)
        except OSError as exc:
            self.flash(f"Could not save to {path}: {exc.strerror or exc}", bad=True)
            return False
        self.flash(f"Saved: {path}")
        return True

    def load_game(self, path: Path) -> bool:
        """Load a save; a missing, corrupt or newer save keeps the current game and says why."""
        try:
            game = Game.load(path)
        except SaveError as exc:
            self.flash(str(exc), bad=True)
            return False
        except RulesError as exc:
            self.flash(f"{path}: its scenario has errors ({len(exc.problems)} problem(s))", bad=True)
            return False
        self.start(game)
        self.flash(f"Loaded {path.name}: {game.scenario.spec.name}, {game.year}")
        return True

    def after(self, callback: Callable[[], None]) -> None:
        """Run a callback at the next frame (lets a widget finish its own event first)."""
        self.later.append(callback)
