"""Validation as a modder meets it: every broken file in tests/corpus gets its exact located
message, shipped files are clean, the CLI prints problems without a traceback, and adding a power
and a region is a YAML edit only."""

from __future__ import annotations

import itertools
import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from game.ai.personas import decide_batch, persona
from game.engine import BatchOrders, build_world, new_game, resolve
from game.match import Game
from game.rules.loader import RULES_DIR, SCENARIOS_DIR, RulesError, load_ruleset, load_scenario, validate_paths

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"

# Each broken file and the exact lines `systemic validate` prints for it (paths from the repo root).
EXPECTED: dict[str, list[str]] = {
    "binary_garbage.yaml": [
        "tests/corpus/binary_garbage.yaml:3:1: error: file is binary (it contains NUL bytes), not YAML text",
    ],
    "boolean_as_number.yaml": [
        "tests/corpus/boolean_as_number.yaml:26:16: error: power 'china': champions: expected a number, "
        "got a true/false value (YAML reads yes/no/on/off as booleans)",
    ],
    "budget_over_one.yaml": [
        "tests/corpus/budget_over_one.yaml:28:5: error: power 'china': budget shares add up to 1.200; "
        "they must total at most 1",
    ],
    "duplicate_key.yaml": [
        "tests/corpus/duplicate_key.yaml:34:5: error: power 'usa': duplicate key 'gdp' (first given at line 33)",
    ],
    "duplicate_power_id.yaml": [
        "tests/corpus/duplicate_power_id.yaml:30:9: error: power 'china': duplicate id (first defined at line 9); "
        "ids must be unique",
    ],
    "empty.yaml": [
        "tests/corpus/empty.yaml:1:1: error: file is empty",
    ],
    "end_before_start.yaml": [
        "tests/corpus/end_before_start.yaml:7:1: error: scenario 'corpus-base': end_year (2012) must come after "
        "start_year (2017)",
    ],
    "lever_not_open_to_doctrine.yaml": [
        "tests/corpus/lever_not_open_to_doctrine.yaml:49:32: error: power 'usa': lever 'social_credit' is not open "
        "to doctrine 'liberal_democracy'",
    ],
    "missing_field.yaml": [
        "tests/corpus/missing_field.yaml:9:5: error: power 'china': missing required field 'tfp'",
    ],
    "misspelt_key.yaml": [
        "tests/corpus/misspelt_key.yaml:12:5: error: power 'china': unknown key 'gpd' (did you mean 'gdp'?)",
    ],
    "not_a_number.yaml": [
        "tests/corpus/not_a_number.yaml:34:13: error: power 'usa': growth: expected a finite number, got nan",
    ],
    "not_utf8.yaml": [
        "tests/corpus/not_utf8.yaml:4:30: error: file is not UTF-8 text: byte 0xfc cannot be decoded "
        "(save it as UTF-8)",
    ],
    "out_of_range.yaml": [
        "tests/corpus/out_of_range.yaml:18:13: error: power 'china': saving: must be less than 0.7 (got 1.5)",
    ],
    "override_out_of_range.yaml": [
        "tests/corpus/override_out_of_range.yaml:52:18: error: scenario 'corpus-base': override events.rate = 1.5 "
        "is outside its declared range [0.15, 1.0]",
    ],
    "rules_duplicate_event/events.yaml": [
        "tests/corpus/rules_duplicate_event/events.yaml:20:9: error: event 'leak': duplicate id "
        "(first defined at line 4); ids must be unique",
    ],
    "rules_event_condition/events.yaml": [
        "tests/corpus/rules_event_condition/events.yaml:8:43: error: event 'leak': policy 'data_governance' "
        "has no option 'lax'; options: balanced, mandate, strict",
    ],
    "rules_fade_scope/events.yaml": [
        "tests/corpus/rules_fade_scope/events.yaml:14:70: error: event 'smear', choice 'launch': fade_turns works "
        "only for scope 'self'; an effect on rivals arrives at once",
    ],
    "rules_levers_channel/levers.yaml": [
        "tests/corpus/rules_levers_channel/levers.yaml:8:16: error: lever 'cameras': channels: unknown name "
        "'surveilance' (did you mean 'surveillance'?); expected one of: coverage, ai, champion, standards, "
        "services, export, surveillance, data_hub, censorship, privacy, antitrust, cyber",
    ],
    "rules_one_choice/events.yaml": [
        "tests/corpus/rules_one_choice/events.yaml:10:7: error: event 'leak': choices: expected at least 2 items, "
        "got 1",
    ],
    "rules_situation_hysteresis/situations.yaml": [
        "tests/corpus/rules_situation_hysteresis/situations.yaml:9:5: error: situation 'overheating': "
        "off_below (0.5) must be lower than on_above (0.4)",
    ],
    "rules_unknown_event_doctrine/events.yaml": [
        "tests/corpus/rules_unknown_event_doctrine/events.yaml:7:17: error: event 'leak': unknown doctrine "
        "'liberal_democrat' (did you mean 'liberal_democracy'?)",
    ],
    "rules_unknown_indicator/events.yaml": [
        "tests/corpus/rules_unknown_indicator/events.yaml:14:22: error: event 'leak', choice 'apologise': "
        "unknown indicator 'legitimcy' (did you mean 'legitimacy'?)",
    ],
    "rules_region_indicator/events.yaml": [
        "tests/corpus/rules_region_indicator/events.yaml:14:22: error: event 'riots', choice 'calm': 'unrest' is a "
        "region indicator; add 'scope: regions' to change it in the regions",
    ],
    "rules_scope_typo/events.yaml": [
        "tests/corpus/rules_scope_typo/events.yaml:14:49: error: event 'riots', choice 'calm', effect #1: scope: "
        "unknown value 'region' (did you mean 'regions'?); expected 'self', 'rivals' or 'regions'",
    ],
    "independent_problems.yaml": [  # a misspelt key no longer hides the unknown lever and option below it
        "tests/corpus/independent_problems.yaml:12:5: error: power 'china': unknown key 'gpd' (did you mean 'gdp'?)",
        "tests/corpus/independent_problems.yaml:26:5: error: power 'china': duplicate key 'freedom' "
        "(first given at line 25)",
        "tests/corpus/independent_problems.yaml:29:40: error: power 'china': unknown lever 'social_credits' "
        "(did you mean 'social_credit'?)",
        "tests/corpus/independent_problems.yaml:32:11: error: power 'usa': name: expected text (got 1776)",
        "tests/corpus/independent_problems.yaml:40:13: error: power 'usa': saving: must be less than 0.7 (got 2.2)",
        "tests/corpus/independent_problems.yaml:51:33: error: power 'usa': policy 'data_governance' has no option "
        "'balance' (did you mean 'balanced'?); options: strict, balanced, mandate",
    ],
    "several_problems.yaml": [
        "tests/corpus/several_problems.yaml:12:5: error: power 'china': unknown key 'gpd' (did you mean 'gdp'?)",
        "tests/corpus/several_problems.yaml:26:5: error: power 'china': duplicate key 'freedom' (first given at line 25)",
        "tests/corpus/several_problems.yaml:32:11: error: power 'usa': name: expected text (got 1776)",
        "tests/corpus/several_problems.yaml:40:13: error: power 'usa': saving: must be less than 0.7 (got 2.2)",
    ],
    "short_color.yaml": [
        "tests/corpus/short_color.yaml:32:12: error: power 'usa': color: expected 3 items, got 2",
    ],
    "too_few_powers.yaml": [
        "tests/corpus/too_few_powers.yaml:9:3: error: scenario 'corpus-base': powers: expected at least 2 items, "
        "got 1",
    ],
    "top_level_list.yaml": [
        "tests/corpus/top_level_list.yaml:2:1: error: expected a mapping of key: value pairs at the top level "
        "(starting with 'format_version: 1'), got a list",
    ],
    "unknown_doctrine.yaml": [
        "tests/corpus/unknown_doctrine.yaml:11:15: error: power 'china': unknown doctrine 'digital_leninism' "
        "(did you mean 'digital_leninist'?)",
    ],
    "unknown_lever.yaml": [
        "tests/corpus/unknown_lever.yaml:28:40: error: power 'china': unknown lever 'social_credits' "
        "(did you mean 'social_credit'?)",
    ],
    "unknown_policy.yaml": [
        "tests/corpus/unknown_policy.yaml:29:16: error: power 'china': unknown policy 'planing_share' "
        "(did you mean 'planning_share'?)",
    ],
    "unknown_policy_option.yaml": [
        "tests/corpus/unknown_policy_option.yaml:29:32: error: power 'china': policy 'planning_share' has no option "
        "'guidded' (did you mean 'guided'?); options: market_led, guided, planned, cybernetic",
    ],
    "unknown_power_in_region.yaml": [
        "tests/corpus/unknown_power_in_region.yaml:53:30: error: region 'africa': alignment names unknown power "
        "'chna' (did you mean 'china'?)",
    ],
    "unknown_region.yaml": [
        "tests/corpus/unknown_region.yaml:53:5: error: region 'afrika' is not in regions.yaml (did you mean "
        "'africa'?), so it needs its own name, gdp, growth, population, internet, autocracy",
    ],
    "unknown_ruleset.yaml": [
        "tests/corpus/unknown_ruleset.yaml:8:10: error: scenario 'corpus-base': unknown ruleset 'fantasy'; "
        "use 'standard' or the name of a directory of rules files next to this scenario",
    ],
    "wrong_type.yaml": [
        "tests/corpus/wrong_type.yaml:12:10: error: power 'china': gdp: expected a number (got 'twelve')",
    ],
    "yaml_syntax_error.yaml": [
        "tests/corpus/yaml_syntax_error.yaml:50:13: error: invalid YAML: a '{' list of keys is not closed: a '}' "
        "(or a ',' between two entries) is missing (it starts at line 49, column 13)",
    ],
}

