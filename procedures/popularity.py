"""How often citizens submit a procedure, decaying with time, kept as one number per procedure.

A procedure's popularity is log Σ exp(t_i / τ) over its submissions at times t_i (days since EPOCH).
Recording a submission is one UPDATE (log-add-exp), nothing ever has to decay the stored values, and
popularity − now/τ is the log of the decayed count: 0 means "about one submission recently".
"""

import math
from datetime import datetime, timezone

from django.utils import timezone as dj_timezone

EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)
TIME_CONSTANT_DAYS = 30.0  # a submission counts e⁻¹ after a month, about 5 % after three


def popularity_time(at: datetime | None = None) -> float:
    """Return the time `at` (now by default) on the popularity scale."""
    at = at or dj_timezone.now()
    return (at - EPOCH).total_seconds() / 86400 / TIME_CONSTANT_DAYS


def popularity_now() -> float:
    return popularity_time()


def decayed_count(popularity: float, at: datetime | None = None) -> float:
    """Return the decayed number of submissions a stored popularity stands for at `at` (0 when none)."""
    return math.exp(popularity - popularity_time(at)) if popularity else 0.0
