"""CLI entry points of the desktop game (filled in by the UI work)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the UI's subcommands (`play`) to the `systemic` parser."""


def run_default() -> int:
    """`systemic` with no arguments: open the game window."""
    print("The game window is not built yet; try: systemic sim --scenario digital-leninism-2017")
    return 0
