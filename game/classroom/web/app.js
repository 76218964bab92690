// Systemic classroom page: one script for team and facilitator views. Plain DOM, one WebSocket,
// reconnects by itself with the code kept in this browser (sessionStorage + localStorage).
"use strict";
const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== false && v !== null && v !== undefined) e.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids) if (kid !== null && kid !== undefined) e.append(kid);
  return e;
};
const pct = (x) => (100 * x).toFixed(1) + "%";

let ws = null, code = null, device = null, seq = 0, view = null, draft = null, deadline = 0, paused = false;
let backoff = 500, sendTimer = null;
const picks = {};  // the facilitator's choices in menus, kept when the page is redrawn

// A redraw (a teammate's edit, a facilitator action) replaces the page's controls: the one with the
// keyboard focus is found again by what it is and focused, so keyboard and screen-reader users keep their place.
function focusKey(e) {
  if (!e || e === document.body) return null;
  for (const a of ["id", "data-lever", "data-policy", "data-offer", "data-accept", "data-k"])
    if (e.getAttribute && e.getAttribute(a)) return [a, e.getAttribute(a), e.value || ""];
  return null;
}
function keepFocus(render) {
  const key = focusKey(document.activeElement);
  render();
  if (!key) return;
  const [a, v, val] = key;
  const all = [...document.querySelectorAll("[" + a + "]")].filter((e) => e.getAttribute(a) === v);
  const again = all.find((e) => (e.value || "") === val) || all[0];
  if (again && again !== document.activeElement) again.focus({ preventScroll: true });
}
// An explanation that opens with a tap (phones have no hover): the name is a <summary>.
const explained = (name, text, tag = "span") => text
  ? el("details", { class: "explain" }, el("summary", { text: name }), el("p", { class: "muted", text }))
  : el(tag, { text: name });

function showError(text, notice = false) {
  const box = $("#error");
  box.textContent = text; box.hidden = !text; box.className = notice ? "notice" : "error";
  if (text) setTimeout(() => { if (box.textContent === text) box.hidden = true; }, 6000);
}

function connect() {
  ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
  ws.onopen = () => {
    backoff = 500; $("#conn").textContent = "online"; $("#conn").className = "conn on";
    if (code) send({ type: "join", code, device });
  };
  ws.onclose = () => {
    $("#conn").textContent = "reconnecting…"; $("#conn").className = "conn";
    setTimeout(connect, backoff); backoff = Math.min(backoff * 2, 8000);
  };
  ws.onmessage = (ev) => receive(JSON.parse(ev.data));
}
function send(msg) { if (ws && ws.readyState === 1) ws.send(JSON.stringify(msg)); }

function receive(msg) {
  if (msg.type === "error") {
    showError(msg.message);
    if (/unknown code|too many wrong codes/.test(msg.message) && !view) { code = null; sessionStorage.removeItem("code"); }
    return;
  }
  if (msg.type === "team" || msg.type === "facilitator") {
    const first = !view;
    view = msg; $("#join-panel").hidden = true; $("#app").hidden = false;
    sessionStorage.setItem("code", code); localStorage.setItem("device", device);
    if (msg.type === "team") { draft = structuredClone(msg.draft); keepFocus(renderTeam); } else keepFocus(renderFacilitator);
    setClock(msg.public);
    if (first) { const h = $("#app h2"); h.tabIndex = -1; h.focus(); }  // after joining, the keyboard starts at the page's first heading
  } else if (msg.type === "projection") {
    showProjection(msg.rows);
  } else if (msg.type === "status" && view) {
    view.public = msg; setClock(msg); renderStatus();
  } else if (msg.type === "draft" && view && view.type === "team") {
    draft = structuredClone(msg.draft); view.draft_by = msg.by;
    if (msg.by !== device) keepFocus(renderTeam); else $("#draft-by").textContent = "Last change: " + msg.by;
  } else if (msg.type === "ok" && msg.path) {
    showError("Debrief written to " + msg.path, true);
  } else if (msg.type === "ok" && msg.message) {
    showError(msg.message, true);  // the facilitator sees that an action took effect
  }
}

