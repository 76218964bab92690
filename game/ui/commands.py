"""CLI entry points of the desktop game: `systemic` (title screen) and `systemic play`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.match import Game

HEADLESS_HINT = ("systemic: no display found; to play headless run: SDL_VIDEODRIVER=dummy systemic play "
                 "--autoplay 5 --screenshots shots   (or: systemic sim)")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    """Add the UI's subcommands (`play`) to the `systemic` parser."""
    play = sub.add_parser("play", help="open the game window (title screen, or straight into a game)")
    play.add_argument("--scenario", help="shipped scenario id or a YAML file (starts the game directly)")
    play.add_argument("--seed", type=int, default=1)
    play.add_argument("--as", dest="as_power", metavar="POWER",
                      help="the power you play (others: AI, normal difficulty, planner style)")
    play.add_argument("--ai", action="append", metavar="POWER=PLAYER",
                      help="an AI seat: persona or level:persona, e.g. usa=hard:free_marketeer (repeatable)")
    play.add_argument("--load", metavar="FILE", help="open a save file")
    play.add_argument("--autoplay", type=int, metavar="N", help="every seat AI for N turns, then exit")
    play.add_argument("--screenshots", metavar="DIR", help="save a PNG of each screen passed")
    play.add_argument("--hotseat", action="store_true", help="every power human, one computer passed around")
    play.add_argument("--size", metavar="WxH", help="window size, e.g. 1920x1080")
    play.set_defaults(func=cmd_play)


def display_available() -> bool:
    if os.environ.get("SDL_VIDEODRIVER"):
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def parse_size(text: str | None) -> tuple[int, int] | None:
    from game.command import CliError
    if not text:
        return None
    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise CliError(f"--size expects WIDTHxHEIGHT (e.g. 1920x1080), got '{text}'") from None
    from game.ui.settings import MIN_SIZE
    if w < MIN_SIZE[0] or h < MIN_SIZE[1]:
        raise CliError(f"--size {text} is too small: the window needs at least {MIN_SIZE[0]}x{MIN_SIZE[1]}")
    return w, h


def cmd_play(args: argparse.Namespace) -> int:
    from game.command import CliError
    if not display_available():
        print(HEADLESS_HINT)
        return 1
    size = parse_size(args.size)
    if args.screenshots and not args.autoplay:
        raise CliError("--screenshots goes with --autoplay N")
    if args.autoplay is not None and args.autoplay < 1:
        raise CliError("--autoplay expects a number of turns of at least 1")
    game = None
    if args.load:
        from game.match import Game, SaveError
        try:
            game = Game.load(args.load)
        except SaveError as exc:
            raise CliError(str(exc), 1) from None
    elif (args.scenario or args.as_power or args.hotseat or args.ai) and not args.autoplay:
        game = _new_game(args)
    elif args.autoplay and args.as_power:  # a wrong --as is a one-line error before any window opens
        _new_game(args)
    try:
        import pygame  # noqa: F401  (only the UI imports pygame)

        from game.ui.app import App
        from game.ui.settings import Settings
        settings = Settings() if args.autoplay else Settings.load()
        app = App(settings, hotseat=args.hotseat, size=size,
                  shots=Path(args.screenshots) if args.screenshots else None)
    except Exception as exc:  # pygame.error and friends: one line, never a traceback
        print(f"systemic: cannot open the game window ({str(exc).splitlines()[0] if str(exc) else exc!r}); "
              + HEADLESS_HINT.split("; ", 1)[1])
        return 1
    if args.autoplay:
        from game.ui.autoplay import Autopilot
        app.autopilot = Autopilot(app, args.autoplay, args.scenario or "digital-leninism-2017", args.seed,
                                  power=args.as_power)
    elif game is not None:
        app.start(game)
    else:
        from game.ui.screens.title import TitleScreen
        app.show(TitleScreen(app))
    code = app.run()
    failed = getattr(app.autopilot, "failed", "")
    if failed:
        print(f"systemic: {failed}")
        code = 1
    if args.screenshots:
        print(f"{app.shot_count} screenshots in {args.screenshots}")
    return code


def _new_game(args: argparse.Namespace) -> Game:
    from game.command import CliError, parse_seats
    from game.match import HUMAN, Game
    from game.rules.loader import load_scenario
    from game.ui.tips import DEFAULT_LEVEL
    scen = load_scenario(args.scenario or "digital-leninism-2017")
    powers = [p.id for p in scen.spec.powers]
    if args.hotseat:
        seats = dict.fromkeys(powers, HUMAN)
    else:
        me = args.as_power or powers[0]
        if me not in powers:
            raise CliError(f"--as {me}: no such power; powers in {scen.id} are {', '.join(powers)}")
        seats = {p: (HUMAN if p == me else f"{DEFAULT_LEVEL}:planner") for p in powers}  # as New game
    seats |= parse_seats(getattr(args, "ai", None))
    try:
        return Game.new(scen, seats, args.seed)
    except ValueError as exc:
        raise CliError(str(exc)) from None


def run_default() -> int:
    """`systemic` with no arguments: open the game window at the title screen."""
    return cmd_play(argparse.Namespace(scenario=None, seed=1, as_power=None, load=None, autoplay=None,
                                       screenshots=None, hotseat=False, size=None, ai=None))
