"""Depth: whether decisions matter (DESIGN.md section 6, issue 11).

A tournament's games are traced year by year (`Tracer`, fed by the tournament's play loop), and
the depth report measures on them:

- the strategy share: a one-way ANOVA of the final score margin (the digital-Leninist power's
  score minus the best rival's) between matchups, over its total variance; every matchup meets
  the same luck (game k of chunk c has the same draws in every matchup), so the share of the
  variance that luck common to all matchups explains is reported beside it;
- upsets: in how many matchups the underdog side still wins at least 15% of the games;
- live paths: the share of won games decided by each score component;
- open regions: how often each swing region's final lean (the doctrine its alignment favours)
  and its standard (the network most of it has adopted, or none) differ from the start;
- crisis rates: regime collapse, the party-state's legitimacy below 40, protest above the
  Chenoweth share, financial crashes and democratic polarisation, in the persona games and for
  a reckless and a prudent course (`COURSES`) played against every persona;
- elections: the share of democratic elections the incumbent wins;
- decision density: the share of a power's years that bring a decision beyond the budget
  sliders (a pending dilemma or an agreement offered to it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.ai.personas import SPREAD, Persona
from game.engine import COMPONENTS, GameState, Report, World
from game.engine.world import N

F = NDArray[np.float64]
I_ = NDArray[np.int64]

# Thresholds of the crisis rates (issue 11): the party-state's legitimacy crisis, mass protest at
# the Chenoweth share, and a democracy polarised past half of its society.
LEGITIMACY_CRISIS = 40.0
POLARISED = 0.5
UPSET = 0.15  # the underdog should still win at least this share of a matchup's games

TARGETS = {
    "strategy_share": "the matchup explains at least 50% of the margin's variance",
    "upsets": "in at least 75% of matchups the underdog wins at least 15% of the games",
    "live_paths": "each score component decides at least 10% of won games",
    "open_leans": "every swing region's final lean differs from its start in at least 20% of games",
    "open_standards": "in at least four regions the adopted standard changes in at least 10% of games",
    "crises": "a collapse, legitimacy crisis or mass protest in 2-25% of persona games, "
              "more often for the reckless course than the prudent one",
    "elections": "democratic incumbents win 45-75% of elections",
    "decisions": "a decision beyond the budget sliders in at least 60% of a power's years",
}


def lean_of(state: GameState) -> I_:
    """(B, R) the doctrine index (into `doctrines(world)`) each region's alignment favours."""
    w = state.world
    names = doctrines(w)
    by = np.zeros((state.batch, w.n_regions, len(names)))
    for p, d in enumerate(w.doctrine_of):
        by[:, :, names.index(d)] += state.alignment[:, :, p]
    return by.argmax(axis=2).astype(np.int64)


def standard_of(state: GameState) -> I_:
    """(B, R) the power whose standard most of each region has adopted; P when most use none."""
    adopt = state.adoption  # (B, R, P)
    other = np.clip(1 - adopt.sum(axis=2, keepdims=True), 0, 1)
    return np.concatenate([adopt, other], axis=2).argmax(axis=2).astype(np.int64)


def doctrines(w: World) -> list[str]:
    return sorted(set(w.doctrine_of))


def margin_of(w: World, scores: NDArray[Any]) -> F:
    """(B,) the digital-Leninist side's best score minus the best rival's (the first power's side
    when no power is digital-Leninist)."""
    side = np.array([d == "digital_leninist" for d in w.doctrine_of])
    if not side.any() or side.all():
        side = np.arange(w.n_powers) == 0
    s = scores.astype(np.float64)
    return np.asarray(s[:, side].max(axis=1) - s[:, ~side].max(axis=1), dtype=np.float64)


