"""The hindcast: replay a scenario's history with every power on its historical course and set
the model's growth beside the observed series the scenario cites.

Every power plays the historical course: its start-year budget split, the policies it actually
set in their years (the deck's `course`), and the answer history gave to every history dilemma;
the deck's events fire in their years. One batch of games, each with its own luck, gives the
model's median and 10-90% band per year; the root-mean-square error of the median against each
series is the figure of merit (`hindcast.tolerance` in the scenario).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.rules.loader import RulesError

if TYPE_CHECKING:  # the engine and numpy load when a hindcast runs, not when the CLI starts
    import numpy as np

    from game.engine.state import GameState
    from game.rules import schema


class HindcastError(ValueError):
    """A scenario that cannot be hindcast (no history deck or no series)."""


@dataclass(frozen=True)
class Row:
    year: int
    observed: float
    median: float
    p10: float
    p90: float


@dataclass(frozen=True)
class SeriesResult:
    series: schema.HindcastSeries
    rows: list[Row]

    @property
    def rmse(self) -> float:
        return (sum((r.median - r.observed) ** 2 for r in self.rows) / len(self.rows)) ** 0.5

    def value(self, year: int) -> Row:
        return next(r for r in self.rows if r.year == year)


@dataclass(frozen=True)
class Hindcast:
    scenario: str
    games: int
    seed: int
    tolerance: float
    results: list[SeriesResult]


def historical_orders(state: GameState) -> Any:
    """Orders of the historical course for every power in every game: the start-year budget
    split, the policies history set by the coming year, and (unanswered, so the first choice) the
    historical answer to any history dilemma."""
    from game.engine import history, status_quo_orders
    w = state.world
    orders = status_quo_orders(state)
    for p, table in history.course_policies(w, state.year + 1).items():
        for q, option in table.items():
            orders.policy[:, p, q] = option
    return orders


def play(scenario: str | Path, games: int, seed: int) -> tuple[Any, dict[str, np.ndarray]]:
    """Play `games` games of the scenario's history on the historical course up to the hindcast's
    last year; return the world and growth tables (indicator -> (years, games, powers))."""
    import numpy as np

    from game.engine import build_world, history, new_game, resolve
    from game.rules.loader import load_scenario
    scen = load_scenario(scenario)
    spec = scen.spec.history
    if spec is None or spec.hindcast is None:
        raise HindcastError(f"scenario '{scen.id}' has no history hindcast (a 'history:' block with "
                            "'hindcast:' series); transatlantic-2017 and digital-leninism-2017 have one")
    last = spec.hindcast.years[1]
    world = build_world(history.enable(scen, max(last, history.last_year(scen))))
    state = new_game(world, games)
    rng = np.random.default_rng(seed)
    tables: dict[str, list[np.ndarray]] = {"growth": [], "reported_growth": []}
    for _ in range(last - scen.spec.start_year):
        state, _report = resolve(state, historical_orders(state), rng, explain=False)
        for name in tables:
            tables[name].append(state.nation[:, :, world.column(name)].astype(np.float64))
    return world, {k: np.stack(v) for k, v in tables.items()}


def run(scenario: str | Path, games: int = 200, seed: int = 1) -> Hindcast:
    import numpy as np
    world, tables = play(scenario, games, seed)
    spec = world.scenario.spec
    hc = spec.history.hindcast
    first, last = hc.years
    results = []
    for series in hc.series:
        p = world.power_index(series.power)
        rows = []
        for year in range(first, last + 1):
            values = tables[series.indicator][year - spec.start_year - 1, :, p]
            lo, mid, hi = np.percentile(values, [10, 50, 90])
            rows.append(Row(year, float(series.values[year]), float(mid), float(lo), float(hi)))
        results.append(SeriesResult(series, rows))
    return Hindcast(spec.id, games, seed, hc.tolerance, results)


def table(h: Hindcast) -> str:
    """The year-by-year table: history beside the model's median and 10-90% band, in percent."""
    lines = [f"Hindcast of {h.scenario}: {h.games} games (seed {h.seed}), every power on its historical course",
             ""]
    for res in h.results:
        s = res.series
        lines.append(f"{s.power} {s.indicator.replace('_', ' ')} vs {s.series}")
        lines.append(f"  {'year':>4}  {'history':>8}  {'model':>7}  {'10-90% band':>15}  {'error':>6}")
        for r in res.rows:
            lines.append(f"  {r.year:>4}  {100 * r.observed:7.1f}%  {100 * r.median:6.1f}%  "
                         f"[{100 * r.p10:5.1f}, {100 * r.p90:5.1f}]%  {100 * (r.median - r.observed):+5.1f}")
        if s.checked:
            verdict = "within" if res.rmse <= h.tolerance else "OUTSIDE"
            lines.append(f"  RMSE {100 * res.rmse:.2f} pp ({verdict} the {100 * h.tolerance:.1f} pp tolerance)")
        else:
            lines.append(f"  RMSE {100 * res.rmse:.2f} pp (for comparison; not held to the tolerance)")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def chart(h: Hindcast, path: Path) -> None:
    """One panel per series: history as points, the model's median as a line in its band."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(h.results)
    cols = 2 if n == 4 else min(n, 3)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False, sharey=False)
    for k, res in enumerate(h.results):
        ax = axes[k // cols][k % cols]
        years = [r.year for r in res.rows]
        ax.fill_between(years, [100 * r.p10 for r in res.rows], [100 * r.p90 for r in res.rows],
                        color="#9ecae1", alpha=0.6, label="model 10-90%")
        ax.plot(years, [100 * r.median for r in res.rows], color="#08519c", lw=2, label="model median")
        ax.plot(years, [100 * r.observed for r in res.rows], "o", color="#d62728", label="history")
        ax.axhline(0, color="grey", lw=0.6)
        s = res.series
        ax.set_title(f"{s.power.upper()} {s.indicator.replace('_', ' ')} (RMSE {100 * res.rmse:.1f} pp)",
                     fontsize=9)
        ax.set_ylabel("% a year")
        ax.set_xticks(years)
        ax.tick_params(labelsize=8)
        if k == 0:
            ax.legend(fontsize=7, loc="lower left")
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].axis("off")
    fig.suptitle(f"Hindcast of {h.scenario}: model ({h.games} games) against history", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def cmd_hindcast(args: argparse.Namespace) -> int:
    if args.seeds < 1:
        print("systemic: error: --seeds must be at least 1", file=sys.stderr)
        return 2
    try:
        h = run(args.scenario, args.seeds, args.seed)
    except RulesError:
        raise
    except HindcastError as exc:
        print(f"systemic: error: {exc}", file=sys.stderr)
        return 2
    print(table(h), end="")
    out = Path(args.out)
    chart(h, out / f"hindcast-{h.scenario}.png")
    print(f"chart: {out / f'hindcast-{h.scenario}.png'}")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("hindcast", help="replay a scenario's history on the historical course and "
                                        "compare growth with the observed series")
    p.add_argument("--scenario", default="transatlantic-2017", help="shipped scenario id or a YAML file")
    p.add_argument("--seeds", type=int, default=200, help="games played, each with its own luck (default 200)")
    p.add_argument("--seed", type=int, default=1, help="master seed of the games' luck")
    p.add_argument("--out", default=".", help="folder for the PNG chart (default: here)")
    p.set_defaults(func=cmd_hindcast)
