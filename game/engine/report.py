"""The turn report: what changed and why. Every indicator's change is split into named causes
that add up exactly (a residual "limits" cause holds what bounds clipped), for the UI and debrief."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.world import World

F = NDArray[np.floating[Any]]

ELECTION = {1: "re-elected", 2: "lost the election: a new government takes office"}
# what a line of news is about; "shocks" are the kinds a turn report puts first
NEWS_KINDS = ("election", "congress", "crash", "collapse", "blocked", "decided", "dilemma", "situation", "signed",
              "declined", "region")
SHOCKS = ("election", "congress", "crash", "collapse")
CONGRESS = {1: "Party Congress: the leadership is consolidated",
            2: "Party Congress: factional struggle weakens the leadership"}


@dataclass(frozen=True)
class Report:
    world: World
    year: int  # the year the turn resolved into
    before: F  # (B, P, I)
    after: F
    causes: dict[int, dict[str, F]]
    fired: NDArray[np.int64]  # (B, P) dilemma newly pending, -1 none
    answered: NDArray[np.int64]  # (B, P) dilemma answered this turn, -1 none
    choice: NDArray[np.int64]  # (B, P) choice taken
    situations_before: NDArray[np.bool_]
    situations_after: NDArray[np.bool_]
    election: NDArray[np.int8]  # (B, P) 0 none, 1 won, 2 lost
    congress: NDArray[np.int8]  # (B, P) 0 none, 1 consolidated, 2 struggle
    crash: NDArray[np.bool_]
    collapsed: NDArray[np.bool_]  # (B, P) collapsed this turn
    signed: NDArray[np.bool_]  # (B, A, P, P)
    refused: NDArray[np.bool_]  # (B, P) policy changes refused for lack of political capital
    over: NDArray[np.bool_] | None = None  # (B,) the game ended with this turn
    offered: NDArray[np.bool_] | None = None  # (B, A, P, P) offers standing as the turn began (row to column)
    turnover: NDArray[np.int8] | None = None  # (B, R) patron of a swing region's new government, -1 none

    def explain(self, power: str, indicator: str, game: int = 0) -> list[tuple[str, float]]:
        """Causes of one indicator's change (stocks) or value (derived), largest first; they sum
        exactly to the change (or value), clipping by the indicator's bounds included."""
        w = self.world
        p, col = w.power_index(power), w.column(indicator)
        parts = {name: float(v[game, p]) for name, v in self.causes.get(col, {}).items()}
        derived = bool(w.derived_mask[col])
        target = float(self.after[game, p, col]) - (0.0 if derived else float(self.before[game, p, col]))
        rest = target - sum(parts.values())
        if abs(rest) > 1e-9:
            parts["limits and rounding"] = parts.get("limits and rounding", 0.0) + rest
        return sorted(((k, v) for k, v in parts.items() if abs(v) > 1e-12), key=lambda kv: -abs(kv[1]))

    def headlines(self, game: int = 0) -> list[str]:
        """Plain-language news of the turn for one game."""
        return [text for _, text in self.news(game)]

    def news(self, game: int = 0) -> list[tuple[str, str]]:
        """The turn's news for one game as (kind, text), kind one of NEWS_KINDS, so that readers
        sort news by what it is rather than by words in it ("Foreign election interference" is a
        dilemma, "re-elected" an election)."""
        w = self.world
        rules = w.scenario.rules
        lines: list[tuple[str, str]] = []
        for p in range(w.n_powers):
            name = w.power_names[p]
            if self.election[game, p]:
                lines.append(("election", f"{self.year}: {name} government {ELECTION[int(self.election[game, p])]}"))
            if self.congress[game, p]:
                lines.append(("congress", f"{self.year}: {name}: {CONGRESS[int(self.congress[game, p])]}"))
            if self.crash[game, p]:
                lines.append(("crash", f"{self.year}: {name}: the asset bubble bursts, a financial crash"))
            if self.collapsed[game, p]:
                lines.append(("collapse", f"{self.year}: {name}: the regime collapses under mass protest"))
            if self.refused[game, p]:
                lines.append(("blocked", f"{self.year}: {name}: policy changes blocked, not enough political capital"))
            if self.answered[game, p] >= 0:
                event = rules.events[int(self.answered[game, p])]
                choice = event.choices[int(self.choice[game, p])]
                lines.append(("decided", f"{self.year}: {name} decided '{event.name}': {choice.label}"))
            # a dilemma drawn as the game ends can never be answered: it is no news to anyone
            if self.fired[game, p] >= 0 and not (self.over is not None and self.over[game]):
                event = rules.events[int(self.fired[game, p])]
                lines.append(("dilemma", f"{self.year}: {name} faces a dilemma: {event.name}"))
            for s, sit in enumerate(rules.situations):
                was, now = self.situations_before[game, p, s], self.situations_after[game, p, s]
                if now and not was:
                    lines.append(("situation", f"{self.year}: {name}: situation begins: {sit.name}"))
                elif was and not now:
                    lines.append(("situation", f"{self.year}: {name}: situation ends: {sit.name}"))
        for a, agreement in enumerate(rules.agreements):
            P = w.n_powers
            for p in range(P):
                for q in range(p + 1, P):
                    if self.signed[game, a, p, q]:
                        lines.append(("signed", f"{self.year}: {w.power_names[p]} and {w.power_names[q]} sign: "
                                                f"{agreement.name}"))
            # an offer stands for one turn: one not signed this turn has lapsed (the partner did not
            # accept it); without this line a proposal just went quiet
            lapsed = self.lapsed(game)
            for p in range(P):
                for q in range(P):
                    if lapsed[a, p, q]:
                        lines.append(("declined", f"{self.year}: {w.power_names[q]} did not accept "
                                                  f"{w.power_names[p]}'s offer: {agreement.name} (the offer lapsed)"))
        if self.turnover is not None:
            for r, patron in enumerate(self.turnover[game]):
                if patron >= 0:
                    # regions are blocs of states: the turn is one of its larger states changing hands
                    lines.append(("region", f"{self.year}: {w.region_names[r]}: a new government in one of its "
                                            f"larger states looks to {w.power_names[int(patron)]}"))
        return lines

    def lapsed(self, game: int = 0) -> NDArray[np.bool_]:
        """(A, P, P) offers (row to column) that stood as the turn began and were not signed."""
        if self.offered is None:
            return np.zeros(self.signed.shape[1:], dtype=bool)
        return self.offered[game] & ~self.signed[game]

    def to_json(self, game: int = 0, indicators: tuple[str, ...] | None = None) -> dict[str, Any]:
        w = self.world
        chosen = indicators or w.indicator_ids
        return {
            "year": self.year,
            "news": self.headlines(game),
            "powers": {
                pid: {
                    ind: {
                        "before": round(float(self.before[game, p, w.column(ind)]), 6),
                        "after": round(float(self.after[game, p, w.column(ind)]), 6),
                        "causes": {k: round(v, 6) for k, v in self.explain(pid, ind, game)},
                    }
                    for ind in chosen
                }
                for p, pid in enumerate(w.power_ids)
            },
        }
