"""Child processes of the test run that must not outlive it."""

import ctypes
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """preexec_fn: on Linux the child is killed when the test process dies, even by SIGKILL (a CI timeout).

    Fixtures stop their processes at teardown; this covers the run that never reaches its teardown.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
