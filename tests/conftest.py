"""Shared test set-up: headless SDL for every UI test, and small helpers."""

from __future__ import annotations

import os

# Always headless, whatever the shell has: a developer's display would pop windows up, and an
# empty SDL_VIDEODRIVER (set but blank) would make every window fail to open.
os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"


class FakeClock:
    """A monotonic clock the classroom tests move by hand (`clock.advance(30)`) instead of sleeping."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
