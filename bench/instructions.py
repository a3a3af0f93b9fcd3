"""Instructions an uncached catalogue search costs the Django process, counted by callgrind, for revisions side by side.

wrk's ratios move with the machine (a virtual machine's neighbours changed the ceiling by half within one run);
callgrind counts instructions, not seconds, and gives the same count for the same code and data whatever else
the machine does. Each revision is checked out in a worktree and runs the public benchmark's unique searches
(two words, never cached: bench/public_data.py) through Django's test client, in-process: twice under
`valgrind --tool=callgrind`, with the warm-up only and with ROUNDS rounds more, and the difference is divided
by the requests of those rounds, so the start-up and the first renders do not count. PostgreSQL and Redis are
other processes: their work is not counted (bench/search_prefix.py measures the statement).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_public_keep_100 CACHE_URL=redis://127.0.0.1:6379/11 \\
        python bench/instructions.py f9285a5 HEAD

A database of the public benchmark kept with BENCH_KEEP=1 (`make bench BENCH=public`, BENCH_SCALES=100: 10 000
procedures). Writes bench/results/instructions.{md,json} (BENCH_OUT to write elsewhere).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from production_env import production_secrets

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = Path(os.environ.get("BENCH_OUT", BENCH / "results"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))


def child(rounds: int) -> None:
    """Run in the revision's tree under callgrind: the warm-up, then `rounds` rounds of the same searches."""
    from urllib.parse import urlencode

    import django

    django.setup()
    from django.test import Client

    import public_data

    sample = public_data.sample()
    # Two or three words of one name (issue 25), where the revision's sample has them; else two unrelated words.
    queries = sample.get("citizen") or [f"{a} {b}" for a, b in zip(sample["words"], reversed(sample["words"]))]
    paths = ["/thu-tuc/?" + urlencode({"q": q}) for q in queries]
    client = Client(HTTP_HOST="localhost")
    n = 0
    for _ in range(1 + rounds):  # the first round renders the rows and reads the vocabulary: the warm-up
        for path in paths:
            response = client.get(f"{path}&u=i{n}")  # a parameter the page cache ignores: never a cached page
            assert response.status_code == 200, (path, response.status_code)
            n += 1
    print(json.dumps({"requests_per_round": len(paths)}))


def instructions(tree: Path, rounds: int, env: dict) -> tuple[int, dict]:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, str(BENCH / "instructions.py"),
         "--child", str(rounds)],
        cwd=tree, env=env, capture_output=True, text=True, check=True)
    refs = int(re.search(r"I\s+refs:\s+([\d,]+)", out.stderr).group(1).replace(",", ""))
    return refs, json.loads(out.stdout.strip().splitlines()[-1])


def measure(revision: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(tree), revision], cwd=ROOT, check=True)
        try:
            env = production_secrets({
                **os.environ, "PYTHONPATH": f"{tree}{os.pathsep}{BENCH}", "PYTHONHASHSEED": "0",
                "DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_DEBUG": "0", "DJANGO_SECURE_SSL_REDIRECT": "0",
                "ALLOWED_HOSTS": "*", "PORTAL_VAR_DIR": str(Path(tmp) / "var")})
            subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=tree, env=env, check=True)
            # Both counts at once, one per core: callgrind runs a program some fifty times slower.
            with ThreadPoolExecutor(2) as pool:
                warm_up, counted = pool.submit(instructions, tree, 0, env), pool.submit(instructions, tree, ROUNDS, env)
                (warm, info), (total, _) = warm_up.result(), counted.result()
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=True)
    requests = ROUNDS * info["requests_per_round"]
    commit = subprocess.run(["git", "rev-parse", "--short", revision], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.strip()
    return {"revision": revision, "commit": commit, "requests": requests,
            "instructions_per_request": round((total - warm) / requests), "warm_up_instructions": warm}


def main(revisions: list[str]) -> int:
    results = []
    for revision in revisions:
        results.append(measure(revision))
        print(results[-1], flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "instructions.json").write_text(json.dumps(results, indent=1) + "\n")
    first = results[0]["instructions_per_request"]
    lines = ["| revision | requests counted | instructions a search | ÷ the first |", "|---|---:|---:|---:|"]
    lines += [f"| {r['revision']} ({r['commit']}) | {r['requests']} | {r['instructions_per_request'] / 1e6:.2f} M "
              f"| {r['instructions_per_request'] / first:.3f} |" for r in results]
    (OUT / "instructions.md").write_text(
        "# Instructions an uncached catalogue search costs the Django process (bench/instructions.py)\n\n"
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. callgrind, in-process (Django's test client, "
        "the page cache in Redis), the public benchmark's unique two-word searches at 10 000 procedures; the "
        "warm-up round not counted. PostgreSQL's and Redis's work are not in these figures.\n\n"
        + "\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(int(sys.argv[2]))
    else:
        sys.exit(main(sys.argv[1:] or ["HEAD"]))
