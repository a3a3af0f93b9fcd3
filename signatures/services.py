"""Signing the documents the portal issues, as the issuing agency (PAdES B-T, B-LT where validation data is had)."""

import hashlib
import io
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper

from .models import AgencySigner, SignedDocument
from .signers import signer_open
from .sync import outside_event_loop
from .trust import trust_roots, validation_context

logger = logging.getLogger(__name__)

FIELD_NAME = "ChuKyCoQuanBanHanh"


def agency_signer(*, agency_id: int) -> AgencySigner | None:
    """The agency's active signer, or None: its documents are issued unsigned."""
    return AgencySigner.objects.filter(agency_id=agency_id, active=True).select_related("agency").first()


def _metadata(row: AgencySigner, *, reason: str, long_term: bool) -> signers.PdfSignatureMetadata:
    return signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        location=row.location or None,
        name=row.agency.name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        embed_validation_info=long_term,
        validation_context=validation_context(fetch=True) if long_term else None,
    )


def _sign(row: AgencySigner, data: bytes, *, reason: str, long_term: bool) -> bytes:
    signer, session = signer_open(row)
    timestamper = (HTTPTimeStamper(settings.SIGNATURES_TSA_URL, timeout=settings.SIGNATURES_TSA_TIMEOUT)
                   if settings.SIGNATURES_TSA_URL else None)
    try:
        output = signers.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(data), strict=False),
            _metadata(row, reason=reason, long_term=long_term),
            signer=signer,
            timestamper=timestamper,
        )
    finally:
        if session is not None:
            session.close()
    return output.getvalue()


def document_sign(*, agency_id: int, data: bytes, reason: str) -> bytes:
    """Sign a PDF the agency issues; the PDF unchanged when the agency has no signer or signing fails.

    B-LT (the chain's revocation data embedded, so the signature can be checked after the CA is gone) needs the
    trusted roots and the CA's CRL or OCSP at hand; when they are not, the signature is made at B-T. A receipt is
    never withheld because a key, a token or the TSA is unavailable: the failure is logged as an error.
    """
    row = agency_signer(agency_id=agency_id)
    return data if row is None else _sign_or_plain(row, data, reason=reason)


def _sign_or_plain(row: AgencySigner, data: bytes, *, reason: str) -> bytes:
    long_term = bool(trust_roots())
    try:
        return outside_event_loop(_sign, row, data, reason=reason, long_term=long_term)
    except Exception:
        if long_term:
            logger.warning("signing %s with validation data failed; signing without", row.agency, exc_info=True)
            try:
                return outside_event_loop(_sign, row, data, reason=reason, long_term=False)
            except Exception:
                pass
        logger.exception("cannot sign a document of %s; issued unsigned", row.agency)
        return data


def _kept(name: str) -> bytes | None:
    try:
        with default_storage.open(name, "rb") as stored:
            return stored.read()
    except (FileNotFoundError, OSError):
        logger.warning("signed document %s is missing from the storage; signing it again", name)
        return None


def document_issue(*, agency_id: int, data: bytes, reason: str) -> bytes:
    """Sign a PDF the agency issues once, keep it, and return the kept copy for the same content afterwards.

    A download used to sign anew: a TSA round-trip each time and a different file (another signing time) for the
    same receipt. Two first downloads at once queue on the SignedDocument row: the second finds the first one's
    file. A signing failure is not kept, so the next download tries again; no signer: `data` as it is.
    """
    row = agency_signer(agency_id=agency_id)
    if row is None:
        return data
    identity = f"{row.pk}:{row.kind}:{row.updated_at.isoformat()}:".encode()
    digest = hashlib.sha256(identity + data).hexdigest()
    name = SignedDocument.objects.filter(digest=digest).values_list("name", flat=True).first()
    if name and (kept := _kept(name)) is not None:
        return kept
    with transaction.atomic():
        document, _ = SignedDocument.objects.get_or_create(digest=digest)
        document = SignedDocument.objects.select_for_update().get(pk=document.pk)
        if document.name and (kept := _kept(document.name)) is not None:
            return kept
        signed = _sign_or_plain(row, data, reason=reason)
        if signed is data:
            return data
        document.name = default_storage.save(f"signed/{digest[:2]}/{digest}.pdf", ContentFile(signed))
        document.save(update_fields=["name"])
    return signed
