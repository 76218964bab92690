"""The projector view of a classroom session: the world map, public indicators, the countdown,
which teams have submitted, the news, the join address and (on demand) the codes, and the
facilitator console: pause/resume, +/-1 min, inject an event or a news line, AI takeover and hand
back, moving a device to another team, leaving history (H, in history mode), ending the session
early and exporting the debrief.

The session runs in the server's thread (an asyncio loop). This window only reads it under the
server's lock and steers it through `Server.steer`, which sends the hub the very `control` message
the facilitator web page sends and hands back the hub's reply as a future: one code path, and no
session state is touched from this thread.
"""

from __future__ import annotations

import concurrent.futures
import re
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UIDropDownMenu, UITextEntryLine
from pygame_gui.windows import UIConfirmationDialog

from game.classroom.hub import FACILITATOR
from game.classroom.views import facilitator_view, public_view
from game.ui.theme import font, reset_fonts, theme_dict
from game.ui.widgets import fit
from game.ui.worldmap import map_data, mix

if TYPE_CHECKING:
    from game.classroom.server import Server

BG, FG, MUTED, ACCENT, OK, BAD = (16, 20, 28), (232, 236, 244), (150, 160, 185), (240, 180, 41), (63, 178, 127), \
    (229, 83, 75)
SEA, LAND, PANEL = (22, 36, 56), (70, 76, 90), (24, 31, 44)
# The bottom bar: (key, label with its shortcut). Labels say the key so the teacher never guesses.
BAR = (("pause", "Pause [Space]"), ("plus", "+1 min [+]"), ("minus", "-1 min [-]"), ("codes", "Codes [C]"),
       ("console", "Console [Tab]"), ("export", "Debrief [E]"), ("end", "End session [End]"))
TAKEOVER_PERSONA = "status_quo"  # the hub's own default: the team keeps its course
NOTE_SECONDS = 8.0  # a status line ("Pause: done") stays this long, then goes
NEWS_PAGE_SECONDS = 10.0  # the news turns its page by itself this often (PgUp/PgDn turn it at once)
Options = list[str | tuple[str, str]]  # a dropdown's (label, id) options
DEVICE_ID = re.compile(r"\((c\d+)\)$")  # hub.devices() lists "tablet (c3)"


def _history_words(v: dict[str, Any]) -> str:
    """History mode beside the scenario's name: as it happened until the class takes over, or since."""
    h = v.get("history")
    if not h:
        return ""
    if h["own_from"] <= v["year"]:
        return f"   ·   alternate history since {h['own_from']}"
    return f"   ·   history as it happened: the class takes over in {h['own_from']}"


def _persona_name(persona: str) -> str:
    return persona.replace("_", " ").capitalize()


def _ident(name: str) -> ObjectID:
    return ObjectID(object_id=f"#{name}")


