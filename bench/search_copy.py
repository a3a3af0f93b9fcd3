"""What one uncached citizen's search costs the database, read from the search's copy or from the procedures.

The public benchmark's unique searches (bench/public_data.sample: two or three words in a row of one
procedure's name) are run as the catalogue page runs them (procedure_search_ids), their statements captured,
then run again and again: once as written (candidates read from procedures_searchrow, migration procedures
0016), once with the procedure table in its place. Reported: the database backend's CPU time a statement
(from /proc, so PostgreSQL must run on this machine), which a shared machine's load disturbs far less than
wall time. Nothing is written to the database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_search_p100000 python bench/search_copy.py

The database holds a generated catalogue (`manage.py generate_procedures 100000 --seed 7`, as the public
benchmark makes it). Prints one line a round.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
from production_env import production_secrets  # noqa: E402  (bench/: the DEBUG-off settings want secrets)

production_secrets()
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))
REPEAT = 2  # each statement, a round


def backend_cpu_s(connection) -> float:
    """The CPU seconds (user + system) this connection's PostgreSQL backend has used."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_ms_per_statement(connection, statements: list[tuple[str, list]]) -> float:
    with connection.cursor() as cursor:
        for sql, params in statements:  # the rows in the buffers, as in a running portal
            cursor.execute(sql, params)
            cursor.fetchall()
        started = backend_cpu_s(connection)
        for _ in range(REPEAT):
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
        return (backend_cpu_s(connection) - started) / REPEAT / len(statements) * 1000


def main() -> int:
    import django

    django.setup()
    from django.db import connection

    import public_data
    from procedures.models import Procedure
    from procedures.selectors import catalogue_version, procedure_search_ids

    queries = public_data.sample()["citizen"]
    version = catalogue_version()
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        for q in queries:
            procedure_search_ids(q=q, version=version)
    on_table = [(sql.replace("FROM procedures_searchrow p", "FROM procedures_procedure p"), params)
                for sql, params in captured]
    print(f"{Procedure.objects.count()} procedures, {len(captured)} searches; database CPU ms a search statement, "
          f"load average {[round(x, 1) for x in os.getloadavg()]}")
    for n in range(ROUNDS):
        copy, table = cpu_ms_per_statement(connection, captured), cpu_ms_per_statement(connection, on_table)
        print(f"round {n + 1}: from the copy {copy:.2f} ms, from the procedure table {table:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
