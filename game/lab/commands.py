"""CLI entry points of the balance lab: `systemic balance` and `systemic sensitivity`.

Every user mistake (unknown persona, scenario or parameter, impossible range, unreachable Ray
address) ends in one line on stderr and a non-zero exit, never a traceback. Ctrl-C keeps the
finished batches and writes a partial report that says so.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from game.lab.runner import LabError


def _lab_error(message: str) -> int:
    print(f"systemic: error: {message}", file=sys.stderr)
    return 2


def resolve_players(items: list[str]) -> list[str]:
    """`all` means every scripted persona that plays a strategy (not `random`, a floor)."""
    from game.ai.personas import PERSONAS
    names: list[str] = []
    for item in items:
        for name in item.split(","):
            name = name.strip()
            if name == "all":
                names += [p for p in PERSONAS if p != "random"]
            elif name:
                names.append(name)
    seen: list[str] = []
    for n in names:
        if n not in seen:
            seen.append(n)
    if not seen:
        raise LabError("--personas needs at least one persona")
    return seen


def cmd_balance(args: argparse.Namespace) -> int:
    from game.lab import analysis, report, tournament
    try:
        players = resolve_players(args.personas)
        t = tournament.plan(args.scenario, players, args.games, args.seed, mirror_only=args.mirror)
        results = tournament.run(t, workers=args.workers, ray_address=args.ray, progress=not args.quiet)
    except LabError as exc:
        return _lab_error(str(exc))
    a = analysis.analyse(results)
    command = "systemic " + " ".join(shlex.quote(x) for x in sys.argv[1:]) if args.command_line is None \
        else args.command_line
    files = report.write(a, Path(args.out), command)
    tg = a["target"]
    for d, v in a["doctrine"].items():
        lo, hi = v["wilson95"]
        print(f"{d}: {100 * v['rate']:.1f}% [{100 * lo:.1f}, {100 * hi:.1f}] of {v['n']:.0f} decided duels")
    print(f"dominant: {', '.join(a['dominant']) or 'none'}; equilibrium: "
          + ", ".join(f"{p} {100 * a['equilibrium']['mixture'][players.index(p)]:.0f}%"
                      for p in a["equilibrium"]["players"])
          + (" (PURE: a dominant strategy)" if a["equilibrium"]["pure"] else ""))
    print(f"target {'met' if tg['met'] else 'NOT met'}; report: {files[0]}")
    if results.interrupted:
        print(f"interrupted: partial report of {results.n} of {t.games} games written", file=sys.stderr)
        return 130
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from game.lab import sensitivity
    try:
        players = resolve_players(args.personas)
        spec = sensitivity.plan(args.scenario, args.params, samples=args.samples, method=args.method,
                                games=args.games, players=players, seed=args.seed, ranges=args.range)
        result = sensitivity.run(spec, workers=args.workers, ray_address=args.ray, progress=not args.quiet)
    except LabError as exc:
        return _lab_error(str(exc))
    command = "systemic " + " ".join(shlex.quote(x) for x in sys.argv[1:])
    files = sensitivity.write(result, Path(args.out), command)
    for row in result.ranking()[:10]:
        print(f"{row['parameter']}: first-order {row['first_order']:.2f}, total {row['total']:.2f}")
    print(f"report: {files[0]}")
    if result.interrupted:
        print("interrupted: partial report of the finished samples written", file=sys.stderr)
        return 130
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scenario", default="digital-leninism-2017", help="shipped scenario id or a YAML file")
    p.add_argument("--personas", nargs="+", default=["all"], metavar="PERSONA",
                   help="players: persona names, levels (hard:planner), lookahead, cem, or 'all' "
                        "(every strategic persona)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=int, default=None, help="local processes (default: all cores)")
    p.add_argument("--ray", metavar="ADDRESS", default=None,
                   help="spread batches over Ray: HOST:PORT, 'auto', or 'local' (needs systemic[cluster])")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    """Add the lab's subcommands (`balance`, `sensitivity`) to the `systemic` parser."""
    bal = sub.add_parser("balance", help="AI-vs-AI round robin on every seat: win rates, ratings, report")
    _common(bal)
    bal.add_argument("--games", type=int, default=10_000, help="games in all (split over matchups)")
    bal.add_argument("--out", default="report", help="directory for report.md, report.json and charts")
    bal.add_argument("--mirror", action="store_true", help="only mirror matches (the same player on every seat)")
    bal.set_defaults(func=cmd_balance, command_line=None)
    sens = sub.add_parser("sensitivity", help="which rule coefficients move the doctrine win rate (Sobol/LHS)")
    _common(sens)
    sens.add_argument("--params", nargs="+", default=["all"], metavar="GROUP.NAME",
                      help="coefficients of game/rules/mechanics.yaml to vary, or 'all'")
    sens.add_argument("--range", action="append", default=[], metavar="GROUP.NAME=LO:HI",
                      help="narrow a parameter's range (must lie inside its declared range)")
    sens.add_argument("--method", choices=("sobol", "lhs"), default="sobol")
    sens.add_argument("--samples", type=int, default=64,
                      help="base samples (Sobol: power of two; runs samples x (params + 2) worlds)")
    sens.add_argument("--games", type=int, default=64, help="games per sampled world")
    sens.add_argument("--out", default="sensitivity", help="directory for the report")
    sens.set_defaults(func=cmd_sensitivity)
