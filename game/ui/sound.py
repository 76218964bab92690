"""Two soft interface tones, synthesised (no sound files); silent when sound is off or no mixer."""

from __future__ import annotations

import numpy as np
import pygame


class Sounds:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.tones: dict[str, pygame.mixer.Sound] = {}
        try:
            if not pygame.mixer.get_init():
                pygame.mixer.init(44100, -16, 1, 512)
            init = pygame.mixer.get_init()
            if init is None:
                return
            rate, channels = init[0], init[2]
            for name, freq in (("click", 660.0), ("turn", 440.0)):
                t = np.arange(int(rate * 0.12)) / rate
                wave = (np.sin(2 * np.pi * freq * t) * np.exp(-t * 30) * 8000).astype(np.int16)
                if channels > 1:
                    wave = np.repeat(wave[:, None], channels, axis=1)
                self.tones[name] = pygame.sndarray.make_sound(np.ascontiguousarray(wave))
        except (pygame.error, ImportError, TypeError, ValueError):
            self.tones = {}

    def play(self, name: str) -> None:
        if self.enabled and name in self.tones:
            self.tones[name].play()
