"""What a tournament's games say: doctrine and power win rates with intervals and tests, the
persona matrix, ratings, seat effects, outcome rates, victory types, lengths, the meta-game."""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine import COMPONENTS, OUTCOMES
from game.lab import depth, stats
from game.lab.tournament import Results

TARGET = 0.55  # DESIGN.md section 6: neither doctrine above 55% between equally strong AIs


def _rate(won: float, n: float, fair: float) -> dict[str, Any]:
    lo, hi = stats.wilson(won, n)
    return {"won": won, "n": n, "rate": won / n if n else 0.0, "wilson95": [lo, hi], "fair": fair,
            "p_above_fair": stats.binomial_greater(round(won), int(n), fair)}


def duels(r: Results, mask: np.ndarray | None = None) -> dict[str, dict[str, Any]]:
    """Doctrine against doctrine: every pair of powers of different doctrines in a game is a
    duel, won by the higher score beyond the draw margin. With one power per doctrine a duel is
    the game itself; with more, each doctrine's seats weigh equally."""
    w = r.world
    margin = w.scenario.rules.victory.draw_margin
    sel = np.ones(r.n, bool) if mask is None else mask
    doctrines = sorted(set(w.doctrine_of))
    won = {d: 0.0 for d in doctrines}
    decided = 0.0
    draws = 0.0
    for p in range(w.n_powers):
        for q in range(p + 1, w.n_powers):
            if w.doctrine_of[p] == w.doctrine_of[q]:
                continue
            diff = r.scores[sel, p].astype(float) - r.scores[sel, q]
            won[w.doctrine_of[p]] += float((diff > margin).sum())
            won[w.doctrine_of[q]] += float((diff < -margin).sum())
            decided += float((np.abs(diff) > margin).sum())
            draws += float((np.abs(diff) <= margin).sum())
    out = {d: _rate(won[d], decided, 0.5) for d in doctrines}
    for d in doctrines:
        out[d]["draws"] = draws
    return out


def outright(r: Results) -> dict[str, dict[str, Any]]:
    """Outright wins by doctrine among decided games, against the doctrine's share of seats."""
    w = r.world
    decided = r.winner >= 0
    n = int(decided.sum())
    out = {}
    for d in sorted(set(w.doctrine_of)):
        seats = [p for p in range(w.n_powers) if w.doctrine_of[p] == d]
        won = int(np.isin(r.winner[decided], seats).sum())
        out[d] = _rate(won, n, len(seats) / w.n_powers)
    return out


def persona_matrix(r: Results) -> tuple[np.ndarray, np.ndarray]:
    """(rate, games): rate[i, j] = share of i's meetings with j that i won (draws half), counting
    every pair of powers they held in the same game."""
    k = len(r.tournament.players)
    margin = r.world.scenario.rules.victory.draw_margin
    wins = np.zeros((k, k))
    games = np.zeros((k, k))
    P = r.world.n_powers
    for p in range(P):
        for q in range(P):
            if p == q:
                continue
            diff = r.scores[:, p].astype(float) - r.scores[:, q]
            score = np.where(diff > margin, 1.0, np.where(diff < -margin, 0.0, 0.5))
            np.add.at(wins, (r.seat_player[:, p], r.seat_player[:, q]), score)
            np.add.at(games, (r.seat_player[:, p], r.seat_player[:, q]), 1.0)
    rate = np.where(games > 0, wins / np.maximum(games, 1), 0.5)
    np.fill_diagonal(rate, 0.5)
    np.fill_diagonal(wins, 0.0)
    np.fill_diagonal(games, 0.0)
    return rate, wins


def mirrors(r: Results) -> dict[str, dict[str, Any]]:
    """Per player holding every seat (a mirror match): the doctrine duels, outcomes and victory
    types of those games alone. Between equally strong players the doctrine rate is the balance
    of the rules; a searcher's mirror is the hardest such test."""
    out: dict[str, dict[str, Any]] = {}
    for i, name in enumerate(r.tournament.players):
        mask = np.all(r.seat_player == i, axis=1)
        n = int(mask.sum())
        if not n:
            continue
        kinds = np.bincount(r.kind[mask], minlength=len(OUTCOMES))
        vt_all = r.victory_type[mask]
        vt = np.bincount(vt_all[vt_all >= 0], minlength=len(COMPONENTS)).astype(float)
        d = duels(r, mask)
        out[name] = {
            "games": n, "doctrine": d,
            "max_doctrine_rate": max(v["rate"] for v in d.values()),
            "outcomes": {k: float(kinds[j] / n) for j, k in enumerate(OUTCOMES)},
            "victory_types": {c: float(vt[j] / max(vt.sum(), 1)) for j, c in enumerate(COMPONENTS)},
            "victory_diversity": stats.diversity(vt),
        }
    return out


