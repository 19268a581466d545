"""Opening a store: its URL, the engine (SQLite or PostgreSQL), checking it, and bringing its schema up to date.

SQLite by default (``results/hlssim.db`` relative to the current directory, nothing to install)
or any SQLAlchemy URL given by ``--db`` or ``$HLSSIM_DB`` (PostgreSQL for a shared store).
Migrations run in one locked transaction, so two processes opening a new store at once do not
collide. A SQLite file is created only when asked to (``create=True``, for commands that
store runs), and an existing one is checked with ``PRAGMA quick_check`` before anything reads
or writes it: a damaged file is refused and left exactly as it is.
"""

from __future__ import annotations

import json
import os
import shlex
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from ..util.version import __version__
from .errors import StoreError, StoreInputError, StoreMissing

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
    # Text that is not UTF-8 (a row salvaged from a damaged file) reads with U+FFFD in place of the bad
    # bytes, so the rest of the store can still be listed; the run it belongs to says what is wrong.
    dbapi_connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


def _read_json(text: str):
    """A stored JSON value; None where it cannot be read (a row salvaged from a damaged file), so that one
    broken row does not hide the rest of the store."""
    try:
        return json.loads(text)
    except ValueError:
        return None


def _sqlite_begin(conn: Connection) -> None:
    # IMMEDIATE takes the write lock at the start, so two writers queue instead of deadlocking.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def sqlite_file(url: sa.URL) -> Path | None:
    """The file of a SQLite store (None for PostgreSQL or an in-memory database)."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:" \
            or url.database.startswith("file:"):
        return None
    return Path(url.database).expanduser()


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError as err:
        raise StoreInputError(f"cannot use a store at {path}: {err.strerror or err}") from None


def _make_room(path: Path, create: bool) -> None:
    """A store file's place: refuse a folder, a missing file when only reading, a folder that cannot be made."""
    if _exists(path) and path.is_dir():
        raise StoreInputError(f"cannot use a store at {path}: it is a folder; give a file such as "
                              f"{path / 'hlssim.db'}")
    if _exists(path):
        return
    if not create:
        raise StoreMissing(str(path))
    blocker = next((p for p in path.parents if _exists(p)), None)
    if blocker is not None and not blocker.is_dir():
        raise StoreInputError(f"cannot make a store at {path}: {blocker} is a file, not a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreInputError(f"cannot make a store at {path}: cannot create the folder {path.parent}: "
                              f"{err.strerror or err}") from None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StoreInputError(f"cannot make a store at {path}: permission denied in {path.parent}")


def create_engine(db: str | os.PathLike | None = None, create: bool = True) -> Engine:
    """The engine for a store; a SQLite file that does not exist is made only with ``create``
    (otherwise :class:`StoreMissing`)."""
    text = database_url(db)
    try:
        url = make_url(text)
    except ArgumentError:
        raise StoreInputError(f"--db {text!r}: not a database URL; use a file path, sqlite:///PATH "
                              "or postgresql+psycopg://USER@HOST:PORT/DBNAME") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    path = sqlite_file(url)
    if path is not None:
        _make_room(path, create)
    try:
        engine = sa.create_engine(url, future=True, pool_pre_ping=url.get_backend_name() != "sqlite",
                                  json_deserializer=_read_json)
    except (NoSuchModuleError, ArgumentError, ImportError) as err:
        raise StoreInputError(f"--db {masked(url)}: unsupported database ({err}); use sqlite:///PATH "
                              "or postgresql+psycopg://USER@HOST:PORT/DBNAME") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def damaged(path: Path, problem: str) -> StoreError:
    """A damaged SQLite store: what SQLite said, that the file was not touched, and how to recover."""
    aside = path.with_name(path.name + ".damaged")
    salvaged = path.with_name(path.stem + "-salvaged.db")
    dump = f"sqlite3 {shlex.quote(str(aside))} .dump | sed 's/^ROLLBACK; -- due to errors$/COMMIT;/'"
    return StoreError(
        f"the results store {path} is damaged ({problem}); it was left exactly as it is.\n"
        f"  To recover, move it aside (mv {shlex.quote(str(path))} {shlex.quote(str(aside))}) and run again: "
        "runs are remade from their scenarios.\n"
        f"  To salvage what SQLite can still read (runs may come back incomplete): {dump} | "
        f"sqlite3 {shlex.quote(str(salvaged))}, then use --db {shlex.quote(str(salvaged))}")


