"""Celery: a real broker when CELERY_BROKER_URL is set, otherwise tasks run in-process; the one beat schedule."""

from .appointments import APPOINTMENT_REMIND_EVERY
from .base import TIME_ZONE, env
from .email import EMAIL_SWEEP_EVERY
from .national_sync import NATIONAL_SYNC_COMPARE_EVERY, NATIONAL_SYNC_SWEEP_EVERY
from .payments import PAYMENT_RECONCILE_EVERY

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_TIMEZONE = TIME_ZONE
# Celery's consumer with a guard for closing a lost Redis connection (portal/celery.py explains).
CELERY_WORKER_CONSUMER = "portal.celery:Consumer"

# A worker's lines carry the id of the web request that queued the task (portal.observability).
CELERY_WORKER_LOG_FORMAT = "[%(asctime)s: %(levelname)s/%(processName)s] [%(request_id)s] %(message)s"
CELERY_WORKER_TASK_LOG_FORMAT = (
    "[%(asctime)s: %(levelname)s/%(processName)s] [%(request_id)s] %(task_name)s[%(task_id)s]: %(message)s"
)

# Every periodic task, in seconds between runs.
CELERY_BEAT_SCHEDULE = {
    # E-mails still unsent EMAIL_SWEEP_AFTER_SECONDS after they were written (email.py) are queued again.
    "email-sweep-pending": {"task": "notifications.tasks.email_sweep_pending", "schedule": float(EMAIL_SWEEP_EVERY)},
    # SMS/Zalo notices left "sending" past NOTICE_SENDING_LEASE (notices.py: a dead worker) are sent again.
    "notice-sweep-sending": {"task": "notifications.tasks.notice_sweep_sending", "schedule": 300.0},
    # Drafts untouched for DRAFT_RETENTION_DAYS (dossiers.py) are deleted with their files.
    "dossier-drafts-purge": {"task": "dossiers.tasks.dossier_drafts_purge", "schedule": 6 * 3600.0},
    # Idempotency keys older than IDEMPOTENCY_RETENTION_HOURS (dossiers.py) are deleted.
    "idempotency-keys-purge": {"task": "idempotency.tasks.idempotency_keys_purge", "schedule": 3600.0},
    # Staff access to personal data older than AUDIT_RETENTION_DAYS (security.py) is pruned.
    "audit-prune": {"task": "audit.tasks.audit_prune", "schedule": 24 * 3600.0},
    # Payments still pending are asked about at their gateway (payments.py: the age, the batch, how often).
    "payments-reconcile": {"task": "payments.tasks.payments_reconcile", "schedule": float(PAYMENT_RECONCILE_EVERY)},
    # Citizens with an appointment the next working day are reminded once (appointments.py: from which hour).
    "appointments-remind": {"task": "appointments.tasks.appointments_remind", "schedule": float(APPOINTMENT_REMIND_EVERY)},
    # Outbox records for the national portal that are due (new, or failed and past their backoff) are queued.
    "national-sync-sweep": {
        "task": "national_sync.tasks.outbox_sweep", "schedule": float(NATIONAL_SYNC_SWEEP_EVERY),
    },
    # What the national portal holds of recent dossiers, compared with what was delivered; drift is requeued.
    "national-sync-compare": {
        "task": "national_sync.tasks.outbox_compare", "schedule": float(NATIONAL_SYNC_COMPARE_EVERY),
    },
    # Resumable uploads past their TUS_EXPIRE_HOURS (uploads.py) are deleted with their parts.
    "tus-uploads-expire": {"task": "uploads_tus.tasks.tus_uploads_expire", "schedule": 3600.0},
    # Wallet papers expiring within WALLET_REMIND_DAYS (wallet.py) are reminded once; unreferenced blobs go.
    "wallet-expiry-remind": {"task": "wallet.tasks.wallet_expiry_remind", "schedule": 24 * 3600.0},
}
