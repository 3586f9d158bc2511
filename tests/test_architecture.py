"""The house rules of the code (README, "Map of the code"): imports only go down the layers,
and no module imports itself back through others (no import circle)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Low to high. A module may import from its own layer or a lower one, never a higher one.
LAYERS = [
    "messages",
    "bot.core",
    "bot.storage",
    "bot.sending",
    "bot.people",
    "bot.appointments",
    "bot.handovers",
    "bot.announcements",
    "bot.figures",
    "bot.privacy",
    "handlers.core",
    "handlers.people",
    "handlers.appointments",
    "handlers.handovers",
    "handlers.announcements",
    "handlers.figures",
    "handlers.newcomer_sheet",
    "handlers.help",
    "handlers",
    "bot.app",
    "bot.cli",
    "bot",
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(path): path
    for top in ("bot", "handlers", "messages")
    for path in sorted((ROOT / top).rglob("*.py"))
}


def layer_of(module: str) -> int:
    matches = [
        i for i, name in enumerate(LAYERS) if module == name or module.startswith(name + ".")
    ]
    assert matches, f"{module} is in no layer: add it to LAYERS"
    return max(matches, key=lambda i: len(LAYERS[i]))


def imported_modules(module: str) -> set[str]:
    """The project's modules `module` imports, anywhere in it (a late import counts too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # `from bot.people import newcomers` names a module
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
    return {name for name in found if name in MODULES and name != module}


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def climbs(graph: dict[str, set[str]]) -> list[str]:
    return [
        f"{module} ({LAYERS[layer_of(module)]}) imports {target} ({LAYERS[layer_of(target)]})"
        for module, targets in graph.items()
        for target in targets
        if layer_of(target) > layer_of(module)
    ]


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    state: dict[str, str] = {}
    found: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph.get(module, set())):
            if state.get(target) == "open":
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in graph:
        if module not in state:
            visit(module, [module])
    return found


GRAPH = {module: imported_modules(module) for module in MODULES}


def test_imports_only_go_down() -> None:
    assert climbs(GRAPH) == []


def test_no_import_circle() -> None:
    assert circles(GRAPH) == []


def test_the_checks_can_fail() -> None:
    """A rule importing a handler, or two modules importing each other, is reported."""
    assert climbs({"bot.people.staff": {"handlers.core.access"}}) != []
    assert climbs({"bot.cli.main": {"bot.app.application"}}) == []
    assert circles({"bot.core.a": {"bot.core.b"}, "bot.core.b": {"bot.core.a"}}) == [
        ["bot.core.a", "bot.core.b", "bot.core.a"]
    ]


def test_bot_has_about_a_dozen_entries() -> None:
    entries = [p for p in (ROOT / "bot").iterdir() if p.name != "__pycache__"]
    assert len(entries) <= 13, sorted(p.name for p in entries)
