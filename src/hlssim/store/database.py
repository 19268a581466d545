"""Opening a store: its URL, the engine (SQLite or PostgreSQL), and bringing its schema up to date.

SQLite by default (``results/hlssim.db``, nothing to install) or any SQLAlchemy URL given by
``--db`` or ``$HLSSIM_DB`` (PostgreSQL for a shared store). Migrations run in one locked
transaction, so two processes opening a new store at once do not collide.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from ..util.version import __version__
from .errors import StoreError, StoreInputError

ENV_URL = "HLSSIM_DB"
DEFAULT_PATH = Path("results") / "hlssim.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def database_url(db: str | os.PathLike | None = None) -> str:
    """The store's URL: ``db``, else ``$HLSSIM_DB``, else SQLite at ``results/hlssim.db``; a plain path means SQLite."""
    value = str(db) if db else os.environ.get(ENV_URL) or str(DEFAULT_PATH)
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser().resolve())
    return value


def masked(url: sa.URL) -> str:
    return url.render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the driver, decide where transactions begin (transactional DDL too).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # IMMEDIATE takes the write lock at the start, so two writers queue instead of deadlocking.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(db: str | os.PathLike | None = None) -> Engine:
    text = database_url(db)
    try:
        url = make_url(text)
    except ArgumentError:
        raise StoreInputError(f"--db {text!r}: not a database URL; use a file path, sqlite:///PATH "
                              "or postgresql+psycopg://USER@HOST:PORT/DBNAME") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = sa.create_engine(url, future=True, pool_pre_ping=url.get_backend_name() != "sqlite")
    except (NoSuchModuleError, ArgumentError, ImportError) as err:
        raise StoreInputError(f"--db {masked(url)}: unsupported database ({err}); use sqlite:///PATH "
                              "or postgresql+psycopg://USER@HOST:PORT/DBNAME") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def _alembic_config(conn: Connection | None = None):
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def schema_version(engine: Engine) -> str | None:
    """The store's Alembic revision, None for an empty database."""
    from alembic.runtime.migration import MigrationContext
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, revision: str = "head", downgrade: bool = False) -> None:
    """Move the schema to ``revision`` in one locked transaction (safe when two processes open at once)."""
    from alembic import command
    from alembic.script import ScriptDirectory
    known = {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
    current = schema_version(engine)
    if current is not None and current not in known:
        raise StoreError(f"the store's schema version {current!r} is unknown to hlssim {__version__}; "
                         "it was written by a newer hlssim: upgrade hlssim to read it")
    if not downgrade and current == head_revision() and revision == "head":
        return
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7151423)"))
        cfg = _alembic_config(conn)
        if downgrade:
            command.downgrade(cfg, revision)
        else:
            command.upgrade(cfg, revision)