SHIPPED = sorted(RULES_DIR.glob("*.yaml")) + sorted(SCENARIOS_DIR.glob("*.yaml"))


def systemic(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems name files relative to the working directory, as the CLI shows them."""
    monkeypatch.chdir(ROOT)


# ---------------------------------------------------------------- the corpus
def test_every_corpus_file_has_its_expected_message() -> None:
    on_disk = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.yaml"))
    assert on_disk == sorted(EXPECTED)
    assert len(on_disk) >= 18


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.usefixtures("at_root")
def test_broken_file_gets_its_exact_located_message(name: str) -> None:
    problems = validate_paths([Path("tests/corpus") / name])
    assert [str(p) for p in problems] == EXPECTED[name]


# ---------------------------------------------------------------- shipped files
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_file_validates_clean(path: Path) -> None:
    assert validate_paths([path]) == []


def test_validate_command_exits_0_on_shipped_files() -> None:
    out = systemic("validate", "game/rules", "scenarios", *(str(p) for p in SHIPPED))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("ok:")
    assert out.stderr == ""


def test_validate_command_prints_located_lines_and_exits_1_on_a_broken_file() -> None:
    out = systemic("validate", "tests/corpus/misspelt_key.yaml")
    assert out.returncode == 1
    assert out.stdout.splitlines() == EXPECTED["misspelt_key.yaml"]
    assert "Traceback" not in out.stdout + out.stderr


def test_validate_command_reports_every_problem_of_every_file_at_once() -> None:
    """A directory of scenarios: all problems, one per line, from all files, then exit 1."""
    out = systemic("validate", "scenarios", "tests/corpus", "tests/corpus/rules_unknown_indicator/events.yaml")
    assert out.returncode == 1
    expected = [line for name, lines in EXPECTED.items() if "/" not in name for line in lines]
    expected += EXPECTED["rules_unknown_indicator/events.yaml"]
    assert sorted(out.stdout.splitlines()) == sorted(expected)
    assert "Traceback" not in out.stdout + out.stderr


def test_validate_command_names_a_missing_path() -> None:
    out = systemic("validate", "scenarios/no-such-scenario.yaml")
    assert out.returncode == 1
    assert out.stdout.strip() == "scenarios/no-such-scenario.yaml:1:1: error: no such file or directory"


@pytest.mark.parametrize("name", ["misspelt_key.yaml", "yaml_syntax_error.yaml", "binary_garbage.yaml",
                                  "unknown_ruleset.yaml", "lever_not_open_to_doctrine.yaml", "several_problems.yaml"])
def test_sim_on_a_broken_scenario_prints_the_located_error(name: str) -> None:
    out = systemic("sim", "--scenario", f"tests/corpus/{name}", "--quiet")
    assert out.returncode == 1
    assert out.stderr.splitlines() == EXPECTED[name]
    assert out.stdout == ""
    assert "Traceback" not in out.stderr


# ---------------------------------------------------------------- modding is a YAML edit
# India, 2017: World Bank WDI (GDP, growth, population, R&D), ITU (internet), Freedom House 2018 (77, Free);
# production parameters approximate (PWT 10.01). The Pacific Islands are not in regions.yaml at all.
INDIA = {
    "id": "india", "name": "India", "doctrine": "liberal_democracy", "color": [240, 150, 40],
    "gdp": 2.65, "growth": 0.068, "par_growth": 0.06, "population": 1339, "labour_growth": 0.012,
    "alpha": 0.45, "depreciation": 0.05, "saving": 0.3, "capital_output": 3.0, "tfp": 0.4,
    "tfp_growth": 0.02, "human_capital": 2.1, "rd_share": 0.0067, "internet": 0.34, "freedom": 77,
    "approval": 50, "champions": 1, "standard_quality": 0.4, "concentration": 0.5,
    "election_years": [2019, 2024, 2029, 2034],
    "budget": {"data_infrastructure": 0.3, "digital_public_services": 0.2, "ai_research": 0.1},
    "policies": {"data_governance": "balanced", "acquisition_screening": "screened"},
}
PACIFIC = {
    "id": "pacific_islands", "name": "Pacific Islands", "gdp": 0.03, "growth": 0.03, "population": 12,
    "internet": 0.3, "autocracy": 0.2, "unrest": 0.04,
    "alignment": {"china": 0.4, "usa": 0.4, "india": 0.2},
    "adoption": {"china": 0.3, "usa": 0.3, "india": 0.1},
    "ties": {"china": 0.3, "usa": 0.3, "india": 0.1}, "map_position": [0.9, 0.7],
}


def test_adding_a_power_and_a_region_is_a_yaml_edit_only(tmp_path: Path) -> None:
    spec = yaml.safe_load((SCENARIOS_DIR / "digital-leninism-2017.yaml").read_text())
    spec["id"] = "with-india"
    spec["powers"].append(INDIA)
    spec["regions"].append(PACIFIC)
    path = tmp_path / "with-india.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    assert validate_paths([path]) == []
    scenario = load_scenario(path)
    game = Game.new(scenario, {"china": "planner", "usa": "free_marketeer", "india": "standards_diplomat"}, seed=5)
    game.play_out()
    assert game.over and game.year == spec["end_year"]
    result = game.result()
    assert set(result["scores"]) == {"china", "usa", "india"}
    assert all(math.isfinite(v) for v in result["scores"].values())
    final = game.history[-1]
    assert "pacific_islands" in final["regions"]
    assert set(final["regions"]["pacific_islands"]["alignment"]) == {"china", "usa", "india"}
    for region in final["regions"].values():  # India competes for every region, not only the new one
        assert region["alignment"]["india"] > 0
    india = final["powers"]["india"]
    assert all(math.isfinite(v) for v in india.values())
    assert india["gdp"] > INDIA["gdp"]  # it played 18 years and grew
    for indicator in game.world.indicator_ids:
        assert math.isfinite(game.value("india", indicator)), indicator
    pacific = game.world.region_ids.index("pacific_islands")
    assert np.isfinite(game.state.region[0, pacific]).all()
    gdp = game.world.region_indicator_ids.index("region_gdp")
    assert game.state.region[0, pacific, gdp] > PACIFIC["gdp"]  # its economy was simulated too


def test_yaml_merge_keys_let_a_modder_clone_a_power(tmp_path: Path) -> None:
    """`<<: *usa` copies a power's numbers; keys written out win over the merged ones."""
    base = (CORPUS / "misspelt_key.yaml").read_text().replace("gpd: 12.31", "gdp: 12.31")
    clone = base.replace("  - id: usa\n", "  - &usa\n    id: usa\n").replace(
        "regions:\n", "  - <<: *usa\n    id: usa_west\n    name: West Coast\n    gdp: 4.0\nregions:\n")
    path = tmp_path / "clone.yaml"
    path.write_text(clone)
    assert validate_paths([path]) == []
    powers = {p.id: p for p in load_scenario(path).spec.powers}
    assert powers["usa_west"].gdp == 4.0 and powers["usa"].gdp == 19.61
    assert powers["usa_west"].saving == powers["usa"].saving and powers["usa_west"].budget == powers["usa"].budget
    path.write_text(clone.replace("    gdp: 4.0\n", "    gdp: 4.0\n    saving: 0.9\n"))
    line = clone.splitlines().index("    gdp: 4.0") + 2
    assert [str(p) for p in validate_paths([path])] == [
        f"{path}:{line}:13: error: power 'usa_west': saving: must be less than 0.7 (got 0.9)"]


def test_a_scenario_saved_as_utf16_by_a_windows_editor_loads(tmp_path: Path) -> None:
    text = (CORPUS / "misspelt_key.yaml").read_text().replace("gpd: 12.31", "gdp: 12.31")
    path = tmp_path / "notepad.yaml"
    path.write_bytes(text.encode("utf-16"))
    assert validate_paths([path]) == []
    assert load_scenario(path).spec.powers[0].gdp == 12.31


@pytest.mark.parametrize(("text", "message"), [
    ("a: &a [1, *a]\n", "1:4: error: invalid YAML: an alias refers to itself"),
    ("".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 9)).replace("*l0", "x"),
     "error: file expands to more than 200000 values (aliases nested too deep?)"),
    ("[" * 5000 + "\n", "1:1: error: invalid YAML: nested too deeply"),
    # the parser's jargon ("expected <block end>, but found ...") in plain words, at the same place
    ("powers:\n  - id: x\n   name: y\n", "3:4: error: invalid YAML: this line is indented differently from the "
     "lines above it; line up the keys of one block with spaces (it starts at line 2, column 3)"),
    ("id: x\n\tname: y\n", "2:1: error: invalid YAML: a tab character: indent with spaces only"),
    ("id: x\nname: y\n  foo: 1\n", "3:6: error: invalid YAML: a ':' here starts a key where none can be; put "
     "text that holds ': ' in quotes, or check the indentation"),
])
def test_hostile_yaml_is_refused_with_one_line(tmp_path: Path, text: str, message: str) -> None:
    """A scenario uploaded to a classroom server cannot hang or crash the validator."""
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    problems = [str(p) for p in validate_paths([path])]
    assert len(problems) == 1 and problems[0].startswith(str(path)) and problems[0].endswith(message)


