"""What each screen is allowed to see, as JSON: the public view (projector, every page), a team's
private view (role card, own indicators, draft, dilemma, offers) and the facilitator's view.
A team's view never contains another team's draft or submitted orders."""

from __future__ import annotations

from typing import Any

from game.classroom.regions import OFFER_NAMES, OFFERS, offer_strength
from game.classroom.session import ClassSession
from game.engine.rules_of_play import change_price
from game.engine.world import N
from game.wording import Names

PUBLIC = ("gdp", "growth", "stability", "model_adoption", "standards_share")
PRIVATE = ("gdp", "growth", "reported_growth", "stability", "legitimacy", "approval", "protest",
           "data_stock", "data_quality", "ai_capability", "efficiency", "standards_share",
           "model_adoption", "political_capital", "champions", "bubble", "privacy_trust")


NOT_PLAYED = {"over": False, "outcome": "not played", "winner": None, "victory_type": None, "scores": {},
              "components": {}, "verdict": "The session ended before any year was played: no result and no winner."}
def session_result(s: ClassSession) -> dict[str, Any] | None:
    """The final result once the session is over; with no year played there is no winner to name."""
    g = s.game
    if not (g.over or s.ended):
        return None
    if g.state.turn == 0:
        result: dict[str, Any] = dict(NOT_PLAYED)
    else:  # each score's parts in words, productivity and stability against their pars
        from game import explain
        result = g.result()
        result["parts"] = {pid: explain.score_parts(g, pid, result["components"][pid]) for pid in result["scores"]}
        result["par_note"] = explain.SCORE_PAR_NOTE
    return {**result, "years_played": int(g.state.turn), "years_total": int(g.world.n_turns)}


def _ind(s: ClassSession, ident: str) -> dict[str, Any]:
    rules = s.game.scenario.rules
    d = next((i for i in rules.indicators if i.id == ident), None)
    return {"id": ident, "name": d.name if d else ident, "unit": d.unit if d else "",
            "description": d.description if d else "", "drivers": d.drivers if d else ""}


def public_view(s: ClassSession) -> dict[str, Any]:
    g, w = s.game, s.game.world
    powers = {pid: {"name": w.power_names[p], "collapsed": g.collapsed(pid),
                    **{k: round(g.value(pid, k), 4) for k in PUBLIC}}
              for p, pid in enumerate(w.power_ids)}
    regions = {}
    for r, rid in enumerate(w.region_ids):
        align, adopt = g.state.alignment[0, r], g.state.adoption[0, r]
        regions[rid] = {"name": w.region_names[r],
                        "leans": {pid: round(float(align[p]), 3) for p, pid in enumerate(w.power_ids)},
                        "standard": {pid: round(float(adopt[p]), 3) for p, pid in enumerate(w.power_ids)}}
    news = list(g.history[-1]["news"]) + [f"{n['year']}: {n['text']}" for n in s.news if n["year"] == g.year]
    return {"scenario": g.scenario.spec.name, "year": g.year, "end_year": g.scenario.spec.end_year,
            "remaining": round(s.time_left(), 1), "paused": s.paused, "ended": s.ended or g.over,
            "started": s.started, "history": history_view(s),
            "teams": {t: {"name": v.name, "kind": v.kind, "submitted": t in s.submitted,
                          "ai": s.takeover.get(t)} for t, v in s.teams.items()},
            "powers": powers, "regions": regions, "news": news[-40:],
            "indicators": [_ind(s, k) for k in PUBLIC],
            "result": session_result(s)}


def history_view(s: ClassSession) -> dict[str, Any] | None:
    """History mode as the pages show it: the first year the class plays on its own, whether the
    facilitator left history early, and whether leaving now would still change anything (the year
    under way always ends as it happened). None when the session does not play history."""
    own = s.own_from()
    if own is None:
        return None
    can_leave = own > s.game.year + 1 and not (s.ended or s.game.over)
    return {"own_from": own, "left": "left_at" in s.game.history_mode, "can_leave": can_leave}


# A power team's own indicators in its turn report, each with the causes the desktop report gives.
OWN = ("gdp", "growth", "stability", "political_capital", "data_stock", "ai_capability", "standards_share",
       "model_adoption")


