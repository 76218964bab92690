"""A host a curious class cannot guess into or knock over: join-code lockout, strict JSON, caps on
connections, quiet logs, private session files, and a first year that waits for the teacher."""

from __future__ import annotations

import json
import logging
import os
import socket
import stat
import time
from pathlib import Path
from typing import Any

import pytest

from game.classroom.guard import FREE_GUESSES, LOCKOUT_FIRST, Guard, guess_odds
from game.classroom.hub import Hub
from game.classroom.server import Background, Server
from game.classroom.session import ClassSession
from tests.conftest import FakeClock


def started(tmp_path: Path | None = None, **kw: Any) -> ClassSession:
    s = ClassSession.create("classroom-short", seed=2, path=(tmp_path / "s.json") if tmp_path else None,
                            turn_seconds=600, clock=FakeClock(), **kw)
    s.start()
    return s


def join(hub: Hub, conn: str, code: str) -> dict[str, Any]:
    out = hub.handle(conn, json.dumps({"type": "join", "code": code, "device": "d"}))
    return next(m for c, m in out if c == conn)


def wrong(code: str) -> str:
    """A code of the right shape that joins nothing."""
    return "".join("A" if ch != "A" else "B" for ch in code)


def test_guessing_locks_the_address_out_with_back_off_while_others_join(
        caplog: pytest.LogCaptureFixture) -> None:
    s = started()
    clock: FakeClock = s.clock  # type: ignore[assignment]
    hub = Hub(s)
    guesser, classmate = hub.connect("10.0.0.66"), hub.connect("10.0.0.7")
    usa = s.teams["usa"].code
    caplog.set_level(logging.INFO, "systemic.classroom")
    for _ in range(FREE_GUESSES - 1):
        assert join(hub, guesser, wrong(usa))["message"].startswith("unknown code")
    assert "wait 2 s" in join(hub, guesser, wrong(usa))["message"]  # the last free guess starts the lockout
    # while locked out even the right code is refused unread: a guess in this window cannot hit
    assert "too many wrong codes" in join(hub, guesser, usa)["message"]
    assert hub.conns[guesser] == {}
    assert join(hub, classmate, usa)["type"] == "team"  # another address is not held up
    clock.advance(LOCKOUT_FIRST)
    assert "wait 4 s" in join(hub, guesser, wrong(usa))["message"]  # each further wrong code doubles the wait
    clock.advance(3)
    assert "too many wrong codes" in join(hub, guesser, usa)["message"]
    clock.advance(1)
    assert join(hub, guesser, usa)["type"] == "team"  # the wait over, the right code joins
    # two dozen guesses, a handful of log lines: one summary per address every few seconds
    for _ in range(20):
        join(hub, guesser, wrong(usa))
    clock.advance(200)
    join(hub, guesser, wrong(usa))
    lines = [r.getMessage() for r in caplog.records if "code" in r.getMessage()]
    assert len(lines) <= 5 and "more like it" in lines[-1], lines


def test_all_addresses_together_are_held_to_the_overall_rate() -> None:
    clock = FakeClock()
    guard = Guard(clock=clock, burst=10, per_minute=6)
    for n in range(10):  # ten addresses, one wrong code each: within the burst
        with pytest.raises(ValueError, match="unknown code"):
            guard.attempt(f"10.1.0.{n}", lambda: None)
    with pytest.raises(ValueError, match="too many wrong codes: wait 10 s"):
        guard.attempt("10.1.0.99", lambda: None)
    clock.advance(10)
    with pytest.raises(ValueError, match="unknown code"):
        guard.attempt("10.1.0.99", lambda: None)


