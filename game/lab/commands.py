"""CLI entry points of the balance lab (filled in by the lab work)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the lab's subcommands (`balance`, `sensitivity`) to the `systemic` parser."""
