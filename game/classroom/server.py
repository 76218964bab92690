"""The classroom web server (aiohttp): team and facilitator pages, one WebSocket per device, and a
clock that resolves the year when everyone has submitted or time is up.

It listens on the local network address and loopback by default, never on every interface unless
asked (`--bind 0.0.0.0`). All game logic is in `Hub`; this module only moves messages.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import errno
import logging
import socket
import threading
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web
from aiohttp.http_exceptions import HttpProcessingError

from game.classroom.guard import LockedOut, Summary, WrongCode, strict_dumps
from game.classroom.hub import FACILITATOR, MAX_MESSAGE, Hub, Out

WEB = Path(__file__).resolve().parent / "web"
log = logging.getLogger("systemic.classroom")
PROJECTOR = "projector"  # the projector window's connection id in the hub
STATIC = {"app.js": "application/javascript", "style.css": "text/css", "index.html": "text/html"}


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent), or loopback."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.254.254.254", 1))
            addr = str(probe.getsockname()[0])
            return addr if not addr.startswith("127.") else "127.0.0.1"
    except OSError:
        return "127.0.0.1"


class Counted(asyncio.Protocol):
    """aiohttp's protocol for one connection, behind the guard's count: a connection over the cap
    (per address or overall) is closed at once, before it holds a file descriptor for long."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.inner: asyncio.Protocol | None = None
        self.addr = ""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername")
        self.addr = str(peer[0]) if isinstance(peer, tuple) and peer else "unknown"
        if not self.server.hub.guard.admit(self.addr):
            self.addr = ""
            assert isinstance(transport, asyncio.Transport)
            transport.abort()  # at once, without waiting to flush: the socket goes back now
            return
        assert self.server.runner is not None and self.server.runner.server is not None
        self.inner = self.server.runner.server()
        self.inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.addr:
            self.server.hub.guard.release(self.addr)
        if self.inner is not None:
            self.inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.inner is not None:
            self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received() if self.inner is not None else None

    def pause_writing(self) -> None:
        if self.inner is not None:
            self.inner.pause_writing()

    def resume_writing(self) -> None:
        if self.inner is not None:
            self.inner.resume_writing()


class _OneLine(logging.Filter):
    """aiohttp logs a malformed request with a full traceback; the host wants one line per address
    now and then (a port scanner or a student's telnet is no bug of ours)."""

    def __init__(self, summary: Summary) -> None:
        super().__init__()
        self.summary = summary

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):
            remote = record.args[0] if isinstance(record.args, tuple) and record.args else "unknown"
            self.summary.warn(str(remote), "malformed HTTP requests", str(exc.message or exc).splitlines()[0][:120])
            return False
        return True


