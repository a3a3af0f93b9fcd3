"""Verifying the signatures of a PDF: who signed, when, under which chain, whether intact and trusted.

Bounded: the caller bounds the size; at most SIGNATURES_VERIFY_MAX_SIGNATURES are read; every fetch has its timeout
and a request budget (trust.validation_kwargs); the whole verification stops at `timeout` seconds.
"""

import asyncio
import io
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .constants import Verdict
from .sync import outside_event_loop
from .trust import validation_kwargs

logger = logging.getLogger(__name__)

EXPIRED = {AdESIndeterminate.EXPIRED, AdESIndeterminate.NOT_YET_VALID, AdESFailure.NOT_YET_VALID,
           AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED}
REVOKED = {AdESFailure.REVOKED, AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE}
LATER_ADDITIONS_ALLOWED = {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES}


@dataclass
class CertificateInfo:
    subject: str
    issuer: str
    valid_from: datetime
    valid_to: datetime
    serial: str


@dataclass
class SignatureReport:
    """One signature as the page and the admin show it."""

    field: str
    signer: str
    organisation: str = ""
    signing_time: datetime | None = None
    timestamp_time: datetime | None = None
    timestamp_trusted: bool = False
    chain: list[CertificateInfo] = field(default_factory=list)
    intact: bool = False
    whole_file: bool = False
    added_later: str = ""
    trusted: bool = False
    long_term: bool = False
    verdict: str = Verdict.UNKNOWN
    detail: str = ""

    @property
    def valid(self) -> bool:
        return self.verdict == Verdict.VALID

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label)

    def as_json(self) -> dict:
        return {"signer": self.signer, "organisation": self.organisation, "verdict": self.verdict,
                "signing_time": self.signing_time.isoformat() if self.signing_time else None,
                "timestamp_time": self.timestamp_time.isoformat() if self.timestamp_time else None,
                "intact": self.intact, "trusted": self.trusted, "detail": self.detail}


@dataclass
class VerifyResult:
    signatures: list[SignatureReport] = field(default_factory=list)
    error: str = ""
    more: int = 0  # signatures left unread beyond the bound


def _name(cert, attribute: str) -> str:
    return str(cert.subject.native.get(attribute, "") or "")


def _chain(signer_cert, certs) -> list[CertificateInfo]:
    """The signer's certificate and its issuers, as far as the signature's own certificates go."""
    by_subject = {c.subject.hashable: c for c in certs}
    chain, cert, seen = [], signer_cert, set()
    while cert is not None and cert.dump() not in seen:
        seen.add(cert.dump())
        chain.append(CertificateInfo(
            subject=_name(cert, "common_name") or cert.subject.human_friendly, issuer=cert.issuer.human_friendly,
            valid_from=cert.not_valid_before, valid_to=cert.not_valid_after, serial=format(cert.serial_number, "X")))
        cert = None if cert.self_issued else by_subject.get(cert.issuer.hashable)
    return chain


def _modification(report: SignatureReport, status) -> None:
    report.intact = bool(status.intact and status.valid)
    report.whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if report.intact and status.coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        level = status.modification_level
        if level in LATER_ADDITIONS_ALLOWED:
            report.added_later = _("Sau khi ký, tệp chỉ được bổ sung thông tin kiểm tra chữ ký (không đổi nội dung).")
        else:
            report.intact = False
            report.added_later = _("Sau khi ký, tệp đã được thêm hoặc sửa nội dung.")


def _verdict(report: SignatureReport, status) -> None:
    problem = status.trust_problem_indic
    if not (status.intact and status.valid):
        report.verdict = Verdict.MODIFIED if not status.intact else Verdict.BROKEN
    elif not report.intact or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        report.verdict = Verdict.MODIFIED
    elif status.revoked or problem in REVOKED:
        report.verdict = Verdict.REVOKED
    elif problem in EXPIRED:
        report.verdict = Verdict.EXPIRED
    elif status.trusted:
        report.verdict = Verdict.VALID
    elif status.validation_path is None or problem == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        report.verdict = Verdict.UNTRUSTED
    else:  # a path to a trusted root, but its revocation could not be checked (TRY_LATER, unreachable CRL/OCSP)
        report.verdict = Verdict.UNKNOWN
    report.trusted = report.verdict == Verdict.VALID


