"""A classroom session: the game, the teams and their codes, this year's drafts and submitted orders,
the facilitator's interventions, and the save that makes all of it survive a crash.

No networking here: `game.classroom.hub` turns messages into calls on this class, and the
server only moves bytes. Every change a player would miss is saved at once (atomically).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from game.ai.personas import PERSONAS, decide
from game.classroom.guard import BadMessage, parse_message, strict_dumps
from game.classroom.regions import OFFERS, apply_region_decisions, check_decisions, inject_event
from game.draft import Draft
from game.engine import OrderError, Orders
from game.engine.history import until as history_until
from game.match import HUMAN, Game, SaveError, write_atomic

SESSION_FORMAT = "systemic-classroom"
SESSION_VERSION = 1
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a projector


TEAM_CODE_LENGTH, FACILITATOR_CODE_LENGTH = 6, 10  # 32^6 ~ 1.1e9, 32^10 ~ 1.1e15; see guard.py's odds


def new_code(length: int = TEAM_CODE_LENGTH) -> str:
    """A short random join code, easy to read out and type; guessing is limited by `guard.Guard`."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def plain_code(code: str) -> str:
    """A code as typed, without the spaces and dashes people add when they read one out."""
    return "".join(code.split()).replace("-", "").upper()


@dataclass
class Team:
    id: str  # a power id or a region id
    kind: str  # "power" or "region"
    name: str
    code: str