@dataclass
class Trace:
    """What the depth report needs of each game of a batch, besides its final scores."""

    luck: I_  # (B,) index of the game's luck: the same number in every matchup
    lean_start: I_  # (B, R)
    lean_end: I_
    standard_start: I_
    standard_end: I_
    min_legitimacy: F  # (B, P) lowest legitimacy over the game
    max_protest: F  # (B, P)
    max_polarisation: F  # (B, P)
    crashes: I_  # (B, P) financial crashes
    collapsed: NDArray[np.bool_]  # (B, P)
    elections_won: I_  # (B, P)
    elections_lost: I_
    decision_years: I_  # (B, P) years that brought a dilemma or an agreement offer
    years: I_  # (B, P) years played

    @staticmethod
    def concat(traces: list[Trace]) -> Trace:
        return Trace(**{k: np.concatenate([getattr(t, k) for t in traces])
                        for k in Trace.__dataclass_fields__})


class Tracer:
    """Watches a batch being played (`watch` after every resolution) and keeps its `Trace`."""

    def __init__(self, luck: I_) -> None:
        self.luck = luck
        self.started = False

    def _start(self, start: GameState) -> None:
        B, P = start.batch, start.world.n_powers
        self.started = True
        self.lean_start, self.standard_start = lean_of(start), standard_of(start)
        nat = start.nat
        self.min_legitimacy = nat[N.LEGITIMACY].astype(np.float64)
        self.max_protest = nat[N.PROTEST].astype(np.float64)
        self.max_polarisation = nat[N.POLARISATION].astype(np.float64)
        self.crashes = np.zeros((B, P), np.int64)
        self.won = np.zeros((B, P), np.int64)
        self.lost = np.zeros((B, P), np.int64)
        self.decision_years = np.zeros((B, P), np.int64)
        self.years = np.zeros((B, P), np.int64)

    def watch(self, before: GameState, after: GameState, report: Report) -> None:
        if not self.started:
            self._start(before)
        live = np.repeat(~before.over, before.world.n_powers).reshape(before.batch, -1)
        offered = before.proposal.any(axis=(1, 2))  # (B, P): offers to each power (column)
        asked = (before.pending >= 0) | offered
        self.decision_years += asked & live
        self.years += live
        nat = after.nat
        np.minimum(self.min_legitimacy, np.where(live, nat[N.LEGITIMACY], np.inf), out=self.min_legitimacy)
        np.maximum(self.max_protest, np.where(live, nat[N.PROTEST], 0), out=self.max_protest)
        np.maximum(self.max_polarisation, np.where(live, nat[N.POLARISATION], 0), out=self.max_polarisation)
        self.crashes += report.crash & live
        self.won += (report.election == 1) & live
        self.lost += (report.election == 2) & live

    def trace(self, end: GameState) -> Trace:
        if not self.started:
            self._start(end)
        return Trace(luck=self.luck, lean_start=self.lean_start, lean_end=lean_of(end),
                     standard_start=self.standard_start, standard_end=standard_of(end),
                     min_legitimacy=self.min_legitimacy, max_protest=self.max_protest,
                     max_polarisation=self.max_polarisation, crashes=self.crashes,
                     collapsed=end.collapsed.copy(), elections_won=self.won, elections_lost=self.lost,
                     decision_years=self.decision_years, years=self.years)


# ---------------------------------------------------------------- the figures

def variance_shares(margin: F, matchup: I_, luck: I_) -> dict[str, float]:
    """Two-way decomposition of the margin's sum of squares: between matchups (strategy), between
    luck draws common to all matchups (luck), and what is left (their interaction)."""
    if margin.size < 2:
        return {"strategy": 0.0, "common_luck": 0.0, "interaction": 0.0}
    total = float(((margin - margin.mean()) ** 2).sum())
    if total <= 0:
        return {"strategy": 0.0, "common_luck": 0.0, "interaction": 0.0}

    def between(groups: I_) -> float:
        _, inv, counts = np.unique(groups, return_inverse=True, return_counts=True)
        means = np.bincount(inv, weights=margin) / counts
        return float((counts * (means - margin.mean()) ** 2).sum())

    s, u = between(matchup) / total, between(luck) / total
    return {"strategy": s, "common_luck": u, "interaction": max(0.0, 1 - s - u)}


def upsets(margin: F, matchup: I_, draw: float) -> dict[str, Any]:
    """Per matchup, the share of games its underdog side wins; how many matchups keep it >= 15%."""
    rows = []
    for m in np.unique(matchup):
        x = margin[matchup == m]
        a, b = float((x > draw).mean()), float((x < -draw).mean())
        rows.append(min(a, b))
    share = float(np.mean([r >= UPSET for r in rows])) if rows else 0.0
    return {"share_of_matchups": share, "underdog_win_rates": rows,
            "median_underdog": float(np.median(rows)) if rows else 0.0}