def _report(embedded, status) -> SignatureReport:
    cert = embedded.signer_cert
    report = SignatureReport(field=embedded.field_name, signer=_name(cert, "common_name") or cert.subject.human_friendly,
                             organisation=_name(cert, "organization_name"), signing_time=status.signer_reported_dt)
    if status.timestamp_validity is not None:
        report.timestamp_time = status.timestamp_validity.timestamp
        report.timestamp_trusted = bool(status.timestamp_validity.valid and status.timestamp_validity.intact
                                        and status.timestamp_validity.trusted)
    path = status.validation_path
    known = list(path.iter_certs(include_root=True)) if path is not None else []
    report.chain = _chain(cert, [*embedded.other_embedded_certs, *known, cert])
    _modification(report, status)
    _verdict(report, status)
    return report


def _context(reader: PdfFileReader, fetch: bool) -> ValidationContext:
    """A context on the operator's roots, with the validation data the PDF embeds (its DSS) when it has one."""
    kwargs = validation_kwargs(fetch=fetch)
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:  # no DSS (NoDSSFoundError) or an unreadable one: fetch or go without
        return ValidationContext(**kwargs)
    return dss.as_validation_context(kwargs)


async def _validate(embedded, context):
    return await async_validate_pdf_signature(embedded, signer_validation_context=context)


def _one(embedded, reader, fetch: bool, remaining: float) -> SignatureReport:
    try:
        status = asyncio.run(asyncio.wait_for(_validate(embedded, _context(reader, fetch)), timeout=remaining))
    except TimeoutError:
        return SignatureReport(field=embedded.field_name, signer=_signer_name(embedded), verdict=Verdict.UNKNOWN,
                               detail=_("Hết thời gian kiểm tra chứng thư số; vui lòng thử lại sau."))
    except Exception as exc:  # a damaged signature: the CMS or its byte range does not parse
        logger.info("signature %s does not validate: %r", embedded.field_name, exc, exc_info=True)
        return SignatureReport(field=embedded.field_name, signer=_signer_name(embedded), verdict=Verdict.BROKEN,
                               detail=_("Không đọc được chữ ký: dữ liệu chữ ký bị hỏng hoặc tệp đã bị sửa."))
    report = _report(embedded, status)
    report.long_term = "/DSS" in reader.root
    return report


def _signer_name(embedded) -> str:
    try:
        return _name(embedded.signer_cert, "common_name")
    except Exception:
        return ""


def pdf_verify(*, data: bytes, timeout: float | None = None, fetch: bool | None = None) -> VerifyResult:
    """Verify every signature of a PDF (document timestamps aside), within `timeout` seconds in all."""
    return outside_event_loop(_verify, data, timeout, fetch)


def _verify(data: bytes, timeout: float | None, fetch: bool | None) -> VerifyResult:
    timeout = settings.SIGNATURES_VERIFY_TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        found = list(reader.embedded_regular_signatures)
    except Exception as exc:
        logger.info("not a readable PDF: %s", exc)
        return VerifyResult(error=_("Không đọc được tệp: tệp không phải PDF hoặc đã bị hỏng."))
    limit = settings.SIGNATURES_VERIFY_MAX_SIGNATURES
    result = VerifyResult(more=max(0, len(found) - limit))
    for embedded in found[:limit]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            result.more += 1
            continue
        result.signatures.append(_one(embedded, reader, fetch, remaining))
    return result


def pdf_has_signatures(data: bytes) -> bool:
    """A quick look before the full read: a signed PDF has a signature dictionary's byte range."""
    return b"/ByteRange" in data
