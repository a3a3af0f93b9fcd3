"""Run the same work in several threads at once, each with its own database connection (a race on PostgreSQL)."""

import threading
from collections.abc import Callable

from django.db import connection


def run_together(work: Callable[[], object], *, threads: int, timeout: float = 60) -> list[object]:
    """Start `threads` runs of `work` at the same moment; return what each returned (an exception is raised again)."""
    barrier = threading.Barrier(threads)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(work())
        except Exception as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    started = [threading.Thread(target=run) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout=timeout)
    if errors:
        raise errors[0]
    return results