def own_report(s: ClassSession, team: str) -> list[dict[str, Any]]:
    """The team's own indicators last year: before, after, change and why (the engine's causes,
    read as the desktop's turn report reads them)."""
    from game import explain  # the desktop's reading of the causes, shared
    g = s.game
    rep, names, w = g.reports[-1], Names(g.world), g.world
    p = w.power_index(team)
    extra = ("legitimacy",) if w.autocratic[p] else ("approval",)
    rows = []
    for ind in (*OWN, *extra):
        col = w.column(ind)
        before, after = float(rep.before[0, p, col]), float(rep.after[0, p, col])
        regions = explain.regional(g, team, ind, rep.year)
        if regions is not None:
            label, why = explain.regional_label(g, team, ind), regions
        else:
            label, causes = explain.causes(g, rep, team, ind)
            why = explain.causes_text(w, label, causes, ind, 4) + explain.crash_note(rep, team, ind)
        rows.append({"id": ind, "name": _ind(s, ind)["name"], "before": names.value(ind, before),
                     "after": names.value(ind, after), "change": names.change(ind, after - before),
                     "why": f"{label}: {why}" if why else ""})
    return rows


def report_view(s: ClassSession, team: str | None = None) -> dict[str, Any] | None:
    """The last resolved year: news and, per power, the change of the public indicators; for a
    power team also its own indicators with their causes."""
    g = s.game
    if not g.reports:
        return None
    rep = g.reports[-1]
    data = rep.to_json(indicators=PUBLIC)
    names = Names(g.world)
    powers = {pid: {k: {**v, "text": names.value(k, v["after"]), "change": names.change(k, v["after"] - v["before"])}
                    for k, v in row.items()} for pid, row in data["powers"].items()}
    # the engine dates a year's news by the year it leads into (elections fall in their scenario
    # year), so the report names both years: "Turn report: 2018 (news as 2019 begins)"
    out = {"year": rep.year - 1, "news_year": rep.year, "news": data["news"], "powers": powers}
    if team is not None and team in g.world.power_ids:
        out["own"] = own_report(s, team)
    return out


def _power_card(s: ClassSession, team: str) -> dict[str, Any]:
    g, w = s.game, s.game.world
    rules, names = g.scenario.rules, Names(w)
    p = w.power_index(team)
    doctrine = w.doctrine(team)
    levers = [{"id": lv.id, "name": lv.name, "description": lv.description}
              for i, lv in enumerate(rules.levers) if w.lever_open[p, i]]
    policies = []
    for i, pol in enumerate(rules.policies):
        if w.policy_open[p, i]:
            policies.append({"id": pol.id, "name": pol.name, "description": pol.description,
                             "current": w.option_ids[i][int(g.state.policy[0, p, i])],
                             "change_cost": round(change_price(w, pol.id), 1),
                             "options": [{"id": o.id, "name": o.name} for o in pol.options]})
    pending = int(g.state.pending[0, p])
    dilemma = None
    if pending >= 0 and not g.over:  # a dilemma drawn as the game ended can never be answered
        ev = rules.events[pending]
        dilemma = {"id": ev.id, "name": ev.name, "text": ev.text,
                   "choices": [{"id": c.id, "label": c.label, "explanation": c.explanation} for c in ev.choices]}
    offers, open_ = [], []
    for a, ag in enumerate(rules.agreements):
        for q, other in enumerate(w.power_ids):
            if other == team or not (w.agreement_open[p, a] and w.agreement_open[q, a]):
                continue
            if g.state.agreement[0, a, p, q]:
                open_.append({"agreement": ag.id, "name": ag.name, "partner": other, "signed": True})
                continue
            open_.append({"agreement": ag.id, "name": ag.name, "partner": other, "signed": False,
                          "description": ag.description})
            if g.state.proposal[0, a, q, p]:
                offers.append({"agreement": ag.id, "name": ag.name, "from": other,
                               "description": ag.description})
    return {"doctrine": doctrine.name, "doctrine_text": doctrine.description,
            "budget_share": doctrine.budget_share, "levers": levers, "policies": policies,
            "dilemma": dilemma, "offers": offers, "agreements": open_,
            # the same text as in the indicators table: one rounding for one number
            "political_capital": names.value("political_capital", float(g.state.nation[0, p, N.POLITICAL_CAPITAL])),
            "indicators": [{**_ind(s, k), "value": round(g.value(team, k), 4),
                            "text": names.value(k, g.value(team, k))} for k in PRIVATE]}


