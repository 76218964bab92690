"""Frame-time benchmark of the desktop window: the main screen of a new game, idle, at a given size.

The window draws with SDL's dummy driver when there is no display, so the figure is the game's own
work per frame (events, widgets, map and panels, blitting), without the 60 fps clock wait."""

from __future__ import annotations

import os
import statistics
import time
from typing import Any


def run_frame_bench(size: tuple[int, int] = (1920, 1080), frames: int = 300,
                    scenario: str = "digital-leninism-2017") -> dict[str, Any]:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    if os.environ["SDL_VIDEODRIVER"] == "dummy":
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")  # no ALSA probing on a headless machine
    from game.match import HUMAN, Game
    from game.ui.app import App
    from game.ui.settings import Settings

    settings = Settings()
    settings.sound = False
    app = App(settings, size=size)
    game = Game.new(scenario, {"china": HUMAN, "usa": "planner"}, seed=1)
    app.start(game)
    for _ in range(30):  # first frames build fonts, the map and the projection
        app.step(16.7)
    times = []
    for _ in range(frames):
        start = time.perf_counter()
        app.step(16.7)
        times.append((time.perf_counter() - start) * 1000.0)
    times.sort()
    median = statistics.median(times)
    p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
    return {"window": f"{size[0]}x{size[1]}", "frames": frames, "frame_ms_median": round(median, 2),
            "frame_ms_p99": round(p99, 2), "fps_capacity": round(1000.0 / median, 1),
            "holds_60_fps": p99 < 1000.0 / 60}