function setClock(pub) { deadline = Date.now() + 1000 * pub.remaining; paused = pub.paused; tick(); }
function tick() {
  if (!view) return;
  const pub = view.public;
  $("#year").textContent = pub.ended ? "Game over" : "Year " + pub.year + " of " + pub.end_year;
  const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
  $("#clock").textContent = pub.ended ? "" : pub.started === false ? "waiting for the start"
    : paused ? "paused " + fmt(left) : fmt(left);
}
const fmt = (s) => Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
setInterval(tick, 500);

function statusCard(pub) {
  const chips = el("div", { class: "chips", id: "status" });
  for (const [id, t] of Object.entries(pub.teams))
    chips.append(el("span", { class: t.submitted ? "done" : "", "data-team": id,
      text: t.name + (t.submitted ? " ✓" : t.ai ? " (AI)" : "") }));
  return el("div", { class: "card" }, el("h2", { text: "Teams" }), chips);
}
function renderStatus() {
  const old = $("#status"); if (old) old.parentElement.replaceWith(statusCard(view.public));
}

function newsCard(pub, report) {
  const card = el("div", { class: "card", id: "report" });
  if (report) {
    card.append(el("h2", { text: "Turn report: " + report.year + " (news as " + report.news_year + " begins)" }));
    const t = el("table", {}, el("tr", {}, el("th", { text: "" }),
      ...Object.keys(report.powers).map((p) => el("th", { text: pub.powers[p].name }))));
    for (const ind of pub.indicators) {
      t.append(el("tr", {}, el("td", {}, explained(ind.name, ind.description)),
        ...Object.keys(report.powers).map((p) => {
          const v = report.powers[p][ind.id];  // formatted by the server in the indicator's unit
          return el("td", { class: "num" }, el("span", { text: v.text }), " ", el("small", { text: "(" + v.change + ")" }));
        })));
    }
    card.append(t);
    if (report.own) {
      const own = el("table", { class: "own" }, el("tr", {}, ...["Your indicator", "Before", "After", "Change"]
        .map((h) => el("th", { text: h }))));
      for (const r of report.own)
        own.append(el("tr", {}, el("td", { text: r.name }), el("td", { class: "num", text: r.before }),
          el("td", { class: "num", text: r.after }), el("td", { class: "num", text: r.change })),
          el("tr", { class: "why" }, el("td", { colspan: 4, class: "muted", text: r.why })));
      card.append(el("h3", { text: "Your country: what changed and why" }), own);
    }
  } else card.append(el("h2", { text: "News" }));
  const ul = el("ul");
  for (const line of pub.news) ul.append(el("li", { text: line }));
  if (!pub.news.length) ul.append(el("li", { class: "muted", text: "No news yet." }));
  card.append(ul);
  return card;
}

function endedCard(pub) {
  return el("div", { class: "card ended" }, el("h2", { text: "The session has ended" }), resultBlock(pub));
}
function resultBlock(pub) {
  const r = pub.result, box = el("div", { id: "result" }, el("h3", { text: "Final result" }));
  if (r.winner) box.append(el("p", {}, el("b", { text: "Winner: " + pub.powers[r.winner].name })));
  const scores = Object.entries(r.scores);
  if (scores.length)
    box.append(el("p", { text: "Scores: " + scores.map(([p, s]) => pub.powers[p].name + " " + s.toFixed(1)).join(", ") }));
  if (r.parts) {  // each score's parts: productivity and stability are measured against a par
    const ul = el("ul", { class: "score-parts" });
    for (const [p, parts] of Object.entries(r.parts))
      ul.append(el("li", { text: pub.powers[p].name + " " + r.scores[p].toFixed(1) + ": " + parts.join("; ") }));
    box.append(ul, el("p", { class: "muted", text: r.par_note }));
  }
  box.append(el("p", { text: r.verdict }));
  if (r.years_played > 0 && r.years_played < r.years_total)
    box.append(el("p", { class: "muted", text: "Ended after " + r.years_played + " of " + r.years_total
      + " years: this is the standing at that point." }));
  return box;
}

// ------------------------------------------------------------------ team page
function changed() {
  clearTimeout(sendTimer); sendTimer = null;
  $("#draft-by").textContent = "Last change: " + device + " (sending…)";
  sendTimer = setTimeout(() => { sendTimer = null; send({ type: "draft", orders: draft, seq: ++seq }); }, 120);
}
function submitOrders() {
  // the draft goes with the submission: a choice made a moment before Submit is never left behind
  clearTimeout(sendTimer); sendTimer = null;
  send({ type: "submit", orders: draft, seq: ++seq });
}

