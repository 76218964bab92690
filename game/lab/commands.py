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
from typing import Any

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
        history = tournament.history_until(args.scenario, args.history)
        t = tournament.plan(args.scenario, players, args.games, args.seed, mirror_only=args.mirror, history=history)
        _say_history(args.scenario, history, args.quiet)
        results = tournament.run(t, workers=args.workers, ray_address=args.ray, progress=not args.quiet)
        courses, levers = _depth_runs(args, players, history)
    except LabError as exc:
        return _lab_error(str(exc))
    a = analysis.analyse(results, courses, levers)
    command = "systemic " + " ".join(shlex.quote(x) for x in sys.argv[1:]) if args.command_line is None \
        else args.command_line
    files = report.write(a, Path(args.out), command)
    tg = a["target"]
    for d, v in a["doctrine"].items():
        lo, hi = v["wilson95"]
        print(f"{d}: {100 * v['rate']:.1f}% [{100 * lo:.1f}, {100 * hi:.1f}] of {v['n']:.0f} decided duels")
    if a["only_mirrors"]:
        for line in _mirror_lines(a):
            print(line)
    else:
        print(f"dominant: {', '.join(a['dominant']) or 'none'}; equilibrium: "
              + ", ".join(f"{p} {100 * a['equilibrium']['mixture'][players.index(p)]:.0f}%"
                          for p in a["equilibrium"]["players"])
              + (" (PURE: a dominant strategy)" if a["equilibrium"]["pure"] else ""))
    if a.get("depth"):
        for line in _depth_lines(a["depth"]):
            print(line)
    print(f"target {'met' if tg['met'] else 'NOT met'}; report: {files[0]}")
    if results.interrupted:
        print(f"interrupted: partial report of {results.n} of {t.games} games written", file=sys.stderr)
        return 130
    return 0


def _say_history(scenario: str, history: int | None, quiet: bool) -> None:
    """On stderr (the report says it too): the games play in history mode, and until when."""
    if history is not None and not quiet:
        print(f"history mode: {scenario}'s history deck fires as it happened up to {history}, the players "
              f"choose their own orders from the start; from {history + 1} the random deck takes over",
              file=sys.stderr, flush=True)


def _depth_runs(args: argparse.Namespace, players: list[str], history: int | None = None) -> tuple[Any, Any]:
    """The depth section's extra games: the reckless and prudent courses against every scripted
    persona of the round robin, and the lever table on the same personas (in the round robin's
    history mode, if any)."""
    from game.ai.personas import PERSONAS
    from game.lab import depth, levers
    if args.mirror or args.no_depth:
        return None, None
    scripted = [p for p in players if p in PERSONAS] or [p for p in PERSONAS if p != "random"]
    courses = depth.run_courses(args.scenario, scripted, args.course_games, args.seed, args.workers,
                                history=history) if args.course_games > 0 else None
    table = levers.measure(args.scenario, scripted, args.lever_games, args.seed, args.workers,
                           history=history) if args.lever_games > 0 else None
    return courses, table


def _depth_lines(d: dict[str, Any]) -> list[str]:
    vs, c = d["variance_shares"], d["crises"]
    lines = [f"depth: strategy share {100 * vs['strategy']:.1f}% (common luck {100 * vs['common_luck']:.1f}%), "
             f"underdog >= 15% in {100 * d['upsets']['share_of_matchups']:.0f}% of matchups; decided by "
             + ", ".join(f"{k} {100 * v:.1f}%" for k, v in d["live_paths"].items()),
             "depth: lean changed " + ", ".join(f"{k} {100 * v['lean']:.0f}%" for k, v in d["regions"].items()),
             "depth: standard changed " + ", ".join(f"{k} {100 * v['standard']:.0f}%" for k, v in d["regions"].items()),
             f"depth: crises {100 * c['crisis']:.1f}% of games (collapse {100 * c['collapse']:.1f}%, legitimacy<40 "
             f"{100 * c['legitimacy_below_40']:.1f}%, protest>3.5% {100 * c['protest_above_chenoweth']:.1f}%, "
             f"crash {100 * c['financial_crash']:.1f}%); incumbents win "
             f"{100 * d['elections']['incumbent_win_rate']:.1f}%; decisions in "
             f"{100 * d['decisions']['share_of_years']:.1f}% of years"]
    if d.get("courses"):
        for pid, by in d["courses"]["by_power"].items():
            lines.append(f"depth: {pid} crises reckless {100 * by['reckless']['crisis']:.1f}% "
                         f"(crash {100 * by['reckless']['financial_crash']:.1f}%) vs prudent "
                         f"{100 * by['prudent']['crisis']:.1f}% (crash {100 * by['prudent']['financial_crash']:.1f}%)")
    if d.get("levers"):
        lv = d["levers"]
        lines.append("depth: levers whose funding never gains 1 point of margin: "
                     + (", ".join(f"{p}.{x}" for p, x in lv["levers_that_do_not_matter"]) or "none"))
    lines.append("depth targets: " + ", ".join(f"{k} {'met' if v['met'] else 'NOT met'}"
                                              for k, v in d["targets"].items()))
    return lines


