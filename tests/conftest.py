"""Shared fixtures: a throwaway PostgreSQL server for the results-store tests, and store URLs.

The PostgreSQL server is real (initdb + pg_ctl from PATH, PostgreSQL 15 on CI). The server
refuses to run as root, so when the tests run as root (as CI does) it runs as the ``postgres``
system user through ``su``. Each pytest-xdist worker starts its own server on its own free
loopback port, lazily, the first time a test asks for it, and stops it at the end of the
session even when tests fail. If the server cannot start the tests fail loudly: they are
never skipped. ``HLSSIM_TEST_PG_URL`` points the tests at an existing server instead.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

PG_USER = "postgres"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _binary(name: str) -> str:
    path = shutil.which(name) or next((str(p) for p in (Path("/usr/local/bin") / name,
                                                        *Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
                                       if p.exists()), None)
    if path is None:
        pytest.fail(f"PostgreSQL's {name} is not on PATH; the PostgreSQL store tests need a real server "
                    "(install postgresql, or set HLSSIM_TEST_PG_URL to an existing server)", pytrace=False)
    return path


class PostgresServer:
    """One throwaway PostgreSQL cluster in a temporary folder, run as a non-root user."""

    def __init__(self):
        self.as_root = os.geteuid() == 0
        self.dir = Path(tempfile.mkdtemp(prefix="hlssim-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.started = False
        if self.as_root:
            entry = pwd.getpwnam(PG_USER)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self.dir.chmod(0o700)

    def _run(self, command: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
        line = shlex.join(command)
        argv = ["su", "-s", "/bin/sh", PG_USER, "-c", line] if self.as_root else ["sh", "-c", line]
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=self.dir,
                              env={**os.environ, "LC_ALL": "C", "LANG": "C"})

    def start(self) -> None:
        initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
        out = self._run([initdb, "-D", str(self.data), "-A", "trust", "-U", PG_USER, "--no-locale",
                         "-E", "UTF8", "--no-sync"])
        if out.returncode != 0:
            raise RuntimeError(f"initdb failed ({out.returncode}): {out.stderr or out.stdout}")
        for _attempt in range(3):
            options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
            out = self._run([pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"),
                             "start", "-w", "-t", "300"])
            if out.returncode == 0:
                self.started = True
                return
            self.port = _free_port()     # the port was taken in between: try another
        log = (self.dir / "log").read_text() if (self.dir / "log").exists() else ""
        raise RuntimeError(f"pg_ctl start failed ({out.returncode}): {out.stderr or out.stdout}\n{log[-2000:]}")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        try:
            if self.started or (self.data / "postmaster.pid").exists():
                self._run([_binary("pg_ctl"), "-D", str(self.data), "stop", "-m", "fast", "-w"], timeout=60)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server_url():
    """A SQLAlchemy URL to a running PostgreSQL server for this test session (this xdist worker)."""
    existing = os.environ.get("HLSSIM_TEST_PG_URL")
    if existing:
        yield existing
        return
    server = PostgresServer()
    try:
        try:
            server.start()
        except Exception as err:  # noqa: BLE001
            pytest.fail(f"could not start a throwaway PostgreSQL server: {err}", pytrace=False)
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server_url):
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import sqlalchemy as sa
    name = f"hlssim_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + 300          # bounds a failure only: the loop ends when the server answers
    while True:
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            break
        except sa.exc.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    url = sa.make_url(pg_server_url).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'store' / 'hlssim.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request):
    """Each store test runs on SQLite and on a real PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def no_default_store(tmp_path, monkeypatch):
    """Keep the CLI's default store (results/hlssim.db) and scenario lookups away from the repository."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HLSSIM_DB", str(tmp_path / "default.db"))
    return tmp_path / "default.db"


# --------------------------------------------------------------------------- the live page in a real browser

CHROMIUM = os.environ.get("HLSSIM_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright drives Debian's chromium (Playwright's own browser download cannot be fetched here);
    --no-sandbox because CI runs as root. A missing browser fails the browser tests, never skips them."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; the browser tests need Debian's chromium: apt-get install -y chromium "
                    "(`make test` installs it when run as root)", pytrace=False)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox"], "timeout": 300_000}


@pytest.fixture
def page(page):
    """Playwright's page, waiting as long as a busy machine needs: an action or an expectation ends when its
    event happens; the bound (5 s for an expectation by default) only says when to give up."""
    from playwright.sync_api import expect
    page.set_default_timeout(120_000)
    expect.set_options(timeout=120_000)
    return page


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """The live page served for real by `hlssim app` on a free loopback port, for this test session."""
    import sys
    import urllib.request
    folder = tmp_path_factory.mktemp("app")
    log = folder / "server.log"
    script = Path(sys.executable).with_name("hlssim")
    port = _free_port()
    with log.open("w") as out:
        server = subprocess.Popen([str(script), "app", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT,
                                  cwd=folder, start_new_session=True,
                                  env={**os.environ, "HLSSIM_DB": str(folder / "db")})
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 300      # bounds a failure only: the loop ends when the page answers
        while True:
            if server.poll() is not None:
                pytest.fail(f"`hlssim app` stopped ({server.returncode}):\n{log.read_text()[-3000:]}", pytrace=False)
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"`hlssim app` did not answer on {url} within 300 s:\n{log.read_text()[-3000:]}",
                            pytrace=False)
            time.sleep(0.2)
        yield url
    finally:
        if server.poll() is None:
            os.killpg(server.pid, 15)
            try:
                server.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, 9)
                server.wait(timeout=60)
