"""Where a signed-in citizen's request spends its time, in process (`manage.py shell`, production settings).

`profile(email=..., password=..., paths=[...])` signs in through the login view (django.test.Client: the whole
middleware stack, no network), asks each path `warm` times, then `count` times timed and `count` times under
cProfile, and returns for each path the ms per request (wall and this process's CPU), the queries and the Redis
commands of one request; `out` receives the profile's lines (cumulative and own time). bench/signed_in.py runs it
with BENCH_PROFILE=1 after the load.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from pathlib import Path

from contextlib import contextmanager

import redis
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def signed_in_client(*, email: str, password: str) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/tai-khoan/dang-nhap/")
    answer = client.post("/tai-khoan/dang-nhap/", {"username": email, "password": password})
    if answer.status_code != 302:
        raise RuntimeError(f"the sign-in answered {answer.status_code}")
    return client


def _timed(client: Client, path: str, count: int) -> tuple[float, float]:
    """ms per request: wall, and this process's CPU."""
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        if client.get(path).status_code != 200:
            raise RuntimeError(f"{path} did not answer 200")
    return (round((time.perf_counter() - started) * 1000 / count, 2),
            round((time.process_time() - cpu) * 1000 / count, 2))


@contextmanager
def redis_commands():
    """The names of the Redis commands sent inside the block (each one a round trip)."""
    sent, original = [], redis.Redis.execute_command

    def counting(self, *args, **options):
        sent.append(args[0])
        return original(self, *args, **options)

    redis.Redis.execute_command = counting
    try:
        yield sent
    finally:
        redis.Redis.execute_command = original


def profile(*, email: str, password: str, paths: list[str], count: int = 200, warm: int = 20,
            out: str | None = None) -> dict:
    client = signed_in_client(email=email, password=password)
    report: dict = {}
    text = io.StringIO()
    for path in paths:
        _timed(client, path, warm)
        with CaptureQueriesContext(connection) as queries, redis_commands() as commands:
            client.get(path)
        sql = [q["sql"][:160] for q in queries.captured_queries]  # now: the next request empties the log
        ms, cpu_ms = _timed(client, path, count)
        profiler = cProfile.Profile()
        profiler.enable()
        _timed(client, path, count)
        profiler.disable()
        report[path] = {"ms_per_request": ms, "cpu_ms_per_request": cpu_ms, "redis_commands": commands,
                        "queries": sql}
        stats = pstats.Stats(profiler, stream=text)
        text.write(f"\n=== {path}: {ms} ms a request ({cpu_ms} ms CPU), {len(sql)} queries, "
                   f"Redis {commands}\n")
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    if out:
        Path(out).write_text(text.getvalue())
    return report
