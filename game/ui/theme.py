"""Colours, fonts and the pygame_gui theme, scaled for projectors and high-DPI screens."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame

ASSETS = Path(__file__).resolve().parents[2] / "assets"
FONTS = ASSETS / "fonts"

Colour = tuple[int, int, int]

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
OKABE_ITO: tuple[Colour, ...] = ((213, 94, 0), (0, 114, 178), (240, 228, 66), (0, 158, 115),
                                 (204, 121, 167), (86, 180, 233))


@dataclass(frozen=True)
class Palette:
    bg: Colour = (14, 20, 32)
    panel: Colour = (23, 32, 51)
    panel2: Colour = (31, 42, 64)
    line: Colour = (52, 68, 95)
    text: Colour = (233, 238, 245)
    dim: Colour = (154, 167, 187)
    accent: Colour = (240, 180, 41)
    good: Colour = (63, 185, 80)
    bad: Colour = (248, 81, 73)
    land: Colour = (44, 54, 72)
    sea: Colour = (18, 28, 44)


NORMAL = Palette()
COLOUR_BLIND = Palette(good=(86, 180, 233), bad=(230, 159, 0))


def power_colours(scenario_colours: list[Colour], colour_blind: bool) -> list[Colour]:
    if colour_blind:
        return [OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(scenario_colours))]
    return list(scenario_colours)


def theme_dict(scale: float) -> dict[str, Any]:
    """The JSON theme with every font size multiplied by the UI scale and the fonts' paths set."""
    data: dict[str, Any] = json.loads((ASSETS / "theme.json").read_text(encoding="utf-8"))
    out = copy.deepcopy(data)
    for block in out.values():
        font = block.get("font")
        if isinstance(font, dict):
            font["size"] = str(max(8, round(int(font["size"]) * scale)))
            font["regular_path"] = str(FONTS / "NotoSans-Regular.ttf")
            font["bold_path"] = str(FONTS / "NotoSans-Bold.ttf")
            font["italic_path"] = str(FONTS / "NotoSans-Italic.ttf")
            font["bold_italic_path"] = str(FONTS / "NotoSans-Bold.ttf")
        misc = block.get("misc")
        if isinstance(misc, dict):
            for key in ("arrow_button_width", "sliding_button_width", "rect_width", "list_item_height"):
                if key in misc:
                    misc[key] = str(round(int(misc[key]) * scale))
    return out


_FONT_CACHE: dict[tuple[int, bool], pygame.font.Font] = {}


def reset_fonts() -> None:
    """Forget cached fonts (they die with pygame.font.quit)."""
    _FONT_CACHE.clear()


def font(size: int, bold: bool = False) -> pygame.font.Font:
    """A Noto Sans font for text drawn outside widgets (map labels, chart axes)."""
    key = (max(6, size), bold)
    if key not in _FONT_CACHE:
        path = FONTS / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")
        _FONT_CACHE[key] = pygame.font.Font(str(path), key[0])
    return _FONT_CACHE[key]
