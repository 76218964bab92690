"""The `systemic` command: play, simulate, replay, validate, export schemas and benchmark.

Every command that loads a scenario prints problems as `file:line:col: error: ...` and exits 1;
no user mistake ends in a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from game.command import CliError, history_option, parse_seats
from game.rules.loader import RulesError


def _progress(game: Any) -> None:
    w = game.world
    done = game.state.turn
    if sys.stderr.isatty():  # one line rewritten in place on a terminal
        sys.stderr.write(f"\rsimulating {game.year} ({done}/{w.n_turns} turns)")
        if game.over:
            sys.stderr.write("\n")
    else:  # a log file gets whole lines, not carriage returns
        sys.stderr.write(f"simulating {game.year} ({done}/{w.n_turns} turns)\n")
    sys.stderr.flush()


def format_table(game: Any) -> str:
    """The per-year table of `systemic sim`: GDP, growth, stability, alignment, standards."""
    w = game.world
    lines = []
    head = f"{'year':>4} "
    for pid in w.power_ids:
        head += f"| {pid.upper():<6} {'GDP':>6} {'growth':>6} {'stab':>5} {'model':>5} {'std':>5} "
    head += "| regions leaning"
    lines.append(head)
    lines.append("-" * len(head))
    for row in game.history:
        line = f"{row['year']:>4} "
        for pid in w.power_ids:
            v = row["powers"][pid]
            line += (f"| {'':<6} {v['gdp']:6.2f} {100 * v['growth']:5.1f}% {v['stability']:5.1f} "
                     f"{100 * v['model_adoption']:4.0f}% {100 * v['standards_share']:4.0f}% ")
        leaning = {pid: 0 for pid in w.power_ids}
        for reg in row["regions"].values():
            best = max(reg["alignment"], key=reg["alignment"].get)
            leaning[best] += 1
        line += "| " + " ".join(f"{pid}:{n}" for pid, n in leaning.items())
        lines.append(line)
        for news in row.get("news", []):
            lines.append(f"       {news}")
    result = game.result()
    lines.append("")
    lines.append("Final score: " + ", ".join(f"{w.power_names[w.power_index(p)]} {s:.1f}"
                                             for p, s in result["scores"].items()))
    outcome = result["outcome"]
    winner = result["winner"]
    lines.append(f"Outcome: {outcome}" + (f", winner {winner} ({result['victory_type']})" if winner else ""))
    lines.append(result["verdict"])
    return "\n".join(lines)


def _check_writable(path: Path) -> None:
    """Refuse a save path that cannot be written, naming what is wrong."""
    if path.is_dir():
        raise CliError(f"--save {path}: is a directory; give a file name, e.g. {path / 'game.json'}")
    parent = next((p for p in path.parents if p.exists()), None)
    if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK):
        raise CliError(f"--save {path}: cannot write there")


def game_json(game: Any) -> dict[str, Any]:
    out = {"scenario": game.scenario.id, "seed": game.seed, "seats": game.seats,
           "years": game.history, "result": game.result()}
    if game.history_mode:  # only history-mode games carry the key, so other output is unchanged
        out["history_mode"] = game.history_mode
    return out


def cmd_sim(args: argparse.Namespace) -> int:
    from game.match import Game
    seats = parse_seats(args.ai)
    if args.save:
        _check_writable(Path(args.save))  # before the game is played, not after
    from game.match import new_seed
    seed = new_seed() if args.seed is None else args.seed
    try:
        game = Game.new(args.scenario, seats, seed, args.history)
    except ValueError as exc:
        if isinstance(exc, RulesError):
            raise
        raise CliError(str(exc)) from None
    if args.seed is None:  # said even with --quiet: without it this game could not be played again
        print(f"seed {seed} (play this game again with --seed {seed})", file=sys.stderr, flush=True)
    if game.history_mode and not args.quiet:  # (stderr: the output itself is unchanged)
        until = game.history_mode["until"]
        print(f"history mode: {game.scenario.id}'s history deck plays as it happened up to {until}, then the "
              "random deck takes over (alternate history)", file=sys.stderr, flush=True)
    game.play_out(None if args.quiet else _progress)
    if args.save:
        game.save(args.save)
    print(json.dumps(game_json(game), sort_keys=True) if args.json else format_table(game))
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from game.match import Game, SaveError
    try:
        game = Game.load(args.save)
    except (SaveError, RulesError) as exc:
        raise CliError(str(exc).splitlines()[0] if isinstance(exc, SaveError) else str(exc), 1) from None
    print(json.dumps(game_json(game), sort_keys=True) if args.json else format_table(game))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from game.rules.loader import validate_paths
    problems = validate_paths([Path(p) for p in args.paths])
    for problem in problems:
        print(problem)
    if not problems:
        print(f"ok: {len(args.paths)} path(s) valid")
    return 1 if any(p.severity == "error" for p in problems) else 0


def cmd_bench(args: argparse.Namespace) -> int:
    if args.ui:
        from game.bench.frames import run_frame_bench
        print(json.dumps(run_frame_bench(), sort_keys=True))
        return 0
    if args.ai:
        from game.bench.ai import run_ai_bench
        print(json.dumps(run_ai_bench(args.scenario, args.games, args.before), sort_keys=True))
        return 0
    if args.balance:
        from game.bench.balance import run_balance_bench
        print(json.dumps(run_balance_bench(args.scenario, args.games, args.ray), sort_keys=True))
        return 0
    from game.bench.engine import run_bench
    print(json.dumps(run_bench(args.scenario, args.games, args.turns), sort_keys=True))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from game.rules import editor_schema
    if args.write:
        for path in editor_schema.write_shipped():
            print(f"wrote {path}")
        return 0
    print(editor_schema.text(args.kind), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="systemic", description="Systemic: global systemic "
                                     "competition in the age of big data. With no command, opens the game window.")
    sub = parser.add_subparsers(dest="command")
    sim = sub.add_parser("sim", help="play a headless game, AI against AI, and print the years")
    sim.add_argument("--scenario", default="digital-leninism-2017", help="shipped scenario id or a YAML file")
    sim.add_argument("--ai", action="append", metavar="POWER=PLAYER",
                     help="seat a persona (planner) or a difficulty level with its persona (hard:planner); repeatable")
    sim.add_argument("--seed", type=int, default=None,
                     help="random seed (default: a fresh one, printed on stderr so the game can be replayed)")
    sim.add_argument("--json", action="store_true", help="print JSON (byte-identical for one seed)")
    sim.add_argument("--save", metavar="FILE", help="write a replayable save")
    sim.add_argument("--quiet", action="store_true", help="no progress on stderr")
    sim.add_argument("--history", nargs="?", const=True, default=None, type=history_option, metavar="YEAR",
                     help="history mode: the scenario's history deck fires as it happened, up to YEAR "
                          "(default: all of it), then the random deck takes over; 'off' plays without")
    sim.set_defaults(func=cmd_sim)
    replay = sub.add_parser("replay", help="replay a save exactly")
    replay.add_argument("save")
    replay.add_argument("--json", action="store_true")
    replay.set_defaults(func=cmd_replay)
    validate = sub.add_parser("validate", help="check scenario and rules files")
    validate.add_argument("paths", nargs="+")
    validate.set_defaults(func=cmd_validate)
    bench = sub.add_parser("bench", help="measure engine speed (JSON on the last line)")
    bench.add_argument("--scenario", default="digital-leninism-2017")
    bench.add_argument("--games", type=int, default=10_000)
    bench.add_argument("--turns", type=int, default=18)
    bench.add_argument("--balance", action="store_true",
                       help="tournament throughput (games/s), locally and through Ray")
    bench.add_argument("--ui", action="store_true",
                       help="desktop frame time: the main screen idle at 1920x1080 (dummy video driver)")
    bench.add_argument("--ray", metavar="ADDRESS", default=None,
                       help="with --balance: Ray cluster address, or 'auto'")
    bench.add_argument("--ai", action="store_true",
                       help="what the search AIs and the vector RL env cost (decisions, tournaments, env-steps)")
    bench.add_argument("--before", metavar="TREE", default=None,
                       help="with --ai: also measure this checkout's code (e.g. the main branch) in the same run")
    bench.set_defaults(func=cmd_bench)
    schema = sub.add_parser("schema", help="print the JSON Schema of scenario or rules files (for editors)")
    schema.add_argument("kind", nargs="?", default="scenario",
                        choices=("scenario", "indicators", "levers", "policies", "doctrines", "mechanics", "events",
                                 "situations", "agreements", "regions", "victory"))
    schema.add_argument("--write", action="store_true", help="rewrite the schema files shipped with the game")
    schema.set_defaults(func=cmd_schema)
    from game.classroom import commands as classroom_commands
    from game.lab import commands as lab_commands
    from game.ui import commands as ui_commands
    ui_commands.register(sub)
    lab_commands.register(sub)
    classroom_commands.register(sub, window=_projector)
    from game.lab import hindcast
    hindcast.register(sub)
    return parser


def _projector(server: Any) -> None:
    """The classroom's projector window: the desktop's, opened here so the classroom never imports it."""
    from game.ui.projector import run_projector
    run_projector(server)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from game.ui import commands as ui_commands
            return ui_commands.run_default()
        return int(args.func(args))
    except RulesError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except CliError as exc:
        print(f"systemic: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("systemic: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # a path the user gave cannot be read or written: one line, not a traceback
        if isinstance(exc, BrokenPipeError):
            return 0
        where = f" '{exc.filename}'" if exc.filename else ""
        print(f"systemic: error: cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