function renderTeam() {
  const v = view, app = $("#app"), done = !!v.submitted, locked = done || !!v.ai || v.public.ended;
  app.replaceChildren();
  app.append(el("div", { class: "card" },
    el("h2", { text: v.name + (v.kind === "region" ? " (swing region)" : "") }),
    el("details", {}, el("summary", { text: "Briefing and role card" }), el("p", { text: v.briefing }),
      v.kind === "power" ? el("div", {}, el("p", {}, el("b", { text: v.card.doctrine + ": " }), v.card.doctrine_text),
        el("p", {}, el("b", { text: "Your position: " }), v.position))
        : el("p", { text: "You decide whose offers of infrastructure, standards and data deals your region takes. "
          + "Accepting ties you to that power's model; rejecting pushes it away." }))));
  if (v.public.ended && v.public.result) app.append(endedCard(v.public));
  const dilemma = v.kind === "power" && v.card.dilemma;
  $("#badge").hidden = !dilemma || locked;
  if (dilemma) app.append(dilemmaCard(v.card.dilemma, locked));  // a decision waits: it comes first
  app.append(statusCard(v.public));
  if (v.report || v.public.news.length) app.append(newsCard(v.public, v.report));
  if (v.kind === "power") renderPower(app, v, locked); else renderRegion(app, v, locked);
  const sub = el("div", { class: "card" },
    el("p", { id: "draft-by", class: "muted", text: v.draft_by ? "Last change: " + v.draft_by : "Nobody has changed the draft yet." }),
    el("p", { id: "submit-why", class: "over", hidden: true }),
    // aria-disabled, not disabled: a blocked Submit stays in the Tab order and says why
    el("button", { id: "submit", class: "primary", disabled: locked, "aria-describedby": "submit-why budget-total",
      onclick: () => { if ($("#submit").getAttribute("aria-disabled") !== "true") submitOrders(); else $("#submit-why").focus(); },
      text: v.public.ended ? "The session has ended" : done ? "Submitted by " + v.submitted.by + " — waiting for the other teams"
        : v.ai ? "The AI plays your team" : "Submit orders" }));
  app.append(sub);
}

function dilemmaCard(d, locked) {
  const box = el("div", { class: "card dilemma", id: "dilemma", role: "group", "aria-labelledby": "dilemma-h" },
    el("h2", { id: "dilemma-h", text: "Decide now — dilemma: " + d.name }), el("p", { text: d.text }));
  for (const ch of d.choices) {
    const r = el("input", { type: "radio", name: "dilemma", value: ch.id, disabled: locked,
      onchange: () => { draft.answers = { [d.id]: ch.id }; changed(); } });
    r.checked = (draft.answers || {})[d.id] === ch.id;
    box.append(el("label", {}, r, " ", el("b", { text: ch.label }), el("br"), el("small", { text: ch.explanation })));
  }
  return box;
}

