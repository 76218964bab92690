"""Headless UI tests for what two whole desktop playtests found: the turn report's sections and
year, feedback on proposals, dilemmas at the end, status lines, lever texts and score pars."""

from __future__ import annotations

import time
from html import escape

import numpy as np
import pygame
import pytest
from test_ui import app, click, find, frames, key, set_dilemma_aside, start_game  # noqa: F401  (the `app` fixture is used by name)

from game.match import Game


def test_report_news_sections_follow_what_the_news_is(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Dilemmas named 'Party Congress growth target' or 'Foreign election interference' are
    dilemmas, and '2024: USA government re-elected' is an election, whatever words they hold."""
    from game.ui.screens.report import news_html
    game = Game.new("digital-leninism-2017", {"china": "planner", "usa": "planner"}, 1)
    seen = set()
    while not game.over:
        report = game.advance()
        app.game, app.last_report = game, report
        html = news_html(app)
        shocks, _, events = html.partition("<b>Events, dilemmas and agreements</b>")
        for kind, text in report.news(0):
            where = shocks if kind in ("election", "congress", "crash", "collapse") else events
            assert escape(text) in where, (kind, text)
            if kind == "dilemma" and ("election" in text or "Congress" in text):
                seen.add("dilemma with a telling name")
            if kind == "election" and "re-elected" in text:
                seen.add("re-election")
    assert seen == {"dilemma with a telling name", "re-election"}  # seed 1 has both


def test_the_review_heading_names_the_year_its_news_is_dated(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """'2019: the year in review' listed news dated 2020: every date in the news must appear in
    the heading and in the news panel's own heading."""
    from game.ui.screens.report import ReportScreen, news_html, review_title
    game = Game.new("digital-leninism-2017", {"china": "planner", "usa": "planner"}, 1)
    for _ in range(4):
        report = game.advance()
        app.game, app.last_report = game, report
        dates = {line.split(":")[0] for line in report.headlines(0)}
        assert dates == {str(report.year)}
        assert str(report.year) in review_title(report.year)
        assert str(report.year - 1) in review_title(report.year)  # the year the orders were given for
        assert f"News as {report.year} begins" in news_html(app)
    app.viewer = "china"
    app.show(ReportScreen(app))
    frames(app, 2)  # the screen draws its heading without error


def test_the_fully_spent_hint_is_short_true_and_fades(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """'The budget is fully spent' stayed on screen long after a refused slider move (and came up
    on every accepted key nudge): it shows only when a move was refused, goes as soon as a move is
    accepted, and fades out within a few seconds."""
    from game.ui.orders import FULLY_SPENT
    start_game(app)
    draft = app.drafts["china"]
    assert draft.allocated() == pytest.approx(1.0)
    key(app, pygame.K_LEFT)  # a nudge down is always accepted
    assert app.message != FULLY_SPENT
    key(app, pygame.K_RIGHT)  # back up into the room just freed: accepted too
    assert app.message != FULLY_SPENT
    click(app, find(app, "#slider_ai_research").right_button)  # budget full: refused
    assert app.message == FULLY_SPENT and app.message_alpha() == 255
    assert app.message_until - time.monotonic() <= 3.0  # a hint, not a six-second banner
    click(app, find(app, "#slider_data_infrastructure").left_button)
    assert app.message != FULLY_SPENT and app.message_alpha() == 0  # the hint no longer holds
    click(app, find(app, "#slider_ai_research").right_button)
    assert app.message != FULLY_SPENT
    app.flash("Saved.")
    app.message_until = time.monotonic() + 0.5  # half a second left: half faded
    assert 0 < app.message_alpha() < 255
    frames(app, 1)  # drawn faded without error
    app.message_until = time.monotonic() - 0.1
    assert app.message_alpha() == 0


COUNTRY_WORDS = ("China", "Chinese", "Beijing", "America", "USA", "U.S.", "Washington", "Europe", "EU ",
                 "EU's", "Western", "Silk Road")


def test_lever_descriptions_speak_to_every_doctrine_that_funds_them() -> None:
    """The USA read 'Digital public services: E-government, online health ("Healthy China 2030")':
    a lever that more than one doctrine funds is described without one side's examples (the
    sources stay in its research line)."""
    from game.rules.loader import load_scenario
    from game.ui import tips
    for scenario in ("digital-leninism-2017", "transatlantic-2017"):
        world = load_scenario(scenario)
        for lever in world.rules.levers:
            if len(lever.doctrines) > 1:
                assert not [c for c in COUNTRY_WORDS if c in lever.description], (lever.id, lever.description)
    from game.engine import build_world
    w = build_world(load_scenario("digital-leninism-2017"))
    tip = tips.lever_tip(w, "digital_public_services")
    assert "Healthy China" not in tip.split("Research:")[0]


def _labels(ui) -> list[str]:  # type: ignore[no-untyped-def]
    from pygame_gui.elements import UILabel
    return [e.text for e in ui.manager.get_sprite_group().sprites() if isinstance(e, UILabel)]


def test_a_proposal_not_accepted_is_told_to_its_proposer(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """After a proposal the Diplomacy tab said only 'not signed'. While it stands it awaits an
    answer; once the rival lets it lapse the news and the tab say it was not accepted."""
    from game.draft import Draft
    from game.match import HUMAN
    game = Game.new("digital-leninism-2017", {"china": "techno_nationalist", "usa": HUMAN}, 1)
    draft = Draft.start(game, "usa")
    draft.toggle("propose", "tech_truce", "china")
    game.advance({"usa": draft.orders()})
    app.start(game)
    frames(app)
    set_tab(app, "Diplomacy")
    assert "Status: offered, China to answer" in _labels(app)
    game.advance({"usa": Draft.start(game, "usa").orders()})  # the techno-nationalist lets it lapse
    assert "2019: China did not accept USA's offer: Tech truce (the offer lapsed)" in game.reports[-1].headlines(0)
    app.start(game)
    frames(app)
    assert escape("did not accept USA's offer: Tech truce") in app.screen.info_html  # the year's news panel
    set_tab(app, "Diplomacy")
    assert "Status: China did not accept" in _labels(app)


def set_tab(app, tab: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    if app.screen.dialog is not None and app.screen.dialog.alive():
        key(app, pygame.K_ESCAPE)  # the year's dilemma opens by itself: set it aside
    click(app, find(app, f"#tab_{tab.lower()}"))
    assert app.screen.tab == tab


def test_scores_explain_productivity_and_stability_against_par(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """A power steady at 87-91 stability can score 0.32 on stability, because its par is higher:
    the end screen and the report's score tooltip say what par each was measured against."""
    from pygame_gui.elements import UITextBox

    from game.engine.par import par_stability
    from game.ui.screens.report import ReportScreen
    game = Game.new("digital-leninism-2017", {"china": "planner", "usa": "free_marketeer"}, 1)
    game.advance()
    app.game, app.last_report, app.viewer = game, game.reports[-1], "china"
    app.show(ReportScreen(app))
    frames(app)
    w = game.world
    pars = par_stability(w, game.state.turn)  # the par over the years played so far
    tip = find(app, "#score_so_far").tool_tip_text
    for p in range(w.n_powers):
        assert f"mean stability {float(game.state.stability_mean[0, p]):.0f} against its par {pars[p]:.0f}" in tip
        assert f"par growth {100 * float(w.score_par_growth[p]):.1f}%" in tip
    assert "0.50 is par" in tip
    while not game.over:
        game.advance()
    app.start(game)  # a finished game opens on the end screen
    frames(app)
    pars = par_stability(w)  # the whole game's
    assert app.screen.name == "end"
    shown = " ".join(e.html_text for e in app.manager.get_sprite_group().sprites() if isinstance(e, UITextBox))
    res = game.result()
    for p, pid in enumerate(w.power_ids):
        assert f"stability {res['components'][pid]['stability']:.2f}: mean stability" in shown
        assert f"against its par {pars[p]:.0f}" in shown
        assert f"par growth {100 * float(w.score_par_growth[p]):.1f}%" in shown
    assert "0.50 is par" in shown


def test_the_end_turn_dialog_shows_what_levers_do_over_years(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """One projected year made the budget sliders look pointless: the dialog also shows the main
    indicators after five years of these orders against last year's course."""
    from pygame_gui.elements import UITextBox
    game = start_game(app)
    if app.screen.dialog is not None and app.screen.dialog.alive():
        key(app, pygame.K_ESCAPE)
    draft = app.drafts["china"]
    assert draft.project_years() == {k: (v[0], v[0]) for k, v in draft.project_years().items()}  # same course
    before = {k: np.array(v, copy=True) for k, v in game.state.arrays().items()}
    for lever in list(draft.budget):
        draft.set_share(lever, 0.0)
    draft.set_share("ai_research", 1.0)  # everything into AI research
    mine, course = draft.project_years()["ai_capability"]
    assert mine > course + 1.0  # five years of stock: a visible lead in AI capability
    key(app, pygame.K_RETURN)
    assert app.screen.dialog_kind == "confirm"
    shown = " ".join(e.html_text for e in app.manager.get_sprite_group().sprites() if isinstance(e, UITextBox))
    assert "Levers act over years" in shown and "After 5 years of these orders" in shown
    assert "AI capability: <b>" in shown
    for k, v in game.state.arrays().items():  # the projections ran on copies
        assert np.array_equal(v, before[k])


def test_the_end_turn_view_does_not_call_the_world_s_course_the_orders_effect(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """A playtest read 'Projected main effects of your orders next year ... Model adoption -5.4 pp'
    and took the swing for what his slider move did; 10 budget points moved that projection by
    0.03 pp. The one-year view says the world's own course is in it; the five-year view is the
    one set against last year's orders."""
    from pygame_gui.elements import UITextBox
    start_game(app)
    set_dilemma_aside(app)
    click(app, find(app, "#end_turn"))
    assert app.screen.dialog_kind == "confirm"
    text = " ".join(e.html_text for e in app.manager.get_sprite_group().sprites() if isinstance(e, UITextBox))
    assert "effects of your orders next year" not in text
    assert "the world's own course" in text and "against keeping last year's budget" in text


def test_a_region_s_tip_says_how_its_new_governments_come_about() -> None:
    """The news said 'ASEAN: a new government in one of its larger states looks to China' and a
    third of ASEAN's lean moved; clicking ASEAN explained only the slow drift. The tip says how
    often governments change, how the successor's patron is drawn and how far it moves the region."""
    from game.ui.worldmap import region_tip
    game = Game.new("digital-leninism-2017", {"china": "planner", "usa": "planner"}, 1)
    df = game.world.coef.diffusion
    assert df.turnover > 0
    tip = region_tip(game, "asean")
    assert "New governments" in tip and f"{df.turnover:.0%} of years" in tip
    assert f"{df.turnover_swing:.0%} of the way" in tip and "performance" in tip
