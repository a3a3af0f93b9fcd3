"""The product code as a newcomer measures it (issue 26): no import cycle between modules, no function over 60 lines.

Read from the source, as tests/test_import_direction.py reads the packages' direction: every import statement of
every module of the portal's packages (migrations aside), at module level or inside a function, relative imports
resolved. Each check has a list of what is known and left for now; the list may only shrink, and an entry that is
no longer true fails, so it cannot go stale.
"""

import ast
from collections import deque
from pathlib import Path

from tests.conftest import ROOT
from tests.test_import_direction import imports, packages

MAX_FUNCTION_LINES = 60

# Cycles known and left for now, each as the set of its modules (none: the last, the sandbox's services ⇄ tasks,
# went with sandbox.results). An entry whose cycle is gone fails the test until it is removed.
KNOWN_CYCLES: list[set[str]] = []

# Functions over MAX_FUNCTION_LINES known and left for now, "path: name" -> lines (none: the last three, the two
# receipts and the wizard's papers step, were cut up). A length may only go down; an entry leaves when short enough.
KNOWN_LONG_FUNCTIONS: dict[str, int] = {}


def product_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the portal's packages by its dotted name (a package by its own name), migrations aside."""
    modules = {}
    for package in packages(root):
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # generated; they name other apps' migrations, not their code
            parts = path.relative_to(root).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the modules of the portal it imports: `from a import b` names the module a.b where there is one."""
    modules = product_modules(root)
    graph = {}
    for name, path in modules.items():
        targets = set()
        for module, names in imports(path, root=root):
            for target in {f"{module}.{n}" if f"{module}.{n}" in modules else module for n in names} or {module}:
                while target not in modules and "." in target:
                    target = target.rpartition(".")[0]  # `import a.b.c` of a name defined in a.b
                if target in modules and target != name:
                    targets.add(target)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each group of modules that import one another, as one cycle through all its first module can reach: a path
    that starts and ends with that module."""
    found, seen = [], set()
    for start in sorted(graph):
        if start in seen:
            continue
        group = _reaching(graph, start) & _reaching(_reversed(graph), start)
        seen |= group
        if len(group) > 1:
            found.append(_cycle_through(graph, start, group))
    return found


def _reaching(graph: dict[str, set[str]], start: str) -> set[str]:
    reached, queue = {start}, deque([start])
    while queue:
        for target in graph.get(queue.popleft(), ()):
            if target not in reached:
                reached.add(target)
                queue.append(target)
    return reached


def _reversed(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    back: dict[str, set[str]] = {name: set() for name in graph}
    for name, targets in graph.items():
        for target in targets:
            back.setdefault(target, set()).add(name)
    return back


def _cycle_through(graph: dict[str, set[str]], start: str, group: set[str]) -> list[str]:
    """The shortest path from `start` back to itself inside `group`."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        name = queue.popleft()
        for target in sorted(graph[name] & group):
            if target == start:
                path = [name]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if target not in came_from:
                came_from[target] = name
                queue.append(target)
    raise AssertionError(f"{start} is in a group it cannot reach back from")


def long_functions(root: Path = ROOT) -> dict[str, int]:
    """"path: name" -> lines (docstring included) of every function longer than MAX_FUNCTION_LINES."""
    found = {}
    for path in product_modules(root).values():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    found[f"{path.relative_to(root)}: {node.name}"] = lines
    return found


def test_no_module_imports_itself_back():
    graph = import_graph()
    assert "procedures.selectors.search" in graph["procedures.selectors"]  # the scan does read the tree
    found = cycles(graph)
    unknown = [" → ".join(cycle) for cycle in found if set(cycle) not in KNOWN_CYCLES]
    assert unknown == []
    groups = [set(cycle) for cycle in found]
    assert [known for known in KNOWN_CYCLES if known not in groups] == []  # fixed: take it off KNOWN_CYCLES


def test_no_product_function_is_over_sixty_lines():
    found = long_functions()
    assert {name: lines for name, lines in found.items()
            if lines > KNOWN_LONG_FUNCTIONS.get(name, MAX_FUNCTION_LINES)} == {}
    assert [name for name in KNOWN_LONG_FUNCTIONS if name not in found] == []  # shortened: take it off the list


def test_the_scan_finds_a_cycle_closed_by_a_function_level_import(tmp_path):
    sources = {
        "shop/__init__.py": "",
        "shop/services.py": "from . import tasks\n",
        "shop/tasks.py": "def later():\n    from shop.services import run\n",
        "shop/views.py": "from .services import run\n",
        "shop/models/__init__.py": "from .order import Order\n",
        "shop/models/order.py": "from ..models import line\n",
        "shop/models/line.py": "",
    }
    for name, source in sources.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source)
    graph = import_graph(tmp_path)
    assert graph["shop.views"] == {"shop.services"}
    assert graph["shop.models.order"] == {"shop.models.line"}  # a module named in a from-import, not its package
    assert cycles(graph) == [["shop.services", "shop.tasks", "shop.services"]]


def test_a_function_is_measured_with_its_docstring(tmp_path):
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    body = "".join(f"    x{n} = {n}\n" for n in range(MAX_FUNCTION_LINES - 2))
    (tmp_path / "shop" / "long.py").write_text(f'def fits():\n    """Doc."""\n{body}\n\ndef over():\n    """Doc."""\n'
                                               f'{body}    return x0\n')
    assert long_functions(tmp_path) == {"shop/long.py: over": MAX_FUNCTION_LINES + 1}