@dataclass
class ClassSession:
    game: Game
    teams: dict[str, Team]
    facilitator_code: str
    path: Path | None = None
    absent: str = "last"  # "last" (repeat last orders) or a persona name
    takeover: dict[str, str] = field(default_factory=dict)  # team -> persona playing it
    drafts: dict[str, dict[str, Any]] = field(default_factory=dict)
    draft_by: dict[str, str] = field(default_factory=dict)
    submitted: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    turn_log: list[dict[str, Any]] = field(default_factory=list)  # per resolved turn
    injected: list[dict[str, str]] = field(default_factory=list)  # this turn's injected events
    news: list[dict[str, Any]] = field(default_factory=list)  # facilitator news {year, text}
    turn_seconds: int = 240
    remaining: float = 240.0
    paused: bool = False
    ended: bool = False
    started: bool = False  # the first year's countdown waits for the facilitator's Start
    url: str | None = None  # the address the host gave the class (role cards printed later show it)
    deadline: float = 0.0  # monotonic time the phase ends (when running)
    dirty: bool = False  # drafts changed since the last save (saved by the clock within ~2 s)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)  # tests pass a fake

    # ------------------------------------------------------------------ setup
    @classmethod
    def create(cls, scenario: str, seed: int = 0, teams: list[str] | None = None,
               path: Path | None = None, absent: str = "last", turn_seconds: int | None = None,
               clock: Callable[[], float] = time.monotonic,
               history_mode: bool | int | None = None) -> ClassSession:
        """A new session; `teams` defaults to every power plus the scenario's playable regions;
        `history_mode` as in Game.new (a year: the class replays history to it, then takes over)."""
        game = Game.new(scenario, seed=seed)
        w = game.world
        wanted = teams or list(w.power_ids) + list(game.scenario.playable_regions)
        roster: dict[str, Team] = {}
        for tid in wanted:
            if tid in w.power_ids:
                roster[tid] = Team(tid, "power", w.power_names[w.power_index(tid)], new_code())
            elif tid in game.scenario.playable_regions:
                roster[tid] = Team(tid, "region", w.region_names[w.region_ids.index(tid)], new_code())
            else:
                raise ValueError(f"no team '{tid}': teams are powers {', '.join(w.power_ids)} and playable "
                                 f"regions {', '.join(game.scenario.playable_regions) or '(none)'}")
        if absent != "last" and absent not in PERSONAS:
            raise ValueError(f"--absent must be 'last' or a persona ({', '.join(PERSONAS)})")
        seats = {pid: (HUMAN if pid in roster else "status_quo") for pid in w.power_ids}
        game = Game.new(scenario, seats=seats, seed=seed, history_mode=history_mode)
        secs = int(turn_seconds or game.scenario.spec.turn_seconds)
        s = cls(game=game, teams=roster, facilitator_code=new_code(FACILITATOR_CODE_LENGTH), path=path, absent=absent,
                turn_seconds=secs, remaining=float(secs), clock=clock)
        s.start_phase()
        return s

    def team_of_code(self, code: str) -> str | None:
        """The team a code joins, "facilitator", or None; compared in constant time."""
        code = plain_code(code)
        found = None
        if secrets.compare_digest(code.encode(), self.facilitator_code.encode()):
            found = "facilitator"
        for team in self.teams.values():
            if secrets.compare_digest(code.encode(), team.code.encode()):
                found = team.id
        return found

    def playing(self) -> list[str]:
        """Teams whose orders are awaited: not taken over by AI, not collapsed."""
        return [t for t, team in self.teams.items() if t not in self.takeover
                and not (team.kind == "power" and self.game.collapsed(t))]

    # ------------------------------------------------------------------ timer
    def start_phase(self) -> None:
        self.remaining = float(self.turn_seconds)
        self.deadline = self.clock() + self.remaining

    def time_left(self) -> float:
        if self.paused or self.ended or not self.started:
            return max(0.0, self.remaining)
        return max(0.0, self.deadline - self.clock())

    def start(self) -> None:
        """The facilitator's Start: the first year's countdown begins now (a second Start does nothing)."""
        if not self.started:
            self.started, self.paused = True, False
            self.deadline = self.clock() + self.remaining

    def pause(self, paused: bool) -> None:
        if not self.started:
            if not paused:
                self.start()
            return
        if paused and not self.paused:
            self.remaining = self.time_left()
        elif not paused and self.paused:
            self.deadline = self.clock() + self.remaining
        self.paused = paused

    def add_time(self, seconds: float) -> None:
        left = max(5.0, self.time_left() + seconds)
        self.remaining = left
        if not self.started:
            return
        self.deadline = self.clock() + left

    def time_up(self) -> None:
        """The facilitator's "Time up now": the year resolves at the clock's next beat, paused or not."""
        self.paused, self.started = False, True
        self.remaining = 0.0
        self.deadline = self.clock()

    def due(self) -> bool:
        """Should the year resolve now? (everyone submitted, or time is up)"""
        if self.ended or self.game.over:
            return False
        playing = self.playing()
        if playing and all(t in self.submitted for t in playing):
            return True  # with every team on AI, the year still waits for the clock
        return self.started and not self.paused and self.time_left() <= 0

    # ------------------------------------------------------------------ orders
    def check_draft(self, team: str, payload: Any) -> dict[str, Any]:
        """The canonical form of a team's draft; ValueError/OrderError with a clear message."""
        kind = self.teams[team].kind
        if kind == "region":
            if isinstance(payload, dict) and set(payload) == {"decisions"}:  # the page sends its whole draft
                payload = payload["decisions"]
            return {"decisions": check_decisions(self.game.state, team, payload)}
        return Draft.read(self.game, team, payload).to_json()

    def set_draft(self, team: str, payload: Any, device: str) -> dict[str, Any]:
        draft = self.check_draft(team, payload)
        self.drafts[team] = draft
        self.draft_by[team] = device
        self.dirty = True
        return draft

    def submit(self, team: str, device: str) -> None:
        """Submit the team's current draft; ValueError says why not (already, illegal, too late)."""
        if self.ended or self.game.over:
            raise ValueError("the session has ended")
        if team in self.submitted:
            raise ValueError("your orders for this year are already submitted")
        if team in self.takeover:
            raise ValueError("the AI is playing your team; ask the facilitator to hand it back")
        if self.started and not self.paused and self.time_left() <= 0:
            raise ValueError("too late: time is up for this year")
        draft = self.drafts.get(team) or self.default_draft(team)
        if self.teams[team].kind == "power":
            draft = Draft.read(self.game, team, draft).check().to_json()
        self.submitted[team] = {**draft, "by": device}
        self.save()

    def default_draft(self, team: str) -> dict[str, Any]:
        """What a team's page starts from: its last orders without answers and offers, or the
        scenario's opening budget."""
        if self.teams[team].kind == "region":
            return {"decisions": {}}
        return Draft.start(self.game, team).to_json()

    def _power_orders(self, team: str, rng: np.random.Generator) -> Orders:
        if team in self.submitted:
            data = {k: v for k, v in self.submitted[team].items() if k != "by"}
            return Orders.from_json(data)
        persona = self.takeover.get(team) or (None if self.absent == "last" else self.absent)
        if persona:
            return decide(self.game.state, team, persona, rng)
        fallback = Orders.from_json(self.default_draft(team))
        try:
            self.game.check(fallback)
        except OrderError:
            fallback = Orders(team)
        return fallback

    def resolve(self) -> Any:
        """Resolve the year: submitted orders, absent teams by the teacher's rule, AI seats; region
        decisions applied first. Returns the engine's Report."""
        g = self.game
        rng = np.random.default_rng([g.seed, g.state.turn, 7])  # takeover stream, apart from the engine's
        orders: dict[str, Orders] = {}
        regions: dict[str, dict[str, dict[str, bool]]] = {}
        for tid, team in self.teams.items():
            if team.kind == "power" and not g.collapsed(tid):
                orders[tid] = self._power_orders(tid, rng)
            elif team.kind == "region" and tid in self.submitted:
                regions[tid] = self.submitted[tid]["decisions"]
        for pid, o in list(orders.items()):
            try:
                g.check(o)
            except OrderError:
                orders[pid] = Orders(pid)
        g.state = apply_region_decisions(g.state, regions)
        report = g.advance(orders)
        self.turn_log.append({"year": report.year - 1, "regions": regions, "injected": self.injected,
                              "submitted": {t: d.get("by", "") for t, d in self.submitted.items()},
                              "absent": {t: (self.takeover.get(t) or self.absent) for t in self.teams
                                         if t not in self.submitted},
                              # the debrief tells a deliberate AI takeover from a team that missed the clock
                              "takeover": {t: p for t, p in self.takeover.items() if t not in self.submitted}})
        for pid, o in orders.items():
            self.last_orders[pid] = o.to_json()
        w = g.world
        for rid, by_power in regions.items():  # region choices are public: the class sees who won whom
            # in the world's order of powers and offers, not the draft's: a resumed session (whose
            # save sorts keys) tells the same news in the same order
            for pid in (q for q in w.power_ids if q in by_power):
                choices = by_power[pid]
                taken = [k for k in OFFERS if choices.get(k) is True]
                refused = [k for k in OFFERS if choices.get(k) is False]
                text = f"{self.teams[rid].name}: " + "; ".join(
                    part for part in (f"accepts {w.power_names[w.power_index(pid)]}'s {', '.join(taken)} offer"
                                      if taken else "",
                                      f"turns down {w.power_names[w.power_index(pid)]}'s {', '.join(refused)} offer"
                                      if refused else "") if part)
                self.news.append({"year": g.year, "text": text, "by": "region"})
        self.injected, self.submitted, self.drafts, self.draft_by = [], {}, {}, {}
        self.started = True  # a class that submits before the Start has started all the same
        self.start_phase()
        self.save()
        return report

    def own_from(self) -> int | None:
        """The first year the class plays on its own in a session that plays history (None without):
        a year plays as it happened while the events that come as it ends are history's, so with
        history until 2020 (its last events come as 2020 begins) the class's own years start in 2020."""
        return history_until(self.game.world)

    def leave_history(self) -> int:
        """The facilitator's "Leave history": the year under way plays to its end as it happened (its
        dilemmas stay, no team's answer is withdrawn; the events that come as next year begins are
        history's); from next year the ordinary random deck takes over: the game `--history NEXT_YEAR`
        plays. Returns the first year the class plays on its own; ValueError (a sentence for the
        facilitator) if there is no history to leave. Saved at once; a resumed session replays it."""
        g = self.game
        if self.ended or g.over:
            raise ValueError("the session has ended")
        own = self.own_from()
        if own is None:
            raise ValueError("this session does not play history: every year is already the class's own "
                             "(start the host with --history to replay the years as they happened)")
        if own <= g.year:
            raise ValueError(f"history has already ended: the years since {own} are the class's own")
        if own == g.year + 1:
            raise ValueError(f"history already ends with this year: from {own} the years are the class's own")
        g.leave_history(g.year + 1)
        self.news.append({"year": g.year, "text": f"The class leaves history: this year ends and {g.year + 1} "
                                                  "begins as it happened; from then on the years are the "
                                                  "class's to write (events from the ordinary deck)"})
        self.save()
        return g.year + 1

    def inject(self, power: str, event: str) -> None:
        self.game.state = inject_event(self.game.state, power, event)
        self.injected.append({"power": power, "event": event})
        self.save()

    # ------------------------------------------------------------------ saves
    def to_save(self) -> dict[str, Any]:
        return {"format": SESSION_FORMAT, "version": SESSION_VERSION, "game": self.game.to_save(),
                "teams": {t: [v.kind, v.name, v.code] for t, v in self.teams.items()},
                "facilitator": self.facilitator_code, "absent": self.absent, "takeover": self.takeover,
                "turn_log": self.turn_log, "injected": self.injected, "news": self.news,
                "drafts": self.drafts, "draft_by": self.draft_by, "submitted": self.submitted,
                "last_orders": self.last_orders, "turn_seconds": self.turn_seconds,
                "remaining": self.time_left(), "paused": self.paused, "ended": self.ended,
                "started": self.started, "url": self.url}

    def save(self) -> None:
        self.dirty = False
        if self.path is not None:
            # private (0600): the file holds every code, the facilitator's included
            write_atomic(self.path, strict_dumps(self.to_save(), indent=1, sort_keys=True), private=True)

    @classmethod
    def load(cls, path: Path, clock: Callable[[], float] = time.monotonic) -> ClassSession:
        """Restore a session: replay every year with its region decisions and injections, then
        this year's drafts, submissions and timer. SaveError (one line) if unusable."""
        path = Path(path)
        remove_leftovers(path)
        try:
            data = parse_message(path.read_bytes(), 1 << 30, depth=64) if path.exists() else None
        except (OSError, BadMessage) as exc:
            raise SaveError(f"{path}: cannot read session ({exc})") from None
        if data is None:
            raise SaveError(f"{path}: no such file")
        if not isinstance(data, dict) or data.get("format") != SESSION_FORMAT:
            raise SaveError(f"{path}: not a Systemic classroom session")
        try:
            saved = data["game"]
            game = Game.new(saved["scenario"], saved["seats"], int(saved["seed"]),
                            int(saved["history_mode"]["until"]) if "history_mode" in saved else False)
            mode = saved.get("history_mode", {})
            for turn, row in zip(data["turn_log"], saved["turns"], strict=True):
                game.replay_leaving(mode)
                for item in turn["injected"]:
                    game.state = inject_event(game.state, item["power"], item["event"])
                game.state = apply_region_decisions(game.state, turn["regions"])
                game.replay_turn({pid: Orders.from_json(o) for pid, o in row.items()})
            game.replay_leaving(mode)
            for item in data["injected"]:
                game.state = inject_event(game.state, item["power"], item["event"])
            # the save's keys are sorted; teams are listed in the scenario's order, as when created
            order = [*game.world.power_ids, *game.world.region_ids]
            saved_teams = sorted(data["teams"].items(),
                                 key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
            teams = {t: Team(t, kind, name, code) for t, (kind, name, code) in saved_teams}
            s = cls(game=game, teams=teams, facilitator_code=data["facilitator"], path=Path(path),
                    absent=data["absent"], takeover=dict(data["takeover"]), drafts=data["drafts"],
                    draft_by=data["draft_by"], submitted=data["submitted"], last_orders=data["last_orders"],
                    turn_log=data["turn_log"], injected=data["injected"], news=data["news"],
                    turn_seconds=int(data["turn_seconds"]), paused=bool(data["paused"]),
                    ended=bool(data["ended"]), started=bool(data.get("started", True)), clock=clock,
                    url=data.get("url") if isinstance(data.get("url"), str) else None)
        except (KeyError, TypeError, ValueError) as exc:
            raise SaveError(f"{path}: session is corrupt ({exc})") from None
        s.remaining = max(30.0, float(data.get("remaining", s.turn_seconds)))
        s.deadline = s.clock() + s.remaining
        return s


def remove_leftovers(path: Path) -> list[Path]:
    """Delete the temporary files a crash mid-save left next to `path` (`write_atomic`'s
    `.NAME.*.tmp`); the session file itself is whole, old or new. Returns what was removed."""
    gone = []
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            tmp.unlink()
            gone.append(tmp)
        except OSError:
            pass  # another user's, or already gone: not ours to insist on
    return gone