def regions_open(w: World, t: Trace) -> dict[str, dict[str, float]]:
    return {rid: {"lean": float((t.lean_end[:, r] != t.lean_start[:, r]).mean()),
                  "standard": float((t.standard_end[:, r] != t.standard_start[:, r]).mean())}
            for r, rid in enumerate(w.region_ids)}


def crisis_rates(w: World, t: Trace, powers: list[int] | None = None) -> dict[str, float]:
    """Shares of games (or of the listed powers' games) with each kind of crisis."""
    sel = list(range(w.n_powers)) if powers is None else powers
    lenin = [p for p in sel if w.doctrine_of[p] == "digital_leninist"]
    demo = [p for p in sel if w.doctrine_of[p] != "digital_leninist"]
    n = t.luck.size

    def anyof(x: NDArray[np.bool_], cols: list[int]) -> NDArray[np.bool_]:
        return np.asarray(x[:, cols].any(axis=1) if cols else np.zeros(n, bool), dtype=bool)

    collapse = anyof(t.collapsed, sel)
    legit = anyof(t.min_legitimacy < LEGITIMACY_CRISIS, lenin)
    protest = anyof(t.max_protest > w.coef["protest"]["chenoweth"], sel)
    out = {"collapse": collapse, "legitimacy_below_40": legit, "protest_above_chenoweth": protest,
           "crisis": collapse | legit | protest,
           "financial_crash": anyof(t.crashes > 0, sel),
           "polarised_democracy": anyof(t.max_polarisation > POLARISED, demo)}
    return {k: float(v.mean()) if n else 0.0 for k, v in out.items()}


def elections(t: Trace) -> dict[str, float]:
    """The incumbent's share of elections, and the share of games with an election in which no
    incumbent lost any (the two are easily confused: 56% a time is 10% four times running)."""
    won, lost = int(t.elections_won.sum()), int(t.elections_lost.sum())
    voted = t.elections_won.sum(axis=1) + t.elections_lost.sum(axis=1) > 0
    clean = voted & (t.elections_lost.sum(axis=1) == 0)
    return {"won": won, "lost": lost, "incumbent_win_rate": won / max(won + lost, 1),
            "games_no_incumbent_lost": float(clean.sum() / max(voted.sum(), 1))}


def decisions(w: World, t: Trace) -> dict[str, Any]:
    per = {pid: float(t.decision_years[:, p].sum() / max(t.years[:, p].sum(), 1))
           for p, pid in enumerate(w.power_ids)}
    return {"share_of_years": float(t.decision_years.sum() / max(t.years.sum(), 1)), "by_power": per}


