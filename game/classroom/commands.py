"""CLI entry points of the classroom: `systemic host` and `systemic debrief`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    """Add the classroom's subcommands (`host`, `debrief`) to the `systemic` parser."""
    host = sub.add_parser("host", help="host a classroom session: team pages on the local network, "
                                       "the window becomes the projector view")
    host.add_argument("--scenario", default="classroom-short", help="shipped scenario id or a YAML file")
    host.add_argument("--seed", type=int, default=0)
    host.add_argument("--session", default="classroom-session.json", metavar="FILE",
                      help="where the session is saved after every submission and resolution")
    host.add_argument("--resume", action="store_true", help="restore the session saved in --session")
    host.add_argument("--teams", metavar="T1,T2,...", help="teams (powers and playable regions); default all")
    host.add_argument("--absent", default="last", metavar="last|PERSONA",
                      help="orders of a team that has not submitted in time: its last ones, or an AI persona")
    host.add_argument("--turn-seconds", type=int, default=None, help="countdown per year (default: the scenario's)")
    host.add_argument("--bind", default=None, metavar="ADDRESS",
                      help="listen address (default: this machine's local-network address and 127.0.0.1)")
    host.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    host.add_argument("--no-window", action="store_true", help="no projector window (headless host)")
    host.set_defaults(func=cmd_host)
    debrief = sub.add_parser("debrief", help="write the printable debrief (HTML), indicators (CSV) and role cards")
    debrief.add_argument("save", help="a classroom session file or a game save")
    debrief.add_argument("--out", default="debrief", metavar="DIR")
    debrief.set_defaults(func=cmd_debrief)


def _load_any(path: Path) -> tuple[dict[str, object], object]:
    """(session-shaped dict, Game) from a classroom session or a plain game save."""
    from game.classroom.session import SESSION_FORMAT, ClassSession
    from game.session import Game, SaveError
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SaveError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SaveError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    if isinstance(data, dict) and data.get("format") == SESSION_FORMAT:
        s = ClassSession.load(path)
        return s.to_save(), s.game
    game = Game.from_save(data, str(path))
    return {"game": data}, game


def cmd_debrief(args: argparse.Namespace) -> int:
    from game.classroom.debrief import write_debrief
    from game.cli import CliError
    from game.session import Game, SaveError
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
    return "\n".join(lines)


def cmd_host(args: argparse.Namespace) -> int:
    from game.classroom.hub import Hub
    from game.classroom.server import Server, serve_forever
    from game.classroom.session import ClassSession
    from game.cli import CliError
    from game.session import SaveError
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    path = Path(args.session)
    try:
        if args.resume:
            if not path.exists():
                raise CliError(f"--resume: no session file {path}")
            session = ClassSession.load(path)
        else:
            teams = [t.strip() for t in args.teams.split(",")] if args.teams else None
            session = ClassSession.create(args.scenario, args.seed, teams, path, args.absent, args.turn_seconds)
            session.save()
    except SaveError as exc:
        raise CliError(str(exc).splitlines()[0], 1) from None
    except ValueError as exc:
        from game.rules.loader import RulesError
        if isinstance(exc, RulesError):
            raise
        raise CliError(str(exc)) from None
    hub = Hub(session)
    server = Server(hub, args.bind, args.port)
    headless = args.no_window or os.environ.get("SDL_VIDEODRIVER") == "dummy" or not _display()
    ready, stop = threading.Event(), threading.Event()
    if headless:
        thread = threading.Thread(target=serve_forever, args=(server, ready, stop), daemon=True)
        thread.start()
        if not ready.wait(15):
            raise CliError(f"could not start the server on port {args.port}")
        if server.error:
            raise CliError(server.error)
        print(_banner(session, server.url), flush=True)
        try:
            while thread.is_alive():
                thread.join(0.5)
        except KeyboardInterrupt:
            stop.set()
            thread.join(5)
            session.save()
        return 0
    from game.ui.projector import run_projector
    thread = threading.Thread(target=serve_forever, args=(server, ready, stop), daemon=True)
    thread.start()
    if not ready.wait(15):
        raise CliError(f"could not start the server on port {args.port}")
    print(_banner(session, server.url), flush=True)
    try:
        run_projector(server)
    finally:
        stop.set()
        thread.join(5)
        with server.lock:
            session.save()
    return 0


def _display() -> bool:
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("SDL_VIDEODRIVER"))
    return True
