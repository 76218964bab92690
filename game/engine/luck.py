"""Luck: every random draw of one year, per game, as an input to the turn.

A turn's chance events (crashes, technology shocks, elections, regional unrest, dilemmas, new
governments in the swing regions) read their dice from a `Luck` record instead of a Generator, so
a caller can give several rows of a batch the same luck: the search AIs copy each game K times on
the game axis, one copy per candidate plan, and every copy meets exactly the same year (common
random numbers) in one engine call. Arrays have the game axis first, so `take` picks or repeats games.

`draw` takes the numbers from the Generator in the order and shapes the mechanics used to draw
them one by one, so `resolve(state, orders, rng)` plays exactly the same games as before luck
became an input (replays and `sim --json` are unchanged).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

F32 = NDArray[np.float32]


@dataclass(frozen=True)
class Luck:
    """One year's dice for B games."""

    crash: F32  # (B, P) uniform: a financial crash happens where it falls below the crash risk
    tfp: F32  # (B, P) standard normal: technology luck, scaled by the scenario's tfp_shock
    election: F32  # (B, P) uniform: an election is won where it falls below the winning chance
    unrest: F32  # (B, R) standard normal: regional unrest noise
    dilemma: F32  # (B, 3, P) uniform: whether a power draws a dilemma, which one, and its acceptance
    turnover: F32  # (B, 2, R) uniform: whether a swing region's government changes, and the patron its successor picks

    @staticmethod
    def draw(rng: np.random.Generator, batch: int, powers: int, regions: int) -> Luck:
        """A year's luck for `batch` games from the Generator (see the module note on order)."""
        crash = rng.random((batch, powers), dtype=np.float32)
        tfp = rng.standard_normal((batch, powers), dtype=np.float32)
        election = rng.random((batch, powers), dtype=np.float32)
        unrest = rng.standard_normal((regions, batch), dtype=np.float32).T
        dilemma = rng.random((3, batch, powers), dtype=np.float32).transpose(1, 0, 2)
        turnover = rng.random((2, batch, regions), dtype=np.float32).transpose(1, 0, 2)
        return Luck(crash=crash, tfp=tfp, election=election, unrest=unrest, dilemma=dilemma, turnover=turnover)

    @property
    def batch(self) -> int:
        return int(self.crash.shape[0])

    def take(self, games: NDArray[np.int64]) -> Luck:
        """The luck of the listed games, in that order (a game listed twice meets the same luck twice)."""
        picked: dict[str, Any] = {f.name: getattr(self, f.name)[games] for f in fields(self)}
        return Luck(**picked)

    @staticmethod
    def join(parts: list[Luck]) -> Luck:
        """The luck of several batches, one after another on the game axis."""
        joined: dict[str, Any] = {f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Luck)}
        return Luck(**joined)

    def repeat(self, copies: int) -> Luck:
        """The whole batch's luck `copies` times over, copy after copy (rows k*B + b are game b)."""
        # a block copy per copy (cheaper than gathering rows), joined in each array's own layout
        # (np.tile first lays the region-major draws out game-major, at twice the cost)
        return Luck(**{f.name: np.concatenate([getattr(self, f.name)] * copies) for f in fields(self)})
