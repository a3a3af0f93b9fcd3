"""Where the real national procedures data lives: ../shared/data beside the clone (never in the repo)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAME = "tthc-national-2026"


def _candidates():
    if os.environ.get("TTHC_DATA_DIR"):
        yield Path(os.environ["TTHC_DATA_DIR"])
    yield ROOT.parent / "shared" / "data" / NAME
    # A git worktree (…/wt/<name>) points at its main clone, which has ../shared beside it.
    git = ROOT / ".git"
    if git.is_file():
        target = Path(git.read_text().split("gitdir:", 1)[-1].strip())
        main_clone = target.parents[2] if target.parent.name == "worktrees" else None
        if main_clone is not None:
            yield main_clone.parent / "shared" / "data" / NAME


def data_dir() -> Path:
    """Return the data folder, or skip: the data is external to the repository (CI provides it)."""
    for path in _candidates():
        if (path / "tthc_all.jsonl.gz").exists():
            return path
    from tests.conftest import need_service

    need_service("The national procedures data", False, f"../shared/data/{NAME} beside the clone, or TTHC_DATA_DIR")
