"""Load on loopback: 30 clients (6 teams x 5 devices), 100 updates each; none lost, all see the
resolution. Response times are printed by `python -m game.bench.classroom`, not asserted."""

from __future__ import annotations

import asyncio

import pytest

from game.bench.classroom import TEAMS, run_load
from game.classroom.hub import Hub
from game.classroom.server import Background, Server
from game.classroom.session import ClassSession

pytestmark = pytest.mark.slow  # thirty clients, three thousand updates


def test_thirty_clients_lose_no_update_and_all_see_the_resolution() -> None:
    session = ClassSession.create("classroom-short", seed=1, teams=list(TEAMS), turn_seconds=3600)
    with Background(Server(Hub(session), "127.0.0.1", 0)) as server:
        figures = asyncio.run(run_load(f"http://127.0.0.1:{server.port}/", session, TEAMS, 5, 100))
    assert figures["clients"] == 30
    assert figures["updates_acked"] == figures["updates_sent"] == 3000 and figures["lost"] == 0
    assert figures["team_draft_notes_min"] == 5 * 100  # every device saw every update of its team
    assert figures["saw_resolution"] == 30
    assert session.game.year == 2018
    # the orders that resolved are the last update of the team's devices
    assert session.game.orders_log[0]["china"]["budget"] == {"ai_research": 0.1}
    assert session.turn_log[0]["regions"]["asean"] == {"china": {"data": True}, "usa": {"standards": False}}
