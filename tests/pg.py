"""A throwaway PostgreSQL server for the ``postgres`` tests.

:func:`find_bin_dir` looks for the server binaries (``$AKUT_PG_BIN``, then
Debian's ``/usr/lib/postgresql/<version>/bin``, then ``initdb`` on ``PATH``).
:class:`PgServer` runs ``initdb`` in a fresh temporary folder, starts the
server on a free port of 127.0.0.1 (password authentication, a random
password) and a unix socket inside that folder, creates databases on request
and removes everything when stopped. The server refuses to run as root, so
when the tests run as root every server command runs as the ``postgres`` OS
user (``runuser``) in a folder that user owns.

Durability is switched off (``fsync``, ``synchronous_commit``,
``full_page_writes``): the cluster lives for one test session. The cluster's
locale is ``C`` on purpose: there PostgreSQL's own LOWER folds ASCII only, so
a query that relies on the server's locale for Danish letters fails here.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

DEBIAN_GLOB = "/usr/lib/postgresql"
SUPERUSER = "akut"
SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "60",
    "shared_buffers": "32MB",
    "log_min_messages": "warning",
    "logging_collector": "off",
    "timezone": "'UTC'",
}


class PgUnavailable(Exception):
    """No usable PostgreSQL server binaries (or no driver): the tests skip with this text."""


def _version_key(folder: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", folder.parent.name)) or (0,)


def find_bin_dir() -> Path:
    """Return the folder holding ``initdb``, ``pg_ctl`` and ``postgres``.

    Raises :class:`PgUnavailable` (the reason the tests skip) when there is none.
    """
    candidates: list[Path] = []
    if os.environ.get("AKUT_PG_BIN"):
        candidates.append(Path(os.environ["AKUT_PG_BIN"]))
    debian = sorted(Path(DEBIAN_GLOB).glob("*/bin"), key=_version_key, reverse=True)
    candidates += debian
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(os.path.realpath(on_path)).parent)
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    raise PgUnavailable(
        "PostgreSQL server binaries not found (no initdb/pg_ctl/postgres in $AKUT_PG_BIN, "
        f"{DEBIAN_GLOB}/*/bin or PATH); install the 'postgresql' package to run the "
        "postgres tests"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgServer:
    """One PostgreSQL cluster in a temporary folder; :meth:`stop` removes it."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="akut-pg-"))
        self.data = self.root / "data"
        self.password = secrets.token_hex(16)
        self.port = 0
        self._as_postgres = os.geteuid() == 0
        self._running = False
        if self._as_postgres:
            try:
                entry = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(self.root, ignore_errors=True)
                raise PgUnavailable(
                    "running as root but there is no 'postgres' OS user to run the server"
                ) from None
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.root.chmod(0o700)

    def _run(self, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / argv[0]), *argv[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=self.root, check=False
        )

    def start(self) -> None:
        """Create the cluster (initdb) and start the server; raise RuntimeError on failure."""
        pwfile = self.root / "pw"
        pwfile.write_text(self.password + "\n", encoding="utf-8")
        if self._as_postgres:
            shutil.chown(pwfile, "postgres")
        done = self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        pwfile.unlink()
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            for key, value in SERVER_SETTINGS.items():
                conf.write(f"{key} = {value}\n")
            conf.write(f"unix_socket_directories = '{self.root}'\n")
        last = ""
        for _ in range(5):  # a free port can be taken between the probe and the start
            self.port = _free_port()
            done = self._run(
                "pg_ctl",
                "-D",
                str(self.data),
                "-l",
                str(self.root / "server.log"),
                "-o",
                f"-p {self.port}",
                "-w",
                "-t",
                "30",
                "start",
            )
            if done.returncode == 0:
                self._running = True
                return
            last = self.log_tail()
        raise RuntimeError(f"pg_ctl start failed: {last}")

    def log_tail(self, lines: int = 20) -> str:
        """Return the end of the server log (for failure messages)."""
        try:
            text = (self.root / "server.log").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def url(self, dbname: str) -> str:
        """Return the ``postgresql://`` URL of database ``dbname`` (TCP, password)."""
        return f"postgresql://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> Any:
        """Open a psycopg2 connection in autocommit mode."""
        import psycopg2

        con = psycopg2.connect(
            host="127.0.0.1",
            port=self.port,
            user=SUPERUSER,
            password=self.password,
            dbname=dbname,
        )
        con.autocommit = True
        return con

    def create_database(self, dbname: str, template: str = "template0") -> str:
        """Create ``dbname`` (a copy of ``template``) and return its URL."""
        con = self.connect()
        try:
            with con.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{dbname}" TEMPLATE "{template}"')
        finally:
            con.close()
        return self.url(dbname)

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete the cluster folder."""
        try:
            if self._running:
                done = self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
                if done.returncode != 0:  # last resort: the postmaster pid from its pid file
                    pid = int((self.data / "postmaster.pid").read_text().split()[0])
                    os.kill(pid, 9)
                    time.sleep(0.2)
                self._running = False
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> PgServer:
    """Find the binaries and the driver, start a server and return it."""
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        raise PgUnavailable(
            "psycopg2 is not installed: pip install -e '.[test]' (or '.[postgres]')"
        ) from None
    server = PgServer(find_bin_dir())
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server