def analyse(r: Results, courses: dict[str, Any] | None = None,
            levers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every number of the balance report, JSON-ready; with the games' traces, the depth section
    (plus the reckless/prudent courses and the lever table when they were measured)."""
    w, t = r.world, r.tournament
    n = max(r.n, 1)
    players = t.players
    mirror = np.all(r.seat_player == r.seat_player[:, :1], axis=1) if r.n else np.zeros(0, bool)
    rate, wins = persona_matrix(r)
    ratings = stats.bradley_terry(wins) if len(players) > 1 else np.array([1500.0])
    eq = stats.equilibrium(rate)
    dom = stats.dominant(rate)
    kinds = np.bincount(r.kind, minlength=len(OUTCOMES))
    vt = np.bincount(r.victory_type[r.victory_type >= 0], minlength=len(COMPONENTS)).astype(float)
    lengths = np.bincount(r.length, minlength=w.n_turns + 1)
    seat = {}
    for p, pid in enumerate(w.power_ids):
        per_player = {}
        for i, name in enumerate(players):
            at = r.seat_player[:, p] == i
            per_player[name] = _rate(float((r.winner[at] == p).sum()), float(at.sum()), 1 / w.n_powers)["rate"]
        seat[pid] = {"doctrine": w.doctrine_of[p], **_rate(float((r.winner == p).sum()), float(r.n),
                                                               1 / w.n_powers), "by_player": per_player}
    doctrine = duels(r)
    mirror_duels = duels(r, mirror) if mirror.any() else {}
    worst = max(d["rate"] for d in doctrine.values()) if r.n else 0.0
    worst_mirror = max((d["rate"] for d in mirror_duels.values()), default=0.0)
    by_player = mirrors(r)
    only_mirrors = bool(r.n) and bool(mirror.all())
    if only_mirrors:  # every player met only itself: judge each mirror, there is no meta-game
        worst = max((m["max_doctrine_rate"] for m in by_player.values()), default=0.0)
    found = depth.analyse(w, r.scores, r.matchup, r.victory_type, r.trace, courses, levers) \
        if r.trace is not None and r.n else None
    # only history-mode runs carry the key, so every other report stays as it was
    history = {"history": t.history} if t.history is not None else {}
    return {
        **history,
        "depth": found,
        "scenario": t.scenario, "players": players, "seed": t.seed, "powers": list(w.power_ids),
        "doctrine_of": list(w.doctrine_of), "games": r.n, "games_planned": t.games,
        "games_requested": t.games_requested, "matchups": len(t.matchups),
        "interrupted": r.interrupted, "seconds": round(r.seconds, 2),
        "games_per_s": round(r.n / max(r.seconds, 1e-9), 1), "backend": r.backend, "workers": r.workers,
        "doctrine": doctrine, "doctrine_mirror": mirror_duels, "doctrine_outright": outright(r),
        "mirrors": by_player, "only_mirrors": only_mirrors,
        "seat": seat,
        "outcomes": {k: float(kinds[i] / n) for i, k in enumerate(OUTCOMES)},
        "timeout": float((r.length >= w.n_turns).mean()) if r.n else 0.0,
        "victory_types": {c: float(vt[i] / max(vt.sum(), 1)) for i, c in enumerate(COMPONENTS)},
        "victory_diversity": stats.diversity(vt),
        "length": {"histogram": {int(y): int(c) for y, c in enumerate(lengths) if c},
                   "mean": float(r.length.mean()) if r.n else 0.0},
        "matrix": rate.tolist(),
        "ratings": {name: float(v) for name, v in zip(players, ratings, strict=True)},
        "equilibrium": {**eq, "players": [players[i] for i in eq["support"]]},
        "dominant": [players[i] for i in dom],
        "target": {"max_doctrine_rate": worst, "max_doctrine_rate_mirror": worst_mirror,
                   "doctrine_ok": worst <= TARGET, "no_dominant_persona": not dom,
                   "met": worst <= TARGET and not dom},
    }
