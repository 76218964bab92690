"""CLI entry points of the classroom: `systemic host` and `systemic debrief`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.command import history_option

DEFAULT_SCENARIO = "classroom-short"
DEFAULT_PORT = 8765


def _turn_seconds_bounds() -> tuple[int, int]:
    """The countdown limits scenario files must respect (ScenarioFile.turn_seconds): one bound for both."""
    from annotated_types import Ge, Le

    from game.rules.schema import ScenarioFile
    meta = ScenarioFile.model_fields["turn_seconds"].metadata
    lo = next(int(str(m.ge)) for m in meta if isinstance(m, Ge))
    hi = next(int(str(m.le)) for m in meta if isinstance(m, Le))
    return lo, hi


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0-65535 (0 picks a free port), got {port}")
    return port


def _turn_seconds(text: str) -> int:
    lo, hi = _turn_seconds_bounds()
    try:
        secs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of seconds") from None
    if not lo <= secs <= hi:
        raise argparse.ArgumentTypeError(f"a year's countdown must be {lo}-{hi} seconds, got {secs}")
    return secs


def register(sub: argparse._SubParsersAction,  # type: ignore[type-arg,unused-ignore]
             window: Callable[[Any], None] | None = None) -> None:
    """Add the classroom's subcommands (`host`, `debrief`) to the `systemic` parser. `window` runs the
    projector window for a server until it is closed: the command line passes the desktop's (the
    classroom never imports the desktop); without one, `host` runs headless."""
    host = sub.add_parser("host", help="host a classroom session: team pages on the local network, "
                                       "the window becomes the projector view")
    host.add_argument("--scenario", default=None,
                      help=f"shipped scenario id or a YAML file (default: {DEFAULT_SCENARIO})")
    host.add_argument("--seed", type=int, default=None, help="random seed (default: 0)")
    host.add_argument("--session", default="classroom-session.json", metavar="FILE",
                      help="where the session is saved after every submission and resolution "
                           "(default: %(default)s)")
    start = host.add_mutually_exclusive_group()
    start.add_argument("--resume", action="store_true", help="continue the session saved in --session")
    start.add_argument("--new", action="store_true",
                       help="start afresh even if --session holds a session (the old file is kept as a "
                            "dated backup next to it)")
    host.add_argument("--teams", metavar="T1,T2,...", help="teams (powers and playable regions); default all")
    host.add_argument("--absent", default=None, metavar="last|PERSONA",
                      help="orders of a team that has not submitted in time: its last ones (default), "
                           "or an AI persona")
    lo, hi = _turn_seconds_bounds()
    host.add_argument("--turn-seconds", type=_turn_seconds, default=None, metavar="SECONDS",
                      help=f"countdown per year, {lo}-{hi} (default: the scenario's)")
    host.add_argument("--bind", default=None, metavar="ADDRESS",
                      help="listen address (default: this machine's local-network address and 127.0.0.1)")
    host.add_argument("--port", type=_port, default=DEFAULT_PORT,
                      help="port to listen on (default: %(default)s; 0 picks a free port)")
    host.add_argument("--no-window", action="store_true", help="no projector window (headless host)")
    host.add_argument("--history", nargs="?", const=True, default=None, type=history_option, metavar="YEAR",
                      help="history mode: the years play as they happened up to YEAR (default: the whole "
                           "deck), then the class takes over; e.g. --history 2020 to take over from 2021")
    host.set_defaults(func=cmd_host, window=window)
    debrief = sub.add_parser("debrief", help="write the printable debrief (HTML), indicators (CSV) and role cards")
    debrief.add_argument("save", help="a classroom session file or a game save")
    debrief.add_argument("--out", default="debrief", metavar="DIR")
    debrief.set_defaults(func=cmd_debrief)


def _load_any(path: Path) -> tuple[dict[str, object], object]:
    """(session-shaped dict, Game) from a classroom session or a plain game save."""
    from game.classroom.session import SESSION_FORMAT, ClassSession
    from game.match import Game, SaveError
    if not path.exists():
        raise SaveError(f"{path}: no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        data = None  # Game.load below says what is wrong, in the words `replay` uses
    if isinstance(data, dict) and data.get("format") == SESSION_FORMAT:
        s = ClassSession.load(path)
        return s.to_save(), s.game
    game = Game.load(str(path))
    return {"game": game.to_save()}, game


def cmd_debrief(args: argparse.Namespace) -> int:
    from game.classroom.debrief import write_debrief
    from game.command import CliError
    from game.match import Game, SaveError
    try:
        session, game = _load_any(Path(args.save))
    except SaveError as exc:
        raise CliError(str(exc).splitlines()[0], 1) from None
    assert isinstance(game, Game)
    html = write_debrief(session, Path(args.out), game=game)
    print(f"debrief: {html} (with indicators.csv, regions.csv and role-cards.html)")
    return 0


def _banner(session: object, url: str) -> str:
    from game.classroom.session import ClassSession
    assert isinstance(session, ClassSession)
    lines = [f"Systemic classroom: {session.game.scenario.spec.name}",
             f"Students open:   {url}", "Team codes:"]
    lines += [f"  {t.name:<28} {t.code}" for t in session.teams.values()]
    lines += [f"Facilitator code: {session.facilitator_code}   (facilitator page: {url}?code="
              f"{session.facilitator_code})", f"Session saved to {session.path}; resume with --resume"]
    own = session.own_from()
    if own is not None and own > session.game.year:
        lines.append(f"History mode: the years play as they happened until the class takes over in {own}; leave "
                     "history earlier with the facilitator page's History card (or H on the projector).")
    elif own is not None:
        lines.append(f"Alternate history: the years since {own} are the class's own.")
    if not session.started:
        lines.append("The first year's countdown waits: press Start (Space on the projector, or the facilitator "
                     "page's Start) once the class has joined.")
    return "\n".join(lines)


def _backup(path: Path) -> Path:
    """Copy a session file aside, dated, before a new session takes its name; return the copy."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}-{stamp}-{n}{path.suffix}")
    shutil.copy2(path, target)
    return target


