"""End-to-end: real team pages in headless Chromium (Playwright) against a loopback server."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.classroom.hub import Hub
from game.classroom.server import Background, Server
from game.classroom.session import ClassSession

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow,  # a real browser per test
              pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium; "
                                                          ".ci/run installs it)")]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture()
def host(tmp_path: Path) -> Iterator[Server]:
    session = ClassSession.create("classroom-short", seed=3, teams=["china", "usa"], path=tmp_path / "s.json",
                                  turn_seconds=600)
    session.start()
    with Background(Server(Hub(session), "127.0.0.1", 0)) as server:
        yield server


@pytest.fixture()
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def join(browser: object, server: Server, team: str, device: str) -> object:
    page = browser.new_context().new_page()  # type: ignore[attr-defined]
    page.goto(f"http://127.0.0.1:{server.port}/")
    page.fill("#code", server.hub.session.teams[team].code if team != "facilitator"
              else server.hub.session.facilitator_code)
    page.fill("#device", device)
    page.click("#join")
    return page


def test_two_teams_join_set_orders_submit_and_both_see_the_report(host: Server, browser: object) -> None:
    china = join(browser, host, "china", "china-laptop")
    usa = join(browser, host, "usa", "usa-phone")
    china.wait_for_selector("input[data-lever=ai_research]")  # type: ignore[attr-defined]
    usa.wait_for_selector("input[data-lever=ai_research]")  # type: ignore[attr-defined]
    china.fill("input[data-lever=ai_research]", "20")  # type: ignore[attr-defined]
    china.fill("input[data-lever=social_credit]", "0")  # type: ignore[attr-defined]
    usa.fill("input[data-lever=antitrust]", "0")  # type: ignore[attr-defined]
    china.wait_for_function("document.querySelector('#draft-by').textContent.includes('china-laptop')")  # type: ignore[attr-defined]
    china.wait_for_timeout(400)  # type: ignore[attr-defined]
    assert host.hub.session.drafts["china"]["budget"]["ai_research"] == pytest.approx(0.2)
    china.click("#submit")  # type: ignore[attr-defined]
    china.wait_for_selector("text=waiting for the other teams")  # type: ignore[attr-defined]
    usa.wait_for_selector("#status span.done[data-team=china]")  # type: ignore[attr-defined]
    usa.wait_for_timeout(300)  # type: ignore[attr-defined]
    usa.click("#submit")  # type: ignore[attr-defined]
    for page in (china, usa):
        page.wait_for_selector("#report h2:has-text('Turn report: 2017')", timeout=15_000)  # type: ignore[attr-defined]
        assert "Year 2018" in page.text_content("#year")  # type: ignore[attr-defined]
    log = host.hub.session.game.orders_log[0]
    assert log["china"]["budget"]["ai_research"] == pytest.approx(0.2)
    assert "social_credit" not in log["china"]["budget"] or log["china"]["budget"]["social_credit"] == 0
    assert "antitrust" not in log["usa"]["budget"] or log["usa"]["budget"]["antitrust"] == 0


def test_a_team_page_never_sees_another_teams_draft(host: Server, browser: object) -> None:
    china = join(browser, host, "china", "c1")
    china2 = join(browser, host, "china", "c2")
    usa = join(browser, host, "usa", "u1")
    seen: list[str] = []
    usa.on("websocket", lambda ws: ws.on("framereceived", lambda f: seen.append(str(f))))  # type: ignore[attr-defined]
    usa.reload()  # type: ignore[attr-defined]  # reconnects by itself with the code it kept
    usa.wait_for_selector("input[data-lever=antitrust]")  # type: ignore[attr-defined]
    china.wait_for_selector("input[data-lever=social_credit]")  # type: ignore[attr-defined]
    china.fill("input[data-lever=data_infrastructure]", "0")  # type: ignore[attr-defined]
    china.fill("input[data-lever=ai_research]", "0")  # type: ignore[attr-defined]
    china.fill("input[data-lever=social_credit]", "37")  # type: ignore[attr-defined]
    # the other device of the same team sees the draft and who changed it
    china2.wait_for_function("document.querySelector('input[data-lever=social_credit]').value === '37'")  # type: ignore[attr-defined]
    assert "c1" in china2.text_content("#draft-by")  # type: ignore[attr-defined]
    china.click("#submit")  # type: ignore[attr-defined]
    usa.wait_for_selector("#status span.done[data-team=china]")  # type: ignore[attr-defined]
    text = " ".join(seen) + usa.content()  # type: ignore[attr-defined]
    assert "social_credit" not in text and "0.37" not in text
    assert host.hub.session.submitted["china"]["budget"]["social_credit"] == pytest.approx(0.37)


def test_a_page_reconnects_by_itself_after_the_host_restarts(tmp_path: Path, browser: object) -> None:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    session = ClassSession.create("classroom-short", seed=3, teams=["china", "usa"], path=tmp_path / "s.json",
                                  turn_seconds=600)
    with Background(Server(Hub(session), "127.0.0.1", port)) as server:
        page = join(browser, server, "china", "laptop")
        page.wait_for_selector("#submit:not([disabled])")  # type: ignore[attr-defined]
        page.click("#submit")  # type: ignore[attr-defined]
        page.wait_for_selector("text=waiting for the other teams")  # type: ignore[attr-defined]
    page.wait_for_selector("#conn:has-text('reconnecting')")  # type: ignore[attr-defined]
    resumed = ClassSession.load(tmp_path / "s.json")
    with Background(Server(Hub(resumed), "127.0.0.1", port)):
        page.wait_for_selector("#conn.on", timeout=20_000)  # type: ignore[attr-defined]
        page.wait_for_selector("text=Submitted by laptop", timeout=10_000)  # type: ignore[attr-defined]


def test_a_region_team_accepts_and_rejects_offers_in_its_page(tmp_path: Path, browser: object) -> None:
    session = ClassSession.create("classroom-short", seed=3, teams=["china", "africa"], path=tmp_path / "s.json",
                                  turn_seconds=600)
    with Background(Server(Hub(session), "127.0.0.1", 0)) as server:
        page = join(browser, server, "africa", "tablet")
        page.select_option("select[data-offer='china:infrastructure']", "accept")  # type: ignore[attr-defined]
        page.select_option("select[data-offer='eu:standards']", "reject")  # type: ignore[attr-defined]
        page.wait_for_function("document.querySelector('#draft-by').textContent === 'Last change: tablet'")  # type: ignore[attr-defined]
        page.click("#submit")  # type: ignore[attr-defined]
        page.wait_for_selector("text=waiting for the other teams")  # type: ignore[attr-defined]
        assert session.submitted["africa"]["decisions"] == {"china": {"infrastructure": True},
                                                            "eu": {"standards": False}}


def test_a_region_choice_made_just_before_submit_is_recorded(tmp_path: Path, browser: object) -> None:
    """A team picks an offer and submits at once, before the draft's debounce has sent it: the
    submission carries the draft, so the choice is in the orders, not refused as a late draft."""
    session = ClassSession.create("classroom-short", seed=3, teams=["china", "asean"], path=tmp_path / "s.json",
                                  turn_seconds=600)
    with Background(Server(Hub(session), "127.0.0.1", 0)) as server:
        page = join(browser, server, "asean", "phone")
        page.wait_for_selector("select[data-offer='china:data']")  # type: ignore[attr-defined]
        # both in one task of the page: no timer can fire between the choice and the click
        pick_and_submit = """() => {
            const sel = document.querySelector("select[data-offer='usa:standards']");
            sel.value = "accept"; sel.dispatchEvent(new Event("change"));
            document.querySelector("#submit").click();
        }"""
        page.evaluate(pick_and_submit)  # type: ignore[attr-defined]
        page.wait_for_selector("text=waiting for the other teams")  # type: ignore[attr-defined]
        assert not page.is_visible("#error")  # type: ignore[attr-defined]
        assert session.submitted["asean"]["decisions"] == {"usa": {"standards": True}}
        saved = ClassSession.load(tmp_path / "s.json")
        assert saved.submitted["asean"]["decisions"] == {"usa": {"standards": True}}


def test_the_team_page_shows_units_and_after_the_end_the_final_result(host: Server, browser: object) -> None:
    page = join(browser, host, "china", "laptop")
    page.wait_for_selector("input[data-lever=ai_research]")  # type: ignore[attr-defined]
    text = page.inner_text("#app")  # type: ignore[attr-defined]  # what is shown: closed explanations are not
    assert "0.002" not in text and "share of population" not in text
    assert re.search(r"Stability\s*\d+/100", text) and re.search(r"Digital champions\s*\d+ firms", text)
    with host.lock:
        host.hub.session.ended = True
        out = host.hub.everyone()
    import asyncio
    assert host.loop is not None
    asyncio.run_coroutine_threadsafe(host.send(out), host.loop).result(10)
    page.wait_for_selector("text=The session has ended")  # type: ignore[attr-defined]
    assert "waiting for the other teams" not in page.text_content("#app")  # type: ignore[attr-defined]
    assert "no winner" in page.text_content("#result")  # type: ignore[attr-defined]


def test_the_final_result_explains_scores_against_par(host: Server, browser: object) -> None:
    """Stability is scored against the power's par stability: the result on the team page gives
    each power's parts with the par it met (par stability from game.engine.par)."""
    from game.engine.par import par_stability
    page = join(browser, host, "china", "laptop")
    page.wait_for_selector("input[data-lever=ai_research]")  # type: ignore[attr-defined]
    with host.lock:
        s = host.hub.session
        s.resolve()
        s.ended = True
        pars = par_stability(s.game.world, s.game.state.turn)  # the par over the years played
    push(host)
    page.wait_for_selector("text=The session has ended")  # type: ignore[attr-defined]
    text = " ".join(page.text_content("#result").split())  # type: ignore[attr-defined]
    for p in range(len(pars)):
        assert f"against its par {pars[p]:.0f}" in text
    assert "par growth" in text and "0.50 is par" in text


# ------------------------------------------------------------------ accessibility and teaching
def axe_problems(page: object) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now (axe-core 4.x, bundled by
    axe-playwright-python and run inside this Chromium)."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page)
    return [f"{v['impact']}: {v['id']} ({len(v['nodes'])}x) {v['nodes'][0]['target']}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def push(server: Server) -> None:
    """Send every page its fresh view (as the clock does after a change made here)."""
    import asyncio
    with server.lock:
        out = server.hub.everyone()
    assert server.loop is not None
    asyncio.run_coroutine_threadsafe(server.send(out), server.loop).result(10)


def test_every_page_passes_axe_in_every_state(host: Server, browser: object, tmp_path: Path) -> None:
    s = host.hub.session
    china, fac = join(browser, host, "china", "laptop"), join(browser, host, "facilitator", "teacher")
    china.wait_for_selector("input[data-lever=ai_research]")  # type: ignore[attr-defined]
    fac.wait_for_selector("#codes")  # type: ignore[attr-defined]
    found = {"team joined": axe_problems(china), "facilitator": axe_problems(fac)}
    with host.lock:
        from game.classroom.regions import inject_event
        s.game.state = inject_event(s.game.state, "china", "foreign_bid")
    push(host)
    china.wait_for_selector("#dilemma")  # type: ignore[attr-defined]
    found["dilemma pending"] = axe_problems(china)
    china.fill("input[data-lever=ai_research]", "100")  # type: ignore[attr-defined]
    china.wait_for_selector("#budget-total.over")  # type: ignore[attr-defined]
    found["over budget"] = axe_problems(china)
    china.fill("input[data-lever=ai_research]", "0")  # type: ignore[attr-defined]
    china.click("#submit")  # type: ignore[attr-defined]
    china.wait_for_selector("text=waiting for the other teams")  # type: ignore[attr-defined]
    found["submitted"] = axe_problems(china)
    with host.lock:
        s.resolve()
    push(host)
    china.wait_for_selector("#report h3")  # type: ignore[attr-defined]
    found["after a year"] = axe_problems(china)
    found["facilitator after a year"] = axe_problems(fac)
    with host.lock:
        while not s.game.over:
            s.resolve()
    push(host)
    china.wait_for_selector("text=The session has ended")  # type: ignore[attr-defined]
    found["ended"] = axe_problems(china)
    found["facilitator ended"] = axe_problems(fac)
    debrief = browser.new_context().new_page()  # type: ignore[attr-defined]
    debrief.goto(f"http://127.0.0.1:{host.port}/debrief?code={s.facilitator_code}")
    found["debrief"] = axe_problems(debrief)
    assert not any(found.values()), {k: v for k, v in found.items() if v}


def test_a_team_page_teaches_causes_explanations_projection_and_warnings(host: Server, browser: object) -> None:
    s = host.hub.session
    page = join(browser, host, "china", "phone")
    page.wait_for_selector("input[data-lever=ai_research]")  # type: ignore[attr-defined]
    # tap-to-expand: the explanation is hidden until the name is tapped
    summary = page.locator("details.explain summary", has_text="Stability").first  # type: ignore[attr-defined]
    assert not summary.locator("xpath=..").locator("p").is_visible()
    summary.click()
    assert "stab" in summary.locator("xpath=..").locator("p").inner_text().lower()
    # an unspent budget is named; an overspent one blocks Submit, which stays reachable and says why
    for lever in page.eval_on_selector_all("input[data-lever]", "xs => xs.map(x => x.dataset.lever)"):  # type: ignore[attr-defined]
        page.fill(f"input[data-lever={lever}]", "0")  # type: ignore[attr-defined]
    page.fill("input[data-lever=ai_research]", "79")  # type: ignore[attr-defined]
    assert "21% of your budget is unspent" in page.inner_text("#budget-total")  # type: ignore[attr-defined]
    page.fill("input[data-lever=social_credit]", "40")  # type: ignore[attr-defined]
    assert page.get_attribute("#submit", "aria-disabled") == "true"  # type: ignore[attr-defined]
    assert page.evaluate("!document.querySelector('#submit').disabled")  # type: ignore[attr-defined]  # Tab reaches it
    assert "over 100%" in page.inner_text("#submit-why")  # type: ignore[attr-defined]
    page.focus("#submit")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    assert "china" not in s.submitted
    page.fill("input[data-lever=social_credit]", "0")  # type: ignore[attr-defined]
    # the projection: the desktop's median of simulated years, for this draft
    page.click("#project")  # type: ignore[attr-defined]
    page.wait_for_selector("#projection table")  # type: ignore[attr-defined]
    assert "median of 32 simulated years" in page.inner_text("#projection")  # type: ignore[attr-defined]
    assert "Likely next year" in page.inner_text("#projection")  # type: ignore[attr-defined]
    # a dilemma comes first, with a badge in the header
    with host.lock:
        from game.classroom.regions import inject_event
        s.game.state = inject_event(s.game.state, "china", "foreign_bid")
    push(host)
    page.wait_for_selector("#dilemma")  # type: ignore[attr-defined]
    assert page.is_visible("#badge")  # type: ignore[attr-defined]
    first = page.eval_on_selector("#app", "a => a.querySelector('.card:not(:first-child)').id")  # type: ignore[attr-defined]
    assert first == "dilemma"
    # the turn report gives the team's own indicators with their causes
    page.fill("input[data-lever=ai_research]", "50")  # type: ignore[attr-defined]
    with host.lock:
        s.resolve()
    push(host)
    page.wait_for_selector("table.own")  # type: ignore[attr-defined]
    own = page.inner_text("table.own")  # type: ignore[attr-defined]
    assert "GDP" in own and "why:" in own and "capital" in own
    # one rounding for political capital, wherever it is shown
    pc = re.findall(r"Political capital:? (\S+?)\.? ", page.inner_text("#app"))  # type: ignore[attr-defined]
    assert pc and len(set(pc)) == 1, pc


def test_keyboard_focus_survives_redraws_and_starts_at_the_heading(host: Server, browser: object) -> None:
    china = join(browser, host, "china", "keyboard")
    china.wait_for_selector("input[data-lever=ai_research]")  # type: ignore[attr-defined]
    assert china.evaluate("document.activeElement.tagName") == "H2"  # type: ignore[attr-defined]
    china.focus("select[data-policy]")  # type: ignore[attr-defined]
    policy = china.evaluate("document.activeElement.dataset.policy")  # type: ignore[attr-defined]
    mate = join(browser, host, "china", "teammate")
    mate.wait_for_selector("input[data-lever=ai_research]")  # type: ignore[attr-defined]
    mate.fill("input[data-lever=ai_research]", "33")  # type: ignore[attr-defined]  # the page is redrawn
    china.wait_for_function("document.querySelector('input[data-lever=ai_research]').value === '33'")  # type: ignore[attr-defined]
    assert china.evaluate("document.activeElement.dataset.policy") == policy  # type: ignore[attr-defined]


# ------------------------------------------------------------------ history mode
def test_the_facilitator_leaves_history_after_confirming_and_every_page_says_so(tmp_path: Path,
                                                                                browser: object) -> None:
    session = ClassSession.create("classroom-short", seed=3, teams=["china", "usa"], path=tmp_path / "s.json",
                                  turn_seconds=600, history_mode=True)
    session.start()
    session.resolve()  # 2018
    with Background(Server(Hub(session), "127.0.0.1", 0)) as server:
        fac = join(browser, server, "facilitator", "teacher")
        china = join(browser, server, "china", "laptop")
        fac.wait_for_selector("#history button#leave-history")  # type: ignore[attr-defined]
        china.wait_for_selector("input[data-lever=ai_research]")  # type: ignore[attr-defined]
        problems = {"facilitator, history card": axe_problems(fac)}
        asked: list[str] = []

        def answer(accept: bool) -> None:
            def reply(dialog: object) -> None:
                asked.append(dialog.message)  # type: ignore[attr-defined]
                dialog.accept() if accept else dialog.dismiss()  # type: ignore[attr-defined]
            fac.once("dialog", reply)  # type: ignore[attr-defined]

        answer(False)  # the facilitator thinks better of it: nothing changes
        fac.click("#leave-history")  # type: ignore[attr-defined]
        fac.wait_for_timeout(500)  # type: ignore[attr-defined]
        assert "2018 ends and 2019 begins as it happened" in asked[0] and "cannot be undone" in asked[0]
        assert session.game.history_mode == {"until": 2024}
        answer(True)
        fac.click("#leave-history")  # type: ignore[attr-defined]
        fac.wait_for_selector("text=History ends with this year: from 2019 the years are the class's own")  # type: ignore[attr-defined]
        fac.wait_for_selector("#history:has-text('History ends with this year')")  # type: ignore[attr-defined]
        assert fac.query_selector("#leave-history") is None  # type: ignore[attr-defined]
        china.wait_for_selector("#report li:has-text('The class leaves history')")  # type: ignore[attr-defined]
        assert session.game.history_mode == {"until": 2024, "left_at": 1, "left_until": 2019}
        problems["facilitator, history left"] = axe_problems(fac)
        with server.lock:
            session.resolve()
        push(server)
        fac.wait_for_selector("#history:has-text('Alternate history: the years since 2019')")  # type: ignore[attr-defined]
        assert not any(problems.values()), problems
