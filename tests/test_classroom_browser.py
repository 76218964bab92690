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
    text = page.text_content("#app")  # type: ignore[attr-defined]
    assert "0.002" not in text and "share of population" not in text
    assert re.search(r"Stability\d+/100", text) and re.search(r"Digital champions\d+ firms", text)
    with host.lock:
        host.hub.session.ended = True
        out = host.hub.everyone()
    import asyncio
    assert host.loop is not None
    asyncio.run_coroutine_threadsafe(host.send(out), host.loop).result(10)
    page.wait_for_selector("text=The session has ended")  # type: ignore[attr-defined]
    assert "waiting for the other teams" not in page.text_content("#app")  # type: ignore[attr-defined]
    assert "no winner" in page.text_content("#result")  # type: ignore[attr-defined]
