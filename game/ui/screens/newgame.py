"""New game: the scenario with its briefing, and for every power a human or an AI persona with its
difficulty level (the seat becomes e.g. `hard:planner`)."""

from __future__ import annotations

from html import escape

import pygame
import pygame_gui
from pygame_gui.elements import UIDropDownMenu, UITextEntryLine

from game.ai.difficulty import LEVELS
from game.ai.personas import PERSONAS
from game.engine import history
from game.match import HUMAN, Game, new_seed
from game.rules.loader import RulesError, load_scenario, shipped_scenarios
from game.ui import tips
from game.ui.app import App, Screen
from game.ui.widgets import blit_text, button, label, oid, textbox

HUMAN_LABEL = "Human player"
DEFAULT_SCENARIO = "digital-leninism-2017"


class NewGameScreen(Screen):
    name = "newgame"

    def __init__(self, app: App, scenario: str = DEFAULT_SCENARIO, human: str | None = None) -> None:
        super().__init__(app)
        ids = shipped_scenarios()
        self.scenario_id = scenario if scenario in ids else (ids[0] if ids else scenario)
        self.seats: dict[str, str] = {}  # power -> HUMAN or the AI's persona
        self.levels: dict[str, str] = {}  # power -> the AI's difficulty level
        self.human = human
        self.seed = str(new_seed())  # fresh luck for every new game; the field shows it, a save keeps it
        self.load_seats()

    def load_seats(self) -> None:
        scen = load_scenario(self.scenario_id)
        powers = [p.id for p in scen.spec.powers]
        first_human = self.human if self.human in powers else powers[0]
        self.seats = {p: (HUMAN if p == first_human else "planner") for p in powers}
        self.levels = dict.fromkeys(powers, tips.DEFAULT_LEVEL)
        self.scenario = scen
        default = history.default_until(scen)  # the scenario's own history setting
        self.history_choice = "off" if default is None else str(default)

    def seat(self, power: str) -> str:
        """The seat as the game takes it: "human" or level:persona."""
        who = self.seats[power]
        return who if who == HUMAN else f"{self.levels[power]}:{who}"

    def build(self) -> None:
        app = self.app
        m = app.px(24)
        col = (app.w - 3 * m) // 2
        y = app.px(90)
        names: list[str | tuple[str, str]] = [(load_scenario(s).spec.name, s) for s in shipped_scenarios()]
        label(app, (m, y - app.px(4), col, app.px(34)), "Scenario", cls="@heading")
        menu = UIDropDownMenu(names, (self.scenario.spec.name, self.scenario_id),
                              pygame.Rect(m, y + app.px(34), col, app.px(42)), app.manager,
                              object_id=oid(None, "scenario"))
        menu.set_tooltip("Which scenario to play; its briefing is below.")
        self.scenario_menu = menu
        spec = self.scenario.spec
        brief = (f"<b>{escape(spec.name)}</b> ({spec.start_year}-{spec.end_year}, "
                 f"{spec.end_year - spec.start_year} turns of one year)<br><br>{escape(spec.briefing)}")
        textbox(app, (m, y + app.px(90), col, app.h - y - app.px(200)), brief)
        x2 = 2 * m + col
        label(app, (x2, y - app.px(4), col, app.px(34)), "Who plays each power", cls="@heading")
        options: list[str | tuple[str, str]] = [(HUMAN_LABEL, HUMAN)]
        options += [(p.replace("_", " ").capitalize(), p) for p in PERSONAS]
        levels: list[str | tuple[str, str]] = [(tips.LEVEL_NAMES.get(k, k), k) for k in LEVELS]
        self.seat_menus: dict[object, str] = {}
        self.level_menus: dict[object, str] = {}
        self.level_of: dict[str, UIDropDownMenu] = {}
        yy = y + app.px(40)
        gap, seat_w, level_w = app.px(8), app.px(180), app.px(116)  # widths the longest option needs
        lab_w = col - seat_w - level_w - 2 * gap
        for p in spec.powers:
            doctrine = p.doctrine.replace("_", " ")
            if lab_w >= app.px(290):
                label(app, (x2, yy, lab_w, app.px(40)), f"{p.name}  ({doctrine})")
            else:  # a narrow window: the doctrine moves into the tooltip
                label(app, (x2, yy, lab_w, app.px(40)), p.name, tip=f"{p.name}: {doctrine}")
            who = self.seats[p.id]
            current = next(o for o in options if isinstance(o, tuple) and o[1] == who)
            seat = UIDropDownMenu(options, current, pygame.Rect(x2 + lab_w + gap, yy, seat_w, app.px(40)),
                                  app.manager, object_id=oid(None, f"seat_{p.id}"))
            seat.set_tooltip(self.seat_tip(who))
            self.seat_menus[seat] = p.id
            level = self.levels[p.id]
            chosen = next(o for o in levels if isinstance(o, tuple) and o[1] == level)
            menu = UIDropDownMenu(levels, chosen, pygame.Rect(x2 + lab_w + 2 * gap + seat_w, yy, level_w, app.px(40)),
                                  app.manager, object_id=oid(None, f"level_{p.id}"))
            menu.set_tooltip(self.level_tip(p.id))
            if who == HUMAN:
                menu.disable()  # a human needs no difficulty
            self.level_menus[menu] = p.id
            self.level_of[p.id] = menu
            yy += app.px(54)
        label(app, (x2, yy + app.px(10), app.px(220), app.px(40)), "Random seed",
              tip="The same seed and the same orders replay the same history.")
        seed_rect = pygame.Rect(x2 + lab_w + app.px(10), yy + app.px(10), app.px(160), app.px(40))
        self.seed_entry = UITextEntryLine(seed_rect, app.manager, object_id=oid(None, "seed"))
        self.seed_entry.set_text(self.seed)
        self.seed_entry.set_allowed_characters("numbers")
        self.history_menu: UIDropDownMenu | None = None
        if spec.history is not None:  # history mode: the scenario's deck as it happened, to a year
            yy += app.px(54)
            label(app, (x2, yy + app.px(10), lab_w, app.px(40)), "History",
                  tip="Play the years as they happened (the sourced events fire, the AI answers as "
                      "history did) up to a year, then take over: alternate history from there. "
                      "In the game, H leaves history at once.")
            years = range(spec.start_year + 1, history.last_year(self.scenario) + 1)
            choices: list[str | tuple[str, str]] = [("Off: alternate history", "off")]
            choices += [(f"As it happened to {y}", str(y)) for y in years]
            picked = next((c for c in choices if isinstance(c, tuple) and c[1] == self.history_choice), choices[0])
            self.history_menu = UIDropDownMenu(choices, picked, pygame.Rect(x2 + lab_w + app.px(10), yy + app.px(10),
                                                                             seat_w + level_w, app.px(40)),
                                               app.manager, object_id=oid(None, "history"))
        textbox(app, (x2, yy + app.px(70), col, app.h - yy - app.px(190)),
                "<b>Difficulty</b> (how well the AI plays)<br>" + "<br>".join(tips.level_tip(k) for k in LEVELS)
                + "<br><br><b>Personas</b> (how the AI plays)<br>"
                + "<br>".join(f"<b>{escape(k.replace('_', ' '))}</b>: {escape(v.summary)}"
                              for k, v in PERSONAS.items()))
        button(app, (app.w - m - app.px(260), app.h - app.px(84), app.px(260), app.px(56)), "Start  [Enter]",
               self.start, cls="@accent", ident="start", tip="Begin the game (Enter).")
        button(app, (app.w - m - app.px(420), app.h - app.px(84), app.px(140), app.px(56)), "Back", self.back,
               ident="back", tip="Back to the title screen (Esc).")

    @staticmethod
    def seat_tip(who: str) -> str:
        if who == HUMAN:
            return "You give this power's orders."
        return f"AI persona: {PERSONAS[who].summary}"

    def level_tip(self, power: str) -> str:
        if self.seats[power] == HUMAN:
            return "A human player needs no difficulty level; choose an AI persona to set one."
        return tips.level_tip(self.levels[power])

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type != pygame_gui.UI_DROP_DOWN_MENU_CHANGED:
            return
        option = getattr(event, "selected_option_id", None) or event.text
        if event.ui_element is self.history_menu:
            self.history_choice = option
        elif event.ui_element is self.scenario_menu:
            self.scenario_id = option
            try:
                self.load_seats()
            except RulesError as exc:
                self.app.flash(f"{option}: scenario has errors ({len(exc.problems)} problem(s))", bad=True)
            self.seed = self.seed_entry.get_text()
            self.app.after(self.app.rebuild)
        elif event.ui_element in self.seat_menus:
            power = self.seat_menus[event.ui_element]
            self.seats[power] = option
            event.ui_element.set_tooltip(self.seat_tip(option))
            level = self.level_of[power]
            if option == HUMAN:
                level.disable()
            else:
                level.enable()
            level.set_tooltip(self.level_tip(power))
        elif event.ui_element in self.level_menus:
            power = self.level_menus[event.ui_element]
            self.levels[power] = option
            event.ui_element.set_tooltip(self.level_tip(power))

    def start(self) -> None:
        app = self.app
        text = self.seed_entry.get_text().strip() or "0"
        try:
            seed = int(text)
        except ValueError:
            app.flash(f"The seed must be a whole number, not '{text}'.", bad=True)
            return
        humans = [p for p, who in self.seats.items() if who == HUMAN]
        if len(humans) > 1 and not app.hotseat:
            app.hotseat = True
            app.flash("Several human players: hot-seat mode, with a privacy screen between players.")
        try:
            mode = False if self.history_choice == "off" else int(self.history_choice)
            game = Game.new(self.scenario_id, {p: self.seat(p) for p in self.seats}, seed, mode)
        except (ValueError, RulesError) as exc:
            app.flash(str(exc), bad=True)
            return
        app.start(game)

    def on_key(self, key: int, mod: int) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.start()
            return True
        return False

    def back(self) -> None:
        from game.ui.screens.title import TitleScreen
        self.app.show(TitleScreen(self.app))

    def draw(self, surface: pygame.Surface) -> None:
        blit_text(surface, "New game", (self.app.px(24), self.app.px(16)), self.app.px(40),
                  self.app.palette.accent, True)
