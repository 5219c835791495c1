"""knowledge/ is a pure library; handlers/ never touch a platform; enforced by walking the AST."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "knowledge": {
        "bot",
        "handlers",
        "telegram",
        "zalo_bot",
        "sqlmodel",
        "sqlalchemy",
        "apscheduler",
        "httpx",
        "starlette",
        "uvicorn",
        "alembic",
        "aiosqlite",
        "psycopg",
        "requests",
        "urllib.request",
        "socket",
    },
    "handlers": {
        "bot",
        "telegram",
        "zalo_bot",
        "sqlmodel",
        "sqlalchemy",
        "apscheduler",
        "httpx",
        "starlette",
        "uvicorn",
        "alembic",
        "aiosqlite",
        "psycopg",
    },
}


def _imports(path: Path):
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_stay_inside_their_layer(package):
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[package]):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders, offenders
