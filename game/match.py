"""One game as people play it: a scenario, seats (human, an AI persona or a difficulty level such as
`hard:planner`), the seeded random streams, the order log and the history of indicators. The desktop
game, the classroom server and `systemic sim` all drive games through this class; saves are its
order log.

A save holds the scenario, the seed, the seats and every order given, so loading replays the
engine exactly (the engine is deterministic given its seed). Saves are written atomically.

AI randomness: a plain persona seat draws from the AI stream directly (as it always has, so old
seeds give old games); any other player (a level, a search AI) gets a fresh generator seeded by one
draw from the AI stream per turn. Replaying a save therefore only redraws that one number and never
re-runs a search.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from game.ai.difficulty import LEVELS, make_player
from game.ai.personas import PERSONAS, Persona, decide
from game.ai.search import Player, known_course
from game.engine import GameState, OrderError, Orders, Report, World, build_world, encode, new_game, outcome, resolve
from game.engine.history import default_until, enable, last_year, leave, news
from game.engine.history import until as history_until
from game.engine.orders import BatchOrders, decode
from game.engine.score import COMPONENTS, OUTCOMES
from game.engine.world import N
from game.rules.loader import Scenario, load_scenario

SAVE_FORMAT = "systemic-save"
SAVE_VERSION = 1
HUMAN = "human"

# What the per-year history keeps for charts, tables and the debrief.
HISTORY = ("gdp", "growth", "reported_growth", "stability", "legitimacy", "approval", "protest",
           "data_stock", "data_quality", "ai_capability", "efficiency", "standards_share",
           "model_adoption", "political_capital", "champions", "bubble", "privacy_trust")


class SaveError(ValueError):
    """A save that cannot be used: missing, empty, corrupt, or from a newer version."""


def _streams(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    """Separate streams for the engine and the AI, so a replay of recorded orders (no AI)
    draws exactly the engine numbers the original game drew."""
    engine_seq, ai_seq = np.random.SeedSequence(seed).spawn(2)
    return np.random.default_rng(engine_seq), np.random.default_rng(ai_seq)


@dataclass
class Game:
    scenario: Scenario
    world: World
    seed: int
    seats: dict[str, str]  # power -> "human" or any player name make_player accepts ("hard:planner")
    state: GameState
    engine_rng: np.random.Generator
    ai_rng: np.random.Generator
    orders_log: list[dict[str, dict[str, Any]]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    scenario_ref: str = ""
    players: dict[str, Player] = field(default_factory=dict)  # the AI seats' players
    history_mode: dict[str, int] = field(default_factory=dict)  # {"until": Y[, "left_at": turn]}; {} = off

    @classmethod
    def new(cls, scenario: str | Path | Scenario, seats: dict[str, str] | None = None,
            seed: int = 0, history_mode: bool | int | None = None) -> Game:
        """Start a game. Seats not given are played by the `status_quo` persona; a seat is
        "human", a persona (`planner`) or a level with its base persona (`hard:free_marketeer`).
        `history_mode`: None plays the scenario's own setting, False no history, True the whole
        history deck, a year history up to and including that year (game/engine/history.py)."""
        if not isinstance(seed, int) or seed < 0:
            raise ValueError(f"the seed must be a whole number of at least 0, got {seed!r}")
        scen = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        last = history_years(scen, history_mode)
        scen = enable(scen, last)
        world = build_world(scen)
        seats = dict(seats or {})
        for pid in seats:
            if pid not in world.power_ids:
                raise ValueError(f"unknown power '{pid}'; powers in {scen.id} are {', '.join(world.power_ids)}")
        full = {pid: seats.get(pid, "status_quo") for pid in world.power_ids}
        players = seat_players(full)
        engine_rng, ai_rng = _streams(seed)
        ref = str(scenario) if not isinstance(scenario, Scenario) else scen.id
        if isinstance(scenario, Path | str) and Path(str(scenario)).suffix in (".yaml", ".yml"):
            ref = str(Path(str(scenario)).resolve())
        game = cls(scenario=scen, world=world, seed=seed, seats=full, state=new_game(world, 1),
                   engine_rng=engine_rng, ai_rng=ai_rng, scenario_ref=ref, players=players,
                   history_mode={} if last is None else {"until": last})
        game.history.append(game.snapshot())
        return game

    # ------------------------------------------------------------------ play
    @property
    def year(self) -> int:
        return self.state.year

    @property
    def over(self) -> bool:
        return self.state.finished

    def humans(self) -> list[str]:
        return [p for p, who in self.seats.items() if who == HUMAN and not self.collapsed(p)]

    def collapsed(self, power: str) -> bool:
        return bool(self.state.collapsed[0, self.world.power_index(power)])

    def ai_orders(self) -> dict[str, Orders]:
        """Orders of every AI seat for this turn (the same Orders a person gives)."""
        out: dict[str, Orders] = {}
        for pid, who in self.seats.items():
            if who == HUMAN or self.collapsed(pid):
                continue
            if who in PERSONAS:
                out[pid] = decide(self.state, pid, who, self.ai_rng)
            else:
                out[pid] = self.player_orders(pid, np.random.default_rng(int(self.ai_rng.integers(1 << 62))))
        return out

    def player_orders(self, power: str, rng: np.random.Generator) -> Orders:
        """One AI seat's orders from its player (a search AI may take a while: call off the UI thread).
        The player is made afresh every turn: one that kept a plan between years (the cross-entropy
        search does) would play on differently after a save is loaded, since loading replays the
        recorded orders and never the searches."""
        player = seat_players({power: self.seats[power]}, self.seats)[power]
        orders = BatchOrders.hold(self.state)
        player.decide_batch(self.state, self.world.power_index(power), rng, orders)
        return decode(self.state, orders, 0)[power]

    def style(self, power: str) -> Persona:
        """The persona whose style an AI seat plays (a level plays in its base persona's style):
        what a quick projection assumes, without running the seat's search."""
        return self.players[power].persona

    def check(self, orders: Orders) -> None:
        """Raise OrderError if these orders are illegal now."""
        from game.engine import check_orders
        check_orders(self.world, self.state, orders)

    def advance(self, human_orders: dict[str, Orders] | None = None) -> Report:
        """Resolve one turn with the humans' orders (missing humans hold) and the AI's."""
        if self.over:
            raise OrderError("?", "end turn", "the game is over")
        orders = self.ai_orders() | dict(human_orders or {})
        for pid, o in orders.items():
            if o.power != pid:
                raise OrderError(pid, "power", f"orders are for '{o.power}'")
        batch = encode(self.state, list(orders.values()))
        self.orders_log.append({pid: o.to_json() for pid, o in sorted(orders.items())})
        self.state, report = resolve(self.state, batch, self.engine_rng)
        self.reports.append(report)
        self.history.append(self.snapshot(report))
        return report

    @property
    def in_history(self) -> bool:
        """Whether next year's events are history's (history mode, not yet left)."""
        last = history_until(self.world)
        return last is not None and self.year + 1 <= last

    def leave_history(self, last: int | None = None) -> None:
        """Leave history. `last` is the last year whose events are still history's: by default this
        one, so from next year on the ordinary random deck takes over at once (a dilemma history had
        put for next year is withdrawn); the classroom passes next year, so the year under way plays
        to its end as it happened and no team's answer is withdrawn. Recorded in the save and replayed;
        a game leaves history once. ValueError (OrderError) says why not."""
        if not self.in_history:
            raise OrderError("?", "leave history", "this game is not in history mode")
        if "left_at" in self.history_mode:
            raise OrderError("?", "leave history", "this game has already left history")
        until = history_until(self.world)
        assert until is not None
        last = self.year if last is None else last
        if not self.year <= last < until:
            raise OrderError("?", "leave history", f"history can end in {self.year}-{until - 1} now, not in {last}")
        deferred = {"left_until": last} if last != self.year else {}  # desktop saves keep their old shape
        self.state = leave(self.state, last)
        self.world = self.state.world
        self.scenario = self.world.scenario
        self.history_mode = self.history_mode | {"left_at": self.state.turn} | deferred

    def replay_leaving(self, mode: dict[str, int]) -> None:
        """Leave history here if the save `mode` (a saved history_mode) says it was left at this turn."""
        if mode.get("left_at") == self.state.turn:
            self.leave_history(mode.get("left_until"))

    def play_out(self, progress: Any = None) -> None:
        """Play AI seats (and holding humans) to the end."""
        while not self.over:
            self.advance()
            if progress is not None:
                progress(self)

    # ------------------------------------------------------------------ views
    def value(self, power: str, indicator: str) -> float:
        return self.state.value(power, indicator)

    def snapshot(self, report: Report | None = None) -> dict[str, Any]:
        """One year's row of history (JSON-ready, rounded, no timings)."""
        w, s = self.world, self.state
        row: dict[str, Any] = {"year": s.year, "powers": {}, "regions": {}}
        for p, pid in enumerate(w.power_ids):
            row["powers"][pid] = {k: round(float(s.nation[0, p, w.column(k)]), 6) for k in HISTORY}
        for r, rid in enumerate(w.region_ids):
            row["regions"][rid] = {
                "alignment": {pid: round(float(s.alignment[0, r, p]), 6) for p, pid in enumerate(w.power_ids)},
                "standard": {pid: round(float(s.adoption[0, r, p]), 6) for p, pid in enumerate(w.power_ids)},
            }
        row["news"] = report.headlines(0) if report is not None else []
        if report is not None:
            row["news"] = news(w, report.year) + row["news"]
        return row

    def result(self) -> dict[str, Any]:
        """Scores, outcome and the historians' verdict (valid at any time; final at the end)."""
        oc = outcome(self.state)
        w = self.world
        winner = int(oc.winner[0])
        return {
            "over": self.over,
            "year": self.year,
            "outcome": OUTCOMES[int(oc.kind[0])],
            "winner": w.power_ids[winner] if winner >= 0 else None,
            "victory_type": COMPONENTS[int(oc.victory_type[0])] if oc.victory_type[0] >= 0 else None,
            "scores": {pid: round(float(oc.scores[0, p]), 3) for p, pid in enumerate(w.power_ids)},
            "components": {pid: {c: round(float(oc.components[0, p, k]), 4) for k, c in enumerate(COMPONENTS)}
                           for p, pid in enumerate(w.power_ids)},
            "verdict": oc.verdict(w, 0),
        }

    def next_milestones(self) -> dict[str, str]:
        """The next election or Party Congress per power, for the dashboard."""
        out: dict[str, str] = {}
        for p, setup in enumerate(self.scenario.spec.powers):
            upcoming = [y for y in setup.election_years if y > self.year]
            congress = [y for y in setup.congress_years if y > self.year]
            if self.world.elections[p] and upcoming:
                out[setup.id] = f"election {upcoming[0]}"
            elif congress:
                out[setup.id] = f"Party Congress {congress[0]}"
        return out

    # ------------------------------------------------------------------ saves
    def to_save(self) -> dict[str, Any]:
        save = {"format": SAVE_FORMAT, "version": SAVE_VERSION, "scenario": self.scenario_ref,
                "seed": self.seed, "seats": self.seats, "turns": self.orders_log}
        if self.history_mode:  # only games in history mode carry the key: other saves are unchanged
            save["history_mode"] = dict(self.history_mode)
        return save

    def save(self, path: str | Path) -> None:
        """Write the save atomically: a crash mid-write leaves the previous save intact."""
        write_atomic(Path(path), json.dumps(self.to_save(), indent=1, sort_keys=True))

    @classmethod
    def from_save(cls, data: Any, source: str = "save") -> Game:
        """Rebuild a game by replaying its recorded orders; SaveError says what is wrong."""
        if isinstance(data, dict) and data.get("format") == "systemic-classroom":
            # game.classroom.session.SESSION_FORMAT (not imported: the classroom builds on this module)
            raise SaveError(f"{source}: a classroom session, not a game save; use 'systemic host --resume "
                            f"--session {source}' to continue it or 'systemic debrief {source}' to report on it")
        if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
            raise SaveError(f"{source}: not a Systemic save file")
        version = data.get("version")
        if not isinstance(version, int):
            raise SaveError(f"{source}: save has no version number")
        if version > SAVE_VERSION:
            raise SaveError(f"{source}: save is from a newer version of Systemic (format {version}, "
                            f"this version reads up to {SAVE_VERSION}); update the game to load it")
        try:
            seats = data["seats"]
            turns = data["turns"]
            seed = data["seed"]
            if not isinstance(seed, int) or isinstance(seed, bool):
                raise SaveError(f"{source}: save is corrupt (its seed {seed!r} is not a whole number)")
            mode = data.get("history_mode", {})
            if not isinstance(mode, dict) or not all(isinstance(v, int) for v in mode.values()):
                raise SaveError(f"{source}: save is corrupt (its history_mode {mode!r} is not a table of years)")
            game = cls.new(data["scenario"], seats, seed, mode.get("until", False))
            for row in turns:
                game.replay_leaving(mode)
                orders = {pid: Orders.from_json(o) for pid, o in row.items()}
                game.replay_turn(orders)
            game.replay_leaving(mode)
        except SaveError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise SaveError(f"{source}: save is corrupt ({exc})") from None
        return game

    def replay_turn(self, orders: dict[str, Orders]) -> Report:
        """Resolve a recorded turn exactly as it was played (no AI decisions are taken)."""
        batch = encode(self.state, list(orders.values()))
        self.orders_log.append({pid: o.to_json() for pid, o in sorted(orders.items())})
        # keep the AI stream where the original game had it, so play can continue after loading
        for pid, who in self.seats.items():
            if who != HUMAN and pid in orders:
                if who in PERSONAS:
                    decide(self.state, pid, who, self.ai_rng)
                else:
                    self.ai_rng.integers(1 << 62)  # the search's seed: its orders are in the save
        self.state, report = resolve(self.state, batch, self.engine_rng)
        self.reports.append(report)
        self.history.append(self.snapshot(report))
        return report

    @classmethod
    def load(cls, path: str | Path) -> Game:
        """Load a save file; SaveError (one line) for missing, empty, corrupt or newer saves."""
        path = Path(path)
        if not path.exists():
            raise SaveError(f"{path}: no such save file")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SaveError(f"{path}: cannot read save ({exc.__class__.__name__})") from None
        if not text.strip():
            raise SaveError(f"{path}: save file is empty")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SaveError(f"{path}: save is corrupt (not valid JSON at line {exc.lineno})") from None
        return cls.from_save(data, str(path))


def history_years(scenario: Scenario, mode: bool | int | None) -> int | None:
    """The last year of history for a game: None (history off) or a year; ValueError (one line)
    for a scenario without a history deck or a year outside its span."""
    if mode is None:
        return default_until(scenario)
    if mode is False:
        return None
    if scenario.spec.history is None:
        raise ValueError(f"scenario '{scenario.id}' has no history deck; history mode needs one "
                         "(transatlantic-2017 and digital-leninism-2017 have one)")
    if mode is True:
        return scenario.spec.history.until or last_year(scenario)
    # the years the New game screen offers: a year past the deck's last event would only silence
    # the random deck with nothing in its place, and the opening year would be no history at all
    # (a scenario's own `history.until` may reach further: its saves load)
    first, last = scenario.spec.start_year + 1, last_year(scenario)
    if not first <= mode <= last and mode != scenario.spec.history.until:
        raise ValueError(f"history until {mode}: {scenario.id}'s history deck runs {first}-{last}; choose a year "
                         f"in {first}-{last}, or no year for the whole deck")
    return int(mode)


def seat_players(seats: dict[str, str], table: dict[str, str] | None = None) -> dict[str, Player]:
    """The player of every AI seat in `seats`; ValueError (one line) naming the seat with an unknown
    name. A search AI that plays with `known` information is told the course of the scripted AI
    rivals at the `table` (all seats, in power order; default `seats`), as a tournament tells it; a
    human or a searching rival has no fixed course and is read by its doctrine."""
    table = table or seats
    players: dict[str, Player] = {}
    for pid, who in seats.items():
        if who == HUMAN:
            continue
        try:
            players[pid] = make_player(who)
        except ValueError as exc:
            if ":" in who:
                raise ValueError(f"{pid}: {exc}") from None
            raise ValueError(f"unknown persona '{who}' for {pid}; personas are {', '.join(PERSONAS)}; "
                             f"difficulty levels are {', '.join(LEVELS)} (as in hard:planner)") from None
    styles = [None if who == HUMAN else known_course(make_player(who)) for who in table.values()]
    for player in players.values():
        if hasattr(player, "known"):
            player.known = styles
    return players


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once at import, before any thread could race on the process umask


def new_seed() -> int:
    """A fresh seed for a new game, so a returning player meets new luck; short enough to note down
    and type back (`--seed`, the New game screen) to replay the same history."""
    return secrets.randbelow(1_000_000)


def write_atomic(path: Path, text: str, private: bool = False) -> None:
    """Write a file so readers see either the old or the new content, never half of one; `private`
    keeps it to its owner (0600), for files that hold secrets such as join codes."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # name the file the user asked for, not our temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        # mkstemp makes the file private (0600); a save or debrief is an ordinary document
        os.fchmod(fd, 0o600 if private else 0o666 & ~_UMASK)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            # name the file the user asked for, not our temporary one
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise


__all__ = ["HISTORY", "HUMAN", "Game", "N", "SaveError", "new_seed", "seat_players", "write_atomic"]
