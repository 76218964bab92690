"""The layers hold: every import in every module of the game (inside functions and `TYPE_CHECKING`
blocks too) points down the stack, and no two packages import each other.

    rules  <  engine  <  ai  <  play (match, draft, wording)  <  lab, classroom  <  ui  <  bench  <  cli

`game.command` (the one-line user error and the seats argument) imports nothing of the game, so
any subcommand may use it. The desktop's projector window shows a classroom session, so `ui` may
import `classroom`; the classroom never imports the desktop (the command line hands it the window).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

GAME = Path(__file__).resolve().parent.parent / "game"

# What each layer may import besides itself.
BELOW: dict[str, set[str]] = {
    "rules": set(),
    "engine": {"rules"},
    "ai": {"engine", "rules"},
    "play": {"ai", "engine", "rules"},
    "command": set(),
    "lab": {"play", "ai", "engine", "rules", "command"},
    "classroom": {"play", "ai", "engine", "rules", "command"},
    "ui": {"classroom", "play", "ai", "engine", "rules", "command"},
    "bench": {"ui", "classroom", "lab", "play", "ai", "engine", "rules", "command"},
    "cli": {"bench", "ui", "classroom", "lab", "play", "ai", "engine", "rules", "command"},
    "__main__": {"cli"},
}
PLAY = {"match", "draft", "wording"}


def layer(module: str) -> str:
    """The layer of a dotted module name inside the game."""
    parts = module.split(".")
    if len(parts) < 2:
        return "game"
    return "play" if parts[1] in PLAY else parts[1]


def module_name(path: Path) -> str:
    rel = path.relative_to(GAME.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """Every game module this file imports, at any depth of its syntax tree, with the line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert not node.level, f"{path}:{node.lineno}: a relative import; the game imports absolutely"
            found += [(node.lineno, node.module or "")]
    return [(line, name) for line, name in found if name == "game" or name.startswith("game.")]


def edges() -> dict[tuple[str, str], list[str]]:
    """(importing layer, imported layer) -> where, for imports that cross layers."""
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(GAME.rglob("*.py")):
        here = layer(module_name(path))
        for line, name in imports(path):
            there = layer(name)
            if there != here:
                out[(here, there)].append(f"{path.relative_to(GAME.parent)}:{line}: imports {name}")
    return out


def test_every_module_belongs_to_a_known_layer() -> None:
    unknown = sorted({layer(module_name(p)) for p in GAME.rglob("*.py")} - set(BELOW) - {"game"})
    assert not unknown, f"modules outside every layer: {unknown}; add them to BELOW"


def test_imports_point_down_the_layers() -> None:
    wrong = [where for (here, there), places in sorted(edges().items())
             if there != "game" and there not in BELOW.get(here, set()) for where in places]
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_no_two_packages_import_each_other() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for here, there in edges():
        graph[here].add(there)
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                walk = [*path, node]
                return [*walk[walk.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt, [*path, node])):
                return cycle
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start, [])
            assert cycle is None, "packages import each other: " + " -> ".join(cycle)


def test_the_scan_sees_imports_inside_functions() -> None:
    """The projector used to be opened from inside a classroom function: a scan of top-level
    imports alone would have missed it."""
    sample = GAME / "cli.py"
    nested = [name for line, name in imports(sample) if name.startswith("game.ui")]
    assert nested, "cli.py opens the projector from inside a function; the scan must see it"
