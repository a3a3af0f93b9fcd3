"""Record staff access to personal data, and prune what the retention setting no longer keeps."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import AccessRecord


def _client_address(request) -> str:
    from common.client import client_ip

    return client_ip(request)[:45]


def access_record(*, request, kind: str, ref: str) -> AccessRecord | None:
    """Record that the request's staff account opened `kind` `ref`; citizens opening their own data are not."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return None
    return AccessRecord.objects.create(
        actor_id=user.pk,
        actor_email=user.email,
        kind=kind,
        ref=str(ref)[:64],
        path=request.get_full_path()[:300],
        client_ip=_client_address(request),
    )


def access_prune(*, now=None) -> int:
    """Delete the records older than AUDIT_RETENTION_DAYS; return how many. The only delete allowed."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Lets the append-only trigger through for this transaction only.
                cursor.execute("SET LOCAL audit.prune = 'on'")
        old = AccessRecord.objects.filter(at__lt=cutoff)
        count = old.count()
        old._raw_delete(old.db)
    return count
