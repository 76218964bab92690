"""Desktop game (pygame-ce + pygame_gui). Only this package imports pygame."""

import os

# The banner pygame prints on import is noise in a game's terminal and in test logs.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
if os.environ.get("SDL_VIDEODRIVER") == "dummy":
    # a headless window has no one to hear it; without this SDL probes ALSA and prints a dozen
    # "cannot find card" lines on machines with no sound card
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
