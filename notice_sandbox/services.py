"""The sandbox's behaviour: what the next request meets, set on its page or by a test."""

import time

from django.conf import settings
from django.db import transaction

from .models import Behaviour, Mode


def behaviour_set(*, channel: str, mode: str, times: int = 0) -> None:
    Behaviour.objects.update_or_create(channel=channel, defaults={"mode": mode, "times": times})


def behaviour_take(*, channel: str) -> str:
    """The mode this request meets; a mode set for N requests returns to normal after them."""
    with transaction.atomic():
        row = Behaviour.objects.select_for_update().filter(channel=channel).first()
        if row is None or row.mode == Mode.OK:
            return Mode.OK
        mode = row.mode
        if row.times:
            row.times -= 1
            if row.times == 0:
                row.mode = Mode.OK
            row.save()
    if mode == Mode.TIMEOUT:
        time.sleep(settings.NOTICE_SANDBOX_HANG_SECONDS)
    return mode


def behaviour_of(*, channel: str) -> Behaviour:
    return Behaviour.objects.filter(channel=channel).first() or Behaviour(channel=channel)