def analyse(w: World, scores: NDArray[Any], matchup: I_, victory_type: I_, t: Trace,
            courses: dict[str, Any] | None = None, levers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every depth figure of a traced tournament, JSON-ready, with each target's verdict."""
    draw = w.scenario.rules.victory.draw_margin
    margin = margin_of(w, scores)
    shares = variance_shares(margin, matchup, t.luck)
    up = upsets(margin, matchup, draw)
    vt = np.bincount(victory_type[victory_type >= 0], minlength=len(COMPONENTS)).astype(float)
    paths = {c: float(vt[i] / max(vt.sum(), 1)) for i, c in enumerate(COMPONENTS)}
    reg = regions_open(w, t)
    crisis = crisis_rates(w, t)
    el = elections(t)
    dec = decisions(w, t)
    met = {
        "strategy_share": shares["strategy"] >= 0.5,
        "upsets": up["share_of_matchups"] >= 0.75,
        "live_paths": min(paths.values()) >= 0.10,
        "open_leans": min(r["lean"] for r in reg.values()) >= 0.20,
        "open_standards": sum(r["standard"] >= 0.10 for r in reg.values()) >= 4,
        "crises": 0.02 <= crisis["crisis"] <= 0.25 and courses is not None and
        all(c["reckless"]["crisis"] > c["prudent"]["crisis"] for c in courses["by_power"].values()),
        "elections": (0.45 <= el["incumbent_win_rate"] <= 0.75) if el["won"] + el["lost"] else False,
        "decisions": dec["share_of_years"] >= 0.60,
    }
    if levers:
        met["levers"] = levers["every_lever_matters"]
    return {"margin": {"mean": float(margin.mean()), "sd": float(margin.std())},
            "variance_shares": shares, "upsets": up, "live_paths": paths, "regions": reg,
            "crises": crisis, "courses": courses, "elections": el, "decisions": dec, "levers": levers,
            "targets": {k: {"met": bool(v), "target": TARGETS.get(k, "")} for k, v in met.items()}}


# ---------------------------------------------------------------- reckless and prudent courses

COURSES: dict[str, Persona] = {
    "reckless": Persona(
        name="reckless",
        summary="Everything at once and no brakes: loose credit, the most planning the doctrine "
                "allows, a data-sharing mandate, firewalled technology, broad export controls, and "
                "the budget on control and champions instead of services.",
        channels={"surveillance": 4.0, "censorship": 4.0, "data_hub": 2.0, "champion": 2.0, "coverage": 1.0},
        policies={"credit_stance": ("loose",), "planning_share": ("cybernetic",),
                  "data_governance": ("mandate",), "foreign_tech_access": ("firewalled",),
                  "tech_export_controls": ("broad",)},
        capital_reserve=0.0, adaptive=False),
    "prudent": Persona(
        name="prudent",
        summary="Steady hands: a spread budget with public services, cyber and election "
                "security and privacy, neutral credit tightened when a bubble builds, balanced data "
                "rules, open technology and no export controls.",
        channels={**SPREAD, "services": 2.5, "cyber": 2.0, "privacy": 1.5, "coverage": 1.5, "ai": 1.5},
        policies={"credit_stance": ("neutral",), "planning_share": ("guided",),
                  "data_governance": ("balanced",), "foreign_tech_access": ("open",),
                  "tech_export_controls": ("none",)},
        adaptive=True),
}


@dataclass(frozen=True)
class CourseTask:
    scenario: str
    course: str
    power: int
    rival: str  # the persona every other power plays
    games: int
    seed: int
    history: int | None = None  # history mode up to this year, None: off


def play_course(task: CourseTask) -> Trace:
    """One power on a course against rivals of one persona; the luck depends on the seed only, so
    the reckless and the prudent course meet the same draws."""
    from game.ai.difficulty import make_player
    from game.ai.search import PersonaPlayer
    from game.lab.tournament import play_mixed, world_for
    w = world_for(task.scenario, history=task.history)
    seats = np.ones((task.games, w.n_powers), np.int64)
    seats[:, task.power] = 0
    tracer = Tracer(np.arange(task.games))
    state, _ = play_mixed(w, [PersonaPlayer(COURSES[task.course]), make_player(task.rival)], seats,
                          (task.seed, 7919), watch=tracer.watch)
    return tracer.trace(state)


def run_courses(scenario: str, rivals: list[str], games: int, seed: int,
                workers: int | None = None, history: int | None = None) -> dict[str, Any]:
    """Crisis rates of each power on the reckless and on the prudent course, `games` games against
    each rival persona (in history mode up to the year `history`, if given)."""
    from game.lab.runner import run_tasks
    from game.lab.tournament import world_for
    w = world_for(scenario, history=history)
    tasks = [CourseTask(scenario, c, p, r, games, seed, history)
             for c in COURSES for p in range(w.n_powers) for r in rivals]
    run = run_tasks(play_course, tasks, workers=workers)
    runs: dict[str, dict[int, list[Trace]]] = {}
    for i, t in enumerate(tasks):
        if i in run.results:
            runs.setdefault(t.course, {}).setdefault(t.power, []).append(run.results[i])
    by_power = {w.power_ids[p]: {c: crisis_rates(w, Trace.concat(runs[c][p]), [p]) for c in runs}
                for p in range(w.n_powers) if all(p in runs[c] for c in runs)}
    return {"courses": {c: COURSES[c].summary for c in runs}, "rivals": rivals,
            "games": games, "by_power": by_power}


# ---------------------------------------------------------------- Markdown

def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def markdown(d: dict[str, Any]) -> list[str]:
    """The depth section of the balance report."""
    tg = d["targets"]

    def ok(key: str) -> str:
        return "met" if tg[key]["met"] else "**NOT met**"

    vs, up = d["variance_shares"], d["upsets"]
    lines = ["## Depth: do decisions matter?", "",
             "The final score margin is the digital-Leninist power's score minus the best rival's. "
             "Every matchup meets the same luck (game k of chunk c draws the same numbers in every "
             "matchup), so its variance splits into the matchup (strategy), the luck common to all "
             "matchups, and their interaction.", "",
             "| figure | value | target | verdict |", "|---|---:|---|---|",
             f"| strategy share (between-matchup variance of the margin / total) | {_pct(vs['strategy'])} | "
             f">= 50% | {ok('strategy_share')} |",
             f"| common-luck share (between-luck-draw variance / total) | {_pct(vs['common_luck'])} | - | - |",
             f"| matchups whose underdog wins >= 15% of games | {_pct(up['share_of_matchups'])} "
             f"(median underdog {_pct(up['median_underdog'])}) | >= 75% | {ok('upsets')} |",
             "| won games decided by productivity / stability / adoption / standards | "
             + " / ".join(_pct(v) for v in d["live_paths"].values()) + f" | each >= 10% | {ok('live_paths')} |",
             f"| incumbent wins of democratic elections | {_pct(d['elections']['incumbent_win_rate'])} "
             f"of {d['elections']['won'] + d['elections']['lost']} (games in which no incumbent lost: "
             f"{_pct(d['elections']['games_no_incumbent_lost'])}) | 45-75% | {ok('elections')} |",
             f"| a power's years with a decision beyond the sliders (dilemma or agreement offer) | "
             f"{_pct(d['decisions']['share_of_years'])} ("
             + ", ".join(f"{k} {_pct(v)}" for k, v in d["decisions"]["by_power"].items())
             + f") | >= 60% | {ok('decisions')} |", "",
             "### Open regions", "",
             "Share of games in which a swing region's final lean (the doctrine its alignment favours) "
             f"and its standard (the network most of it uses) differ from the start. Leans: {ok('open_leans')} "
             f"(each >= 20%); standards: {ok('open_standards')} (>= 10% in four regions).", "",
             "| region | lean changed | standard changed |", "|---|---:|---:|"]
    lines += [f"| {rid} | {_pct(r['lean'])} | {_pct(r['standard'])} |" for rid, r in d["regions"].items()]
    c = d["crises"]
    lines += ["", "### Crises", "",
              f"Share of persona games with each crisis (target: a collapse, a legitimacy crisis or mass "
              f"protest in 2-25% of games, more often for a reckless than a prudent course: {ok('crises')}). "
              f"Legitimacy crisis: the party-state below {LEGITIMACY_CRISIS:.0f}; mass protest: above the "
              f"Chenoweth share; polarised: a democracy's polarisation above {POLARISED}.", "",
              "| games | collapse | legitimacy < 40 | protest > 3.5% | any of these | financial crash "
              "| polarised democracy |",
              "|---|---:|---:|---:|---:|---:|---:|",
              "| persona round robin | " + " | ".join(_pct(c[k]) for k in (
                  "collapse", "legitimacy_below_40", "protest_above_chenoweth", "crisis", "financial_crash",
                  "polarised_democracy")) + " |"]
    if d.get("courses"):
        for pid, by in d["courses"]["by_power"].items():
            for course, r in by.items():
                lines.append(f"| {pid} on the {course} course (own crises) | " + " | ".join(_pct(r[k]) for k in (
                    "collapse", "legitimacy_below_40", "protest_above_chenoweth", "crisis", "financial_crash",
                    "polarised_democracy")) + " |")
        lines += ["", *[f"- *{k}*: {v}" for k, v in d["courses"]["courses"].items()]]
    if d.get("levers"):
        from game.lab import levers
        lines += ["", *levers.markdown(d["levers"])]
    return [*lines, ""]
