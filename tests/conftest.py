"""Shared test set-up: headless SDL for every UI test, and small helpers."""

from __future__ import annotations

import os

# Always headless, whatever the shell has: a developer's display would pop windows up, and an
# empty SDL_VIDEODRIVER (set but blank) would make every window fail to open.
os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
