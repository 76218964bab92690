"""What every `systemic` subcommand shares: the one-line user error, the `--ai` seats argument and
the `--history [YEAR]` argument.

Kept apart from `game.cli`, which imports every subcommand, so that a subcommand (the desktop's, the
classroom's, the lab's, a benchmark) never imports the command line back.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence


class CliError(Exception):
    """A user error: printed as one line, exit status 2 (or `code`)."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def parse_seats(items: Sequence[str] | None) -> dict[str, str]:
    """`--ai china=planner` or `--ai usa=hard:free_marketeer` pairs into a seats dict."""
    seats: dict[str, str] = {}
    for item in items or ():
        if "=" not in item:
            raise CliError("--ai expects POWER=PERSONA or POWER=LEVEL:PERSONA (e.g. china=planner, "
                           f"usa=hard:free_marketeer), got '{item}'")
        power, who = (part.strip() for part in item.split("=", 1))
        if power in seats and seats[power] != who:
            raise CliError(f"--ai {power} is given twice ({seats[power]} and {who}); give each power once")
        seats[power] = who
    return seats


def history_option(value: str) -> bool | int:
    """`--history` (the whole deck), `--history YEAR` (history up to and including YEAR) or `off`."""
    if value in ("all", "on"):
        return True
    if value == "off":
        return False
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a year (e.g. 2020), 'on' or 'off', got '{value}'") from None
