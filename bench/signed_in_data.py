"""Data for bench/signed_in.py, built inside Django (`manage.py shell`) through the product's own services:
one citizen with 40 dossiers submitted from drafts with their files, moved by clerks (received, processing, asked
for a supplement, waiting for a fee), and fees paid by a signed VNPay IPN through the whole stack.

Slower than the set-based inserts of bench/public_data.py (a few seconds for 40 dossiers), but every row is what the
portal itself writes: events, files, payments and their events, receipt numbers.
"""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from dossiers import services
from dossiers.constants import DossierAction, DossierStatus
from fixtures import pending_vnpay_payments
from tests.factories.dossiers import Builder

PASSWORD = "Bench-Mat-Khau-2026"
EMAIL = "congdan.signedin@bench.example.vn"
FEE = 150_000
# What happens to dossier n after its submission, by n % 5 (a fee is paid when its procedure charges one).
STAGES = ["submitted", "received", "paid", "supplement", "processing"]


def _agencies(build: Builder, count: int) -> list:
    agencies = []
    for n in range(count):
        agency = build.agency(name=f"Sở thử tải {n + 1}")
        agency.bank_account_name, agency.bank_account_number = f"Văn phòng Sở thử tải {n + 1}", f"01234567{n:02d}"
        agency.bank_name = "Vietcombank chi nhánh Kon Tum"
        agency.save()
        agencies.append((agency, build.clerk(agency)))
    return agencies


def _advance(dossier, *, stage: str, clerk) -> str | None:
    """Move a submitted dossier on as its agency's clerk would; "pay" or "owe" when its fee is asked for."""
    if stage == "submitted":
        return None
    dossier = services.dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=clerk)
    if dossier.status == DossierStatus.PAYMENT:  # a pay-first procedure: the receipt asked for the fee
        return "owe" if stage == "received" else "pay"
    if stage in ("supplement", "processing", "paid"):
        dossier = services.dossier_move(dossier=dossier, action=DossierAction.START, actor=clerk)
    if stage == "supplement":
        services.dossier_move(dossier=dossier, action=DossierAction.REQUEST_SUPPLEMENT, actor=clerk,
                              note="Bổ sung bản sao sổ hộ khẩu có chứng thực.")
    return None


def _pay(dossiers: dict[str, list]) -> int:
    """Open a VNPay payment for each dossier that owes its fee; pay those of `dossiers["pay"]` as the bank would,
    by its signed IPN through the portal (the others stay pending)."""
    pending_vnpay_payments(dossiers["owe"], reference_prefix="KTOWED")
    client = Client(HTTP_HOST="127.0.0.1")
    paid = 0
    for query in pending_vnpay_payments(dossiers["pay"], reference_prefix="KTPAID"):
        answer = client.get(f"/thanh-toan/vnpay/ipn/?{query}").json()
        if answer.get("RspCode") != "00":
            raise RuntimeError(f"the IPN was refused: {answer}")
        paid += 1
    return paid


def citizen_with_dossiers(*, count: int = 40) -> dict:
    """The citizen (e-mail, password) and the codes of their `count` dossiers, with the rows' counts."""
    from accounts.models import User
    from dossiers.models import DossierEvent, DossierFile
    from payments.models import Payment

    build = Builder()
    citizen = User.objects.create_user(
        email=EMAIL, password=PASSWORD, full_name="Nguyễn Thị Thử Tải", identity_number="062190000401",
        phone="0912345678", street_address="12 Trần Hưng Đạo, Kon Tum", is_active=True,
        email_confirmed_at=timezone.now())
    agencies = _agencies(build, 4)
    procedures = [build.procedure(agencies=[agencies[n % 4][0]], fees=(FEE,) if n % 2 else (), pay_first=bool(n % 2))
                  for n in range(8)]
    fees, codes = {"pay": [], "owe": []}, []
    for n in range(count):
        procedure = procedures[n % len(procedures)]
        dossier = services.dossier_submit(dossier=build.ready_draft(procedure=procedure, owner=citizen), user=citizen)
        clerk = next(c for a, c in agencies if a.pk == dossier.agency_id)
        fee = _advance(dossier, stage=STAGES[n % len(STAGES)], clerk=clerk)
        if fee:
            fees[fee].append(dossier)
        codes.append(dossier.code)
    paid = _pay(fees)
    mine = {"dossier__owner": citizen}
    return {"email": EMAIL, "password": PASSWORD, "codes": codes, "counts": {
        "dossiers": len(codes), "events": DossierEvent.objects.filter(**mine).count(),
        "files": DossierFile.objects.filter(**mine).count(), "payments": Payment.objects.filter(**mine).count(),
        "paid": paid}}