def _progress_words(session: Any) -> str:
    played = session.game.state.turn
    return f"{played} year{'' if played == 1 else 's'} played"


def _ignored_on_resume(args: argparse.Namespace, session: Any) -> list[str]:
    """The start options a resumed session does not use (it keeps the settings it was saved with)."""
    g = session.game
    ignored = []
    if args.scenario is not None and args.scenario not in (g.scenario_ref, g.scenario.spec.id):
        ignored.append(f"--scenario {args.scenario} (the session plays {g.scenario.spec.id})")
    if args.seed is not None and args.seed != g.seed:
        ignored.append(f"--seed {args.seed}")
    if args.teams:
        ignored.append(f"--teams {args.teams}")
    if args.turn_seconds is not None and args.turn_seconds != session.turn_seconds:
        ignored.append(f"--turn-seconds {args.turn_seconds}")
    if args.absent is not None and args.absent != session.absent:
        ignored.append(f"--absent {args.absent}")
    if getattr(args, "history", None) is not None:
        ignored.append("--history (the session keeps the history mode it was started with)")
    return ignored


def _open_session(args: argparse.Namespace) -> Any:
    """The session to host: resumed, or new; refuses (CliError, one line) to overwrite a lesson."""
    from game.classroom.session import ClassSession
    from game.command import CliError
    from game.match import SaveError
    path = Path(args.session)
    if args.resume:
        if not path.exists():
            raise CliError(f"--resume: no session file {path}; leave out --resume to start a new session")
        session = ClassSession.load(path)
        if session.ended or session.game.over:
            raise CliError(f"{path}: this session has ended ({_progress_words(session)}); write its debrief "
                           f"with `systemic debrief {path}`, or start afresh with --new", 1)
        ignored = _ignored_on_resume(args, session)
        if ignored:
            print(f"note: resuming {path} with its saved settings; ignored: {'; '.join(ignored)}", flush=True)
        return session
    if path.exists():
        if not args.new:
            try:
                old = ClassSession.load(path)
            except SaveError:
                raise CliError(f"{path} exists and is not a session this version can resume; choose another "
                               "file with --session NEW.json, or --new to replace it (a dated backup is kept)",
                               1) from None
            if not (old.ended or old.game.over):
                raise CliError(f"{path} holds a session in progress (year {old.game.year}, "
                               f"{_progress_words(old)}); continue it with --resume, or start afresh with "
                               "--new (a dated backup is kept) or --session NEW.json", 1)
        kept = _backup(path)
        print(f"note: the previous session in {path} is kept as {kept}", flush=True)
    teams = [t.strip() for t in args.teams.split(",") if t.strip()] if args.teams else None
    session = ClassSession.create(args.scenario or DEFAULT_SCENARIO, args.seed or 0, teams, path,
                                  args.absent or "last", args.turn_seconds, history_mode=args.history)
    session.save()
    return session


def cmd_host(args: argparse.Namespace) -> int:
    from game.classroom.hub import Hub
    from game.classroom.server import Server, serve_forever
    from game.command import CliError
    from game.match import SaveError
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    try:
        session = _open_session(args)
    except SaveError as exc:
        raise CliError(str(exc).splitlines()[0], 1) from None
    except ValueError as exc:
        from game.rules.loader import RulesError
        if isinstance(exc, RulesError):
            raise
        raise CliError(str(exc)) from None
    hub = Hub(session)
    server = Server(hub, args.bind, args.port)
    window = getattr(args, "window", None)
    headless = (window is None or args.no_window or os.environ.get("SDL_VIDEODRIVER") == "dummy"
                or not _display())
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=serve_forever, args=(server, ready, stop), daemon=True)
    thread.start()
    if not ready.wait(15):
        raise CliError(f"could not start the server on port {args.port}")
    if server.error:
        raise CliError(server.error)
    # `kill` or a shutdown saves like Ctrl+C does. Both are caught from before the banner is printed:
    # a signal that came between the address appearing and the handler (or the try) was a death
    # without the final save (SIGTERM) or a traceback (Ctrl+C).
    # Ctrl+C gets the same handler explicitly: a host started by a process that ignores SIGINT
    # (a test runner, a service manager) inherits the ignoring and would never leave on Ctrl+C.
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        print(_banner(session, server.url), flush=True)
        if not server.url.startswith("http://127."):
            with server.lock:
                session.url = server.url  # the role cards' "Join at", also when printed from the command line
                session.save()
        if headless:
            while thread.is_alive():
                thread.join(0.5)
        else:
            assert window is not None
            window(server)
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        stop.set()
        thread.join(5)
        with server.lock:  # the last drafts (saved every 2 s while running) are not lost on the way out
            session.save()
        print(f"Session saved to {session.path}; continue it with --resume", flush=True)
    return 0


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM or SIGINT: leave through the final save."""
    raise KeyboardInterrupt


def _display() -> bool:
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("SDL_VIDEODRIVER"))
    return True