@pytest.mark.parametrize("addresses", [1, 1000])
def test_the_chance_of_guessing_a_code_in_a_lesson_is_under_a_thousandth(addresses: int) -> None:
    """Guess as fast as the guard ever lets a client (from one address or a thousand), for 90
    minutes on the fake clock; count the codes actually compared and turn them into odds."""
    clock = FakeClock()
    guard = Guard(clock=clock)
    end, n = clock.now + 90 * 60, 0
    while clock.now < end:
        addr = f"10.2.{n % addresses // 250}.{n % addresses % 250}"
        wait = guard.wait(addr)
        if wait > 0:  # the earliest moment this address may guess again (or, with many, the next may)
            clock.advance(wait if addresses == 1 else min(wait, 1.0))
            n += addresses > 1
            continue
        with pytest.raises(ValueError):
            guard.attempt(addr, lambda: None)
        n += 1
    odds = 1 - (1 - 7 / 32 ** 6) ** guard.checked
    assert odds < 0.001, (guard.checked, odds)
    assert guess_odds(7) < 0.001 and guess_odds(1, length=10) < 1e-9  # the facilitator's code


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "9" * 400])
def test_numbers_json_cannot_carry_are_refused_and_everything_written_stays_strict(
        tmp_path: Path, number: str) -> None:
    s = started(tmp_path)
    hub = Hub(s)
    china = hub.connect()
    join(hub, china, s.teams["china"].code)
    before = hub.view_for(china)["draft"]
    out = hub.handle(china, '{"type":"draft","orders":{"budget":{"ai_research":N}},"seq":7}'.replace("N", number))
    assert out == [(china, {"type": "error", "seq": None, "message": out[0][1]["message"]})]  # unreadable: no seq
    assert "number" in out[0][1]["message"] or "range" in out[0][1]["message"]
    assert hub.view_for(china)["draft"] == before and conn_alive(hub, china)
    s.save()

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} written to the session file")
    json.loads((tmp_path / "s.json").read_text(), parse_constant=refuse)
    json.dumps(hub.view_for(china), allow_nan=False)


def conn_alive(hub: Hub, conn: str) -> bool:
    return hub.handle(conn, '{"type":"ping","seq":1}') == [(conn, {"type": "pong", "seq": 1})]


def test_the_two_messages_that_crashed_the_handler_get_an_error_answer() -> None:
    s = started()
    hub = Hub(s)
    stranger, china = hub.connect(), hub.connect()
    deep = "[" * 5000 + "]" * 5000
    assert "nested too deeply" in hub.handle(stranger, deep)[0][1]["message"]
    join(hub, china, s.teams["china"].code)
    big = '{"type":"draft","orders":{"budget":{"ai_research":%s}}}' % ("9" * 400)
    assert hub.handle(china, big)[0][1]["type"] == "error"
    assert conn_alive(hub, stranger) and conn_alive(hub, china)


def test_session_file_is_private_debrief_is_not_and_crash_leftovers_go(tmp_path: Path) -> None:
    from game.classroom.debrief import write_debrief
    s = started(tmp_path)
    s.save()
    assert stat.S_IMODE(os.stat(tmp_path / "s.json").st_mode) == 0o600
    html = write_debrief(s.to_save(), tmp_path / "out", game=s.game)
    assert stat.S_IMODE(os.stat(html).st_mode) & 0o044 == 0o044  # readable by the class
    leftover = tmp_path / ".s.json.abc123.tmp"
    leftover.write_text("{half a sa")
    other = tmp_path / "notes.tmp"
    other.write_text("mine")
    ClassSession.load(tmp_path / "s.json")
    assert not leftover.exists() and other.exists()


def test_region_news_keeps_its_order_after_a_resume(tmp_path: Path) -> None:
    s = started(tmp_path, teams=["china", "usa", "eu", "asean"])
    hub = Hub(s)
    asean = hub.connect()
    join(hub, asean, s.teams["asean"].code)
    # the page's order (usa before china, data before standards) is not the save's sorted order
    hub.handle(asean, json.dumps({"type": "draft", "orders": {"usa": {"data": False, "standards": True},
                                                              "china": {"infrastructure": True}}}))
    hub.handle(asean, json.dumps({"type": "submit"}))
    live = ClassSession.load(tmp_path / "s.json", clock=FakeClock())
    live.start()
    s.resolve()
    live.resolve()
    assert [n["text"] for n in s.news] == [n["text"] for n in live.news]
    assert s.news[0]["text"].startswith("ASEAN: accepts China")