def _region_card(s: ClassSession, team: str) -> dict[str, Any]:
    g, w = s.game, s.game.world
    r, names = w.region_ids.index(team), Names(w)
    rd = next(x for x in g.scenario.regions if x.id == team)
    powers = []
    for p, pid in enumerate(w.power_ids):
        powers.append({"id": pid, "name": w.power_names[p],
                       "lean": round(float(g.state.alignment[0, r, p]), 3),
                       "standard": round(float(g.state.adoption[0, r, p]), 3),
                       "ties": round(float(g.state.ties[0, r, p]), 3),
                       "growth": round(g.value(pid, "growth"), 4), "stability": round(g.value(pid, "stability"), 1),
                       "stability_text": names.value("stability", g.value(pid, "stability")),
                       "offers": [{"id": o, "name": OFFER_NAMES[o],
                                   "strength": round(offer_strength(g.state, pid, o), 2)} for o in OFFERS]})
    return {"region": {"name": rd.name, "gdp": rd.gdp, "population": rd.population,
                       "internet": rd.internet, "autocracy": rd.autocracy},
            "powers": powers}


def team_view(s: ClassSession, team: str) -> dict[str, Any]:
    """Everything one team may see: never another team's draft or orders."""
    t = s.teams[team]
    card = _power_card(s, team) if t.kind == "power" else _region_card(s, team)
    draft = s.drafts.get(team) or s.default_draft(team)
    return {"team": team, "name": t.name, "kind": t.kind, "briefing": s.game.scenario.spec.briefing,
            "position": power_position(s.game, team) if t.kind == "power" else "",
            "card": card, "draft": draft, "draft_by": s.draft_by.get(team, ""),
            "submitted": s.submitted.get(team), "ai": s.takeover.get(team),
            "public": public_view(s), "report": report_view(s, team)}


def projection(s: ClassSession, team: str, payload: Any) -> list[dict[str, Any]]:
    """What the desktop's projection shows for a draft: the main indicators now and the median of
    simulated years with these orders (other teams assumed to hold their course: no draft leaks)."""
    from game.draft import PROJECTION_DRAWS, Draft  # the desktop's own projection
    orders = s.check_draft(team, payload)
    g, names = s.game, Names(s.game.world)
    draft = Draft(game=g, power=team, budget=dict(orders.get("budget", {})), policies=dict(orders.get("policies", {})),
                  answers=dict(orders.get("answers", {})),
                  propose={(str(a), str(b)) for a, b in orders.get("propose", [])},
                  accept={(str(a), str(b)) for a, b in orders.get("accept", [])},
                  withdraw={(str(a), str(b)) for a, b in orders.get("withdraw", [])})
    rows = []
    for ind, (now, median) in draft.project(seed=g.seed * 1000 + g.state.turn, draws=PROJECTION_DRAWS).items():
        rows.append({"id": ind, "name": _ind(s, ind)["name"], "now": names.value(ind, now),
                     "median": names.value(ind, median), "change": names.change(ind, median - now)})
    return rows


def facilitator_view(s: ClassSession, devices: dict[str, list[str]]) -> dict[str, Any]:
    """Teams with codes and devices, the deck of events, the personas (never drafts' contents)."""
    from game.ai.personas import PERSONAS
    rules, w = s.game.scenario.rules, s.game.world
    return {"public": public_view(s), "report": report_view(s), "absent": s.absent,
            "codes": {t: v.code for t, v in s.teams.items()}, "devices": devices,
            "events": [{"id": e.id, "name": e.name, "doctrines": list(e.doctrines)} for e in rules.events],
            "personas": list(PERSONAS), "persona_names": {p: Names.persona(p) for p in PERSONAS},
            "powers": list(w.power_ids), "doctrine_of": dict(zip(w.power_ids, w.doctrine_of, strict=True))}


def power_position(game: Any, power: str) -> str:
    """A power's own starting position, from its scenario entry: what sets the USA's card apart from
    the EU's when both follow the same doctrine."""
    setup = next(p for p in game.scenario.spec.powers if p.id == power)
    parts = [f"In {game.world.start_year}: GDP ${setup.gdp:.1f} tn growing {100 * setup.growth:.1f}% a year",
             f"{setup.population:.0f} m people, {100 * setup.internet:.0f}% online",
             f"{setup.champions} digital champion{'' if setup.champions == 1 else 's'}",
             f"R&D {100 * setup.rd_share:.1f}% of GDP"]
    text = ", ".join(parts) + "."
    spec = game.scenario.spec
    for label, years in (("Elections", setup.election_years), ("Party Congress", setup.congress_years)):
        within = [str(y) for y in years if spec.start_year <= y <= spec.end_year]
        if within:
            text += f" {label} in {', '.join(within)}."
    return text
