"""CLI entry points of the classroom (filled in by the classroom work)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the classroom's subcommands (`host`, `debrief`) to the `systemic` parser."""
