"""Writes on the wallet: keep a paper (within the quota, counted under the owner's lock), keep a returned
dossier's results, attach an item to a dossier's component (stored once, referenced), share, delete."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.ratelimit import rate_allow
from dossiers import uploads
from dossiers.constants import DossierStatus, FileKind
from dossiers.models import DossierFile
from dossiers.services import dossier_component_file_reference

from .kinds import kind_key
from .models import Blob, DocumentKind, Origin, ResultDelivered, WalletItem, WalletShare, WalletUse
from .selectors import items_visible_to


@dataclass
class Paper:
    """What the citizen says of a paper they keep."""

    title: str
    issuer: str = ""
    number: str = ""
    issued_on: object = None
    expires_on: object = None


def kind_for(name: str) -> DocumentKind:
    key = kind_key(name) or kind_key(_("Giấy tờ khác"))
    kind, _created = DocumentKind.objects.get_or_create(key=key, defaults={"name": name[:500]})
    return kind


def _blob_name(sha256: str, extension: str) -> str:
    return f"{uploads.SHARED_PREFIX}{sha256[:2]}/{sha256}.{extension}"


def blob_for_bytes(*, handle, sha256: str, size: int, extension: str) -> Blob:
    """The one blob of these bytes, written to storage the first time they are kept."""
    blob = Blob.objects.filter(sha256=sha256).first()
    if blob is not None:
        return blob
    name = _blob_name(sha256, extension)
    if not default_storage.exists(name):
        handle.seek(0)
        name = default_storage.save(name, handle)
    try:
        with transaction.atomic():
            return Blob.objects.create(sha256=sha256, name=name, size=size)
    except IntegrityError:  # the same bytes kept at the same moment by another request
        return Blob.objects.get(sha256=sha256)


def _refuse_kept_twice(owner, sha256: str) -> None:
    if WalletItem.objects.filter(owner=owner, blob__sha256=sha256).exists():
        raise ValidationError(_("Giấy tờ này (cùng nội dung) đã có trong kho của bạn."), code="duplicate")


def _owner_locked(owner):
    return get_user_model().objects.select_for_update().get(pk=owner.pk)


def _quota_check(owner, adding: int) -> None:
    """Under the owner's row lock: parallel keeps of one owner wait here, so none passes the quota."""
    items = WalletItem.objects.filter(owner=owner)
    if items.count() + 1 > settings.WALLET_MAX_ITEMS:
        raise ValidationError(
            _("Kho giấy tờ đã đủ %(n)s giấy tờ; hãy xóa bớt giấy tờ không cần trước khi lưu thêm."),
            params={"n": settings.WALLET_MAX_ITEMS}, code="quota",
        )
    used = items.aggregate(total=Sum("blob__size"))["total"] or 0
    if used + adding > settings.WALLET_MAX_BYTES:
        raise ValidationError(
            _("Kho giấy tờ chỉ chứa tối đa %(mb)s MB; hãy xóa bớt giấy tờ không cần trước khi lưu thêm."),
            params={"mb": settings.WALLET_MAX_BYTES // 2**20}, code="quota",
        )


def _keep_rate_check(owner) -> None:
    """Count one keep of the owner's; refuse it past WALLET_KEEP_RATE_LIMIT in the window. The counter is the
    cache's atomic increment (Redis INCR), checked before any lock or write: parallel keeps each get their own
    count, so no more than the limit pass. A refused keep counts too, and a deletion gives nothing back."""
    window = settings.WALLET_KEEP_RATE_WINDOW
    if not rate_allow(f"wallet-keep:user:{owner.pk}", limit=settings.WALLET_KEEP_RATE_LIMIT, window=window):
        raise ValidationError(
            _("Bạn đã lưu quá nhiều giấy tờ vào kho trong thời gian ngắn (tối đa %(n)s lần trong %(minutes)s phút). "
              "Vui lòng thử lại sau."),
            params={"n": settings.WALLET_KEEP_RATE_LIMIT, "minutes": max(1, window // 60)}, code="rate",
        )


def _item_create(*, owner, paper: Paper, kind_name: str, blob: Blob, original_name: str, file_type: str, **extra):
    return WalletItem.objects.create(
        owner=owner, kind=kind_for(kind_name), title=paper.title[:255], issuer=paper.issuer[:255],
        number=paper.number[:60], issued_on=paper.issued_on, expires_on=paper.expires_on, blob=blob,
        original_name=original_name[:255], file_type=file_type, **extra,
    )


def wallet_item_keep(*, owner, upload, paper: Paper, kind_name: str) -> WalletItem:
    """Keep a paper uploaded in the wallet: the rate limit, the upload's content checks, then the quota under the
    owner's lock."""
    _keep_rate_check(owner)
    checked = uploads.check_upload(upload, accepted=list(uploads.DECLARED), max_bytes=uploads.max_file_bytes())
    with transaction.atomic():
        locked = _owner_locked(owner)
        _quota_check(locked, checked.size)
        _refuse_kept_twice(locked, checked.sha256)
        blob = blob_for_bytes(handle=checked.upload, sha256=checked.sha256, size=checked.size,
                              extension=checked.extension)
        return _item_create(owner=locked, paper=paper, kind_name=kind_name or paper.title, blob=blob,
                            original_name=checked.original_name, file_type=checked.extension, origin=Origin.KEPT)


def wallet_file_keep(*, user, dossier_file: DossierFile, paper: Paper) -> WalletItem:
    """"Lưu vào kho": keep a file the citizen uploaded to a component of their own dossier."""
    if dossier_file.dossier.owner_id != user.pk or dossier_file.kind != FileKind.APPLICATION:
        raise PermissionDenied
    _keep_rate_check(user)
    kind_name = dossier_file.component.name if dossier_file.component_id else paper.title
    with transaction.atomic():
        locked = _owner_locked(user)
        _quota_check(locked, dossier_file.size)
        with dossier_file.file.open("rb") as handle:
            sha256 = dossier_file.sha256 or hashlib.file_digest(handle, "sha256").hexdigest()
            _refuse_kept_twice(locked, sha256)
            blob = blob_for_bytes(handle=handle, sha256=sha256, size=dossier_file.size,
                                  extension=dossier_file.file_type)
        return _item_create(owner=locked, paper=paper, kind_name=kind_name, blob=blob,
                            original_name=dossier_file.original_name, file_type=dossier_file.file_type,
                            origin=Origin.KEPT)


def _result_kind_name(dossier, dossier_file) -> str:
    documents = [d.get("name") for d in (dossier.procedure.result_documents or []) if d.get("name")]
    return documents[0] if len(documents) == 1 else (dossier.procedure.result or dossier_file.original_name)[:500]


def dossier_results_keep(*, dossier) -> list[WalletItem]:
    """DOSSIER_MOVED subscriber: once a dossier's result is returned, each result file goes into the owner's
    wallet, "issued by" the agency. The wallet points at the dossier's own stored file (kept for ever with the
    dossier): nothing is copied. Never refused by the quota (the return must not fail): it counts in it after."""
    if dossier.status != DossierStatus.RETURNED:
        return []
    kept = []
    files = DossierFile.objects.filter(dossier=dossier, kind=FileKind.RESULT)
    for result in files.exclude(pk__in=ResultDelivered.objects.filter(source_file__dossier=dossier).values("source_file")):
        ResultDelivered.objects.create(source_file=result)
        if not result.sha256:
            with result.file.open("rb") as handle:
                result.sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        blob = Blob.objects.filter(sha256=result.sha256).first() or Blob.objects.create(
            sha256=result.sha256, name=result.file.name, size=result.size, owned=False
        )
        kind_name = _result_kind_name(dossier, result)
        paper = Paper(title=kind_name.splitlines()[0][:255] if kind_name else result.original_name,
                      issuer=dossier.agency.name, number=dossier.code or "",
                      issued_on=timezone.localdate(dossier.returned_at or timezone.now()))
        kept.append(_item_create(owner=dossier.owner, paper=paper, kind_name=kind_name, blob=blob,
                                 original_name=result.original_name, file_type=result.file_type,
                                 origin=Origin.ISSUED, source_dossier=dossier, source_file=result))
    return kept


def wallet_item_attach(*, user, item: WalletItem, dossier, component) -> DossierFile:
    """Fill a draft's component with a wallet item: a dossier file pointing at the item's blob (no upload), and
    the reuse counted. The blob's row lock keeps a parallel delete of the item from releasing it meanwhile."""
    if not items_visible_to(user=user).filter(pk=item.pk).exists() or dossier.owner_id != user.pk:
        raise PermissionDenied
    if component.procedure_id != dossier.procedure_id:
        raise PermissionDenied
    with transaction.atomic():
        blob = Blob.objects.select_for_update().get(pk=item.blob_id)
        stored = type("Stored", (), dict(name=blob.name, original_name=item.original_name, file_type=item.file_type,
                                         size=blob.size, sha256=blob.sha256))
        dossier_file = dossier_component_file_reference(
            dossier=dossier, component=component, user=user, stored=stored,
            max_files=settings.DOSSIER_MAX_FILES_PER_COMPONENT,
        )
        WalletUse.objects.create(item=item, dossier=dossier, dossier_file=dossier_file, origin=item.origin,
                                 issuer=item.issuer if item.origin == Origin.ISSUED else item.owner.full_name)
        WalletItem.objects.filter(pk=item.pk).update(uses=F("uses") + 1)
    return dossier_file


def blob_release(*, blob_id: int) -> bool:
    """Drop a blob nothing references any more (no wallet item, no dossier file); True if dropped. The caller
    holds the blob's row lock. A result file's blob only forgets the dossier's object (the dossier keeps it)."""
    blob = Blob.objects.select_for_update().filter(pk=blob_id).first()
    if blob is None or blob.items.exists() or DossierFile.objects.filter(file=blob.name).exists():
        return False
    name, owned = blob.name, blob.owned
    blob.delete()
    if owned:
        transaction.on_commit(partial(default_storage.delete, name))
    return True


def wallet_item_delete(*, user, item: WalletItem) -> None:
    """The owner deletes an item: the dossiers it was attached to keep their file (the blob stays for them)."""
    if item.owner_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        Blob.objects.select_for_update().filter(pk=item.blob_id).first()
        item.delete()
        blob_release(blob_id=item.blob_id)


def wallet_share(*, user, item: WalletItem, identity_number: str) -> WalletShare:
    """Share an item with another account, found by its CCCD (a representative, a family member)."""
    if item.owner_id != user.pk:
        raise PermissionDenied
    number = "".join(identity_number.split())
    person = get_user_model().objects.filter(identity_number=number, is_active=True).first() if number else None
    if person is None:
        raise ValidationError(_("Không tìm thấy tài khoản có số CCCD này."), code="unknown")
    if person.pk == user.pk:
        raise ValidationError(_("Đây là số CCCD của chính bạn."), code="self")
    share, _created = WalletShare.objects.get_or_create(item=item, person=person, revoked_at=None)
    return share


def wallet_share_revoke(*, user, share: WalletShare) -> None:
    if share.item.owner_id != user.pk:
        raise PermissionDenied
    WalletShare.objects.filter(pk=share.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def wallet_expiry_remind(*, today=None) -> int:
    """E-mail each owner once about a paper expiring within WALLET_REMIND_DAYS; then drop orphan blobs."""
    from notifications.services import email_queue

    today = today or timezone.localdate()
    due = WalletItem.objects.filter(
        expires_on__gte=today, expires_on__lte=today + timedelta(days=settings.WALLET_REMIND_DAYS),
        reminded_on__isnull=True,
    ).select_related("owner")
    sent = 0
    for item in due:
        with transaction.atomic():
            if not WalletItem.objects.filter(pk=item.pk, reminded_on__isnull=True).update(reminded_on=today):
                continue
            if item.owner.email:
                email_queue(to=item.owner.email, template="emails/wallet_expiry", kind="wallet_expiry",
                            context={"title": item.title, "expires_on": item.expires_on.strftime("%d/%m/%Y")},
                            language=item.owner.language)
                sent += 1
    for blob_id in Blob.objects.filter(items__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            blob_release(blob_id=blob_id)
    return sent
