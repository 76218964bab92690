"""What keeps a classroom host standing in front of thirty curious students: join-code guessing
limits, caps on connections, strict JSON in and out, and log lines that summarise instead of flood.

No networking here either: the server asks the guard before it accepts a socket or checks a code,
and the hub parses every message with `parse_message`. Time comes from a `clock` the tests replace.

Join codes. A team code is 6 symbols of 32 (no 0/O, 1/I), about 1.07e9 codes; the facilitator's
is 10 (1.1e15). A wrong code costs its address one of `FREE_GUESSES`; after those the address is
locked out, first for `LOCKOUT_FIRST` seconds, doubling with each further wrong code up to
`LOCKOUT_MAX`. Codes sent while locked out are refused unread, so they cannot hit. All addresses
together may try `OVERALL_PER_MINUTE` wrong codes a minute (with a burst of `OVERALL_BURST`, enough
for a class mistyping at the start); beyond that every wrong code waits. So the best any set of
clients can do in a 90-minute lesson is about OVERALL_BURST + 90 * OVERALL_PER_MINUTE checked
guesses: 2,760 by default, a chance of 7 * 2,760 / 32^6 = 0.0018% of hitting one of seven team
codes (`guess_odds` computes it), and one address alone gets about a hundred.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("systemic.classroom")
Clock = Callable[[], float]

FREE_GUESSES = 5  # wrong codes an address may send before it is locked out
LOCKOUT_FIRST = 2.0  # seconds of the first lockout; each further wrong code doubles it
LOCKOUT_MAX = 120.0
OVERALL_PER_MINUTE = 30.0  # wrong codes a minute, all addresses together
OVERALL_BURST = 60.0
FORGET_AFTER = 900.0  # seconds without a wrong code after which an address starts afresh
SUMMARY_EVERY = 10.0  # seconds between two log lines about one address and one kind of trouble
SUMMARY_LINES = 20  # log lines of trouble in SUMMARY_EVERY seconds, all addresses together
PER_ADDRESS = 64  # open connections from one address (a teacher testing every team from one laptop)
OVERALL_CONNECTIONS = 1024  # open connections in all (also kept well below the file limit)
MAX_DEPTH = 8  # nesting of a message; a full set of orders needs 4
MAX_DIGITS = 30  # digits of a number in a message; budgets and seconds need a handful


class BadMessage(ValueError):
    """A message that is not strict, bounded JSON; the text says why, in the sender's terms."""


# ------------------------------------------------------------------ strict JSON
def _constant(name: str) -> Any:
    raise BadMessage(f"'{name}' is not a number JSON allows; send a finite number")


def _float(text: str) -> float:
    if len(text) > MAX_DIGITS:
        raise BadMessage("a number in the message is too long")
    value = float(text)
    if not math.isfinite(value):
        raise BadMessage(f"{text} is out of range; send a finite number")
    return value


def _int(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise BadMessage("a number in the message is too long")
    return int(text)


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed message (iterative: no recursion to exhaust)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, d = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, d)
            stack.extend((x, d + 1) for x in (item.values() if isinstance(item, dict) else item))
    return deepest


def parse_message(text: str | bytes, limit: int, depth: int = MAX_DEPTH) -> Any:
    """A client's message as Python data; BadMessage if too large, not JSON, nested too deeply, or
    holding NaN, Infinity or a number out of range (which browsers could not read back)."""
    if len(text) > limit:
        raise BadMessage(f"message too large ({len(text)} bytes; the limit is {limit})")
    try:
        data = json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except RecursionError:
        raise BadMessage(f"message nested too deeply (the limit is {depth} levels)") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadMessage("not a JSON message") from None
    if _depth(data) > depth:
        raise BadMessage(f"message nested too deeply (the limit is {depth} levels)")
    return data


def strict_dumps(data: Any, **kw: Any) -> str:
    """JSON every browser can parse: NaN and Infinity refused (ValueError), never written."""
    return json.dumps(data, allow_nan=False, **kw)


# ------------------------------------------------------------------ log lines that summarise
@dataclass
class Summary:
    """At most one log line per (address, kind) every SUMMARY_EVERY seconds, counting the rest."""
    clock: Clock = time.monotonic
    last: dict[tuple[str, str], float] = field(default_factory=dict)
    quiet: dict[tuple[str, str], int] = field(default_factory=dict)
    window: float = -math.inf  # start of the current SUMMARY_EVERY window, all addresses together
    lines: int = 0  # lines logged in it
    dropped: int = 0  # lines held back in it: many addresses at once still make a short log

    def warn(self, addr: str, kind: str, text: str, level: int = logging.WARNING) -> None:
        key, now = (addr, kind), self.clock()
        if now - self.last.get(key, -math.inf) < SUMMARY_EVERY:
            self.quiet[key] = self.quiet.get(key, 0) + 1
            return
        if now - self.window >= SUMMARY_EVERY:
            if self.dropped:
                log.warning("%d more warnings from other addresses in the last %.0f s were not logged",
                            self.dropped, now - self.window)
            self.window, self.lines, self.dropped = now, 0, 0
        if self.lines >= SUMMARY_LINES:
            self.dropped += 1
            return
        self.lines += 1
        extra = self.quiet.pop(key, 0)
        self.last[key] = now
        more = f" (and {extra} more like it in the last {SUMMARY_EVERY:.0f} s)" if extra else ""
        log.log(level, "%s from %s: %s%s", kind, addr, text, more)
        if len(self.last) > 4096:  # forget the oldest addresses; a summary line lost is no harm
            for old in sorted(self.last, key=self.last.__getitem__)[:2048]:
                self.last.pop(old, None)
                self.quiet.pop(old, None)


