"""Start calls in threads at the same moment, each with its own database connection (a race on PostgreSQL)."""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection


def run_together(*calls: Callable[[], object], timeout: float = 60, raise_errors: bool = False) -> list[object]:
    """Run each call in its own thread, all released at once by a barrier; return, in call order, what each
    returned or the exception it raised (`raise_errors`: raise the first such exception instead).

    Each thread closes its database connection when done. `timeout` bounds the wait at the barrier and the whole
    run: a thread still running after it fails the test rather than hanging it or being ignored."""
    barrier = threading.Barrier(len(calls), timeout=timeout)
    results: list[object] = [None] * len(calls)

    def run(n: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[n] = call()
        except BaseException as exc:  # returned to the caller, in the call's place
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call), daemon=True) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    running = [n for n, thread in enumerate(threads) if thread.is_alive()]
    if running:
        barrier.abort()  # any call still at the barrier stops waiting
        pytest.fail(f"run_together: calls {running} of {len(calls)} still running after {timeout} s")
    if raise_errors:
        for result in results:
            if isinstance(result, BaseException):
                raise result
    return results


def run_times(call: Callable[[], object], times: int, **options) -> list[object]:
    """`times` runs of the same call, released together (see run_together for the options)."""
    return run_together(*[call] * times, **options)