def test_a_modded_ruleset_is_read_again_after_an_edit(tmp_path: Path) -> None:
    """A teacher edits the mod's events.yaml while the game is open: the next load sees it."""
    rules = tmp_path / "classroom_rules"
    shutil.copytree(RULES_DIR, rules, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    scenario = tmp_path / "lesson.yaml"
    scenario.write_text((SCENARIOS_DIR / "classroom-short.yaml").read_text()
                        .replace("turn_seconds: 240", "turn_seconds: 240\nruleset: classroom_rules"))
    assert load_scenario(scenario).rules.directory == rules.resolve()
    events = rules / "events.yaml"
    events.write_text(events.read_text().replace("cooldown: 3", "cooldown: -3", 1))
    with pytest.raises(RulesError) as caught:
        load_scenario(scenario)
    assert [p.message for p in caught.value.problems] == [
        "event 'foreign_bid': cooldown: must be at least 0 (got -3)"]


# ---------------------------------------------------------------- the shipped events and situations
ISSUE_EVENTS = ("foreign_bid", "bubble_warning", "data_breach", "campaign_data_scandal", "party_congress_targets",
                "pandemic", "chip_export_controls", "standards_vote_3gpp", "regional_protest_wave",
                "transatlantic_summit")


def test_shipped_events_cover_the_issue_and_carry_sources() -> None:
    rules = load_ruleset()
    ids = [e.id for e in rules.events]
    assert len(ids) >= 24
    assert set(ISSUE_EVENTS) <= set(ids)
    for event in rules.events:
        assert event.source, event.id
        assert all(choice.effects for choice in event.choices), event.id
    assert len(rules.situations) >= 5
    pandemic = next(e for e in rules.events if e.id == "pandemic")
    assert [(c.year_from, c.year_to) for c in pandemic.conditions] == [(2020, 2022)]
    democratic = {e.id for e in rules.events if e.doctrines == ["liberal_democracy"]}
    assert {"campaign_data_scandal", "transatlantic_summit"} <= democratic


# Which way is better for the deciding power; indicators not listed (surveillance, autocracy) are
# matters of doctrine, so any difference in them counts as a trade-off.
BETTER_HIGH = {"growth", "capital", "legitimacy", "approval", "political_capital", "privacy_trust", "champions",
               "data_quality", "ai_capability", "coverage", "data_stock", "internet"}
BETTER_LOW = {"champion_cost", "bubble", "concentration", "polarisation", "protest", "unrest"}


def test_no_dilemma_has_a_choice_that_is_better_in_every_respect() -> None:
    dominated = []
    for event in load_ruleset().events:
        gains: dict[str, dict[tuple[str, str], float]] = {}
        for choice in event.choices:
            tally: dict[tuple[str, str], float] = {}
            for effect in choice.effects:
                sign = 1.0 if effect.target in BETTER_HIGH else -1.0 if effect.target in BETTER_LOW else math.nan
                if effect.scope == "rivals":
                    sign = -sign
                key = (effect.target, effect.scope)
                tally[key] = tally.get(key, 0.0) + sign * effect.add
            gains[choice.id] = tally
        for a, b in itertools.permutations(gains, 2):
            keys = set(gains[a]) | set(gains[b])
            diffs = [gains[a].get(k, 0.0) - gains[b].get(k, 0.0) for k in keys]
            if all(not math.isnan(d) and d >= 0 for d in diffs):
                dominated.append(f"{event.id}: '{a}' beats '{b}' on everything")
    assert dominated == []


def test_every_shipped_event_fires_in_some_game() -> None:
    """No event is dead weight: conditions that can never hold would waste the draw."""
    world = build_world(load_scenario("transatlantic-2017"))
    fired: set[str] = set()
    seatings = (["status_quo"] * 3, ["random"] * 3, ["surveillance_hawk", "planner", "free_marketeer"],
                ["techno_nationalist", "standards_diplomat", "techno_nationalist"])
    for seed, seats in enumerate(seatings):
        rng = np.random.default_rng(seed)
        state = new_game(world, 150)
        while not state.finished:
            orders = BatchOrders.hold(state)
            for p, who in enumerate(seats):
                decide_batch(state, p, persona(who), rng, orders)
            state, _ = resolve(state, orders, rng)
            fired.update(world.event_ids[e] for e in np.unique(state.pending[state.pending >= 0]))
    assert fired == set(world.event_ids)


def test_a_headless_game_faces_and_answers_dilemmas() -> None:
    game = Game.new("digital-leninism-2017", {"china": "planner", "usa": "free_marketeer"}, seed=3)
    game.play_out()
    news = [line for row in game.history for line in row["news"]]
    faced = [line for line in news if "faces a dilemma" in line]
    decided = [line for line in news if "decided '" in line]
    assert len(faced) >= 4 and len(decided) >= 3


def test_a_verdict_with_a_misspelt_placeholder_is_refused_where_it_stands(tmp_path: Path) -> None:
    # without this check the typo would surface only at the end of an eighteen-year game
    rules = tmp_path / "my_rules"
    shutil.copytree(RULES_DIR, rules, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    victory = rules / "victory.yaml"
    text = victory.read_text()
    victory.write_text(text.replace("won by {margin:.1f} points, above all on productivity",
                                    "won by {marjin:.1f} points, above all on productivity", 1))
    problems = validate_paths([victory])
    assert len(problems) == 1
    line = text[:text.index("{margin:.1f} points, above all on productivity")].count("\n") + 1
    assert f"victory.yaml:{line}:" in str(problems[0])
    assert "bad placeholder 'marjin'" in str(problems[0]) and "{adoption}" in str(problems[0])