def is_damage(err: BaseException) -> bool:
    """SQLite's words for a file that is not a database or whose pages are broken."""
    orig = getattr(err, "orig", err)
    return type(orig) is sqlite3.DatabaseError or (
        isinstance(orig, sqlite3.DatabaseError) and "malformed" in str(orig))


def check_integrity(path: Path, shown: int = 3, remember_above: int = 256 * 2**20) -> None:
    """``PRAGMA quick_check`` on an existing SQLite store; a damaged store raises :func:`damaged`.

    The check writes nothing (only SQLite's own recovery of a write that was cut off, a hot
    journal, changes the file). It reads every page, so its time grows with the file: about 1.5 s
    for 1.1 GB (3,000 runs of 260 weeks) when the file is in the page cache, 12 s when it is not.
    So a store larger than ``remember_above`` bytes that passed is not checked again while it is
    the same file with the same size and modification time (recorded in the user's cache folder,
    see :func:`_checks_file`); any write, or anything else that changes the file, brings the check
    back. Damage that leaves size and modification time alone (a failing disk) goes unseen then."""
    if not _exists(path):
        return
    stat = path.stat()
    if stat.st_size == 0:
        return
    stamp = f"{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"
    remember = stat.st_size > remember_above
    if remember and _checked().get(str(path)) == stamp:
        return
    try:
        conn = sqlite3.connect(path, timeout=60, isolation_level=None)
    except sqlite3.Error as err:
        raise StoreError(f"cannot open the results store {path}: {err}") from None
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as err:
        if not is_damage(err):
            raise StoreError(f"cannot check the results store {path}: {err}") from None
        rows = [str(err)]
    finally:
        conn.close()
    # One row per problem, or (as SQLite 3.4x reports broken pages) one row holding a heading and the
    # problems on the lines under it: read it line by line, leaving out the "*** in database main ***" heading.
    lines = [line for r in rows for line in str(r).splitlines()]
    problems = [line for line in lines if line.strip() and line != "ok" and not line.startswith("***")]
    if problems:
        first = "; ".join(str(p) for p in problems[:shown])
        more = f" and {len(problems) - shown} more" if len(problems) > shown else ""
        raise damaged(path, f"SQLite's quick check: {first}{more}")
    if remember:
        _remember(str(path), stamp)


def _checks_file() -> Path:
    """Where large stores that passed the check are remembered: ``$XDG_CACHE_HOME/hlssim`` or ``~/.cache/hlssim``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hlssim" / "checked-stores.json"


def _checked() -> dict[str, str]:
    try:
        found = json.loads(_checks_file().read_text())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _remember(path: str, stamp: str, keep: int = 20) -> None:
    """Record a large store that passed (the most recent ``keep``); a cache that cannot be written is skipped."""
    checked = {k: v for k, v in _checked().items() if k != path}
    checked[path] = stamp
    target = _checks_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(dict(list(checked.items())[-keep:])))
        temporary.replace(target)
    except OSError:
        pass


def failure(url: str, path: Path | None, err: SQLAlchemyError, doing: str) -> StoreError:
    """A database error as one line for people: damage named as such, anything else with the store's URL."""
    if path is not None and is_damage(err):
        return damaged(path, first_line(err))
    return StoreError(f"cannot {doing} the results store at {url}: {first_line(err)}")


def first_line(err: BaseException) -> str:
    orig = getattr(err, "orig", None)
    text = str(orig if orig is not None else err).strip()
    return text.splitlines()[0] if text else type(err).__name__


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
