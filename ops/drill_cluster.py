"""The drill's own PostgreSQL 15 cluster with pgBackRest: WAL archived continuously, full backup, restore to a time.

Everything lives in one directory the drill makes (owned by the `postgres` OS user, which PostgreSQL needs):
the data directory, pgBackRest's configuration, repository, logs and locks. Nothing reads /etc/pgbackrest or
touches the machine's shared PostgreSQL. The commands are the ones docs/operations.md gives the operator.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path

import psycopg

BIN = Path("/usr/lib/postgresql/15/bin")
PGBACKREST = "/usr/bin/pgbackrest"
STANZA = "portal"
DATABASE = "portal_drill"

PGBACKREST_CONF = """[global]
repo1-path={root}/repo
repo1-retention-full=2
repo1-retention-diff=7
compress-type=zst
compress-level=3
start-fast=y
process-max=2
log-path={root}/log
lock-path={root}/lock
spool-path={root}/spool
log-level-console=warn
log-level-file=info

[{stanza}]
pg1-path={data}
pg1-port={port}
pg1-socket-path={root}/run
"""

POSTGRESQL_CONF = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{root}/run'
shared_buffers = 64MB
max_connections = 40
wal_level = replica
archive_mode = on
archive_command = '{pgbackrest} --config={root}/pgbackrest.conf --stanza={stanza} archive-push %p'
archive_timeout = {archive_timeout}
max_wal_senders = 3
"""


def _as_postgres(*args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", "postgres", "--", *args], check=check, capture_output=True, text=True,
                          timeout=timeout)


class Cluster:
    """One drill cluster: `root` holds data/ (the primary), restored/ (the restore) and pgBackRest's files."""

    def __init__(self, root: Path, *, port: int, archive_timeout: int):
        self.root = root
        self.port = port
        self.archive_timeout = archive_timeout
        self.data = root / "data"
        self.running: Path | None = None

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def pgbackrest(self, *args: str, timeout: float = 1800) -> str:
        done = _as_postgres(PGBACKREST, f"--config={self.root}/pgbackrest.conf", f"--stanza={STANZA}", *args,
                            check=False, timeout=timeout)
        if done.returncode:
            raise RuntimeError(f"pgbackrest {' '.join(args)}: {done.returncode}\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def create(self) -> None:
        """initdb, the archiving settings, start, the portal's database and the stanza (checked)."""
        postgres = pwd.getpwnam("postgres")
        for sub in ("", "repo", "log", "lock", "spool", "run"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
            os.chown(self.root / sub, postgres.pw_uid, postgres.pw_gid)
        (self.root / "pgbackrest.conf").write_text(
            PGBACKREST_CONF.format(root=self.root, stanza=STANZA, data=self.data, port=self.port))
        _as_postgres(str(BIN / "initdb"), "-D", str(self.data), "--auth=trust", "--encoding=UTF8",
                     "--locale=C.UTF-8", "-U", "postgres")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(POSTGRESQL_CONF.format(port=self.port, root=self.root, pgbackrest=PGBACKREST, stanza=STANZA,
                                              archive_timeout=self.archive_timeout))
        self.start(self.data)
        self.sql(f"CREATE DATABASE {DATABASE}", database="postgres")
        self.pgbackrest("stanza-create")
        self.pgbackrest("check")

    def start(self, data: Path) -> None:
        log = self.root / "log" / f"{data.name}.log"
        done = _as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "600", "start",
                            check=False)
        if done.returncode:
            raise RuntimeError(f"PostgreSQL did not start in {data}:\n{log.read_text()[-3000:]}")
        self.running = data

    def stop(self, mode: str = "fast") -> None:
        if self.running is not None:
            _as_postgres(str(BIN / "pg_ctl"), "-D", str(self.running), "-m", mode, "-w", "stop", check=False)
            self.running = None

    def connect(self, database: str = DATABASE) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database, autocommit=True,
                               connect_timeout=5)

    def sql(self, statement: str, params=None, *, database: str = DATABASE):
        with self.connect(database) as connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else None

    def backup(self, kind: str = "full") -> float:
        """Take a backup of `kind` (full, diff, incr); return its seconds."""
        started = time.monotonic()
        self.pgbackrest(f"--type={kind}", "backup")
        return time.monotonic() - started

    def archive_lag(self) -> float:
        """Commit a row and return the seconds until its WAL segment is in the repository (the RPO at rest).

        archive_timeout closes the segment; archive-push returns only once the segment is stored, so the archiver's
        last archived segment reaching ours means the repository has it.
        """
        with self.connect() as connection:
            connection.execute("CREATE TABLE IF NOT EXISTS drill_rpo_probe (at timestamptz)")
            connection.execute("INSERT INTO drill_rpo_probe VALUES (clock_timestamp())")
            committed = time.monotonic()
            segment = connection.execute("SELECT pg_walfile_name(pg_current_wal_insert_lsn())").fetchone()[0]
            deadline = committed + self.archive_timeout * 3 + 60
            while time.monotonic() < deadline:
                archived = connection.execute("SELECT last_archived_wal FROM pg_stat_archiver").fetchone()[0]
                if archived and archived[8:] >= segment[8:]:
                    return time.monotonic() - committed
                time.sleep(0.05)
        raise RuntimeError(f"segment {segment} not archived within {deadline - committed:.0f} s")

    def archive_now(self) -> None:
        """Close the current WAL segment and wait until the repository has it (what archive_timeout does later)."""
        with self.connect() as connection:
            segment = connection.execute("SELECT pg_walfile_name(pg_switch_wal())").fetchone()[0]
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                archived = connection.execute("SELECT last_archived_wal FROM pg_stat_archiver").fetchone()[0]
                if archived and archived[8:] >= segment[8:]:
                    return
                time.sleep(0.05)
        raise RuntimeError(f"segment {segment} not archived")

    def restore(self, target: str) -> Path:
        """Restore the latest backup into a fresh data directory and replay WAL up to `target`; start it there.

        Returns once the restored cluster has reached the target and been promoted (it accepts writes).
        """
        restored = self.root / "restored"
        self.pgbackrest(f"--pg1-path={restored}", "--type=time", f"--target={target}", "--target-action=promote",
                        "restore")
        self.start(restored)
        deadline = time.monotonic() + 600
        while self.sql("SELECT pg_is_in_recovery()", database="postgres")[0][0]:
            if time.monotonic() > deadline:
                raise RuntimeError("the restored cluster is still in recovery")
            time.sleep(0.05)
        return restored

    def size(self) -> dict:
        """The database's size and the repository's, in bytes."""
        database = self.sql("SELECT pg_database_size(%s)", [DATABASE])[0][0]
        repo = sum(p.stat().st_size for p in (self.root / "repo").rglob("*") if p.is_file())
        return {"database_bytes": database, "repository_bytes": repo}

    def destroy(self) -> None:
        """Stop whatever runs and remove the directory (also after a failure)."""
        self.stop("immediate")
        for data in (self.data, self.root / "restored"):
            if (data / "postmaster.pid").exists():
                _as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def free_port(first: int = 55400, last: int = 55449, taken: set[int] = frozenset()) -> int:
    """A port of the drill's range nothing is bound to now (clients of other processes borrow ports of it too)."""
    import socket

    for port in range(first, last + 1):
        if port in taken:
            continue
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {first}-{last}")
