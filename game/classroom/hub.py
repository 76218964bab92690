"""The message protocol between browsers and the session, with no networking in it.

A client sends JSON objects with a `type`: `join` {code, device}, `draft` {orders, seq},
`submit` {seq}, `ping`, and for the facilitator `control` {action, ...} (start, pause, resume,
time, timeup, inject, news, takeover, handback, absent, move, leave_history, end, export). `handle` returns the
messages to send as (connection, message) pairs. Anything wrong is answered with
{"type": "error", "message": ...} to the sender only, logged, and changes nothing.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from game.ai.personas import PERSONAS
from game.classroom.guard import BadMessage, Guard, parse_message
from game.classroom.session import ClassSession
from game.classroom.views import facilitator_view, projection, public_view, team_view
from game.engine import OrderError
from game.wording import Names

log = logging.getLogger("systemic.classroom")
MAX_MESSAGE = 16_384  # bytes; a full set of orders is ~1 kB
FACILITATOR = "facilitator"
PROJECT_EVERY = 1.0  # seconds between two projections of one team (32 simulated years each)
Out = list[tuple[str, dict[str, Any]]]


class Refused(ValueError):
    """A message the hub refuses; the text goes back to the sender."""


def _text(msg: dict[str, Any], key: str, default: str = "") -> str:
    """A text field of a message; Refused if it is there but not text."""
    value = msg.get(key, default)
    if not isinstance(value, str):
        raise Refused(f"'{key}' must be text")
    return value[:300]


class Hub:
    def __init__(self, session: ClassSession, guard: Guard | None = None) -> None:
        self.session = session
        self.guard = guard or Guard(clock=session.clock)
        self.addr: dict[str, str] = {}  # conn -> network address
        self.projected: dict[str, float] = {}  # team -> when it last asked for a projection
        self.conns: dict[str, dict[str, str]] = {}  # conn -> {"team", "device"} once joined
        self._ids = itertools.count(1)
        self.on_change: list[Any] = []  # callbacks (e.g. the projector redraw)
        self.exports: list[str] = []

    def connect(self, addr: str = "local") -> str:
        """A new connection from network address `addr` (the guard counts wrong codes per address)."""
        conn = f"c{next(self._ids)}"
        self.conns[conn] = {}
        self.addr[conn] = addr
        return conn

    def disconnect(self, conn: str) -> Out:
        info = self.conns.pop(conn, {})
        self.addr.pop(conn, None)
        return self._roster() if info.get("team") == FACILITATOR or info else []

    def devices(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for conn, info in self.conns.items():
            if info.get("team"):
                out.setdefault(info["team"], []).append(f"{info['device']} ({conn})")
        return out

    # ------------------------------------------------------------------ sending
    def view_for(self, conn: str) -> dict[str, Any]:
        team = self.conns[conn].get("team")
        if team == FACILITATOR:
            return {"type": "facilitator", **facilitator_view(self.session, self.devices())}
        if team:
            return {"type": "team", **team_view(self.session, team)}
        return {"type": "public", **public_view(self.session)}

    def everyone(self) -> Out:
        """Fresh views for every joined connection (after a resolution or a steer)."""
        for cb in self.on_change:
            cb()
        return [(c, self.view_for(c)) for c, info in self.conns.items() if info.get("team")]

    def _roster(self) -> Out:
        return [(c, self.view_for(c)) for c, info in self.conns.items() if info.get("team") == FACILITATOR]

    def _status(self) -> Out:
        """The public status (who has submitted, timer) to every joined page."""
        for cb in self.on_change:
            cb()
        pub = {"type": "status", **public_view(self.session)}
        out: Out = [(c, pub) for c, info in self.conns.items() if info.get("team") not in (None, FACILITATOR)]
        return out + self._roster()

    # ------------------------------------------------------------------ receiving
    def handle(self, conn: str, text: str | bytes) -> Out:
        """One message from one connection; never raises for anything a client can send, and answers
        every message it refuses with an error to the sender (the connection stays open)."""
        if conn not in self.conns:
            return []
        msg: Any = None
        try:
            msg = parse_message(text, MAX_MESSAGE)
            if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
                raise Refused("a message is a JSON object with a 'type'")
            return self._dispatch(conn, msg)
        except (Refused, BadMessage, OrderError, ValueError, TypeError, KeyError, AttributeError,
                OverflowError) as exc:
            return self._refuse(conn, msg, str(exc))
        except Exception as exc:  # a bug of ours: the sender still gets an answer, the log a traceback
            log.exception("error handling a message from %s", conn)
            return self._refuse(conn, msg, f"the host could not handle this message ({exc.__class__.__name__})")

    def _refuse(self, conn: str, msg: Any, text: str) -> Out:
        info = self.conns.get(conn, {})
        self.guard.summary.warn(self.addr.get(conn, conn), "messages refused",  # type: ignore[union-attr]
                                f"{info.get('team', 'not joined')}: {text}")
        seq = msg.get("seq") if isinstance(msg, dict) else None
        if not isinstance(seq, int | str) or isinstance(seq, bool) or len(str(seq)) > 20:
            seq = None  # echo only a plain sequence number
        return [(conn, {"type": "error", "message": text[:300], "seq": seq})]

    def _dispatch(self, conn: str, msg: dict[str, Any]) -> Out:
        kind = msg["type"]
        if kind == "ping":
            return [(conn, {"type": "pong", "seq": msg.get("seq")})]
        if kind == "join":
            return self._join(conn, msg)
        team = self.conns[conn].get("team")
        if not team:
            raise Refused("join with your team's code first")
        if kind == "control":
            if team != FACILITATOR:
                raise Refused("only the facilitator can steer the session")
            return self._control(conn, msg)
        if team == FACILITATOR:
            raise Refused("the facilitator gives no orders; use a team's code to play")
        if "team" in msg and _text(msg, "team") != team:
            raise Refused(f"you are team '{team}'; you cannot give orders for '{msg['team']}'")
        s = self.session
        device = self.conns[conn]["device"]
        if kind == "draft":
            if team in s.submitted:
                raise Refused("your orders for this year are already submitted")
            draft = s.set_draft(team, msg.get("orders"), device)
            ack = {"type": "ok", "seq": msg.get("seq")}
            note = {"type": "draft", "draft": draft, "by": device}
            return [(conn, ack)] + [(c, note) for c, i in self.conns.items() if i.get("team") == team]
        if kind == "project":
            now = self.session.clock()
            if now - self.projected.get(team, -1e9) < PROJECT_EVERY:
                raise Refused("a projection is on its way; ask again in a moment")
            self.projected[team] = now
            if s.teams[team].kind != "power":
                raise Refused("projections are for power teams")
            rows = projection(s, team, msg.get("orders"))
            return [(conn, {"type": "projection", "seq": msg.get("seq"), "rows": rows})]
        if kind == "submit":
            if team in s.submitted:
                raise Refused("your orders for this year are already submitted")
            if "orders" in msg:  # the page sends its draft with the submission: a last change is never lost
                s.set_draft(team, msg["orders"], device)
            s.submit(team, device)
            log.info("team %s submitted (device %s)", team, device)
            return [(conn, {"type": "ok", "seq": msg.get("seq")}), *self._team(team), *self._status()]
        raise Refused(f"unknown message type '{kind}'")

    def _team(self, team: str) -> Out:
        return [(c, self.view_for(c)) for c, i in self.conns.items() if i.get("team") == team]

    def _join(self, conn: str, msg: dict[str, Any]) -> Out:
        code, device = msg.get("code"), msg.get("device", "")
        if not isinstance(code, str) or not isinstance(device, str):
            raise Refused("join needs a code (text) and a device name (text)")
        team = self.guard.attempt(self.addr.get(conn, conn), lambda: self.session.team_of_code(code[:16]))
        device = " ".join(device.split())[:32] or "device"
        self.conns[conn] = {"team": team, "device": device}
        log.info("%s joined %s as %s", conn, team, device)
        return [(conn, self.view_for(conn)), *self._roster()]

    # ------------------------------------------------------------------ facilitator
    def _control(self, conn: str, msg: dict[str, Any]) -> Out:
        s = self.session
        action = _text(msg, "action")
        reply: dict[str, Any] = {"type": "ok", "seq": msg.get("seq"), "action": action}
        if action == "start":
            s.start()
            reply["message"] = f"{s.game.year} has started: the countdown runs"
        elif action in ("pause", "resume"):
            s.pause(action == "pause")
        elif action == "time":
            seconds = msg.get("seconds")
            if not isinstance(seconds, int | float) or isinstance(seconds, bool) or abs(seconds) > 3600:
                raise Refused("time needs seconds between -3600 and 3600")
            s.add_time(float(seconds))
        elif action == "timeup":
            s.time_up()
            reply["message"] = "Time is up: the year resolves now"
        elif action == "inject":
            power, event = msg.get("power"), msg.get("event")
            if not isinstance(power, str) or not isinstance(event, str):
                raise Refused("inject needs a power and an event id")
            names = Names(s.game.world)
            if power in s.submitted:
                raise Refused(f"{names.power(power)} has already submitted this year; inject before they submit")
            s.inject(power, event)
            reply["message"] = f"Event '{names.event(event)}' injected for {names.power(power)}"
        elif action == "news":
            text = msg.get("text")
            if not isinstance(text, str) or not text.strip():
                raise Refused("news needs a text")
            s.news.append({"year": s.game.year, "text": " ".join(text.split())[:280]})
            reply["message"] = "News posted to every page"
        elif action == "takeover":
            team, persona = _text(msg, "team"), _text(msg, "persona", "status_quo")
            if team not in s.teams or s.teams[team].kind != "power":
                raise Refused("AI can take over a power team; region teams simply abstain")
            if persona not in PERSONAS:
                raise Refused(f"no persona '{persona}'; personas are {', '.join(PERSONAS)}")
            s.takeover[team] = persona
            reply["message"] = f"The AI ({Names.persona(persona)}) now plays {s.teams[team].name}"
        elif action == "handback":
            s.takeover.pop(_text(msg, "team"), None)
        elif action == "absent":
            mode = _text(msg, "mode")
            if mode != "last" and mode not in PERSONAS:
                raise Refused("absent mode is 'last' or a persona")
            s.absent = str(mode)
        elif action == "move":
            target, team = _text(msg, "conn"), _text(msg, "team")
            if target not in self.conns or not self.conns[target].get("team") or team not in s.teams:
                raise Refused("move needs a joined device id and a team")
            self.conns[str(target)]["team"] = str(team)
        elif action == "leave_history":
            own = s.leave_history()
            reply["message"] = f"History ends with this year: from {own} the years are the class's own"
        elif action == "end":
            s.ended = True
            reply["message"] = ("Session ended before any year was played: no winner" if s.game.state.turn == 0
                                else "Session ended; the debrief is ready")
        elif action == "export":
            from game.classroom.debrief import write_debrief
            out = (s.path.parent if s.path else __import__("pathlib").Path(".")) / "debrief"
            write_debrief(s.to_save(), out, game=s.game)
            self.exports.append(str(out))
            reply["path"] = str(out / "debrief.html")
        else:
            raise Refused(f"unknown action '{action}'")
        log.info("facilitator: %s", {k: v for k, v in msg.items() if k != "type"})
        s.save()
        return [(conn, reply), *self.everyone()]

    # ------------------------------------------------------------------ clock
    def tick(self) -> Out:
        """Called a few times a second: resolve the year when due."""
        s = self.session
        if not s.due():
            return []
        report = s.resolve()
        log.info("resolved %s: %d headlines", report.year - 1, len(report.headlines()))
        return self.everyone()