def cmd_levers(args: argparse.Namespace) -> int:
    """`systemic levers`: the lever-impact table of one scenario."""
    import json

    from game.lab import levers
    try:
        players = resolve_players(args.personas)
        table = levers.measure(args.scenario, players, args.games, args.seed, args.workers)
    except LabError as exc:
        return _lab_error(str(exc))
    print("\n".join(levers.markdown(table)))
    if args.json:
        Path(args.json).write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
    return 0


def _mirror_lines(a: dict[str, Any]) -> list[str]:
    from game.lab import report
    out = []
    for name, m in a["mirrors"].items():
        v = m["doctrine"].get("digital_leninist")
        if v is not None:
            lo, hi = v["wilson95"]
            out.append(f"{report.scenario_shown(a)} {name} mirror: digital_leninist {100 * v['rate']:.1f}% "
                       f"[{100 * lo:.1f}, {100 * hi:.1f}], draws {100 * m['outcomes']['draw']:.1f}% "
                       f"of {m['games']} games")
    return out


def cmd_mirrors(args: argparse.Namespace) -> int:
    """Each player against itself on every seat, on every scenario asked: one table."""
    import json

    from game.lab import analysis, report, tournament
    try:
        players = resolve_players(args.personas)
        histories = [tournament.history_until(s, args.history) for s in args.scenario]
        # --games is per player: a mirror tournament shares its games out over its matchups
        plans = [tournament.plan(s, players, args.games * len(players), args.seed, mirror_only=True, history=h)
                 for s, h in zip(args.scenario, histories, strict=True)]
    except LabError as exc:
        return _lab_error(str(exc))
    # the command that regenerates this table, from the parsed options (whatever the argv was)
    asked = [] if args.history in (None, False) else ["--history"] if args.history is True else \
        [f"--history {args.history}"]
    command = " ".join(["systemic mirrors --scenario", *map(shlex.quote, args.scenario), "--personas",
                        *map(shlex.quote, players), f"--games {args.games} --seed {args.seed}", *asked, "--out",
                        shlex.quote(args.out)])
    found: list[dict[str, Any]] = []
    interrupted = False
    for t in plans:
        _say_history(t.scenario, t.history, args.quiet)
        try:
            results = tournament.run(t, workers=args.workers, ray_address=args.ray, progress=not args.quiet)
        except LabError as exc:
            return _lab_error(str(exc))
        a = analysis.analyse(results)
        found.append(a)
        for line in _mirror_lines(a):
            print(line)
        if results.interrupted:
            interrupted = True
            break
    met = all(a["target"]["met"] for a in found) and not interrupted
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    lines = ["# Mirror matches: every seat held by the same player", "", "Generated by", "", f"    {command}", ""]
    if interrupted:
        lines += ["> **PARTIAL: the run was interrupted; only finished batches are counted.**", ""]
    lines += ["A duel is each pair of rival-doctrine powers in a game (draws within the draw margin "
              "excluded). Target: no doctrine above 55% between equally strong players "
              f"(DESIGN.md section 6): **{'met' if met else 'NOT met'}**.", "",
              *dict.fromkeys(line for a in found for line in report.history_note(a)),  # each year's note once
              *report.MIRROR_HEADER, *[row for a in found for row in report.mirror_rows(a)], ""]
    (out / "mirrors.md").write_text("\n".join(lines))
    table = [{"scenario": a["scenario"], "player": name, "seed": a["seed"],
              **({"history": a["history"]} if a.get("history") else {}), **m}
             for a in found for name, m in a["mirrors"].items()]
    (out / "mirrors.json").write_text(json.dumps({"command": command, "target_met": met, "mirrors": table},
                                                 indent=1, sort_keys=True) + "\n")
    print(f"target {'met' if met else 'NOT met'}; report: {out / 'mirrors.md'}")
    return 130 if interrupted else 0


def cmd_ladder(args: argparse.Namespace) -> int:
    """`systemic ladder`: each difficulty level against the one below it, head to head."""
    from game.ai.difficulty import LEVELS
    from game.lab import ladder
    levels = args.levels or list(LEVELS)
    try:
        steps = ladder.plan_steps(args.scenario, levels, args.games, args.seed)
        results, interrupted, seconds = ladder.run(steps, workers=args.workers, ray_address=args.ray,
                                                   progress=not args.quiet)
    except LabError as exc:
        return _lab_error(str(exc))
    command = " ".join(["systemic ladder --scenario", shlex.quote(args.scenario), "--levels",
                        *map(shlex.quote, levels), f"--games {args.games} --seed {args.seed} --out",
                        shlex.quote(args.out)])
    files = ladder.write(results, Path(args.out), scenario=args.scenario, seed=args.seed, games=args.games,
                         command=command, interrupted=interrupted, seconds=seconds)
    for r in results:
        print(ladder.step_line(r))
    print(f"the ladder {ladder.overall(results)}; report: {files[0]}")
    if interrupted:
        print("interrupted: partial report of the finished batches written", file=sys.stderr)
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


