"""Dossiers: upload limits, list size, the public lookup's rate limit, how long drafts and idempotency keys are kept."""

from .base import env

DOSSIER_MAX_FILE_MB = env.int("DOSSIER_MAX_FILE_MB", default=20)
DOSSIER_MAX_TOTAL_MB = env.int("DOSSIER_MAX_TOTAL_MB", default=100)
DOSSIER_MAX_FILES_PER_COMPONENT = env.int("DOSSIER_MAX_FILES_PER_COMPONENT", default=5)
DOSSIER_PAGE_SIZE = env.int("DOSSIER_PAGE_SIZE", default=20)
DOSSIER_LOOKUP_LIMIT = env.int("DOSSIER_LOOKUP_LIMIT", default=20)  # attempts per client IP per window
DOSSIER_LOOKUP_CODE_LIMIT = env.int("DOSSIER_LOOKUP_CODE_LIMIT", default=5)  # wrong keys per code per window
DOSSIER_LOOKUP_WINDOW = env.int("DOSSIER_LOOKUP_WINDOW", default=600)  # seconds
# Drafts nobody touched for this many days are deleted with their files (the beat's dossier-drafts-purge, tasks.py).
DRAFT_RETENTION_DAYS = env.int("DRAFT_RETENTION_DAYS", default=30)
# The idempotency keys of submissions and payment starts (idempotency/): kept this long for a retry to find its
# answer (the beat's idempotency-keys-purge, tasks.py); an attempt still "running" after this many seconds died
# with its process (gunicorn's --timeout is 120) and the next retry with its key runs it again.
IDEMPOTENCY_RETENTION_HOURS = env.int("IDEMPOTENCY_RETENTION_HOURS", default=48)
IDEMPOTENCY_RUNNING_SECONDS = env.int("IDEMPOTENCY_RUNNING_SECONDS", default=150)
