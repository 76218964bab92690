"""The probes of a curious class, against a real host on loopback; prints one JSON line.

    python -m game.bench.probe [--seconds 20] [--fuzz 10000] [--sockets 3000]

- guessing: one client sends wrong join codes as fast as the host answers, for `--seconds`; the
  figure is the codes the host actually compared (`checked`, the ones that could have hit) a
  second, and the chance that this rate finds one of 7 team codes in a 90-minute lesson;
- fuzz: `--fuzz` malformed messages (junk, deep nesting, NaN, huge numbers, random JSON) from one
  joined and one stranger's connection: how many were answered, how many tracebacks were logged;
- sockets: `--sockets` idle connections at once: how many the host held, and the log lines.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import socket
import time
from typing import Any

import aiohttp

from game.classroom.guard import LOCKOUT_MAX, guess_odds
from game.classroom.hub import Hub
from game.classroom.server import Background, Server
from game.classroom.session import ClassSession

LESSON = 90 * 60


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines = self.tracebacks = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.lines += 1
        self.tracebacks += record.exc_info is not None


async def _guess(url: str, seconds: float) -> int:
    sent = 0
    async with aiohttp.ClientSession() as http, http.ws_connect(url + "ws") as ws:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            await ws.send_str(json.dumps({"type": "join", "code": f"{random.randrange(32 ** 6):06X}"[:6],
                                          "device": "probe"}))
            await ws.receive(timeout=5)
            sent += 1
    return sent


def _fuzz_message(rng: random.Random) -> str:
    kind = rng.randrange(8)
    if kind == 0:
        return "".join(chr(rng.randrange(32, 127)) for _ in range(rng.randrange(1, 60)))
    if kind == 1:
        d = rng.randrange(1, 3000)
        return "[" * d + "]" * d
    if kind == 2:
        number = rng.choice(["NaN", "Infinity", "-Infinity", "1e999", "9" * 400, "-0", "1e-999"])
        return '{"type":"draft","orders":{"budget":{"ai_research":%s}},"seq":1}' % number  # noqa: UP031
    if kind == 3:
        return json.dumps({"type": rng.choice(["join", "draft", "submit", "control", "ping", "project", "x"]),
                           "orders": rng.choice([None, 1, "x", [], {"budget": {"ai_research": rng.random()}}]),
                           "action": rng.choice(["pause", "time", "news", "move", "boom"]),
                           "seconds": rng.choice([1, "x", None, 10 ** 6]), "seq": rng.randrange(100)})
    if kind == 4:
        return json.dumps([rng.random() for _ in range(rng.randrange(50))])
    if kind == 5:
        return "x" * rng.choice([10, 20_000, 40_000])
    if kind == 6:
        return '{"type":"join","code":' + json.dumps(rng.choice([None, 1, [], "A" * 50])) + "}"
    return json.dumps({"type": "draft", "orders": {"budget": {str(rng.random()): rng.random()}}})


async def _fuzz(url: str, code: str, n: int) -> dict[str, int]:
    rng = random.Random(14)
    answered = dropped = 0
    async with aiohttp.ClientSession() as http:
        for who in ("team", "stranger"):
            async with http.ws_connect(url + "ws", max_msg_size=0) as ws:
                if who == "team":
                    await ws.send_json({"type": "join", "code": code, "device": "fuzz"})
                    await ws.receive(timeout=5)
                for _ in range(n // 2):
                    await ws.send_str(_fuzz_message(rng))
                    while True:  # the answer to this message (a draft also tells the team's other pages)
                        msg = await ws.receive(timeout=5)
                        if msg.type != aiohttp.WSMsgType.TEXT:
                            dropped += 1
                            break
                        data = json.loads(msg.data, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
                        if data.get("type") != "draft":
                            answered += 1
                            break
                    if ws.closed:
                        break
    return {"fuzz_sent": n, "fuzz_answered": answered, "fuzz_dropped": dropped}


def _sockets(port: int, n: int) -> int:
    held = []
    for _ in range(n):
        try:
            held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        except OSError:
            break
    time.sleep(1.0)
    alive = 0
    for s in held:
        s.setblocking(False)
        try:
            alive += s.recv(1) != b""
        except BlockingIOError:
            alive += 1  # still open, nothing to read: the host holds it
        except OSError:
            pass
        s.close()
    return alive


def run_probe(seconds: float = 20.0, fuzz: int = 10_000, sockets: int = 3000) -> dict[str, Any]:
    counter = _Count()
    root = logging.getLogger()
    root.addHandler(counter)
    root.setLevel(logging.INFO)
    session = ClassSession.create("classroom-short", seed=1, turn_seconds=3600)
    session.start()
    try:
        with Background(Server(Hub(session), "127.0.0.1", 0)) as server:
            url = f"http://127.0.0.1:{server.port}/"
            guard = server.hub.guard
            start = time.monotonic()
            sent = asyncio.run(_guess(url, seconds))
            took = time.monotonic() - start
            rate = guard.checked / took
            lines_guessing = counter.lines
            out: dict[str, Any] = {
                "guesses_sent_per_s": round(sent / took, 1), "guesses_checked": guard.checked,
                "guesses_checked_per_s": round(rate, 3),
                # the rate over a whole lesson is lower still: the lockout keeps doubling to LOCKOUT_MAX
                "chance_90min_at_this_rate": float(f"{1 - (1 - 7 / 32 ** 6) ** (rate * LESSON):.3g}"),
                "chance_90min_overall_limit": float(f"{guess_odds(7):.3g}"),
                "one_address_checks_90min_at_most": int(guard.free_guesses + LESSON / LOCKOUT_MAX + 8),
                "log_lines_while_guessing": lines_guessing}
            out.update(asyncio.run(_fuzz(url, session.teams["china"].code, fuzz)))
            before = counter.lines
            out["sockets_opened"] = sockets
            out["sockets_held"] = _sockets(server.port, sockets)
            out["log_lines_sockets"] = counter.lines - before
    finally:
        root.removeHandler(counter)
    out["tracebacks"] = counter.tracebacks
    out["log_lines_total"] = counter.lines
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--fuzz", type=int, default=10_000)
    parser.add_argument("--sockets", type=int, default=3000)
    args = parser.parse_args()
    print(json.dumps(run_probe(args.seconds, args.fuzz, args.sockets), sort_keys=True))


if __name__ == "__main__":
    main()
