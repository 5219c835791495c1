"""Alembic environment.

`bot.storage.database.migrate` hands over an open connection (config.attributes["connection"]); the
`alembic` command line (`alembic -c bot/storage/alembic.ini -x url=sqlite:///path …`) gets a URL instead.
"""

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from bot.storage.tables import Table

target_metadata = Table.metadata


def run_migrations(connection: Connection) -> None:
    """Run the migrations on `connection` (batch mode on SQLite, which cannot ALTER most things)."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def command_line_url() -> str:
    """The URL given with `-x url=…`, or `sqlalchemy.url` from the ini file."""
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("give the database with: alembic -x url=sqlite:///path/to/canhgiac.sqlite3 …")
    return url


shared_connection = context.config.attributes.get("connection")
if shared_connection is not None:
    run_migrations(shared_connection)
elif context.is_offline_mode():
    context.configure(url=command_line_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(command_line_url(), poolclass=pool.NullPool)
    with engine.begin() as engine_connection:
        run_migrations(engine_connection)
    engine.dispose()
