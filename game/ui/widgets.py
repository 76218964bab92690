"""Small helpers over pygame_gui widgets and panel drawing, so screens stay short."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UILabel, UITextBox

from game.ui.theme import font

if TYPE_CHECKING:
    from game.ui.app import App

Rect = tuple[int, int, int, int]


def oid(cls: str | None, ident: str | None = None) -> ObjectID:
    return ObjectID(class_id=cls, object_id=f"#{ident}" if ident else None)


def button(app: App, rect: Rect, text: str, command: Callable[[], None], *, tip: str | None = None,
           cls: str | None = None, ident: str | None = None, container: Any = None) -> UIButton:
    """A button whose command plays the click tone and then runs."""
    def run() -> None:
        app.sounds.play("click")
        command()
    return UIButton(pygame.Rect(rect), text, app.manager, container=container, tool_tip_text=tip,
                    object_id=oid(cls, ident), command=run)


def label(app: App, rect: Rect, text: str, cls: str | None = None, container: Any = None,
          tip: str | None = None) -> UILabel:
    out = UILabel(pygame.Rect(rect), text, app.manager, container=container, object_id=oid(cls))
    if tip:
        out.set_tooltip(tip)
    return out


def textbox(app: App, rect: Rect, html: str, cls: str | None = None, container: Any = None) -> UITextBox:
    return UITextBox(html, pygame.Rect(rect), app.manager, container=container, object_id=oid(cls))


def panel(surface: pygame.Surface, app: App, rect: pygame.Rect, title: str | None = None) -> None:
    """A rounded panel with an optional heading strip, drawn behind widgets."""
    pal = app.palette
    pygame.draw.rect(surface, pal.panel, rect, border_radius=app.px(8))
    pygame.draw.rect(surface, pal.line, rect, 1, border_radius=app.px(8))
    if title:
        text = font(app.px(15), bold=True).render(fit(title.upper(), app.px(15), rect.w - app.px(24), True),
                                                  True, pal.dim)
        surface.blit(text, (rect.x + app.px(12), rect.y + app.px(8)))


def fit(text: str, size: int, width: int, bold: bool = False) -> str:
    """The text, shortened with an ellipsis so it fits the width."""
    f = font(size, bold)
    if width <= 0 or f.size(text)[0] <= width:
        return text
    while text and f.size(text + "…")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"


def fitting_size(text: str, size: int, smallest: int, width: int, bold: bool = False) -> int:
    """The largest font size from `size` down to `smallest` at which the text fits the width (a long
    scenario name shrinks a little before it is cut short)."""
    while size > smallest and font(size, bold).size(text)[0] > width:
        size -= 1
    return size


def blit_text(surface: pygame.Surface, text: str, pos: tuple[int, int], size: int,
              colour: tuple[int, int, int], bold: bool = False, anchor: str = "topleft",
              width: int = 0) -> pygame.Rect:
    """Draw one line of text; with `width`, shortened to fit it."""
    img = font(size, bold).render(fit(text, size, width, bold), True, colour)
    rect = img.get_rect(**{anchor: pos})
    surface.blit(img, rect)
    return rect
