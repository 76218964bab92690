"""The world map: powers in their colours, swing regions filled by the model they lean to and
outlined by the standard they adopt. Drawn once per turn into a cached surface."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pygame
import yaml

from game.ui.theme import ASSETS, Colour, font
from game.ui.widgets import blit_text, button

if TYPE_CHECKING:
    from game.match import Game
    from game.ui.app import App


@lru_cache(maxsize=1)
def map_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ASSETS / "map.yaml").read_text(encoding="utf-8"))
    return data


def mix(a: Colour, b: Colour, t: float) -> Colour:
    t = min(1.0, max(0.0, t))
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def region_summary(game: Game, region: str) -> tuple[int, float, int, float]:
    """(leaning power index, its share, standard leader index, its share) of one region."""
    r = game.world.region_ids.index(region)
    align = game.state.alignment[0, r]
    adopt = game.state.adoption[0, r]
    lean, std = int(align.argmax()), int(adopt.argmax())
    return lean, float(align[lean]), std, float(adopt[std])


def region_tip(game: Game, region: str) -> str:
    w = game.world
    r = w.region_ids.index(region)
    align = game.state.alignment[0, r]
    adopt = game.state.adoption[0, r]
    lines = [f"<b>{w.region_names[r]}</b> (swing region)", "<b>Leans to the model of:</b>"]
    lines += [f"  {w.power_names[p]}: {100 * float(align[p]):.0f}%" for p in range(w.n_powers)]
    lines.append("<b>Uses the technical standard of:</b>")
    lines += [f"  {w.power_names[p]}: {100 * float(adopt[p]):.0f}%" for p in range(w.n_powers)]
    lines.append("<i>Regions drift toward the model that performs (growth, stability) and "
                  "lock in to standards with increasing returns (Arthur 1989).</i>")
    df = w.coef.diffusion
    if df.turnover > 0:
        # the news says "a new government ... looks to China"; the tip says how such turns come
        # about, so a swing reads as politics a strategy can court, not as a bolt from the blue
        lines.append(f"<i>New governments: in about {df.turnover:.0%} of years one of its larger states "
                     "changes government (an election, a coup, a succession). The successor looks to a "
                     "power by chance, weighted by how each camp looks to the region now (performance, "
                     f"affinity, ties; a region deep in one camp leans to the other), and moves the "
                     f"region's lean {df.turnover_swing:.0%} of the way to it"
                     + (f" and {df.turnover_network:.0%} of its other networks to its standard" if df.turnover_network
                        else "") + ".</i>")
    return "<br>".join(lines)


class WorldMap:
    """Draws the map into a rect; `chips` adds a tooltip button per region."""

    def __init__(self, app: App, game: Game | None) -> None:
        self.app = app
        self.game = game
        self._cache: tuple[tuple[Any, ...], pygame.Surface] | None = None
        self._labels: tuple[tuple[Any, ...], dict[str, tuple[int, int]]] | None = None

    def project(self, rect: pygame.Rect) -> tuple[float, float, float, float]:
        view = map_data()["view"]
        lon0, lon1 = view["lon"]
        lat0, lat1 = view["lat"]
        scale = min(rect.w / (lon1 - lon0), rect.h / (lat0 - lat1))
        ox = rect.x + (rect.w - scale * (lon1 - lon0)) / 2
        oy = rect.y + (rect.h - scale * (lat0 - lat1)) / 2
        return ox - lon0 * scale, oy + lat0 * scale, scale, scale

    def point(self, rect: pygame.Rect, lon: float, lat: float) -> tuple[int, int]:
        ox, oy, sx, sy = self.project(rect)
        return round(ox + lon * sx), round(oy - lat * sy)

    def fill_of(self, owner: str) -> tuple[Colour, Colour | None]:
        """Fill and outline colour of one shape."""
        pal = self.app.palette
        game = self.game
        if game is None:
            tint = {"china": (222, 64, 52), "usa": (52, 110, 222), "eu": (60, 170, 120)}.get(owner)
            return (mix(pal.land, tint, 0.45) if tint else pal.land), None
        w = game.world
        if owner in w.power_ids:
            return mix(pal.land, self.app.power_colour(owner), 0.85), None
        if owner in w.region_ids:
            lean, share, std, _ = region_summary(game, owner)
            second = sorted(game.state.alignment[0, w.region_ids.index(owner)])[-2]
            strength = 0.3 + 0.7 * min(1.0, (share - float(second)) / 0.25)
            return (mix(pal.land, self.app.power_colour(w.power_ids[lean]), 0.25 + 0.45 * strength),
                    self.app.power_colour(w.power_ids[std]))
        return pal.land, None

    def render(self, size: tuple[int, int], dim: bool) -> pygame.Surface:
        pal = self.app.palette
        # a degenerate rect (a window squeezed below the minimum) must not crash the frame
        size = (max(1, size[0]), max(1, size[1]))
        surf = pygame.Surface(size, pygame.SRCALPHA)
        rect = surf.get_rect()
        pygame.draw.rect(surf, pal.sea, rect, border_radius=self.app.px(8))
        for shape in map_data()["shapes"]:
            pts = [self.point(rect, lon, lat) for lon, lat in shape["points"]]
            fill, outline = self.fill_of(shape["owner"])
            pygame.draw.polygon(surf, fill, pts)
            if outline is not None:
                pygame.draw.polygon(surf, outline, pts, max(2, self.app.px(4)))
            else:
                pygame.draw.polygon(surf, pal.bg, pts, 1)
        if self.game is not None:
            self._missing_shapes(surf, rect)
        if dim:
            veil = pygame.Surface(size, pygame.SRCALPHA)
            veil.fill((*pal.bg, 150))
            surf.blit(veil, (0, 0))
        return surf

    def _missing_shapes(self, surf: pygame.Surface, rect: pygame.Rect) -> None:
        """Regions a modder added without a shape: a circle at their map_position."""
        assert self.game is not None
        owners = {s["owner"] for s in map_data()["shapes"]}
        for r, region in enumerate(self.game.scenario.regions):
            if region.id in owners:
                continue
            x = rect.x + int(region.map_position[0] * rect.w)
            y = rect.y + int(region.map_position[1] * rect.h)
            fill, outline = self.fill_of(region.id)
            pygame.draw.circle(surf, fill, (x, y), self.app.px(22))
            pygame.draw.circle(surf, outline or fill, (x, y), self.app.px(22), self.app.px(4))
            del r

    def label_pos(self, rect: pygame.Rect, owner: str) -> tuple[int, int] | None:
        for shape in map_data()["shapes"]:
            if shape["owner"] == owner and "label" in shape:
                return self.point(rect, *shape["label"])
        if self.game is not None:
            for region in self.game.scenario.regions:
                if region.id == owner:
                    return (rect.x + int(region.map_position[0] * rect.w),
                            rect.y + int(region.map_position[1] * rect.h))
        return None

    def chip_width(self, name: str) -> int:
        """Width of a region's name chip: the text in the chip's font (@rowsmall) plus its padding."""
        return font(self.app.px(15), bold=True).size(name)[0] + self.app.px(16)

    def label_positions(self, rect: pygame.Rect) -> dict[str, tuple[int, int]]:
        """Each region's label centre, nudged so no name or bar covers another's.

        The map's label points sit close together around the Gulf and South Asia; at small map
        sizes the names would overlap, so a label block (name chip and the two bars under it)
        that hits one placed before it moves to the nearest free spot on the map."""
        game = self.game
        if game is None:
            return {}
        key = (rect.x, rect.y, rect.w, rect.h, self.app.s)
        if self._labels is not None and self._labels[0] == key:
            return dict(self._labels[1])
        half_h, bars = self.app.px(14), self.app.px(32)  # the chip is 28 high; bars end 30 below centre
        placed: list[pygame.Rect] = []
        out: dict[str, tuple[int, int]] = {}
        for r, region in enumerate(game.world.region_ids):
            pos = self.label_pos(rect, region)
            if pos is None:
                continue
            width = max(self.chip_width(game.world.region_names[r]), self.app.px(84))
            box = pygame.Rect(pos[0] - width // 2, pos[1] - half_h, width, half_h + bars)
            box = self._free_spot(box, placed, rect)
            placed.append(box)
            out[region] = (box.centerx, box.top + half_h)
        self._labels = (key, out)
        return dict(out)

    def _free_spot(self, box: pygame.Rect, placed: list[pygame.Rect], rect: pygame.Rect) -> pygame.Rect:
        """The nearest position of `box` (up, down, then sideways, in small steps) that touches no
        placed label and stays on the map; the original position if the map has no room."""
        step = max(2, self.app.px(4))
        for k in range(0, 40):
            for dx, dy in ((0, k * step), (0, -k * step), (k * step, 0), (-k * step, 0)):
                moved = box.move(dx, dy)
                if rect.contains(moved) and moved.collidelist(placed) < 0:
                    return moved
        return box

    def chips(self, rect: pygame.Rect, on_pick: Callable[[str], None] | None = None) -> list[Any]:
        """A small named button over each swing region, whose tooltip gives its lean and standard."""
        game = self.game
        if game is None:
            return []
        out = []
        positions = self.label_positions(rect)
        for r, region in enumerate(game.world.region_ids):
            pos = positions.get(region)
            if pos is None:
                continue
            name = game.world.region_names[r]
            f_w = self.chip_width(name)
            h = self.app.px(28)
            def pick(region: str = region) -> None:
                if on_pick is not None:
                    on_pick(region)
            out.append(button(self.app, (pos[0] - f_w // 2, pos[1] - h // 2, f_w, h), name, pick,
                              tip=region_tip(game, region), cls="@rowsmall", ident=f"region_{region}"))
        return out

    def draw(self, surface: pygame.Surface, rect: pygame.Rect, dim: bool = False) -> None:
        key = (rect.size, dim, self.app.settings.colour_blind,
               None if self.game is None else (self.game.state.turn, id(self.game)))
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, self.render(rect.size, dim))
        surface.blit(self._cache[1], rect.topleft)
        if self.game is not None and not dim:
            self._region_bars(surface, rect)

    def _region_bars(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """Under each region's name: its model lean (top bar) and standard split (bottom bar)."""
        game = self.game
        assert game is not None
        w = game.world
        bw, bh = self.app.px(84), self.app.px(6)
        positions = self.label_positions(rect)
        for r, region in enumerate(w.region_ids):
            pos = positions.get(region)
            if pos is None:
                continue
            for row, shares in enumerate((game.state.alignment[0, r], game.state.adoption[0, r])):
                x = pos[0] - bw // 2
                y = pos[1] + self.app.px(16) + row * (bh + self.app.px(2))
                total = float(shares.sum()) or 1.0
                for p in range(w.n_powers):
                    seg = round(bw * float(shares[p]) / total)
                    pygame.draw.rect(surface, self.app.power_colour(w.power_ids[p]), (x, y, seg, bh))
                    x += seg

    def legend(self, surface: pygame.Surface, pos: tuple[int, int], width: int) -> None:
        pal = self.app.palette
        text = "Fill, upper bar: model a region leans to · Outline, lower bar: standard it adopts"
        if width < self.app.px(560):
            text = "Fill/upper bar: model it leans to · Outline/lower bar: its standard"
        blit_text(surface, text, pos, self.app.px(14), pal.dim, width=width)
