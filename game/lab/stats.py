"""Statistics of the balance lab: Wilson intervals, binomial tests, Bradley-Terry ratings and the
meta-game equilibrium over personas. Pure functions of counts; numpy and scipy only."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

F = NDArray[np.float64]


def wilson(successes: float, n: float, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score 95% interval for a proportion (better than the normal one near 0 and 1)."""
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, centre - half), min(1.0, centre + half))


def binomial_greater(successes: int, n: int, fair: float) -> float:
    """One-tailed p-value of seeing at least `successes` wins in `n` games at a fair share
    (Unciv's simulation reports the same test)."""
    if n <= 0:
        return 1.0
    from scipy.stats import binomtest
    return float(binomtest(int(successes), int(n), fair, alternative="greater").pvalue)


def bradley_terry(wins: F, iterations: int = 500) -> F:
    """Bradley-Terry strengths from a matrix wins[i, j] = (draws counting half) wins of i over j,
    by the MM algorithm (Hunter 2004); returned as Elo-scaled ratings centred on 1500."""
    k = wins.shape[0]
    games = wins + wins.T
    strength = np.ones(k)
    total = wins.sum(axis=1) + 0.5  # a half-win prior keeps unbeaten personas finite
    for _ in range(iterations):
        denom = np.array([sum(games[i, j] / (strength[i] + strength[j]) for j in range(k) if j != i)
                          for i in range(k)]) + 1.0 / (strength + 1.0)
        new = total / np.maximum(denom, 1e-12)
        new /= np.exp(np.mean(np.log(new)))
        if np.allclose(new, strength, rtol=1e-9):
            strength = new
            break
        strength = new
    return np.asarray(1500 + 400 * np.log10(strength), dtype=np.float64)


def equilibrium(rate: F) -> dict[str, Any]:
    """The symmetric meta-game over personas: a persona picks a strategy, the payoff is its win
    rate against the rival's strategy minus one half (zero-sum). Returns the maximin mixture and
    whether it is pure: a pure equilibrium means one persona is a dominant strategy."""
    from scipy.optimize import linprog
    k = rate.shape[0]
    payoff = rate - 0.5
    # maximise v subject to x' payoff[:, j] >= v for every column j, x in the simplex
    c = np.zeros(k + 1)
    c[-1] = -1.0
    a_ub = np.hstack([-payoff.T, np.ones((k, 1))])
    b_ub = np.zeros(k)
    a_eq = np.hstack([np.ones((1, k)), np.zeros((1, 1))])
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0],
                  bounds=[(0, 1)] * k + [(None, None)], method="highs")
    mix = np.clip(res.x[:k], 0, 1) if res.success else np.full(k, 1.0 / k)
    mix = mix / mix.sum()
    support = [int(i) for i in np.flatnonzero(mix > 1e-3)]
    return {"mixture": mix.tolist(), "support": support, "pure": len(support) == 1,
            "value": float(res.x[-1]) if res.success else 0.0}


def dominant(rate: F, margin: float = 0.0) -> list[int]:
    """Personas that beat every other persona (win rate above one half plus `margin`)."""
    k = rate.shape[0]
    return [i for i in range(k) if k > 1 and all(rate[i, j] > 0.5 + margin for j in range(k) if j != i)]


def diversity(counts: F) -> float:
    """Normalised Shannon entropy of victory types: 0 = always the same, 1 = all equally often."""
    total = counts.sum()
    if total <= 0 or counts.size < 2:
        return 0.0
    p = counts[counts > 0] / total
    return float(-(p * np.log(p)).sum() / math.log(counts.size))


def sobol_indices(fa: F, fb: F, fab: F) -> tuple[F, F]:
    """First-order (Saltelli 2010) and total (Jansen 1999) indices from f(A), f(B) (N,) and
    f(AB_i) (k, N), where AB_i is A with column i taken from B. Outputs are centred first,
    which keeps the first-order estimator's noise down when the mean is far from zero."""
    both = np.concatenate([fa, fb])
    var = float(np.var(both))
    k = fab.shape[0]
    if fa.size < 2 or var <= 1e-12:
        return np.zeros(k), np.zeros(k)
    centre = both.mean()
    fa, fb, fab = fa - centre, fb - centre, fab - centre
    first = np.mean(fb * (fab - fa), axis=1) / var
    total = 0.5 * np.mean((fa - fab) ** 2, axis=1) / var
    return first, total
