"""Run the benchmarks: `make bench` (all) or `python bench/run.py catalogue`."""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["catalogue", "ipn", "upload_memory", "mix", "public", "signed_in", "national_sync"]


def main(names: list[str]) -> None:
    sys.path.insert(0, str(HERE))
    for name in names or BENCHMARKS:
        if name not in BENCHMARKS:
            raise SystemExit(f"unknown benchmark {name!r}; known: {', '.join(BENCHMARKS)}")
        print(f"== benchmark {name}", flush=True)
        try:
            runpy.run_path(str(HERE / f"{name}.py"), run_name="__main__")
        except SystemExit as done:  # each benchmark script ends with sys.exit(main())
            if done.code not in (None, 0):
                raise


if __name__ == "__main__":
    main(sys.argv[1:])
