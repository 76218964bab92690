"""Bit-for-bit fingerprint of the engine's trajectories, for refactors that must not change play.

Plays 500-game batches of each shipped two- and three-power scenario for 18 years with mixed
personas (a random seat assignment per game), once with `explain=True` and once with
`explain=False`, and hashes every state array after every turn and every array of every report
(causes included) into one JSON table of SHA-256 digests. Run it with the old tree's python and
the new tree's, then compare:

    /work/main/.venv/bin/python tests/trajectory_digest.py /tmp/old.json
    .venv/bin/python tests/trajectory_digest.py /tmp/new.json
    .venv/bin/python tests/trajectory_digest.py --compare /tmp/old.json /tmp/new.json

It uses only the engine's public API, so it runs unchanged on both sides of a refactor.

Recorded comparison (issue 12, the turn as a declared pipeline and every tuning number in the
rules): main at 91a85a6 and branch t12 both give 7,097 digests, none differing, all together
46b9b1caacfe91047ac953e530c28a94a88ce5e1ca0734b0084eea5542eee469 (numpy 2.4.6, this machine).
Any change to the rules' numbers changes this figure on purpose; it is a record, not a test.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from game.ai.difficulty import make_player
from game.ai.personas import PERSONAS
from game.ai.search import copy_rows
from game.engine import BatchOrders, build_world, new_game, resolve
from game.rules.loader import load_scenario

GAMES, YEARS = 500, 18
SCENARIOS = ("digital-leninism-2017", "transatlantic-2017")


def digest(a: Any) -> str:
    a = np.asarray(a)
    h = hashlib.sha256(f"{a.dtype.str}{a.shape}".encode())
    h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:20]


def play(scenario: str, explain: bool, out: dict[str, str]) -> None:
    world = build_world(load_scenario(scenario))
    names = sorted(PERSONAS)
    players = [make_player(n) for n in names]
    seats = np.random.default_rng(11).integers(0, len(players), size=(GAMES, world.n_powers))
    rng = np.random.default_rng(2024)
    minds = [np.random.default_rng([5, p]) for p in range(world.n_powers)]
    state = new_game(world, GAMES)
    tag = f"{scenario}/explain={explain}"
    for name, a in sorted(state.arrays().items()):
        out[f"{tag}/start/{name}"] = digest(a)
    for year in range(YEARS):
        if state.finished:
            break
        orders = BatchOrders.hold(state)
        for p in range(world.n_powers):
            for k in np.unique(seats[:, p]):
                tmp = BatchOrders.hold(state)
                players[int(k)].decide_batch(state, p, minds[p], tmp)
                copy_rows(orders, tmp, seats[:, p] == k, p)
        state, report = resolve(state, orders, rng, explain=explain)
        at = f"{tag}/{year:02d}"
        for name, a in sorted(state.arrays().items()):
            out[f"{at}/state/{name}"] = digest(a)
        for name in ("before", "after", "fired", "answered", "choice", "situations_before",
                     "situations_after", "election", "congress", "crash", "collapsed", "signed", "refused"):
            out[f"{at}/report/{name}"] = digest(getattr(report, name))
        for col, causes in sorted(report.causes.items()):
            for cause, a in sorted(causes.items()):
                out[f"{at}/cause/{world.indicator_ids[col]}/{cause}"] = digest(a)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--compare"]:
        old, new = (json.loads(Path(path).read_text()) for path in argv[1:3])
        differ = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        for k in differ[:40]:
            print(f"differs: {k}: {old.get(k)} != {new.get(k)}")
        print(f"{len(old)} digests before, {len(new)} after, {len(differ)} differ")
        return 1 if differ else 0
    out: dict[str, str] = {}
    for scenario in SCENARIOS:
        for explain in (True, False):
            play(scenario, explain, out)
    text = json.dumps(out, indent=0, sort_keys=True)
    Path(argv[0]).write_text(text)
    print(f"{len(out)} digests written to {argv[0]}; all together: {hashlib.sha256(text.encode()).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
