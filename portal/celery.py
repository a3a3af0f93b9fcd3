"""The Celery application; its configuration is the `CELERY_` part of Django's settings."""

import os

from celery import Celery, bootsteps, signals
from celery.beat import PersistentScheduler
from celery.worker.consumer import Consumer as CeleryConsumer

from .observability import (
    task_postrun_forget_request_id,
    task_prerun_restore_request_id,
    task_publish_add_request_id,
    worker_logs_carry_request_id,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


class Consumer(CeleryConsumer):
    """Celery's consumer, which lives through losing Redis while a task runs or while it waits for one.

    On a lost connection celery 5.7.0 collects the connection, then closes it as well (5.6 only collected
    it). With kombu 5.7.0's Redis transport, when the worker lost Redis while waiting on BRPOP, collect()
    fails half-way: closing the default channel reads the dead socket and raises, so the channel stays open,
    yet the transport is detached all the same. The extra close then closes that channel again: it drops
    the channel's connection pool, then tries to put back the unacknowledged tasks through the detached
    transport and raises AttributeError ('NoneType' has no 'hostname'), which no handler expects: the
    worker exits. Even when that close is caught, a task still running on the lost connection is
    acknowledged afterwards on a channel with neither pool nor transport: AttributeError again, the
    worker exits.

    So once collect() has released a lost connection, it is not closed a second time, as in celery 5.6:
    the half-closed channel keeps its pool, a late acknowledgement reaches Redis once it is back (or is
    logged as failed while it is not, and the task comes back after the visibility timeout), and the
    worker connects anew. tests/reliability/test_celery_consumer.py makes it happen every time.
    """

    def on_connection_error_after_connected(self, exc):
        connection = self.connection
        if connection is not None:
            close = connection.close

            def close_unless_collected():
                if connection._connection is not None:  # collect() did not finish (it sets None last)
                    close()

            connection.close = close_unless_collected
        super().on_connection_error_after_connected(exc)


app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class RefuseUnsafeDefaults(bootsteps.Step):
    """A worker does not start on the repository's secrets (portal.startup): a worker step raising while it is
    built stops the worker; a signal handler's error would only be logged."""

    def __init__(self, parent, **kwargs):
        from .startup import refuse_to_start_on_unsafe_defaults

        refuse_to_start_on_unsafe_defaults()
        super().__init__(parent, **kwargs)


class Scheduler(PersistentScheduler):
    """The beat's scheduler (Celery's own), which does not start on the repository's secrets either."""

    def __init__(self, *args, **kwargs):
        from .startup import refuse_to_start_on_unsafe_defaults

        refuse_to_start_on_unsafe_defaults()
        super().__init__(*args, **kwargs)


app.steps["worker"].add(RefuseUnsafeDefaults)

# A task's log lines carry the id of the request that queued it (portal.observability).
signals.before_task_publish.connect(task_publish_add_request_id, weak=False)
signals.task_prerun.connect(task_prerun_restore_request_id, weak=False)
signals.task_postrun.connect(task_postrun_forget_request_id, weak=False)
# Celery's own handlers stay (worker_hijack_root_logger); their formats print the id (settings/tasks.py).
signals.after_setup_logger.connect(worker_logs_carry_request_id, weak=False)
app.conf.beat_scheduler = "portal.celery:Scheduler"
