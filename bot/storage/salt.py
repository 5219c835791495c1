"""The hash salt of checked texts, kept in the database so that every process on it hashes alike.

Created once, on the first start against a database. A salt file an older version kept (beside the SQLite
database, or `data/hash_salt` under the working directory for a server database) is moved in rather than
replaced, so hashes stored before stay comparable; the file is then no longer read and may be deleted.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.tables import InstanceSecretRow

log = logging.getLogger(__name__)
SALT = "hash_salt"


async def shared_salt(engine: AsyncEngine, legacy_file: Path) -> bytes:
    """The database's salt; on first start, the one in `legacy_file` if it exists, else a new random one."""
    table = InstanceSecretRow.__table__  # type: ignore[attr-defined]  # sqlmodel's table attribute is untyped
    query = select(table.c.value).where(table.c.name == SALT)
    async with engine.connect() as connection:
        stored: bytes | None = (await connection.execute(query)).scalar_one_or_none()
    if stored is not None:
        return stored
    legacy = await asyncio.to_thread(_read_if_present, legacy_file)
    candidate = legacy if legacy is not None else secrets.token_hex(16).encode()
    insert = (postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert)(table)
    async with engine.begin() as connection:
        # Two processes starting together on a new database: the first insert wins, and both read the winner.
        await connection.execute(insert.values(name=SALT, value=candidate).on_conflict_do_nothing())
        kept: bytes = (await connection.execute(query)).scalar_one()
    if legacy is not None and kept == legacy:
        log.info("hash salt moved from %s into the database; that file is no longer used", legacy_file)
    return kept


def _read_if_present(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None