function renderPower(app, v, locked) {
  const c = v.card;
  const ind = el("table", {});
  for (const i of c.indicators)
    ind.append(el("tr", {}, el("td", {}, explained(i.name, i.description + (i.drivers ? " Drivers: " + i.drivers : ""))),
      el("td", { class: "num", text: i.text })));
  app.append(el("div", { class: "grid2" },
    el("div", { class: "card" }, el("h2", { text: "Your indicators" }), ind),
    budgetCard(c, locked)));
  const pol = el("div", { class: "card" }, el("h2", { text: "Policies" }),
    el("p", { class: "muted", text: "Political capital: " + c.political_capital + ". Changing a policy costs capital." }));
  for (const p of c.policies) {
    const sel = el("select", { "data-policy": p.id, disabled: locked, onchange: (e) => { draft.policies[p.id] = e.target.value; changed(); } });
    for (const o of p.options) sel.append(el("option", { value: o.id, text: o.name + (o.id === p.current ? " (current)" : "") }));
    sel.value = draft.policies[p.id] || p.current;
    sel.setAttribute("aria-label", p.name);
    pol.append(el("div", { class: "policy" }, explained(p.name, p.description), el("span", { class: "muted", text: " change costs " + p.change_cost }), sel));
  }
  app.append(pol);
  const agr = el("div", { class: "card" }, el("h2", { text: "Agreements" }));
  const has = (list, a, p) => (draft[list] || []).some((x) => x[0] === a && x[1] === p);
  const toggle = (list, a, p, on) => {
    draft[list] = (draft[list] || []).filter((x) => !(x[0] === a && x[1] === p));
    if (on) draft[list].push([a, p]); changed();
  };
  for (const o of c.offers) {
    const box = el("input", { type: "checkbox", "data-accept": o.agreement + ":" + o.from, disabled: locked, onchange: (e) => toggle("accept", o.agreement, o.from, e.target.checked) });
    box.checked = has("accept", o.agreement, o.from);
    agr.append(el("label", {}, box, " Accept " + o.name + " offered by " + v.public.powers[o.from].name));
  }
  const told = new Set();  // each agreement explained once, not once per partner
  for (const a of c.agreements) {
    const list = a.signed ? "withdraw" : "propose";
    const box = el("input", { type: "checkbox", disabled: locked, onchange: (e) => toggle(list, a.agreement, a.partner, e.target.checked) });
    box.checked = has(list, a.agreement, a.partner);
    agr.append(el("label", {}, box,
      (a.signed ? " Withdraw from " : " Propose ") + a.name + (a.signed ? " with " : " to ") + v.public.powers[a.partner].name));
    if (a.description && !told.has(a.agreement)) { told.add(a.agreement); agr.append(explained("What is " + a.name + "?", a.description)); }
  }
  if (!c.agreements.length) agr.append(el("p", { class: "muted", text: "No agreement is open to you." }));
  app.append(agr);
}

function budgetCard(c, locked) {
  const card = el("div", { class: "card" }, el("h2", { text: "Budget" }),
    el("p", { class: "muted", text: "Split your discretionary budget (" + pct(c.budget_share) + " of GDP) across levers; the total may not exceed 100%." }));
  const total = el("p", { id: "budget-total", "aria-live": "polite" });
  const showTotal = () => {
    const t = Object.values(draft.budget).reduce((a, b) => a + b, 0), pctT = Math.round(100 * t);
    const over = t > 1.0001, unspent = !over && pctT < 100;
    total.textContent = "Total: " + pctT + "%" + (over ? " — over budget: take " + (pctT - 100) + "% off before you submit"
      : unspent ? " — " + (100 - pctT) + "% of your budget is unspent this year" : "");
    total.className = over ? "over" : unspent ? "warn" : "";
    const sub = $("#submit"), why = $("#submit-why");
    if (sub && !locked) {
      sub.setAttribute("aria-disabled", over ? "true" : "false");
      if (why) { why.hidden = !over; why.textContent = over ? "Submit is blocked: the budget is over 100%." : ""; why.tabIndex = -1; }
    }
  };
  for (const lv of c.levers) {
    const out = el("output", { text: Math.round(100 * (draft.budget[lv.id] || 0)) + "%" });
    const range = el("input", { type: "range", min: 0, max: 100, step: 1, "data-lever": lv.id, disabled: locked,
      "aria-label": lv.name, value: Math.round(100 * (draft.budget[lv.id] || 0)),
      oninput: (e) => { draft.budget[lv.id] = e.target.value / 100; out.textContent = e.target.value + "%"; showTotal(); changed(); } });
    card.append(el("div", { class: "lever" }, explained(lv.name, lv.description), out, range));
  }
  card.append(total); setTimeout(showTotal);
  if (!locked) card.append(el("button", { id: "project", type: "button", onclick: () => send({ type: "project", orders: draft, seq: ++seq }),
    text: "Project next year" }), el("div", { id: "projection", "aria-live": "polite" }));
  return card;
}

function renderRegion(app, v, locked) {
  const c = v.card;
  const t = el("table", {}, el("tr", {}, ...["Power", "Lean", "Standard", "Ties", "Growth", "Stability"].map((h) => el("th", { text: h }))));
  for (const p of c.powers)
    t.append(el("tr", {}, el("td", { text: p.name }), el("td", { class: "num", text: pct(p.lean) }),
      el("td", { class: "num", text: pct(p.standard) }), el("td", { class: "num", text: pct(p.ties) }),
      el("td", { class: "num", text: pct(p.growth) }), el("td", { class: "num", text: p.stability_text })));
  app.append(el("div", { class: "card" }, el("h2", { text: c.region.name }), t));
  const box = el("div", { class: "card" }, el("h2", { text: "Offers this year" }),
    el("p", { class: "muted", text: "Strength shows how much each power backs its offer with spending." }));
  const decisions = draft.decisions || (draft.decisions = {});
  for (const p of c.powers) {
    box.append(el("h3", { text: p.name }));
    for (const o of p.offers) {
      const sel = el("select", { "data-offer": p.id + ":" + o.id, disabled: locked, onchange: (e) => {
        const row = decisions[p.id] || (decisions[p.id] = {});
        if (e.target.value === "") delete row[o.id]; else row[o.id] = e.target.value === "accept";
        changed();
      } }, el("option", { value: "", text: "no decision" }), el("option", { value: "accept", text: "accept" }),
      el("option", { value: "reject", text: "reject" }));
      const cur = (decisions[p.id] || {})[o.id];
      sel.value = cur === true ? "accept" : cur === false ? "reject" : "";
      box.append(el("label", {}, o.name + " (strength " + o.strength + ")", sel));
    }
  }
  app.append(box);
}

function showProjection(rows) {
  const box = $("#projection"); if (!box) return;
  const t = el("table", {}, el("tr", {}, ...["", "Now", "Likely next year", "Change"].map((h) => el("th", { text: h }))));
  for (const r of rows) t.append(el("tr", {}, el("td", { text: r.name }), el("td", { class: "num", text: r.now }),
    el("td", { class: "num", text: r.median }), el("td", { class: "num", text: r.change })));
  box.replaceChildren(el("p", { class: "muted", text: "With these orders: the median of 32 simulated years (other teams assumed to keep their course)." }), t);
}

// ------------------------------------------------------------------ facilitator page
function control(action, extra = {}) { send({ type: "control", action, seq: ++seq, ...extra }); }