# ------------------------------------------------------------------ guessing
@dataclass
class _Address:
    wrong: int = 0
    locked_until: float = 0.0
    last_wrong: float = 0.0


@dataclass
class Guard:
    """Join-code attempts and open connections, per address and overall."""
    clock: Clock = time.monotonic
    free_guesses: int = FREE_GUESSES
    per_minute: float = OVERALL_PER_MINUTE
    burst: float = OVERALL_BURST
    per_address: int = PER_ADDRESS
    overall: int = OVERALL_CONNECTIONS
    addresses: dict[str, _Address] = field(default_factory=dict)
    tokens: float = OVERALL_BURST
    refilled: float | None = None
    open: dict[str, int] = field(default_factory=dict)
    summary: Summary | None = None
    checked: int = 0  # wrong codes actually compared with the codes (the figure the odds are about)
    refused: int = 0  # codes refused unread during a lockout or an overall pause

    def __post_init__(self) -> None:
        self.summary = self.summary or Summary(self.clock)
        self.tokens = self.burst
        self.overall = min(self.overall, _file_budget())

    def wait(self, addr: str) -> float:
        """Seconds until `addr` may try a code (0: now)."""
        now = self.clock()
        a = self.addresses.get(addr)
        own = max(0.0, a.locked_until - now) if a else 0.0
        self._refill(now)
        overall = 0.0 if self.tokens >= 1 else (1 - self.tokens) * 60 / self.per_minute
        return max(own, overall)

    def _refill(self, now: float) -> None:
        if self.refilled is not None:
            self.tokens = min(self.burst, self.tokens + (now - self.refilled) * self.per_minute / 60)
        self.refilled = now

    def attempt(self, addr: str, check: Callable[[], str | None]) -> str:
        """Check a code from `addr` with `check` (which returns the team or None) if the address
        may try one now. Returns the team; raises LockedOut or WrongCode with the sender's text."""
        wait = self.wait(addr)
        assert self.summary is not None
        if wait > 0:
            self.refused += 1
            self.summary.warn(addr, "join codes refused", f"locked out for {wait:.0f} s more")
            raise LockedOut(f"too many wrong codes: wait {math.ceil(wait)} s, then check the code on the projector")
        team = check()
        if team is not None:
            return team
        now = self.clock()
        self.checked += 1
        self.tokens -= 1
        a = self.addresses.get(addr)
        if a is None or now - a.last_wrong > FORGET_AFTER:
            a = self.addresses[addr] = _Address()
        a.wrong += 1
        a.last_wrong = now
        over = a.wrong - self.free_guesses
        if over >= 0:
            a.locked_until = now + min(LOCKOUT_MAX, LOCKOUT_FIRST * 2 ** over)
            self.summary.warn(addr, "wrong join codes", f"{a.wrong} wrong codes; locked out for "
                              f"{a.locked_until - now:.0f} s")
        else:
            self.summary.warn(addr, "wrong join codes", f"{a.wrong} wrong code(s)")
        if len(self.addresses) > 4096:
            for old in [k for k, v in self.addresses.items() if now - v.last_wrong > FORGET_AFTER]:
                del self.addresses[old]
        if over >= 0:
            raise WrongCode(f"unknown code; check the code on the projector (after {a.wrong} wrong codes, "
                            f"wait {math.ceil(a.locked_until - now)} s before the next)")
        raise WrongCode("unknown code; check the code on the projector")

    # -------------------------------------------------------------- connections
    def admit(self, addr: str) -> bool:
        """May `addr` open one more connection? Counts it if so; `release` when it closes."""
        assert self.summary is not None
        total = sum(self.open.values())
        if total >= self.overall:
            self.summary.warn("everyone", "connections refused", f"{total} open, the limit is {self.overall}")
            return False
        if self.open.get(addr, 0) >= self.per_address:
            self.summary.warn(addr, "connections refused", f"{self.per_address} open from this address already")
            return False
        self.open[addr] = self.open.get(addr, 0) + 1
        return True

    def release(self, addr: str) -> None:
        left = self.open.get(addr, 0) - 1
        if left > 0:
            self.open[addr] = left
        else:
            self.open.pop(addr, None)


class LockedOut(ValueError):
    """A code refused unread: the address must wait."""


class WrongCode(ValueError):
    """A code that joins no team."""


def _file_budget() -> int:
    """Connections the process can hold: its file limit less room for files, the log and pygame."""
    try:
        import resource  # Unix only; elsewhere the fixed cap stands
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):
        return OVERALL_CONNECTIONS
    if soft == resource.RLIM_INFINITY:
        return OVERALL_CONNECTIONS
    return max(8, int(soft) - 64)


def guess_odds(codes: int, seconds: float = 90 * 60, per_minute: float = OVERALL_PER_MINUTE,
               burst: float = OVERALL_BURST, alphabet: int = 32, length: int = 6) -> float:
    """The chance that every client together hits one of `codes` team codes in `seconds`, guessing
    as fast as the overall limit lets them."""
    guesses = burst + seconds * per_minute / 60
    return 1 - (1 - codes / alphabet ** length) ** guesses
