"""The debrief: one self-contained, printable HTML page (inline SVG charts, no scripts, no external
files) plus the indicators as CSV, and printable role cards from the same templates."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path
from typing import Any

from game import explain
from game.classroom.regions import OFFER_NAMES
from game.match import Game, write_atomic
from game.wording import Names, significant

CHARTS = (("gdp", "GDP (US$ tn)"), ("growth", "Real growth"), ("stability", "Stability"),
          ("legitimacy", "Legitimacy"), ("approval", "Approval"), ("model_adoption", "Regions leaning to the model"),
          ("standards_share", "Standards share"), ("data_quality", "Data quality"))
CSS = """body{font:14px/1.45 Georgia,serif;max-width:60em;margin:1em auto;color:#111}
h1,h2,h3{font-family:system-ui,sans-serif}table{border-collapse:collapse;width:100%;margin:.5em 0}
td,th{border-bottom:1px solid #ccc;padding:.2em .4em;text-align:left;vertical-align:top;font-size:.9em}
.charts{display:grid;grid-template-columns:repeat(2,1fr);gap:1em}.legend span{margin-right:1em}
.card{border:2px solid #333;border-radius:8px;padding:1em;margin:1em 0;page-break-inside:avoid}
@media print{.card{page-break-after:always}h2{page-break-before:auto}}"""
QUESTIONS = {
    "Planning vs markets": "Did big data let the planner beat the market's price signals (Hayek's knowledge "
                           "problem)? Compare China's efficiency and data quality with its planning share. "
                           "Where did misreporting (Goodhart) creep in?",
    "Privacy vs data power": "The liberal democracies protected privacy; the party-state pooled data. Who gained "
                             "more from their data, and what did each give up in trust or legitimacy?",
    "Infant industries": "Which teams protected their digital champions from foreign bids, and did it pay off? "
                         "Would Alibaba or Huawei exist had eBay or Cisco bought them early?",
    "Standards": "Which standards did the swing regions lock into, and why? Would a common transatlantic "
                 "standard have changed the outcome?",
    "Stability": "Was stability bought with performance or with control? What would have happened to the "
                 "party-state's legitimacy if growth had faltered?",
}


def _e(x: Any) -> str:
    return html.escape(str(x))


def _colour(game: Game, pid: str) -> str:
    setup = next((p for p in game.scenario.spec.powers if p.id == pid), None)
    rgb = getattr(setup, "color", None) or (90, 90, 90)
    return "#{:02x}{:02x}{:02x}".format(*tuple(int(c) for c in rgb))


def svg_chart(game: Game, key: str, title: str, width: int = 420, height: int = 200) -> str:
    """A line chart of one indicator, one line per power, as inline SVG."""
    rows = game.history
    years = [r["year"] for r in rows]
    w = game.world
    names = Names(w)
    # legitimacy is the party-state's measure and approval the democracies': a flat line for a
    # power the indicator does not apply to would read as data in a classroom debrief
    applies = {"legitimacy": w.autocratic, "approval": ~w.autocratic}.get(key)
    series = {pid: [float(r["powers"][pid][key]) for r in rows] for p, pid in enumerate(w.power_ids)
              if applies is None or applies[p]}
    lo = min(min(v) for v in series.values())
    hi = max(max(v) for v in series.values())
    if hi - lo < 1e-9:
        hi, lo = hi + 1, lo - 1
    pad, x0 = 24, 46
    span = max(1, len(years) - 1)

    def xy(i: int, v: float) -> str:
        return f"{x0 + (width - x0 - 8) * i / span:.1f},{height - pad - (height - 2 * pad) * (v - lo) / (hi - lo):.1f}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{_e(title)}"><text x="4" y="14" font-size="13" font-family="sans-serif">{_e(title)}</text>',
             f'<line x1="{x0}" y1="{height - pad}" x2="{width - 8}" y2="{height - pad}" stroke="#999"/>',
             f'<text x="2" y="{pad + 8}" font-size="10">{_e(names.value(key, hi))}</text>',
             f'<text x="2" y="{height - pad}" font-size="10">{_e(names.value(key, lo))}</text>',
             f'<text x="{x0}" y="{height - 6}" font-size="10">{years[0]}</text>',
             f'<text x="{width - 36}" y="{height - 6}" font-size="10">{years[-1]}</text>']
    for pid, values in series.items():
        pts = " ".join(xy(i, v) for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{_colour(game, pid)}" stroke-width="2.2" points="{pts}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _csv_number(value: Any) -> Any:
    return significant(float(value)) if isinstance(value, float) else value


def indicators_csv(game: Game) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    keys = list(game.history[0]["powers"][game.world.power_ids[0]])
    writer.writerow(["year", "power", *keys])
    for row in game.history:
        for pid, values in row["powers"].items():
            # 6 significant digits: the engine computes in float32, whose noise (19.610001) means nothing
            writer.writerow([row["year"], pid, *(_csv_number(values[k]) for k in keys)])
    return out.getvalue()


def regions_csv(game: Game) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["year", "region", "power", "lean", "standard"])
    for row in game.history:
        for rid, reg in row["regions"].items():
            for pid in game.world.power_ids:
                writer.writerow([row["year"], rid, pid, _csv_number(reg["alignment"][pid]),
                                 _csv_number(reg["standard"][pid])])
    return out.getvalue()


def _given_by(game: Game, session: dict[str, Any], meta: dict[str, Any], pid: str, names: Names) -> str:
    """Who gave a power's orders in a year: the team (device), the facilitator's AI takeover, the
    absent-team rule, or an AI seat (a power no team played)."""
    by = meta.get("submitted", {}).get(pid)
    if by is not None:
        return f"team ({_e(by)})"
    if pid in meta.get("takeover", {}):
        return f"AI took over ({_e(names.persona(meta['takeover'][pid]))}), by the facilitator"
    teams = session.get("teams")
    if (teams is not None and pid not in teams) or pid not in meta.get("absent", {}):
        seat = game.seats.get(pid, "")
        if seat in ("", "human"):
            return "team"
        level, _, persona = seat.partition(":")  # "hard:planner" is a difficulty level with its persona
        who = f"{names.persona(level)}, {names.persona(persona)}" if persona else names.persona(seat)
        return f"AI seat ({_e(who)})"
    rule = meta["absent"][pid]
    if rule == "last":
        return "did not submit: repeated its last orders"
    return f"did not submit: AI ({_e(names.persona(rule))})"


def _decisions(game: Game, session: dict[str, Any]) -> str:
    names = Names(game.world)
    out = ["<h2>Decisions, year by year</h2>"]
    turn_log = session.get("turn_log", [])
    verbs = {"propose": "proposes {a} to {p}", "accept": "accepts {a} from {p}",
             "withdraw": "withdraws from {a} with {p}"}
    for t, row in enumerate(game.orders_log):
        year = game.world.start_year + t
        meta = turn_log[t] if t < len(turn_log) else {}
        out.append(f"<h3>{year}</h3><table><tr><th>team</th><th>budget (top levers)</th><th>policies</th>"
                   "<th>dilemma answers and agreements</th><th>given by</th></tr>")
        for pid, o in row.items():
            top = sorted(o["budget"].items(), key=lambda kv: -kv[1])[:4]
            budget = ", ".join(f"{_e(names.lever(k))} {v:.0%}" for k, v in top)
            pols = ", ".join(f"{_e(names.policy(k))}: {_e(names.option(k, v))}" for k, v in o["policies"].items())
            extra = [f"{_e(names.event(k))}: {_e(names.choice(k, v))}" for k, v in o["answers"].items()]
            extra += [_e(verbs[kind].format(a=names.agreement(a), p=names.power(p)))
                      for kind in ("propose", "accept", "withdraw") for a, p in o[kind]]
            out.append(f"<tr><td>{_e(names.power(pid))}</td><td>{budget}</td><td>{pols}</td>"
                       f"<td>{'; '.join(extra) or '—'}</td><td>{_given_by(game, session, meta, pid, names)}</td></tr>")
        for rid, by_power in meta.get("regions", {}).items():
            text = "; ".join(f"{_e(names.power(p))}: " + ", ".join(f"{_e(k)} {'accepted' if v else 'rejected'}"
                                                                   for k, v in d.items()) for p, d in by_power.items())
            out.append(f"<tr><td>{_e(names.team(rid))}</td><td colspan=3>{text or 'no decisions'}</td>"
                       "<td>region team</td></tr>")
        for item in meta.get("injected", []):
            out.append(f"<tr><td>facilitator</td><td colspan=4>injected the event '{_e(names.event(item['event']))}' "
                       f"for {_e(names.power(item['power']))}</td></tr>")
        out.append("</table>")
    return "".join(out)


def _events(game: Game, session: dict[str, Any]) -> list[str]:
    """The engine's news and the session's (region choices, the facilitator's lines), year by year;
    within a year the engine's first. Only the facilitator's own lines say "(facilitator)"."""
    rows: list[tuple[int, int, str]] = []
    for row in game.history:
        rows += [(int(row["year"]), 0, line) for line in row["news"]]
    for n in session.get("news", []):
        who = n.get("by", "facilitator")
        mark = " (facilitator)" if who == "facilitator" else ""
        rows.append((int(n["year"]), 1, f"{n['year']}: {n['text']}{mark}"))
    return [text for _, _, text in sorted(rows, key=lambda r: (r[0], r[1]))]


def debrief_html(session: dict[str, Any], game: Game) -> str:
    """The whole debrief as one HTML document."""
    spec = game.scenario.spec
    names = Names(game.world)
    questions = "".join(f"<h3>{_e(k)}</h3><p>{_e(v)}</p>" for k, v in QUESTIONS.items())
    head = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Debrief: {_e(spec.name)}</title>"
            f"<style>{CSS}</style></head><body><h1>Debrief: {_e(spec.name)}</h1><p>{_e(spec.briefing)}</p>")
    if game.state.turn == 0:
        # charts of a single starting point and a "winner" by 2017's numbers would read as a result
        return (f"{head}<h2>Verdict</h2><p><b>Not played.</b> The session ended before any year was played: "
                f"there is no result and no winner, and nothing to chart.</p>"
                f"<h2>Questions for discussion</h2>{questions}</body></html>")
    res = game.result()
    legend = "".join(f'<span><b style="color:{_colour(game, pid)}" aria-hidden=true>&#9632;</b> {_e(name)}</span>'
                     for pid, name in zip(game.world.power_ids, game.world.power_names, strict=True))
    charts = "".join(f"<div>{svg_chart(game, k, t)}</div>" for k, t in CHARTS)
    scores = "".join(f"<tr><td>{_e(names.power(pid))}</td><td>{v:.1f}</td><td>"
                     + _e("; ".join(explain.score_parts(game, pid, res["components"][pid])))
                     + "</td></tr>" for pid, v in res["scores"].items())
    events = "".join(f"<li>{_e(line)}</li>" for line in _events(game, session))
    winner = f" — winner: {_e(names.power(res['winner']))}" if res["winner"] else ""
    if game.over:
        ended = ""
    elif session.get("ended"):
        ended = (f"<p><i>The session was ended after {game.state.turn} of {game.world.n_turns} years; the result "
                 "is the standing at that point.</i></p>")
    else:
        ended = (f"<p><i>The session is still in progress: {game.state.turn} of {game.world.n_turns} years "
                 "played so far; the result is the standing now.</i></p>")
    return (f"{head}<h2>Verdict</h2>{ended}<p><b>{_e(names.persona(res['outcome']))}</b>{winner}. "
            f"{_e(res['verdict'])}</p>"
            f"<table><tr><th>power</th><th>score</th><th>components (0-1)</th></tr>{scores}</table>"
            f"<p><i>{_e(explain.SCORE_PAR_NOTE)}</i></p>"
            f"<h2>Indicators</h2><p class=legend>{legend}</p><div class=charts>{charts}</div>"
            f"{_decisions(game, session)}<h2>Events and choices</h2><ul>{events}</ul>"
            f"<h2>Questions for discussion</h2>{questions}</body></html>")


def write_debrief(session: dict[str, Any], out: Path, game: Game | None = None) -> Path:
    """Write debrief.html, indicators.csv, regions.csv and role-cards.html into `out`; return the HTML path."""
    if game is None:
        game = Game.from_save(session["game"]) if "game" in session else Game.from_save(session)
    out = Path(out)
    write_atomic(out / "debrief.html", debrief_html(session, game))
    write_atomic(out / "indicators.csv", indicators_csv(game))
    write_atomic(out / "regions.csv", regions_csv(game))
    url = session.get("url")
    write_atomic(out / "role-cards.html", role_cards_html(game, url=url if isinstance(url, str) else None))
    return out / "debrief.html"


def role_cards_html(game: Game, codes: dict[str, str] | None = None, url: str | None = None) -> str:
    """One printable card per power and per swing region, with the address students open (a blank
    line to fill in when it is not known) and the team's join code when given."""
    from game.classroom.views import power_position
    codes = codes or {}
    where = _e(url) if url else "______________________________"

    def code(team: str) -> str:
        text = f"<p><b>Join at:</b> {where}</p>"
        return text + (f"<p><b>Join code: {_e(codes[team])}</b></p>" if team in codes else "")
    w, rules = game.world, game.scenario.rules
    cards = []
    for p, pid in enumerate(w.power_ids):
        d = w.doctrine(pid)
        levers = ", ".join(_e(lv.name) for i, lv in enumerate(rules.levers) if w.lever_open[p, i])
        pols = ", ".join(_e(q.name) for i, q in enumerate(rules.policies) if w.policy_open[p, i])
        cards.append(f"<div class=card><h2>{_e(w.power_names[p])}</h2><p><b>{_e(d.name)}.</b> {_e(d.description)}</p>"
                     f"<p><b>Your position:</b> {_e(power_position(game, pid))}</p>"
                     f"<p><b>Your levers:</b> {levers}</p><p><b>Your policies:</b> {pols}</p>"
                     f"<p><b>You win by</b> productivity, stability, winning the swing regions to your model and "
                     f"their networks to your standards.</p>{code(pid)}</div>")
    offers = "".join(f"<li>{_e(v)}</li>" for v in OFFER_NAMES.values())
    for region in game.scenario.regions:
        if region.id not in game.scenario.playable_regions:
            continue
        cards.append(f"<div class=card><h2>{_e(region.name)} (swing region)</h2><p>GDP US$ {region.gdp} tn, "
                     f"{region.population:.0f} m people, {region.internet:.0%} online.</p><p>Each year every power "
                     f"offers you:</p><ul>{offers}</ul><p>Accept what serves your people; the model that proves "
                     f"politically effective, economically productive and socially stable will draw you in.</p>"
                     f"{code(region.id)}</div>")
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Role cards</title><style>{CSS}</style>"
            f"</head><body><h1>Role cards: {_e(game.scenario.spec.name)}</h1>{''.join(cards)}</body></html>")
