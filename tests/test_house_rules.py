"""House rules of the test tree, enforced by walking the AST: test modules and conftest.py files are never imported.

Shared builders live in tests/factories.py, fakes in tests/fakes/, other helpers in plain modules (helpers.py…);
fixtures stay in conftest.py files and are used by name.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"


def _imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def test_no_module_imports_a_test_module_or_a_conftest() -> None:
    offences = []
    for path in sorted(TESTS.rglob("*.py")):
        for module in sorted(_imported_modules(path)):
            last = module.rsplit(".", 1)[-1]
            if module.startswith("tests.") and (last.startswith("test_") or last == "conftest"):
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []
