"""Why an indicator moved, in words that read sensibly next to its change.

The engine explains a stock (GDP, data stock) by the causes of its change, but a derived indicator
(stability, growth) by what its *level* is made of: "Stability 92 » 85 (-6.8) made of: calm streets
+40" reads as nonsense next to the change. So for a derived indicator this module subtracts the
previous year's make-up from this year's, giving the change per component; in the first year,
with no earlier make-up, it says "now made of". The two shares the swing regions decide
(standards share, model adoption) are explained by the regions themselves. No pygame here.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from game.engine.mechanics import finance
from game.ui import tips

if TYPE_CHECKING:
    from game.engine import Report, World
    from game.match import Game

RESIDUAL = "limits and rounding"

# indicator -> (key of the region entry in Game.history, what a region's share is a share of)
REGIONAL = {"standards_share": ("standard", "on {power}'s standard"),
            "model_adoption": ("alignment", "leaning to {power}'s model")}


def crash_risk(world: World, bubble: float) -> float:
    """The yearly chance of a crash at this bubble, as the engine draws it (finance.crash_risk)."""
    return float(finance.crash_risk(np.array([bubble], dtype=np.float32), world.coef.finance)[0])


def previous_report(game: Game, report: Report) -> Report | None:
    """The report of the year before `report`, if the game still has it."""
    for k, other in enumerate(game.reports):
        if other is report:
            return game.reports[k - 1] if k > 0 else None
    return None


def negligible(world: World, indicator: str, delta: float) -> bool:
    """A change that rounds to nothing where it is shown ("+0.0", "-0.0 pp"): shown as no change."""
    return not any(c in "123456789" for c in tips.fmt_change(world, indicator, delta))


def component_changes(now: list[tuple[str, float]], before: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Per component, this year's part minus last year's (a component absent in a year counts 0);
    largest first. They sum to the change of the level, as the parts summed to the level."""
    old = dict(before)
    new = dict(now)
    diffs = [(k, new.get(k, 0.0) - old.get(k, 0.0)) for k in dict.fromkeys([*new, *old])]
    return sorted((kv for kv in diffs if abs(kv[1]) > 1e-9), key=lambda kv: -abs(kv[1]))


def causes(game: Game, report: Report, power: str, indicator: str) -> tuple[str, list[tuple[str, float]]]:
    """(how to read the list, the list): "why" for a stock's causes, "change by component" or
    "now made of" for a derived indicator's parts."""
    w = game.world
    parts = report.explain(power, indicator)
    if not bool(w.derived_mask[w.column(indicator)]):
        return "why", parts
    prev = previous_report(game, report)
    if prev is None:
        return "now made of", parts
    return "change by component", component_changes(parts, prev.explain(power, indicator))


def causes_text(world: World, label: str, items: list[tuple[str, float]], indicator: str, limit: int = 4) -> str:
    """The list as one line; "now made of" parts are levels, so they are formatted as values."""
    if label == "change by component":  # a part that did not move at the shown precision is noise
        moved = [(k, v) for k, v in items if not negligible(world, indicator, v)]
        return tips.causes_text(world, moved or items[:1], indicator, limit)
    if label != "now made of":
        return tips.causes_text(world, items, indicator, limit)
    named = [(k, v) for k, v in items if k != RESIDUAL][:limit]
    if not named:
        return "nothing"
    unit = tips.indicator_def(world, indicator).unit
    if unit in tips.PERCENT_UNITS:  # a part of a growth rate: "+1.6%"
        return ", ".join(f"{k} {100 * v:+.1f}%" for k, v in named)
    return ", ".join(f"{k} {v:.1f}" for k, v in named)


def _year_entry(game: Game, year: int) -> dict[str, object] | None:
    return next((h for h in game.history if h.get("year") == year), None)


def regional(game: Game, power: str, indicator: str, year: int, limit: int = 6) -> str | None:
    """For the shares the swing regions decide, one line: "Central Asia 54% (+1.2 pp), Africa ..."."""
    rows = regional_rows(game, power, indicator, year, limit)
    return None if rows is None else ", ".join(rows)


def regional_rows(game: Game, power: str, indicator: str, year: int, limit: int = 6) -> list[str] | None:
    """Each region's share for this power in `year`, with its change since the year before,
    largest first; None for an indicator the regions do not decide."""
    if indicator not in REGIONAL:
        return None
    key, _ = REGIONAL[indicator]
    now, before = _year_entry(game, year), _year_entry(game, year - 1)
    if now is None:
        return None
    w = game.world
    names = dict(zip(w.region_ids, w.region_names, strict=True))
    rows: list[tuple[float, str]] = []
    for rid, entry in now.get("regions", {}).items():  # type: ignore[attr-defined]
        share = float(entry[key].get(power, 0.0))
        text = f"{names.get(rid, rid)} {100 * share:.0f}%"
        if before is not None and rid in before.get("regions", {}):  # type: ignore[operator]
            old = float(before["regions"][rid][key].get(power, 0.0))  # type: ignore[index]
            if not math.isclose(share, old, abs_tol=5e-4):
                text += f" ({100 * (share - old):+.1f} pp)"
        rows.append((share, text))
    if not rows:
        return None
    rows.sort(key=lambda r: -r[0])
    return [text for _, text in rows[:limit]]


def regional_label(game: Game, power: str, indicator: str) -> str:
    """"regions on China's standard (weighted by their GDP)"."""
    w = game.world
    what = REGIONAL[indicator][1].format(power=w.power_names[w.power_index(power)])
    return f"regions {what} (weighted by their GDP)"