class Projector:
    """One frame of the projector view and its console, from a snapshot of the session."""

    def __init__(self, server: Server, size: tuple[int, int], *, show_codes: bool = False,
                 console: bool = False) -> None:
        reset_fonts()  # fonts cached before the last pygame.quit() are dead
        self.server = server
        self.size = size
        self.s = min(size[0] / 1280, size[1] / 720)  # 1 at 1280x720, 1.5 at 1920x1080
        self.show_codes = show_codes  # team codes on the wall let anyone join any team: shown on demand
        self.console = console
        self.manager = pygame_gui.UIManager(size, theme_dict(self.s))
        self.pending: list[tuple[str, concurrent.futures.Future[dict[str, Any]]]] = []
        self.note, self.note_bad = "", False
        self.note_age = 0.0  # seconds the note has been shown (from the frames' dt: a test moves it)
        self.news_page, self.news_pages, self.news_age = 0, 1, 0.0
        self.news_sig: tuple[str, ...] = ()
        self.export_path = ""
        self.confirm: UIConfirmationDialog | None = None
        self.confirm_action = ("End session", "end")  # what the open confirmation does when confirmed
        self.view: dict[str, Any] = {}
        self.bar: dict[str, UIButton] = {}
        self.widgets: dict[str, Any] = {}  # console widgets by name
        self.team_keys: list[str] = []  # power teams in the order of their number keys
        self.console_sig: tuple[Any, ...] = ()
        W, H = size
        w = (W - self.px(40)) // len(BAR)
        for i, (key, text) in enumerate(BAR):
            rect = pygame.Rect(self.px(20) + i * w, H - self.px(54), w - self.px(8), self.px(42))
            self.bar[key] = UIButton(rect, text, self.manager, object_id=_ident(f"bar_{key}"))
        self.view = self.snapshot()
        if console:
            self.build_console()

    def px(self, n: float) -> int:
        return round(n * self.s)

    # ------------------------------------------------------------------ reading the session
    def snapshot(self) -> dict[str, Any]:
        s = self.server.hub.session
        with self.server.lock:
            view = public_view(s)
            view["codes"] = {t: (v.name, v.code) for t, v in s.teams.items()}
            view["report_year"] = s.game.reports[-1].year - 1 if s.game.reports else None
            view["colours"] = {p.id: tuple(p.color) for p in s.game.scenario.spec.powers}
            view["lean"] = {r: max(v["leans"], key=v["leans"].get) for r, v in view["regions"].items()}
            view["devices"] = {t: d for t, d in self.server.hub.devices().items() if t != FACILITATOR}
        return view

    def deck(self) -> dict[str, Any]:
        """The facilitator page's lists (events, personas, powers), read the way the page gets them."""
        with self.server.lock:
            return facilitator_view(self.server.hub.session, self.server.hub.devices())

    # ------------------------------------------------------------------ the console's widgets
    def console_rect(self) -> pygame.Rect:
        W, H = self.size
        return pygame.Rect(self.px(20), self.px(110), int(W * 0.58), int(H * 0.52))

    def build_console(self) -> None:
        for widget in self.widgets.values():
            widget.kill()
        self.widgets = {}
        v, deck = self.view, self.deck()
        r = self.console_rect()
        row, gap = self.px(40), self.px(8)
        x0, y = r.x + self.px(12), r.y + self.px(38)
        wd = self.widgets
        events: Options = [(str(e["name"]), str(e["id"])) for e in deck["events"]]
        powers: Options = [(str(v["powers"][p]["name"]), str(p)) for p in deck["powers"]]
        ev_w, pw_w = int(r.w * 0.44), int(r.w * 0.2)
        if events:
            wd["event"] = UIDropDownMenu(events, events[0], pygame.Rect(x0, y, ev_w, row), self.manager,
                                         object_id=_ident("event"))
            wd["event"].set_tooltip("An event from the scenario's deck, as a dilemma for the team on the right.")
        wd["event_for"] = UIDropDownMenu(powers, powers[0], pygame.Rect(x0 + ev_w + gap, y, pw_w, row),
                                         self.manager, object_id=_ident("event_for"))
        wd["inject"] = UIButton(pygame.Rect(x0 + ev_w + pw_w + 2 * gap, y, r.right - x0 - ev_w - pw_w - 2 * gap
                                            - self.px(12), row), "Inject [I]", self.manager,
                                object_id=_ident("inject"), tool_tip_text="Give the chosen team this dilemma now.")
        y += row + gap
        news_w = int(r.w * 0.64) + gap
        wd["news"] = UITextEntryLine(pygame.Rect(x0, y, news_w, row), self.manager, object_id=_ident("news"),
                                     placeholder_text="Breaking news for the class [N]")
        wd["post"] = UIButton(pygame.Rect(x0 + news_w + gap, y, r.right - x0 - news_w - gap - self.px(12), row),
                              "Post news [Enter]", self.manager, object_id=_ident("post"),
                              tool_tip_text="Put this line in the public news on every page.")
        y += row + gap + self.px(26)  # room for the "Teams" heading
        self.team_keys = [t for t, team in v["teams"].items() if team["kind"] == "power"]
        personas: Options = [(_persona_name(p), str(p)) for p in deck["personas"]]
        name_w, who_w = int(r.w * 0.22), int(r.w * 0.24)
        for n, tid in enumerate(self.team_keys, start=1):
            ai = v["teams"][tid]["ai"]
            bx = x0 + name_w + who_w + 2 * gap
            if not ai:
                start = next((o for o in personas if o[1] == TAKEOVER_PERSONA), personas[0])
                wd[f"persona_{tid}"] = UIDropDownMenu(personas, start, pygame.Rect(bx, y, int(r.w * 0.24), row),
                                                      self.manager, object_id=_ident(f"persona_{tid}"))
            text = f"Hand back [{n}]" if ai else f"AI takes over [{n}]"
            bx2 = bx + int(r.w * 0.24) + gap
            wd[f"ai_{tid}"] = UIButton(pygame.Rect(bx2, y, r.right - bx2 - self.px(12), row), text, self.manager,
                                       object_id=_ident(f"ai_{tid}"),
                                       tool_tip_text="Let the AI persona play this team until you hand it back.")
            y += row + gap
        y += self.px(26)
        devices: Options = [(f"{d.split(' (')[0]} ({v['teams'][t]['name']})", m.group(1))
                   for t, ds in v["devices"].items() for d in ds if (m := DEVICE_ID.search(d))]
        dev_w = int(r.w * 0.44)
        options: Options = devices or [("no device connected", "")]
        wd["device"] = UIDropDownMenu(options, options[0], pygame.Rect(x0, y, dev_w, row), self.manager,
                                      object_id=_ident("device"))
        teams: Options = [(str(t["name"]), str(tid)) for tid, t in v["teams"].items()]
        wd["device_to"] = UIDropDownMenu(teams, teams[0], pygame.Rect(x0 + dev_w + gap, y, pw_w, row),
                                         self.manager, object_id=_ident("device_to"))
        wd["move"] = UIButton(pygame.Rect(x0 + dev_w + pw_w + 2 * gap, y, r.right - x0 - dev_w - pw_w - 2 * gap
                                          - self.px(12), row), "Move [M]", self.manager, object_id=_ident("move"),
                              tool_tip_text="Move the chosen device to the chosen team.")
        if not devices:
            wd["device"].disable()
            wd["move"].disable()
        self.console_sig = self.signature()

    def signature(self) -> tuple[Any, ...]:
        """What the console's widgets show: rebuilt when a team's AI or the devices change."""
        v = self.view
        return (tuple((t, team["ai"]) for t, team in v["teams"].items()),
                tuple((t, tuple(d)) for t, d in sorted(v["devices"].items())))

    def toggle_console(self) -> None:
        self.console = not self.console
        if self.console:
            self.build_console()
        else:
            for widget in self.widgets.values():
                widget.kill()
            self.widgets = {}

    # ------------------------------------------------------------------ steering
    def control(self, what: str, action: str, **extra: Any) -> None:
        """Send the facilitator page's `control` message through the server; the reply shows later."""
        future = self.server.steer({"action": action, **extra})
        if future is not None:
            self.pending.append((what, future))

    def poll(self) -> None:
        """Show the replies of finished actions (errors in red, the debrief's path)."""
        left = []
        for what, future in self.pending:
            if not future.done():
                left.append((what, future))
                continue
            try:
                reply = future.result()
            except Exception as exc:  # the loop stopped under us: say so, never crash the window
                reply = {"type": "error", "message": str(exc) or exc.__class__.__name__}
            if reply.get("type") == "error":
                self.say(f"{what}: {reply.get('message', 'refused')}", True)
            elif reply.get("path"):
                self.export_path = str(reply["path"])
                self.say(f"Debrief written: {self.export_path}")
            else:
                self.say(str(reply.get("message") or f"{what}: done"))
        self.pending = left

    def say(self, text: str, bad: bool = False) -> None:
        """A status line under the news, gone after NOTE_SECONDS."""
        self.note, self.note_bad, self.note_age = text, bad, 0.0

    def selected(self, name: str) -> str:
        menu = self.widgets.get(name)
        return str(menu.selected_option[1]) if isinstance(menu, UIDropDownMenu) else ""

    def press(self, key: str) -> None:
        """One console action, by the name of its button (the keyboard shortcuts come here too)."""
        v = self.view
        if key == "pause":
            if v.get("ended"):
                return
            if not v.get("started"):
                self.control("Start", "start")
            else:
                self.control("Resume" if v.get("paused") else "Pause", "resume" if v.get("paused") else "pause")
        elif key in ("news_next", "news_prev"):
            step = 1 if key == "news_next" else -1
            self.news_page, self.news_age = (self.news_page + step) % max(1, self.news_pages), 0.0
        elif key in ("plus", "minus"):
            self.control("+1 min" if key == "plus" else "-1 min", "time", seconds=60 if key == "plus" else -60)
        elif key == "codes":
            self.show_codes = not self.show_codes
        elif key == "console":
            self.toggle_console()
        elif key == "export":
            self.control("Export debrief", "export")
        elif key == "end":
            self.ask_end()
        elif key == "history":
            self.ask_leave_history()
        elif key == "inject" and self.console:
            self.control("Inject", "inject", event=self.selected("event"), power=self.selected("event_for"))
        elif key == "news" and self.console:
            entry = self.widgets["news"]
            text = entry.get_text().strip()
            if text:
                self.control("News", "news", text=text)
                entry.set_text("")
        elif key == "move" and self.console and self.selected("device"):
            self.control("Move device", "move", conn=self.selected("device"), team=self.selected("device_to"))
        elif key.startswith("ai_") and self.console:
            team = key[3:]
            if v["teams"].get(team, {}).get("ai"):
                self.control(f"Hand back {v['teams'][team]['name']}", "handback", team=team)
            else:
                persona = self.selected(f"persona_{team}") or TAKEOVER_PERSONA
                self.control(f"AI takes over {v['teams'][team]['name']}", "takeover", team=team, persona=persona)

    def ask_end(self) -> None:
        self.ask(("End session", "end"), "End the session now? Every team stops playing; you can still export "
                 "the debrief. [Enter] ends it, [Esc] keeps playing.", "End the session", "confirm_end")

    def ask_leave_history(self) -> None:
        """H: leave history after this year, once confirmed; when there is nothing to leave the host's
        refusal says why (the same words as on the facilitator page)."""
        v = self.view
        history = v.get("history")
        if not history or not history.get("can_leave"):
            self.control("Leave history", "leave_history")
            return
        self.ask(("Leave history", "leave_history"),
                 f"Leave history? {v['year']} ends and {v['year'] + 1} begins as it happened; from then on the "
                 "class writes its own years, with events from the ordinary deck. This cannot be undone. "
                 "[Enter] leaves history, [Esc] keeps it.", "Leave history", "confirm_history")

    def ask(self, action: tuple[str, str], text: str, title: str, ident: str) -> None:
        if self.confirm is not None and self.confirm.alive():
            return
        W, H = self.size
        rect = pygame.Rect(0, 0, self.px(520), self.px(240))
        rect.center = (W // 2, H // 2)
        self.confirm_action = action
        self.confirm = UIConfirmationDialog(rect, text, self.manager, window_title=title,
                                            action_short_name=action[0], object_id=_ident(ident))

    # ------------------------------------------------------------------ events
    def typing(self) -> bool:
        entry = self.widgets.get("news")
        return entry is not None and entry.is_focused

    def handle(self, event: pygame.event.Event) -> None:
        consumed = self.manager.process_events(event)
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            for key, button in self.bar.items():
                if event.ui_element is button:
                    self.press(key)
            for name, widget in list(self.widgets.items()):
                if event.ui_element is widget:
                    self.press({"post": "news"}.get(name, name))
        elif event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.widgets.get("news"):
            self.press("news")
        elif event.type == pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED and event.ui_element is self.confirm:
            self.control(*self.confirm_action)
            self.confirm = None
        elif event.type == pygame.KEYDOWN and not consumed:
            self.key(event.key)

    def key(self, key: int) -> None:
        if self.confirm is not None and self.confirm.alive():
            if key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_y):
                self.confirm.kill()
                self.confirm = None
                self.control(*self.confirm_action)
            elif key in (pygame.K_ESCAPE, pygame.K_n):
                self.confirm.kill()
                self.confirm = None
            return
        if self.typing():
            if key == pygame.K_ESCAPE:
                self.widgets["news"].unfocus()
            return
        keys = {pygame.K_SPACE: "pause", pygame.K_PLUS: "plus", pygame.K_EQUALS: "plus", pygame.K_KP_PLUS: "plus",
                pygame.K_MINUS: "minus", pygame.K_KP_MINUS: "minus", pygame.K_c: "codes", pygame.K_TAB: "console",
                pygame.K_e: "export", pygame.K_END: "end", pygame.K_i: "inject", pygame.K_m: "move",
                pygame.K_s: "pause", pygame.K_PAGEDOWN: "news_next", pygame.K_PAGEUP: "news_prev",
                pygame.K_h: "history"}
        if key in keys:
            self.press(keys[key])
        elif key == pygame.K_n and self.console:
            self.widgets["news"].focus()
        elif self.console and pygame.K_1 <= key <= pygame.K_9 and key - pygame.K_1 < len(self.team_keys):
            self.press(f"ai_{self.team_keys[key - pygame.K_1]}")

    def update(self, dt: float) -> None:
        self.poll()  # self.view is the last frame's snapshot: one read of the session per frame
        v = self.view
        if v["ended"]:  # nothing to resume or time any more
            self.bar["pause"].set_text("Session over")
            for key in ("pause", "plus", "minus"):
                self.bar[key].disable()
        else:
            self.bar["pause"].set_text("Start [Space]" if not v["started"] else
                                       "Resume [Space]" if v["paused"] else "Pause [Space]")
        self.note_age += dt
        if self.note and self.note_age > NOTE_SECONDS:
            self.note = ""
        self.news_age += dt
        if self.news_pages > 1 and self.news_age > NEWS_PAGE_SECONDS:
            self.press("news_next")
        if self.console and self.signature() != self.console_sig:
            self.build_console()
        self.manager.update(dt)

    # ------------------------------------------------------------------ drawing
    def text(self, surf: pygame.Surface, text: str, pos: tuple[int, int], size: float = 17,
             colour: tuple[int, int, int] = FG, bold: bool = False, width: int = 0) -> int:
        """One line at `size` (scaled); returns the y below it."""
        px = self.px(size)
        img = font(px, bold).render(fit(text, px, width, bold) if width else text, True, colour)
        surf.blit(img, pos)
        return pos[1] + img.get_height() + self.px(2)

    def wrap(self, text: str, size: float, width: int, bold: bool = False) -> list[str]:
        """The text in lines that fit `width` at `size` (scaled)."""
        f, lines, line = font(self.px(size), bold), [], ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if line and f.size(trial)[0] > width:
                lines.append(line)
                line = word
            else:
                line = trial
        return [*lines, line] if line else lines

    def draw(self, surf: pygame.Surface) -> dict[str, Any]:
        v = self.view = self.snapshot()
        W, H = self.size
        surf.fill(BG)
        left = int(secs := v["remaining"])
        clock = ("GAME OVER" if v["ended"] else "Press Start [Space]" if not v["started"] else
                 ("PAUSED " if v["paused"] else "") + f"{left // 60}:{left % 60:02d}")
        self.text(surf, f"{v['scenario']}{_history_words(v)}", (self.px(20), self.px(10)), 21, MUTED)
        self.text(surf, f"Year {v['year']}", (self.px(20), self.px(38)), 46, bold=True)
        self.text(surf, clock, (int(W * 0.36), self.px(38)), 46 if v["started"] or v["ended"] else 34,
                  ACCENT if secs > 30 or v["paused"] or not v["started"] else BAD, True)
        url = font(self.px(28), True).render(self.server.url, True, FG)
        surf.blit(url, (W - url.get_width() - self.px(20), self.px(16)))
        self.text(surf, "Join on this address with your team's code", (W - url.get_width() - self.px(20),
                                                                        self.px(16) + url.get_height()), 15, MUTED)
        body = self.console_rect()
        if self.console:
            self.draw_console(surf, body)
        elif v["result"]:
            self.draw_end(surf, body, v)
        else:
            self.draw_map(surf, body, v)
        x, y = body.right + self.px(20), body.y
        right_w = W - x - self.px(20)
        y = self.text(surf, "Teams", (x, y), 21, ACCENT, True)
        for tid, team in v["teams"].items():
            mark = ("submitted" if team["submitted"] else
                    f"AI ({_persona_name(team['ai'])})" if team["ai"] else
                    "" if v["ended"] else "thinking...")
            code = f"   code {v['codes'][tid][1]}" if self.show_codes and not v["ended"] else ""
            devices = v["devices"].get(tid, [])
            extra = ("   " + ", ".join(d.split(" (")[0] for d in devices)) if self.console and devices else ""
            line = f"{team['name']}: {mark}{code}{extra}" if mark or code or extra else team["name"]
            y = self.text(surf, line, (x, y), 19,
                          OK if team["submitted"] else (ACCENT if team["ai"] else FG), width=right_w)
        y += self.px(10)
        cols = [round(c * right_w / 480) for c in (0, 130, 200, 270, 350, 420)]
        for cx, head in zip(cols, ("Power", "GDP", "growth", "stab.", "model", "std"), strict=True):
            self.text(surf, head, (x + cx, y), 16, ACCENT, True)
        y += self.px(24)
        for pid, p in v["powers"].items():
            cells = (p["name"][:14], f"{p['gdp']:.1f}", f"{100 * p['growth']:.1f}%", f"{p['stability']:.1f}",
                     f"{100 * p['model_adoption']:.0f}%", f"{100 * p['standards_share']:.0f}%")
            for cx, cell in zip(cols, cells, strict=True):
                self.text(surf, cell, (x + cx, y), 16, v["colours"].get(pid, FG))
            y += self.px(24)
        bar_top = H - self.px(60)
        status_y = bar_top - self.px(26)
        self.draw_news(surf, body.bottom + self.px(10), status_y, v)
        if self.note:
            self.text(surf, self.note, (self.px(20), status_y), 16, BAD if self.note_bad else OK,
                      width=W - self.px(40))
        self.manager.draw_ui(surf)
        return v

    def draw_news(self, surf: pygame.Surface, top: int, bottom: int, v: dict[str, Any]) -> None:
        """Every headline of the year, a page at a time: the newest first, pages turn by themselves
        every NEWS_PAGE_SECONDS and with PgUp/PgDn, and the heading says which page is up."""
        W = self.size[0]
        news = list(reversed(v["news"]))  # the newest first: a posted line is seen at once
        if tuple(news) != self.news_sig:  # new headlines: back to the first page
            self.news_sig, self.news_page, self.news_age = tuple(news), 0, 0.0
        line_h = font(self.px(19)).get_linesize() + self.px(2)
        per_page = max(1, (bottom - top - self.px(30)) // line_h)
        self.news_pages = max(1, -(-len(news) // per_page))
        self.news_page = min(self.news_page, self.news_pages - 1)
        # the news is dated by the year it leads into (as the classroom page says)
        title = (f"Turn report {v['report_year']}: news as {v['report_year'] + 1} begins" if v["report_year"]
                 else "News")
        if self.news_pages > 1:
            first = self.news_page * per_page
            title += (f"   headlines {first + 1}-{min(len(news), first + per_page)} of {len(news)}"
                      "   [PgUp/PgDn]")
        y = self.text(surf, title, (self.px(20), top), 21, ACCENT, True)
        for line in news[self.news_page * per_page:(self.news_page + 1) * per_page]:
            y = self.text(surf, line, (self.px(20), y), 19, width=W - self.px(40))

    def draw_end(self, surf: pygame.Surface, rect: pygame.Rect, v: dict[str, Any]) -> None:
        """The end screen: the winner, every final score and the verdict in full."""
        r = v["result"]
        pygame.draw.rect(surf, PANEL, rect, border_radius=self.px(8))
        pygame.draw.rect(surf, ACCENT, rect, 2, border_radius=self.px(8))
        x, w = rect.x + self.px(20), rect.w - self.px(40)
        y = self.text(surf, "The session has ended", (x, rect.y + self.px(14)), 30, ACCENT, True)
        if r.get("winner"):
            winner = v["powers"][r["winner"]]["name"]
            kind = f" ({r['victory_type']})" if r.get("victory_type") else ""
            y = self.text(surf, f"Winner: {winner}{kind}", (x, y + self.px(6)), 26, OK, True)
        else:
            y = self.text(surf, "No winner", (x, y + self.px(6)), 26, MUTED, True)
        scores = sorted(r.get("scores", {}).items(), key=lambda kv: -kv[1])
        if scores:
            y = self.text(surf, "Final scores", (x, y + self.px(8)), 18, MUTED, True)
            for pid, score in scores:
                y = self.text(surf, f"{v['powers'][pid]['name']}: {score:.1f}", (x + self.px(12), y), 20,
                              v["colours"].get(pid, FG))
                # productivity and stability in words: both are measured against the power's par
                for line in self.wrap("; ".join(r.get("parts", {}).get(pid, [])[:2]), 15, w - self.px(24)):
                    y = self.text(surf, line, (x + self.px(24), y), 15, MUTED)
            if r.get("par_note"):
                for line in self.wrap(r["par_note"], 15, w):
                    y = self.text(surf, line, (x, y + self.px(4)), 15, MUTED)
        if r["years_played"] < r["years_total"] and r["years_played"] > 0:
            y = self.text(surf, f"Ended after {r['years_played']} of {r['years_total']} years: the standing then.",
                          (x, y + self.px(4)), 16, MUTED)
        y += self.px(8)
        for line in self.wrap(r["verdict"], 18, w):
            y = self.text(surf, line, (x, y), 18)

    def draw_console(self, surf: pygame.Surface, rect: pygame.Rect) -> None:
        """The console's panel and headings behind its widgets."""
        pygame.draw.rect(surf, PANEL, rect, border_radius=self.px(8))
        pygame.draw.rect(surf, ACCENT, rect, 1, border_radius=self.px(8))
        x0 = rect.x + self.px(12)
        leave = "   [H] leaves history" if (self.view.get("history") or {}).get("can_leave") else ""
        self.text(surf, f"Facilitator console  [Tab] closes   [N] news   [I] inject   [M] move{leave}",
                  (x0, rect.y + self.px(8)), 16, ACCENT, True, width=rect.w - self.px(24))
        row, gap = self.px(40), self.px(8)
        y = rect.y + self.px(38) + 2 * (row + gap)
        self.text(surf, "Teams: AI takeover and hand back [1-9]", (x0, y), 16, MUTED, True)
        y += self.px(26)
        name_w = int(rect.w * 0.22)
        for n, tid in enumerate(self.team_keys, start=1):
            team = self.view["teams"].get(tid)
            if team is None:
                continue
            self.text(surf, f"{n}. {team['name']}", (x0, y + self.px(8)), 17, bold=True, width=name_w)
            who = f"AI: {_persona_name(team['ai'])}" if team["ai"] else "students"
            self.text(surf, who, (x0 + name_w + gap, y + self.px(9)), 16, ACCENT if team["ai"] else MUTED,
                      width=int(rect.w * 0.24))
            y += row + gap
        self.text(surf, "Move a device to another team", (x0, y), 16, MUTED, True)

    def draw_map(self, surf: pygame.Surface, rect: pygame.Rect, v: dict[str, Any]) -> None:
        data = map_data()
        lon0, lon1 = data["view"]["lon"]
        lat0, lat1 = data["view"]["lat"]
        scale = min(rect.w / (lon1 - lon0), rect.h / (lat0 - lat1))
        pygame.draw.rect(surf, SEA, rect, border_radius=8)
        for shape in data["shapes"]:
            owner = shape["owner"]
            pts = [(rect.x + (lon - lon0) * scale, rect.y + (lat0 - lat) * scale) for lon, lat in shape["points"]]
            colour = v["colours"].get(owner) or v["colours"].get(v["lean"].get(owner, ""))
            fill = mix(LAND, colour, 0.8 if owner in v["colours"] else 0.45) if colour else LAND
            pygame.draw.polygon(surf, fill, pts)
            pygame.draw.polygon(surf, BG, pts, 1)


class ProjectorWindow:
    """The projector's window and frame loop; `step` draws one frame (the tests drive it)."""

    def __init__(self, server: Server, size: tuple[int, int] = (1280, 720)) -> None:
        pygame.init()
        self.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        pygame.display.set_caption("Systemic: classroom projector")
        self.view = Projector(server, size)
        self.server = server
        self.running = True

    def step(self, dt: float) -> bool:
        """Handle the queued events and draw a frame; False once the window is closed."""
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                self.running = False
                return False
            if event.type == pygame.VIDEORESIZE:
                old = self.view
                self.view = Projector(self.server, (max(960, event.w), max(600, event.h)),
                                      show_codes=old.show_codes, console=old.console)
                self.screen = pygame.display.set_mode(self.view.size, pygame.RESIZABLE)
            self.view.handle(event)
        self.view.update(dt)
        self.view.draw(self.screen)
        pygame.display.flip()
        return True

    def close(self) -> None:
        pygame.quit()
        reset_fonts()  # cached fonts die with pygame; a later window must not reuse them


def run_projector(server: Server, size: tuple[int, int] = (1280, 720), frames: int | None = None) -> None:
    """Open the projector window until it is closed (or for `frames` frames, for tests)."""
    window = ProjectorWindow(server, size)
    clock = pygame.time.Clock()
    shown = 0
    try:
        while (frames is None or shown < frames) and window.step(clock.tick(10) / 1000):
            shown += 1
    finally:
        window.close()