class Server:
    def __init__(self, hub: Hub, host: str | None = None, port: int = 8765) -> None:
        self.hub = hub
        self.hosts = [host] if host else sorted({lan_address(), "127.0.0.1"})
        self.port = port
        self.lock = threading.Lock()  # the projector thread reads the session under it
        self.sockets: dict[str, web.WebSocketResponse] = {}
        self.runner: web.AppRunner | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._clock: asyncio.Task[None] | None = None
        self.error: str | None = None
        self.listeners: list[asyncio.base_events.Server] = []

    @property
    def url(self) -> str:
        host = next((h for h in self.hosts if h != "127.0.0.1"), self.hosts[0])
        return f"http://{host}:{self.port}/"

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_MESSAGE * 4)
        app.router.add_get("/", self.page)
        app.router.add_get("/ws", self.websocket)
        app.router.add_get("/static/{name}", self.static)
        app.router.add_get("/debrief", self.debrief)
        app.router.add_get("/cards", self.cards)
        app.router.add_get("/favicon.ico", self.favicon)
        return app

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.loop.set_exception_handler(self._loop_error)
        summary = self.hub.guard.summary
        assert summary is not None
        aio_log = logging.getLogger("aiohttp.server")
        if not any(isinstance(f, _OneLine) for f in aio_log.filters):
            aio_log.addFilter(_OneLine(summary))
        self.runner = web.AppRunner(self.app(), access_log=None)
        await self.runner.setup()
        for host in self.hosts:
            # our own listener rather than web.TCPSite: every connection passes the guard's count
            listener = await self.loop.create_server(lambda: Counted(self), host, self.port,
                                                     reuse_address=True, backlog=128)
            self.listeners.append(listener)
            if self.port == 0:  # tests: take the port the system gave
                self.port = listener.sockets[0].getsockname()[1]
        self._clock = asyncio.create_task(self.clock())
        log.info("serving on %s", ", ".join(f"{h}:{self.port}" for h in self.hosts))

    async def stop(self) -> None:
        if self._clock:
            self._clock.cancel()
        for listener in self.listeners:
            listener.close()
        for ws in list(self.sockets.values()):
            await ws.close()
        if self.runner:
            await self.runner.cleanup()

    def _loop_error(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """Out of file descriptors (accept() fails with EMFILE): one summarised line, not a traceback
        per attempt; asyncio itself pauses accepting for a moment. Anything else: the default."""
        exc = context.get("exception")
        if isinstance(exc, OSError) and exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
            summary = self.hub.guard.summary
            assert summary is not None
            summary.warn("everyone", "out of file descriptors",
                         f"{exc.strerror}; new connections wait ({sum(self.hub.guard.open.values())} open)",
                         logging.ERROR)
            return
        loop.default_exception_handler(context)

    def _code_team(self, request: web.Request) -> str | None:
        """The team of the `code` in a page's address, through the same guessing limits as a join."""
        code = request.query.get("code", "")[:16]
        if not code:
            return None
        try:
            return self.hub.guard.attempt(request.remote or "unknown", lambda: self.hub.session.team_of_code(code))
        except (LockedOut, WrongCode):
            return None

    # ------------------------------------------------------------------ routes
    async def page(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(WEB / "index.html", headers={"Cache-Control": "no-store"})

    async def static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in STATIC:
            raise web.HTTPNotFound()
        return web.FileResponse(WEB / name, headers={"Content-Type": STATIC[name], "Cache-Control": "no-store"})

    async def favicon(self, request: web.Request) -> web.Response:
        """No icon: an empty answer, so browsers stop asking and the log shows no 404s."""
        return web.Response(status=204, headers={"Cache-Control": "max-age=86400"})

    async def debrief(self, request: web.Request) -> web.Response:
        """The debrief as one HTML page, for the facilitator's code only."""
        with self.lock:
            team = self._code_team(request)
        if team != FACILITATOR:
            raise web.HTTPForbidden(text="the debrief needs the facilitator code")
        from game.classroom.debrief import debrief_html
        with self.lock:
            html = debrief_html(self.hub.session.to_save(), self.hub.session.game)
        return web.Response(text=html, content_type="text/html")

    async def cards(self, request: web.Request) -> web.Response:
        """Printable role cards; with the facilitator code they carry each team's join code."""
        from game.classroom.debrief import role_cards_html
        s = self.hub.session
        with self.lock:
            codes = {t: v.code for t, v in s.teams.items()} if self._code_team(request) == FACILITATOR else None
            # the LAN address the banner shows; a loopback-only host leaves a line to fill in
            url = self.url if not self.url.startswith("http://127.") else None
            html = role_cards_html(s.game, codes, url)
        return web.Response(text=html, content_type="text/html")

    async def websocket(self, request: web.Request) -> web.WebSocketResponse:
        # aiohttp drops the connection over max_msg_size; up to a megabyte the hub answers instead
        # ("message too large"), and the page stays connected
        ws = web.WebSocketResponse(heartbeat=20, max_msg_size=1 << 20)
        await ws.prepare(request)
        with self.lock:
            conn = self.hub.connect(request.remote or "unknown")
        self.sockets[conn] = ws
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT or msg.type == WSMsgType.BINARY:
                    with self.lock:
                        out = self.hub.handle(conn, msg.data)
                else:
                    continue
                await self.send(out)
        finally:
            self.sockets.pop(conn, None)
            with self.lock:
                out = self.hub.disconnect(conn)
            await self.send(out)
        return ws

    async def send(self, out: Out) -> None:
        cache: dict[int, str] = {}
        for conn, message in out:
            ws = self.sockets.get(conn)
            if ws is None or ws.closed:
                continue
            text = cache.get(id(message))
            if text is None:
                try:
                    text = cache[id(message)] = strict_dumps(message)
                except ValueError:  # a NaN from somewhere: the page gets an error, never bare NaN
                    log.error("not sent to %s: a %s message holding a non-finite number", conn, message.get("type"))
                    text = cache[id(message)] = strict_dumps({"type": "error", "seq": message.get("seq"),
                                                              "message": "the host could not send this view"})
            try:
                await ws.send_str(text)
            except (ConnectionError, RuntimeError):
                log.info("lost %s while sending", conn)

    async def clock(self) -> None:
        """Resolve when due; every few seconds resend the status so countdowns stay in step."""
        beat = 0
        while True:
            await asyncio.sleep(0.25)
            beat += 1
            try:
                with self.lock:
                    out = self.hub.tick()
                    if not out and beat % 20 == 0:
                        out = self.hub._status()
                    if self.hub.session.dirty and beat % 8 == 0:  # drafts: saved every 2 s, not per keystroke
                        self.hub.session.save()
                await self.send(out)
            except Exception:  # the clock must keep running whatever one year's resolution does
                log.exception("error in the session clock")

    def steer(self, message: dict[str, Any]) -> concurrent.futures.Future[dict[str, Any]] | None:
        """A facilitator action from the projector window (another thread): the same `control`
        message the facilitator page sends, handled on the server's loop. The future holds the
        hub's reply to the projector ({"type": "ok", ...} or {"type": "error", "message": ...})."""
        if self.loop is None:
            return None
        loop = self.loop

        async def run() -> dict[str, Any]:
            with self.lock:
                self.hub.conns.setdefault(PROJECTOR, {"team": FACILITATOR, "device": "projector"})
                out = self.hub.handle(PROJECTOR, strict_dumps({"type": "control", **message}))
            await self.send(out)
            return next((m for c, m in out if c == PROJECTOR), {"type": "ok"})
        return asyncio.run_coroutine_threadsafe(run(), loop)


def serve_forever(server: Server, ready: threading.Event | None = None,
                  stop: threading.Event | None = None) -> None:
    """Run the server's event loop in this thread until `stop` is set (or forever)."""
    async def main() -> None:
        try:
            await server.start()
        except OSError as exc:  # port taken, address not ours: reported by the caller
            server.error = f"cannot listen on {', '.join(server.hosts)} port {server.port}: {exc.strerror or exc}"
            if ready is not None:
                ready.set()
            return
        if ready is not None:
            ready.set()
        while stop is None or not stop.is_set():
            await asyncio.sleep(0.2)
        await server.stop()
    asyncio.run(main())


class Background:
    """The server running in a thread (the host with a projector window, and the tests)."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.ready, self.stopping = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=serve_forever, args=(server, self.ready, self.stopping), daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        if not self.ready.wait(15) or self.server.error:
            raise RuntimeError(self.server.error or "the classroom server did not start")
        return self.server

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join(10)