function renderFacilitator() {
  const v = view, app = $("#app");
  app.replaceChildren();
  if (v.public.ended && v.public.result) app.append(endedCard(v.public));
  app.append(statusCard(v.public));
  const codes = el("table", { id: "codes" }, el("tr", {}, ...["Team", "Code", "Devices", "AI"].map((h) => el("th", { text: h }))));
  for (const [id, t] of Object.entries(v.public.teams)) {
    const persona = el("select", { "aria-label": "AI persona for " + t.name, "data-k": "persona:" + id, onchange: (e) => { picks["persona:" + id] = e.target.value; } },
      ...v.personas.map((p) => el("option", { value: p, text: v.persona_names[p] })));
    if (picks["persona:" + id]) persona.value = picks["persona:" + id];
    codes.append(el("tr", {}, el("td", { text: t.name }), el("td", { text: v.codes[id] }),
      el("td", { text: (v.devices[id] || []).join(", ") || "—" }),
      el("td", {}, t.kind === "power" ? (t.ai ? el("button", { text: "Hand back", onclick: () => control("handback", { team: id }) })
        : el("span", {}, persona, el("button", { text: "AI takes over", onclick: () => control("takeover", { team: id, persona: persona.value }) }))) : "")));
  }
  const moveDev = el("select", { "aria-label": "Device to move", "data-k": "move-device" }),
    moveTeam = el("select", { "aria-label": "Team to move it to", "data-k": "move-team" });
  for (const [team, devs] of Object.entries(v.devices)) for (const d of devs) {
    const m = /\((c\d+)\)$/.exec(d);
    if (m && team !== "facilitator") moveDev.append(el("option", { value: m[1], text: d + " — " + v.public.teams[team].name }));
  }
  for (const [id, t] of Object.entries(v.public.teams)) moveTeam.append(el("option", { value: id, text: t.name }));
  app.append(el("div", { class: "card" }, el("h2", { text: "Teams and codes" }), codes,
    el("p", {}, "Move device ", moveDev, " to ", moveTeam, el("button", { text: "Move", onclick: () => control("move", { conn: moveDev.value, team: moveTeam.value }) }))));
  const absent = el("select", { "aria-label": "Absent teams", "data-k": "absent", onchange: (e) => control("absent", { mode: e.target.value }) },
    el("option", { value: "last", text: "repeat their last orders" }), ...v.personas.map((p) => el("option", { value: p, text: "AI: " + v.persona_names[p] })));
  absent.value = v.absent;
  app.append(el("div", { class: "card" }, el("h2", { text: "Clock" }),
    v.public.started === false ? el("button", { id: "start", text: "Start the first year", onclick: () => control("start") }) : null,
    el("button", { id: "pause", text: v.public.paused ? "Resume" : "Pause", onclick: () => control(v.public.paused ? "resume" : "pause") }),
    el("button", { text: "+1 min", onclick: () => control("time", { seconds: 60 }) }),
    el("button", { text: "−1 min", title: "Leaves at least 5 seconds; use Time up to end the year now",
      onclick: () => control("time", { seconds: -60 }) }),
    el("button", { id: "end-now", text: "Time up: resolve the year now", onclick: () => control("timeup") }),
    el("label", {}, "Absent teams: ", absent)));
  // the page is redrawn after every action: the facilitator's picks survive it
  const ev = el("select", { id: "inject-event", "aria-label": "Event to inject", onchange: () => { picks.event = ev.value; } });
  const pw = el("select", { id: "inject-power", "aria-label": "Power that gets the event", onchange: () => { picks.power = pw.value; fillEvents(); } },
    ...v.powers.map((p) => el("option", { value: p, text: v.public.powers[p].name })));
  if (picks.power) pw.value = picks.power;
  const fillEvents = () => {  // only the events open to the chosen power's doctrine can be picked
    const doctrine = v.doctrine_of[pw.value];
    ev.replaceChildren(...v.events.filter((e) => !e.doctrines.length || e.doctrines.includes(doctrine))
      .map((e) => el("option", { value: e.id, text: e.name })));
    if ([...ev.options].some((o) => o.value === picks.event)) ev.value = picks.event;
  };
  fillEvents();
  const news = el("input", { id: "news-text", placeholder: "Breaking news for the projector", "aria-label": "Breaking news for the projector" });
  app.append(el("div", { class: "card" }, el("h2", { text: "Inject" }),
    el("p", {}, "For ", pw, " the event ", ev, el("button", { text: "Inject event", onclick: () => control("inject", { event: ev.value, power: pw.value }) })),
    el("p", {}, news, el("button", { text: "Post news", onclick: () => { control("news", { text: news.value }); news.value = ""; } }))));
  if (v.public.history) app.append(historyCard(v.public));
  app.append(el("div", { class: "card" }, el("h2", { text: "Session" }),
    el("button", { text: "End session", onclick: () => { if (confirm("End the session now?")) control("end"); } }),
    el("button", { text: "Export debrief", onclick: () => control("export") }),
    el("a", { href: "/debrief?code=" + encodeURIComponent(code), target: "_blank", text: " Open debrief " }),
    el("a", { href: "/cards?code=" + encodeURIComponent(code), target: "_blank", text: " Role cards with codes" })));
  app.append(newsCard(v.public, v.report));
}

// History mode: the years play as they happened until the class takes over. Leaving history lets the
// year under way end as it happened (no team's answer is withdrawn); the next year is the class's own.
function historyCard(pub) {
  const h = pub.history, y = pub.year, card = el("div", { class: "card", id: "history" }, el("h2", { text: "History" }));
  if (h.own_from <= y) {
    card.append(el("p", { text: "Alternate history: the years since " + h.own_from + " are the class's own (events from the ordinary deck)." }));
  } else if (!h.can_leave) {
    card.append(el("p", { text: "History ends with this year: " + h.own_from + " begins as it happened, then the years are the class's own." }));
  } else {
    card.append(el("p", { text: "The years play as they happened: the class takes over in " + h.own_from + "." }),
      el("button", { id: "leave-history", text: "Leave history after this year", onclick: () => {
        if (confirm("Leave history? " + y + " ends and " + (y + 1) + " begins as it happened; from then on the class writes " +
                    "its own years, with events from the ordinary deck. This cannot be undone.")) control("leave_history");
      } }));
  }
  return card;
}

$("#join-form").addEventListener("submit", (e) => {
  e.preventDefault();
  code = $("#code").value.trim().toUpperCase(); device = $("#device").value.trim() || "device-" + Math.random().toString(36).slice(2, 6);
  send({ type: "join", code, device });
});
code = sessionStorage.getItem("code"); device = localStorage.getItem("device");
const fromUrl = new URLSearchParams(location.search).get("code");
if (fromUrl) code = fromUrl.toUpperCase();
if (!device) device = "device-" + Math.random().toString(36).slice(2, 6);
$("#device").value = device;
connect();
