"""Why an indicator moved, in words that read sensibly next to its change.

The engine explains a stock (GDP, data stock) by the causes of its change, but a derived indicator
(stability, growth) by what its *level* is made of: "Stability 92 » 85 (-6.8) made of: calm streets
+40" reads as nonsense next to the change. So for a derived indicator this module subtracts the
previous year's make-up from this year's, giving the change per component; in the first year,
with no earlier make-up, it says "now made of". The two shares the swing regions decide
(standards share, model adoption) are explained by the regions themselves. No pygame here: the
desktop's turn report and the classroom's team pages read the causes the same way.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from game.engine.mechanics import finance
from game.engine.mechanics.diffusion import YEARLY_EVENT_CAUSES
from game.engine.world import N
from game.wording import PERCENT_UNITS
from game.wording import fmt_change as fmt_unit_change

if TYPE_CHECKING:
    from game.engine import Report, World
    from game.match import Game

RESIDUAL = "limits and rounding"

# indicator -> (key of the region entry in Game.history, what a region's share is a share of)
REGIONAL = {"standards_share": ("standard", "on {power}'s standard"),
            "model_adoption": ("alignment", "leaning to {power}'s model")}


def fmt_change(world: World, indicator: str, delta: float) -> str:
    """A change in the indicator's unit: percentages in percentage points, levels in their own terms."""
    return fmt_unit_change(world.scenario.rules.indicator(indicator).unit, delta)


def causes_line(world: World, causes: list[tuple[str, float]], indicator: str, limit: int = 6) -> str:
    """The engine's causes of a change, largest first, as 'cause +x, cause -y'."""
    # the residual is shown only when it is all there is: for derived indicators it can hold the
    # whole level while the named causes hold the change, which would read as nonsense
    named = [(k, v) for k, v in causes if k != RESIDUAL]
    shown = (named or [(k, v) for k, v in causes if abs(v) > 1e-4])[:limit]
    if not shown:
        return "no change"
    return ", ".join(f"{k} {fmt_change(world, indicator, v)}" for k, v in shown)


def crash_cost(report: Report, power: str, game: int = 0) -> float | None:
    """What a financial crash this year cost the power's GDP (US$ tn, negative), or None without one.

    The engine books a crash as lost capital and lost productivity (TFP), so GDP's causes show it
    only inside "capital deepening" and "productivity (TFP)". Output is TFP x capital^alpha x
    (skilled labour)^(1 - alpha); without the crash the year would have ended with the lost stocks
    back, so the cost is GDP x (1 - (TFP/TFP') x (K/K')^alpha), the primes being the stocks
    without the crash."""
    w = report.world
    p = w.power_index(power)
    if not report.crash[game, p]:
        return None
    ratio = 1.0
    for col, weight in ((int(N.TFP), 1.0), (int(N.CAPITAL), float(w.alpha[p]))):
        lost = float(report.causes.get(col, {}).get("financial crash", np.zeros((game + 1, p + 1)))[game, p])
        after = float(report.after[game, p, col])
        if after - lost > 0:
            ratio *= (after / (after - lost)) ** weight
    return float(report.after[game, p, w.column("gdp")]) * (ratio - 1.0)


def crash_note(report: Report, power: str, indicator: str) -> str:
    """"; a financial crash took -$0.77 tn (...)" for GDP and growth in a year of crash, else ""."""
    cost = crash_cost(report, power)
    if cost is None or indicator not in ("gdp", "growth"):
        return ""
    w = report.world
    p = w.power_index(power)
    if indicator == "growth":
        cost /= float(report.before[0, p, w.column("gdp")])
    return (f"; a financial crash took {fmt_change(w, indicator, cost)} (capital and productivity lost, "
            "within the parts above)")


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
    return not any(c in "123456789" for c in fmt_change(world, indicator, delta))


# Parts of a derived indicator that are one year's events, not standing components: a new
# government's pull is this year's swing; next year it is part of where the region leans. Shown as
# a yearly difference, a year without new governments read "new governments in the swing regions
# -9.3 pp" under news that named none. The names come from the mechanic that records them.
YEARLY_EVENTS = YEARLY_EVENT_CAUSES


def component_changes(now: list[tuple[str, float]], before: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Per component, this year's part minus last year's (a component absent in a year counts 0);
    largest first. They sum to the change of the level, as the parts summed to the level. A yearly
    event's part counts in full in its year; last year's event part has joined the standing
    component it moved (the largest), so it is handed to that one."""
    old = dict(before)
    new = dict(now)
    names = list(dict.fromkeys([*new, *old]))
    change = {k: new.get(k, 0.0) - old.get(k, 0.0) for k in names}
    standing = [k for k in names if k not in YEARLY_EVENTS]
    events = [k for k in names if k in YEARLY_EVENTS]
    if events and standing:
        heir = max(standing, key=lambda k: abs(new.get(k, old.get(k, 0.0))))
        for k in events:
            change[heir] -= old.get(k, 0.0)  # last year it stood beside the heir; now it is in it
            change[k] = new.get(k, 0.0)
    return sorted(((k, v) for k, v in change.items() if abs(v) > 1e-9), key=lambda kv: -abs(kv[1]))


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
        return causes_line(world, moved or items[:1], indicator, limit)
    if label != "now made of":
        return causes_line(world, items, indicator, limit)
    named = [(k, v) for k, v in items if k != RESIDUAL][:limit]
    if not named:
        return ""  # nothing named to show: the caller leaves the line out, not a stray "nothing"
    unit = world.scenario.rules.indicator(indicator).unit
    if unit in PERCENT_UNITS:  # a part of a growth rate: "+1.6%"
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


# What each score component measures; productivity and stability are measured against a par
SCORE_PAR_NOTE = ("Productivity and stability are scored against par: 0.50 is par, above it scores more, "
                  "below it less (par growth is the scenario's; par stability is the power's mean stability "
                  "on its start-year course).")


def score_pars(game: Game) -> dict[str, dict[str, float]]:
    """Per power: its per-head growth and the per-head par it is scored against (par growth less
    labour growth), its par growth, its mean stability so far and its par stability."""
    from game.engine.par import par_stability
    from game.engine.score import per_capita_growth, per_capita_par
    w, state = game.world, game.state
    growth, par_pc, par_stab = per_capita_growth(state), per_capita_par(w), par_stability(w, state.turn)
    return {pid: {"growth": float(growth[0, p]), "growth_par": float(par_pc[p]),
                  "par_growth": float(w.score_par_growth[p]),
                  "stability": float(state.stability_mean[0, p]), "stability_par": float(par_stab[p])}
            for p, pid in enumerate(w.power_ids)}


def score_parts(game: Game, power: str, components: dict[str, float]) -> list[str]:
    """One phrase per score component, productivity and stability with what par they met:
    'stability 0.32: mean stability 89 against its par 92'."""
    par = score_pars(game)[power]
    out = []
    for name, value in components.items():
        if name == "productivity":
            out.append(f"productivity {value:.2f}: growth per head {100 * par['growth']:.1f}% a year against "
                       f"its par {100 * par['growth_par']:.1f}% (par growth {100 * par['par_growth']:.1f}% "
                       "less labour-force growth)")
        elif name == "stability":
            out.append(f"stability {value:.2f}: mean stability {par['stability']:.0f} against its par "
                       f"{par['stability_par']:.0f}")
        else:
            out.append(f"{name} {value:.2f}")
    return out