def _common(p: argparse.ArgumentParser, mirrors: bool = False) -> None:
    if mirrors:
        p.add_argument("--scenario", nargs="+", default=["digital-leninism-2017", "transatlantic-2017"],
                       metavar="SCENARIO", help="shipped scenario ids or YAML files")
        p.add_argument("--personas", nargs="+", default=["lookahead", "normal", "hard", "expert"],
                       metavar="PLAYER", help="players, each against itself: levels (hard, hard:planner), "
                                              "lookahead, refine, cem, persona names or 'all'")
    else:
        p.add_argument("--scenario", default="digital-leninism-2017", help="shipped scenario id or a YAML file")
        p.add_argument("--personas", nargs="+", default=["all"], metavar="PERSONA",
                       help="players: persona names, levels (hard:planner), lookahead, refine, cem, or 'all' "
                            "(every strategic persona)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=int, default=None, help="local processes (default: all cores)")
    p.add_argument("--ray", metavar="ADDRESS", default=None,
                   help="spread batches over Ray: HOST:PORT, 'auto', or 'local' (needs systemic[cluster])")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _history_option(p: argparse.ArgumentParser) -> None:
    from game.command import history_option
    p.add_argument("--history", nargs="?", const=True, default=None, type=history_option, metavar="YEAR",
                   help="history mode: the scenario's history deck fires as it happened up to YEAR (default: "
                        "the whole deck) while the players choose their own orders; then the random deck")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    """Add the lab's subcommands (`balance`, `levers`, `mirrors`, `ladder`, `sensitivity`) to the `systemic` parser."""
    bal = sub.add_parser("balance", help="AI-vs-AI round robin on every seat: win rates, ratings, report")
    _common(bal)
    bal.add_argument("--games", type=int, default=10_000, help="games in all (split over matchups)")
    bal.add_argument("--out", default="report", help="directory for report.md, report.json and charts")
    bal.add_argument("--mirror", action="store_true", help="only mirror matches (the same player on every seat)")
    bal.add_argument("--no-depth", action="store_true",
                     help="skip the depth section's extra games (courses and lever table)")
    bal.add_argument("--course-games", type=int, default=128,
                     help="depth: games per power, course (reckless, prudent) and rival persona")
    bal.add_argument("--lever-games", type=int, default=16,
                     help="depth: games per situation (persona pair) and lever in the lever table")
    _history_option(bal)
    bal.set_defaults(func=cmd_balance, command_line=None)
    lev = sub.add_parser("levers", help="what 10 points of budget in each lever change after 1, 5 and the "
                                        "last year, and in the final margin (same luck with and without)")
    lev.add_argument("--scenario", default="digital-leninism-2017", help="shipped scenario id or a YAML file")
    lev.add_argument("--personas", nargs="+", default=["all"], metavar="PERSONA",
                     help="the situations: each persona for the power against each for its rivals")
    lev.add_argument("--games", type=int, default=16, help="games per situation and lever")
    lev.add_argument("--seed", type=int, default=1)
    lev.add_argument("--workers", type=int, default=None, help="local processes (default: all cores)")
    lev.add_argument("--json", metavar="FILE", default=None, help="also write the table as JSON")
    lev.set_defaults(func=cmd_levers)
    mir = sub.add_parser("mirrors", help="each player against itself on every seat: doctrine win rates per "
                                         "player and scenario (search AIs, difficulty levels)")
    _common(mir, mirrors=True)
    mir.add_argument("--games", type=int, default=2000, help="games per player and scenario")
    mir.add_argument("--out", default="mirrors", help="directory for mirrors.md and mirrors.json")
    _history_option(mir)
    mir.set_defaults(func=cmd_mirrors)
    lad = sub.add_parser("ladder", help="each difficulty level against the one below it, seats swapped, on "
                                        "common luck: does every step rise significantly?")
    lad.add_argument("--scenario", default="digital-leninism-2017", help="shipped scenario id or a YAML file")
    lad.add_argument("--levels", nargs="+", default=None, metavar="LEVEL",
                     help="the rungs, weakest first (default: every level, novice to research); any player "
                          "name the lab accepts (expert:free_marketeer, lookahead, a persona)")
    lad.add_argument("--games", type=int, default=2000, help="games per step (split over its seatings)")
    lad.add_argument("--seed", type=int, default=1)
    lad.add_argument("--workers", type=int, default=None, help="local processes (default: all cores)")
    lad.add_argument("--ray", metavar="ADDRESS", default=None,
                     help="spread batches over Ray: HOST:PORT, 'auto', or 'local' (needs systemic[cluster])")
    lad.add_argument("--quiet", action="store_true", help="no progress bar")
    lad.add_argument("--out", default="ladder", help="directory for ladder.md and ladder.json")
    lad.set_defaults(func=cmd_ladder)
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
