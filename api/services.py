"""Writes of the integration API: system clients' keys, the changes feed, and a result file attached."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.ratelimit import rate_allow
from dossiers.constants import DossierStatus, FileKind
from dossiers.models import Dossier
from dossiers.services import dossier_files_store, dossier_result_files_check

from .constants import KEY_PREFIX, PUBLIC_ID_BYTES, SECRET_BYTES
from .models import ApiClient, DossierChange


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_key() -> tuple[str, str, str]:
    """(public id, full key, hash of the secret)."""
    key_id = secrets.token_hex(PUBLIC_ID_BYTES)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return key_id, f"{KEY_PREFIX}_{key_id}_{secret}", _digest(secret)


def api_client_key_issue(*, client: ApiClient) -> str:
    """Give the client a new key (on creation and rotation): the old one stops working at once.

    Return the key, to be shown once; only its public id and its secret's hash are kept."""
    key_id, key, digest = _new_key()
    rotated = bool(client.key_hash)
    client.key_id, client.key_hash = key_id, digest
    fields = ["key_id", "key_hash"]
    if rotated:
        client.rotated_at = timezone.now()
        fields.append("rotated_at")
    if client.pk:
        client.save(update_fields=fields)
    return key


def api_client_revoke(*, client: ApiClient) -> bool:
    """Revoke the client's key for good; False if it already was."""
    now = timezone.now()
    done = ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(revoked_at=now)
    client.revoked_at = client.revoked_at or now
    return bool(done)


def api_client_authenticate(*, key: str) -> ApiClient | None:
    """The active client whose key this is, or None (unknown, wrong secret, revoked, replaced by a rotation)."""
    prefix, _sep, rest = (key or "").partition("_")
    key_id, _sep, secret = rest.partition("_")
    if prefix != KEY_PREFIX or not key_id or not secret or len(key) > 200:
        return None
    client = ApiClient.objects.select_related("account").filter(key_id=key_id, revoked_at__isnull=True).first()
    if client is None or not hmac.compare_digest(client.key_hash, _digest(secret)):
        return None
    if not (client.account.is_active and client.account.is_staff):
        return None
    return client


def api_client_call_allow(*, client: ApiClient, window: int) -> bool:
    """Count one call of the client in its window; False past its own limit. Notes when it was last used."""
    now = timezone.now()
    if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
        # At most a write a minute: the admin shows the day a key was last used, not every call.
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
    return rate_allow(f"api-client:{client.pk}", limit=client.rate_limit, window=window)


def dossier_change_record(*, dossier: Dossier) -> None:
    """Put the dossier at the end of the changes feed, in the transaction of its change (a DOSSIER_MOVED subscriber).

    On PostgreSQL the row carries the writing transaction's id, which the feed compares with the oldest
    transaction still running; elsewhere (SQLite, one writer at a time) the order of the sequence is the
    order of the commits, and the transaction id is 0."""
    if dossier.status == DossierStatus.DRAFT or dossier.pk is None:
        return
    table = DossierChange._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (dossier_id, agency_id, txid, seq, changed_at) "
                "VALUES (%s, %s, pg_current_xact_id()::text::bigint, nextval('api_dossierchange_seq'), now()) "
                "ON CONFLICT (dossier_id) DO UPDATE SET agency_id = EXCLUDED.agency_id, txid = EXCLUDED.txid, "
                "seq = EXCLUDED.seq, changed_at = EXCLUDED.changed_at",
                [dossier.pk, dossier.agency_id])
        else:
            cursor.execute(
                f"INSERT INTO {table} (dossier_id, agency_id, txid, seq, changed_at) "
                f"VALUES (%s, %s, 0, (SELECT COALESCE(MAX(seq), 0) + 1 FROM {table}), %s) "
                "ON CONFLICT (dossier_id) DO UPDATE SET agency_id = excluded.agency_id, seq = excluded.seq, "
                "changed_at = excluded.changed_at",
                [dossier.pk, dossier.agency_id, timezone.now()])


# A result is prepared while the dossier is processed, and may still be completed once it is done.
RESULT_OPEN = frozenset({DossierStatus.PROCESSING, DossierStatus.DONE})


@dataclass(frozen=True)
class Attached:
    dossier: Dossier
    files: list


def dossier_result_attach(*, dossier: Dossier, account, files) -> Attached:
    """Store result files on a dossier being processed, with the admin's checks (dossiers.uploads), under its lock."""
    if not files:
        raise ValidationError(_("Vui lòng đính kèm ít nhất một tệp."), code="files")
    checked = dossier_result_files_check(files=files)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
        if locked.status not in RESULT_OPEN:
            raise ValidationError(_("Chỉ đính kèm kết quả khi hồ sơ đang xử lý hoặc đã xử lý xong."), code="status")
        stored = dossier_files_store(dossier=locked, checked=checked, kind=FileKind.RESULT, user=account)
        locked.save(update_fields=["updated_at"])
        dossier_change_record(dossier=locked)
    return Attached(dossier=locked, files=stored)
