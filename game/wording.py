"""Words and numbers as a player reads them, without pygame: the classroom pages, the debrief and its
CSV use this module so that the web shows the same numbers as the desktop dashboard.

`fmt_value`/`fmt_change` are the one formatting of indicator values, keyed by the unit each
indicator declares in indicators.yaml (game/ui/tips.py wraps them for the desktop); `Names` turns
the ids of a scenario's rules (powers, events, choices, policies, options, levers, agreements,
doctrines, personas) into the `name`/`label` the rules give them. One place, so no page keeps its
own dictionary of names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.engine import World

PERCENT_UNITS = ("%", "share", "share of population")


def fmt_value(unit: str, value: float) -> str:
    """A value as a player reads it: 6.9%, $12.31 tn, 64/100, 4 firms."""
    if unit in PERCENT_UNITS:
        return f"{100 * value:.1f}%"
    if unit == "0-100":
        return f"{value:.0f}/100"
    if unit == "firms":
        return f"{value:.0f} firms"
    if unit == "points":
        return f"{value:.0f}"
    if unit.startswith("US$ tn"):
        return f"${value:.2f} tn"
    return f"{value:.2f}"


def fmt_change(unit: str, delta: float) -> str:
    """A change: percentages in percentage points (+0.4 pp), levels in their own terms."""
    if unit in PERCENT_UNITS:
        return f"{100 * delta:+.1f} pp"
    if unit in ("0-100", "points", "firms"):
        return f"{delta:+.1f}"
    if unit.startswith("US$ tn"):  # a bare "+0.78" next to "$13.85 tn" leaves the reader guessing
        return f"{'-' if delta < 0 else '+'}${abs(delta):.2f} tn"
    return f"{delta:+.2f}"


def significant(value: float, digits: int = 6) -> float:
    """A float rounded to `digits` significant digits: 19.610001 (float32 noise) -> 19.61."""
    return float(f"{value:.{digits}g}")


def words(ident: str) -> str:
    """An id with no name in the rules, readable: free_marketeer -> Free marketeer."""
    text = ident.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


class Names:
    """Id -> display name for one scenario's rules; unknown ids come back as readable words."""

    def __init__(self, world: World) -> None:
        rules = world.scenario.rules
        self.world = world
        self.powers = dict(zip(world.power_ids, world.power_names, strict=True))
        self.regions = dict(zip(world.region_ids, world.region_names, strict=True))
        self.events = {e.id: e for e in rules.events}
        self.policies = {p.id: p for p in rules.policies}
        self.levers = {lv.id: lv.name for lv in rules.levers}
        self.agreements = {a.id: a.name for a in rules.agreements}
        self.doctrines = {d.id: d.name for d in rules.doctrines}
        self.indicators = {i.id: i for i in rules.indicators}

    def power(self, pid: str) -> str:
        return self.powers.get(pid) or words(pid)

    def team(self, tid: str) -> str:
        """A power or a swing region."""
        return self.powers.get(tid) or self.regions.get(tid) or words(tid)

    def event(self, eid: str) -> str:
        ev = self.events.get(eid)
        return ev.name if ev else words(eid)

    def choice(self, eid: str, cid: str) -> str:
        ev = self.events.get(eid)
        return next((c.label for c in ev.choices if c.id == cid), words(cid)) if ev else words(cid)

    def policy(self, pid: str) -> str:
        pol = self.policies.get(pid)
        return pol.name if pol else words(pid)

    def option(self, pid: str, oid: str) -> str:
        pol = self.policies.get(pid)
        return next((o.name for o in pol.options if o.id == oid), words(oid)) if pol else words(oid)

    def lever(self, lid: str) -> str:
        return self.levers.get(lid) or words(lid)

    def agreement(self, aid: str) -> str:
        return self.agreements.get(aid) or words(aid)

    def doctrine(self, did: str) -> str:
        return self.doctrines.get(did) or words(did)

    def indicator(self, iid: str) -> str:
        d = self.indicators.get(iid)
        return d.name if d else words(iid)

    def unit(self, iid: str) -> str:
        d = self.indicators.get(iid)
        return d.unit if d else ""

    def value(self, iid: str, value: float) -> str:
        """An indicator's value in its unit (fmt_value)."""
        return fmt_value(self.unit(iid), value)

    def change(self, iid: str, delta: float) -> str:
        return fmt_change(self.unit(iid), delta)

    @staticmethod
    def persona(name: str) -> str:
        """An AI persona: status_quo -> "Status quo" (personas have no display name of their own)."""
        return words(name)

    def seat(self, who: str) -> str:
        """Who played a team in a year: an AI persona ("AI: Status quo") or the absent rule."""
        if who in ("", "last"):
            return "repeated its last orders"
        return f"AI: {self.persona(who)}"
