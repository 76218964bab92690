"""Load benchmark of the classroom server on loopback: 6 teams x 5 devices, each device sending 100
draft updates (each waits for its acknowledgement), then every team submits and every device waits
for the turn report. Prints one JSON line: response-time percentiles, updates lost, resolutions seen.

    python -m game.bench.classroom [--teams 6] [--devices 5] [--updates 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any

import aiohttp

from game.classroom.hub import Hub
from game.classroom.server import Background, Server
from game.classroom.session import ClassSession

TEAMS = ("china", "usa", "eu", "asean", "africa", "latin_america")


def _orders(team: str, kind: str, i: int) -> dict[str, Any]:
    if kind == "region":
        return {"china": {"data": i % 2 == 0}, "usa": {"standards": i % 3 == 0}}
    return {"budget": {"ai_research": round(i / 1000, 3)}}


async def _device(url: str, code: str, team: str, kind: str, name: str, updates: int, submit: bool,
                  all_joined: asyncio.Event, all_done: asyncio.Event, finished: list[str], total: int,
                  timeout: float) -> dict[str, Any]:
    latencies: list[float] = []
    acked = drafts_seen = 0
    saw_report = False
    async with aiohttp.ClientSession() as http, http.ws_connect(url + "ws") as ws:
        await ws.send_json({"type": "join", "code": code, "device": name})

        async def until(pred: Any) -> dict[str, Any]:
            nonlocal drafts_seen, saw_report
            while True:
                msg = await ws.receive_json(timeout=timeout)
                if msg["type"] == "draft":
                    drafts_seen += 1
                if msg["type"] == "team" and msg.get("report"):
                    saw_report = True
                if pred(msg):
                    return msg
        await until(lambda m: m["type"] == "team")
        finished.append(name)  # every device joins before any update, so each sees all its team's drafts
        if len(finished) == total:
            all_joined.set()
        await all_joined.wait()
        for i in range(1, updates + 1):
            start = time.perf_counter()
            await ws.send_json({"type": "draft", "orders": _orders(team, kind, i), "seq": i})
            reply = await until(lambda m, i=i: m["type"] in ("ok", "error") and m.get("seq") == i)
            latencies.append(time.perf_counter() - start)
            acked += reply["type"] == "ok"
        finished.append(name + " done")  # submissions wait for every device's last update, so none is refused
        if len(finished) == 2 * total:
            all_done.set()
        await all_done.wait()
        if submit:
            await ws.send_json({"type": "submit", "seq": updates + 1})
        deadline = time.monotonic() + timeout
        while not saw_report and time.monotonic() < deadline:
            await until(lambda m: m["type"] == "team" and bool(m.get("report")))
    return {"latencies": latencies, "acked": acked, "drafts_seen": drafts_seen, "saw_report": saw_report}


async def run_load(url: str, session: ClassSession, teams: tuple[str, ...] = TEAMS, devices: int = 5,
                   updates: int = 100, timeout: float = 60.0) -> dict[str, Any]:
    """Drive the server at `url` with teams x devices clients; return figures (no assertion)."""
    all_joined, all_done = asyncio.Event(), asyncio.Event()
    finished: list[str] = []
    tasks = []
    for team in teams:
        t = session.teams[team]
        for d in range(devices):
            tasks.append(_device(url, t.code, team, t.kind, f"{team}-{d}", updates, d == 0,
                                 all_joined, all_done, finished, len(teams) * devices, timeout))
    start = time.perf_counter()
    results = await asyncio.gather(*tasks)
    wall = time.perf_counter() - start
    lat = sorted(x for r in results for x in r["latencies"])
    sent = len(teams) * devices * updates

    def pct(q: float) -> float:
        return round(1000 * lat[min(len(lat) - 1, int(q * len(lat)))], 2) if lat else 0.0
    return {"clients": len(results), "updates_sent": sent, "updates_acked": sum(r["acked"] for r in results),
            "lost": sent - sum(r["acked"] for r in results),
            "team_draft_notes_min": min(r["drafts_seen"] for r in results),
            "saw_resolution": sum(r["saw_report"] for r in results),
            "p50_ms": pct(0.50), "p99_ms": pct(0.99), "max_ms": pct(1.0), "wall_s": round(wall, 2)}


def run_bench(teams: int = 6, devices: int = 5, updates: int = 100) -> dict[str, Any]:
    session = ClassSession.create("classroom-short", seed=1, teams=list(TEAMS[:teams]), turn_seconds=3600)
    with Background(Server(Hub(session), "127.0.0.1", 0)) as server:
        url = f"http://127.0.0.1:{server.port}/"
        figures = asyncio.run(run_load(url, session, TEAMS[:teams], devices, updates))
    figures["resolved_year"] = session.game.year - 1 if session.game.reports else None
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=6, choices=range(1, 7))
    parser.add_argument("--devices", type=int, default=5)
    parser.add_argument("--updates", type=int, default=100)
    args = parser.parse_args()
    print(json.dumps(run_bench(args.teams, args.devices, args.updates), sort_keys=True))


if __name__ == "__main__":
    main()