def test_the_first_year_waits_for_the_facilitators_start() -> None:
    s = ClassSession.create("classroom-short", seed=2, turn_seconds=120, clock=FakeClock())
    clock: FakeClock = s.clock  # type: ignore[assignment]
    hub = Hub(s)
    fac = hub.connect()
    assert join(hub, fac, s.facilitator_code)["public"]["started"] is False
    clock.advance(600)
    assert s.time_left() == 120 and not s.due() and not hub.tick()
    reply = hub.handle(fac, json.dumps({"type": "control", "action": "start", "seq": 1}))[0][1]
    assert reply["type"] == "ok" and "started" in reply["message"]
    clock.advance(100)
    assert s.time_left() == pytest.approx(20)
    clock.advance(21)
    assert s.due() and hub.tick() and s.game.year == 2018


# ------------------------------------------------------------------ over the network
@pytest.fixture()
def small_host(tmp_path: Path) -> Any:
    s = started(tmp_path, teams=["china", "usa"])
    with Background(Server(Hub(s, Guard(per_address=3, overall=5)), "127.0.0.1", 0)) as server:
        yield server


def _open(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    return sock


def _closed_by_host(sock: socket.socket) -> bool:
    try:
        sock.sendall(b"GET /favicon.ico HTTP/1.1\r\nHost: x\r\n\r\n")
        return sock.recv(100) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True


def test_connections_are_capped_per_address_and_the_host_keeps_serving(small_host: Server) -> None:
    socks = [_open(small_host.port) for _ in range(3)]
    extra = _open(small_host.port)
    try:
        assert _closed_by_host(extra)
        assert all(not _closed_by_host(s) for s in socks)  # the first three are served
    finally:
        for s in [*socks, extra]:
            s.close()
    deadline = time.monotonic() + 5
    while small_host.hub.guard.open and time.monotonic() < deadline:
        time.sleep(0.02)  # the server thread counts the closes
    assert not small_host.hub.guard.open
    fresh_sock = _open(small_host.port)
    try:
        assert not _closed_by_host(fresh_sock)  # closing gives the places back
    finally:
        fresh_sock.close()


def test_a_malformed_request_line_is_one_log_line_not_a_traceback(
        small_host: Server, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for line in (b"\x16\x03\x01 NOT HTTP AT ALL", b"GET /\x00bad HTTP/1.1", b"GET / HTTP/1.1 extra words",
                 b"HELLO", b"GET / HTTP/1.1\r\nHost x"):
        with _open(small_host.port) as sock:
            sock.sendall(line + b"\r\n\r\n")
            assert b" 400 " in sock.recv(200).split(b"\r\n")[0]
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)
    assert 1 <= sum("malformed HTTP" in r.getMessage() for r in caplog.records) <= 2  # one, and one summary


def test_a_large_message_is_answered_and_the_page_stays_connected(small_host: Server) -> None:
    import asyncio

    import aiohttp

    async def talk() -> list[dict[str, Any]]:
        async with aiohttp.ClientSession() as http, http.ws_connect(
                f"http://127.0.0.1:{small_host.port}/ws") as ws:
            await ws.send_str("x" * 40_000)
            first = await ws.receive_json(timeout=5)
            await ws.send_bytes(b"{" * 40_000)
            second = await ws.receive_json(timeout=5)
            await ws.send_json({"type": "ping", "seq": 3})
            return [first, second, await ws.receive_json(timeout=5)]
    first, second, pong = asyncio.run(talk())
    assert "too large" in first["message"] and "too large" in second["message"]
    assert pong == {"type": "pong", "seq": 3}
