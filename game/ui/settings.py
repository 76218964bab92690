"""Player settings, kept in a small JSON file next to the saves.

The game's home folder is `$SYSTEMIC_HOME` or `~/.systemic`; it holds settings.json, the
saves and the autosave. A broken settings file is ignored with defaults (never a crash).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

SIZES = ((1280, 720), (1600, 900), (1920, 1080), (2560, 1440))
# The smallest window the main screen's three columns fit at UI scale 1 with no label cut short
# (below it the map shrinks to a strip and the projection's names are truncated); --size refuses
# less and a window the user drags smaller is clamped back to it.
MIN_SIZE = SIZES[0]
SCALES = (1.0, 1.25, 1.5, 1.75)


def home() -> Path:
    return Path(os.environ.get("SYSTEMIC_HOME") or Path.home() / ".systemic")


def saves_dir() -> Path:
    return home() / "saves"


def autosave_path() -> Path:
    return saves_dir() / "autosave.json"


@dataclass
class Settings:
    width: int = 1600
    height: int = 900
    fullscreen: bool = False
    ui_scale: float = 1.0
    colour_blind: bool = False
    sound: bool = True

    @classmethod
    def load(cls) -> Settings:
        path = home() / "settings.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            known = {f.name for f in fields(cls)}
            out = cls(**{k: v for k, v in data.items() if k in known})
            out.width, out.height = max(MIN_SIZE[0], int(out.width)), max(MIN_SIZE[1], int(out.height))
            out.ui_scale = min(2.0, max(0.75, float(out.ui_scale)))
            return out
        except (OSError, ValueError, TypeError):
            return cls()

    def save(self) -> str | None:
        """Write the settings; returns a one-line error instead of raising."""
        try:
            path = home() / "settings.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")
        except OSError as exc:
            return f"Could not save settings: {exc.strerror or exc}"
        return None
