"""The projector view of a classroom session: the world map, public indicators, the countdown,
which teams have submitted, the news, the join address and codes, and the facilitator's main
buttons (pause/resume, time, end, debrief). The session itself runs in the server's thread; this
window reads it under the server's lock and steers through `Server.steer`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui

from game.classroom.views import public_view
from game.ui.worldmap import map_data, mix

if TYPE_CHECKING:
    from game.classroom.server import Server

BG, FG, MUTED, ACCENT, OK = (16, 20, 28), (232, 236, 244), (150, 160, 185), (240, 180, 41), (63, 178, 127)
SEA, LAND = (22, 36, 56), (70, 76, 90)
BUTTONS = (("pause", "Pause / resume"), ("plus", "+1 min"), ("minus", "-1 min"), ("codes", "Show / hide codes"),
           ("export", "Export debrief"), ("end", "End session"))


class Projector:
    """Draws one frame of the projector view from a snapshot of the session."""

    def __init__(self, server: Server, size: tuple[int, int]) -> None:
        self.server = server
        self.size = size
        self.show_codes = False  # team codes on the wall let anyone join any team: shown on demand
        self.fonts = {k: pygame.font.Font(None, s) for k, s in (("huge", 64), ("big", 40), ("mid", 28), ("small", 22))}
        self.manager = pygame_gui.UIManager(size)
        self.buttons: dict[Any, str] = {}
        w = (size[0] - 40) // len(BUTTONS)
        for i, (key, label) in enumerate(BUTTONS):
            rect = pygame.Rect(20 + i * w, size[1] - 52, w - 8, 40)
            self.buttons[pygame_gui.elements.UIButton(rect, label, self.manager)] = key

    def snapshot(self) -> dict[str, Any]:
        s = self.server.hub.session
        with self.server.lock:
            view = public_view(s)
            view["codes"] = {t: (v.name, v.code) for t, v in s.teams.items()}
            view["report_year"] = s.game.reports[-1].year - 1 if s.game.reports else None
            view["colours"] = {p.id: tuple(p.color) for p in s.game.scenario.spec.powers}
            view["lean"] = {r: max(v["leans"], key=v["leans"].get) for r, v in view["regions"].items()}
        return view

    def text(self, surf: pygame.Surface, text: str, pos: tuple[int, int], font: str = "small",
             colour: tuple[int, int, int] = FG) -> int:
        img = self.fonts[font].render(text, True, colour)
        surf.blit(img, pos)
        return pos[1] + img.get_height() + 4

    def draw(self, surf: pygame.Surface) -> dict[str, Any]:
        v = self.snapshot()
        W, H = self.size
        surf.fill(BG)
        left = int(secs := v["remaining"])
        clock = "GAME OVER" if v["ended"] else (("PAUSED " if v["paused"] else "") + f"{left // 60}:{left % 60:02d}")
        self.text(surf, f"{v['scenario']}", (20, 12), "mid", MUTED)
        self.text(surf, f"Year {v['year']}", (20, 44), "huge")
        self.text(surf, clock, (W // 2 - 120, 44), "huge", ACCENT if secs > 30 or v["paused"] else (229, 83, 75))
        self.text(surf, self.server.url, (W - 460, 20), "big", FG)
        map_rect = pygame.Rect(20, 110, int(W * 0.58), int(H * 0.52))
        self.draw_map(surf, map_rect, v)
        x, y = map_rect.right + 20, 110
        y = self.text(surf, "Teams", (x, y), "mid", ACCENT)
        for tid, team in v["teams"].items():
            mark = "submitted" if team["submitted"] else ("AI" if team["ai"] else "thinking...")
            code = f"   code {v['codes'][tid][1]}" if self.show_codes else ""
            y = self.text(surf, f"{team['name']}: {mark}{code}", (x, y), "small", OK if team["submitted"] else FG)
        y += 12
        cols = (0, 130, 200, 270, 350, 420)
        for cx, head in zip(cols, ("Power", "GDP", "growth", "stability", "regions", "standards"), strict=True):
            self.text(surf, head, (x + cx, y), "small", ACCENT)
        y += 24
        for pid, p in v["powers"].items():
            cells = (p["name"][:14], f"{p['gdp']:.1f}", f"{100 * p['growth']:.1f}%", f"{p['stability']:.1f}",
                     f"{100 * p['model_adoption']:.0f}%", f"{100 * p['standards_share']:.0f}%")
            for cx, cell in zip(cols, cells, strict=True):
                self.text(surf, cell, (x + cx, y), "small", v["colours"].get(pid, FG))
            y += 24
        ny = map_rect.bottom + 14
        title = f"Turn report {v['report_year']}: the news" if v["report_year"] else "News"
        ny = self.text(surf, title, (20, ny), "mid", ACCENT)
        for line in v["news"][-6:]:
            if ny > H - 80:
                break
            ny = self.text(surf, line[:120], (20, ny), "small")
        if v["result"]:
            self.text(surf, v["result"]["verdict"][:130], (20, H - 86), "small", ACCENT)
        self.manager.draw_ui(surf)
        return v

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

    def press(self, key: str) -> None:
        s = self.server.hub.session
        if key == "pause":
            self.server.steer({"action": "resume" if s.paused else "pause"})
        elif key in ("plus", "minus"):
            self.server.steer({"action": "time", "seconds": 60 if key == "plus" else -60})
        elif key == "codes":
            self.show_codes = not self.show_codes
        elif key == "export":
            self.server.steer({"action": "export"})
        elif key == "end":
            self.server.steer({"action": "end"})

    def handle(self, event: pygame.event.Event) -> None:
        self.manager.process_events(event)
        if event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element in self.buttons:
            self.press(self.buttons[event.ui_element])
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_SPACE:
            self.press("pause")


def run_projector(server: Server, size: tuple[int, int] = (1280, 720), frames: int | None = None) -> None:
    """Open the projector window until it is closed (or for `frames` frames, for tests)."""
    pygame.init()
    screen = pygame.display.set_mode(size, pygame.RESIZABLE)
    pygame.display.set_caption("Systemic: classroom projector")
    view = Projector(server, size)
    clock = pygame.time.Clock()
    shown = 0
    try:
        while frames is None or shown < frames:
            dt = clock.tick(10) / 1000
            for event in pygame.event.get():
                if event.type == pygame.QUIT:
                    return
                if event.type == pygame.VIDEORESIZE:
                    view = Projector(server, (max(960, event.w), max(600, event.h)))
                    screen = pygame.display.set_mode(view.size, pygame.RESIZABLE)
                view.handle(event)
            view.manager.update(dt)
            view.draw(screen)
            pygame.display.flip()
            shown += 1
    finally:
        pygame.quit()
