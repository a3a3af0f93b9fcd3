"""Benchmark data, built inside Django (`Stack.shell_json("import fixtures; …")`): citizens with their
dossiers, pending payments with the VNPay IPNs the sandbox would sign for them, and the counts checked
after a run. Bulk inserts: the benchmark measures the requests, not the set-up."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from dossiers.constants import DossierStatus, FeeStatus
from dossiers.models import Dossier, DossierEvent, DossierFile
from notifications.models import Email
from payments.models import GatewayCallback, Payment
from sandbox import signing
from procedures.models import Agency, Field, Procedure
from procedures.text import tokens

PASSWORD = "Bench-Mat-Khau-2026"
FEE = 150_000
# What a citizen's history looks like: mostly finished dossiers, some under way, a few waiting.
HISTORY = [DossierStatus.RETURNED] * 8 + [DossierStatus.DONE] * 2 + [DossierStatus.PROCESSING] * 3 + [
    DossierStatus.RECEIVED, DossierStatus.SUBMITTED, DossierStatus.SUPPLEMENT, DossierStatus.REFUSED,
]


def pending_vnpay_payments(dossiers: list[Dossier], *, reference_prefix: str) -> list[str]:
    """Open one VNPay payment per dossier (waiting for its fee) and return the IPN query the bank would
    send for each: signed with the merchant's secret, as the sandbox signs it."""
    now = timezone.now()
    payments = Payment.objects.bulk_create([
        Payment(dossier=d, gateway="vnpay", reference=f"{reference_prefix}{n:08d}", amount=d.fee_total,
                created_at=now, expires_at=now + timedelta(minutes=15)) for n, d in enumerate(dossiers)
    ], batch_size=1000)
    queries = []
    for payment in payments:
        params = {"vnp_Amount": str(payment.amount * 100), "vnp_BankCode": "NCB", "vnp_BankTranNo": f"VNP{payment.pk}",
                  "vnp_CardType": "ATM", "vnp_OrderInfo": "Thanh toan phi", "vnp_PayDate": "20261122091500",
                  "vnp_ResponseCode": "00", "vnp_TmnCode": settings.VNPAY_TMN_CODE,
                  "vnp_TransactionNo": str(14000000 + payment.pk), "vnp_TransactionStatus": "00",
                  "vnp_TxnRef": payment.reference}
        queries.append(signing.vnpay_signed_query(params, settings.VNPAY_HASH_SECRET))
    return queries


def citizens_with_dossiers(*, citizens: int, per_citizen: int, payments: int, seed: int = 11) -> dict:
    """`citizens` active accounts (one password hash for all: logging in still checks it), each with
    `per_citizen` dossiers from the catalogue over the past year, `payments` of them waiting for a fee."""
    rng = random.Random(seed)
    password = make_password(PASSWORD)
    now = timezone.now()
    users = User.objects.bulk_create([
        User(email=f"congdan{n:04d}@bench.example.vn", password=password, full_name=f"Công dân thử tải {n}",
             identity_number=f"0{n:011d}", phone=f"09{n:08d}", street_address=f"{n} đường Trần Hưng Đạo, Kon Tum",
             is_active=True, email_confirmed_at=now) for n in range(citizens)
    ], batch_size=1000)
    through = Procedure.agencies.through.objects.values_list("procedure_id", "agency_id")
    agencies_of: dict[int, list[int]] = {}
    for procedure_id, agency_id in through:
        agencies_of.setdefault(procedure_id, []).append(agency_id)
    agency_codes = dict(Agency.objects.values_list("pk", "code"))
    procedure_ids = sorted(agencies_of)
    sequence: dict[tuple, int] = {}
    dossiers = []
    for user in users:
        for _ in range(per_citizen):
            procedure_id = rng.choice(procedure_ids)
            agency_id = rng.choice(agencies_of[procedure_id])
            submitted = now - timedelta(days=rng.randint(1, 365), minutes=rng.randint(0, 600))
            day = timezone.localdate(submitted)
            sequence[(agency_id, day)] = number = sequence.get((agency_id, day), 0) + 1
            status = rng.choice(HISTORY)
            received = status not in (DossierStatus.SUBMITTED, DossierStatus.REFUSED)
            fee = rng.choice([0, 0, 50_000, FEE, 300_000])
            dossiers.append(Dossier(
                procedure_id=procedure_id, agency_id=agency_id, owner=user, status=status, wizard_step=4,
                code=f"{agency_codes[agency_id]}-{day:%y%m%d}-{number:04d}", lookup_key="BENCH2",
                applicant_name=user.full_name, applicant_identity=user.identity_number, applicant_phone=user.phone,
                applicant_email=user.email, applicant_address=user.street_address, submitted_at=submitted,
                received_at=submitted + timedelta(hours=3) if received else None,
                due_date=day + timedelta(days=rng.choice([5, 10, 15, 30])) if received else None,
                fee_total=fee, payment_status=FeeStatus.PAID if fee else FeeStatus.NOT_REQUIRED,
            ))
    owed = rng.sample(range(len(dossiers)), min(payments, len(dossiers)))
    for index in owed:
        dossier = dossiers[index]
        dossier.status, dossier.fee_total, dossier.payment_status = DossierStatus.PAYMENT, FEE, FeeStatus.UNPAID
    Dossier.objects.bulk_create(dossiers, batch_size=2000)
    queries = pending_vnpay_payments([dossiers[i] for i in owed], reference_prefix="KTMIX")
    return {"citizens": [u.email for u in users], "password": PASSWORD, "ipn_queries": queries,
            "dossiers": len(dossiers)}


def catalogue_grow(size: int) -> None:
    """Add synthetic procedures (demo generator, seeded by the size) until the catalogue holds `size`, then
    VACUUM ANALYZE it: the planner sees the rows as a catalogue left alone a while would have them."""
    from django.db import connection

    from demo.generator import procedures_generate

    have = Procedure.objects.count()
    if size > have:
        procedures_generate(count=size - have, prefix="9", seed=size)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE procedures_procedure")


def catalogue_sample(*, seed: int = 7) -> dict:
    """Queries as citizens type them (folded: no diacritics), filters, and procedures to open or submit to."""
    rng = random.Random(seed)
    names = list(Procedure.objects.order_by("?").values_list("name", flat=True)[:400])
    words = sorted({w for n in names for w in tokens(n) if len(w) > 3})
    phrases = []
    for name in names:
        folded = tokens(name)
        start = rng.randrange(max(1, len(folded) - 2))
        phrases.append(" ".join(folded[start:start + rng.choice([1, 2, 3])]))
    submittable = Procedure.objects.filter(is_active=True, agencies__isnull=False, components__isnull=False).distinct()
    return {
        "phrases": phrases,
        "words": words[:300],
        "codes": list(Procedure.objects.order_by("?").values_list("code", flat=True)[:600]),
        "submit_codes": list(submittable.order_by("?").values_list("code", flat=True)[:300]),
        "agencies": list(Agency.objects.values_list("code", flat=True)),
        "fields": list(Field.objects.values_list("code", flat=True)),
    }


def integrity(*, submitted_codes: list[str], ipn_references: list[str]) -> dict:
    """What the database says after the run: every submission is a dossier, every IPN'd payment paid once."""
    submitted = Dossier.objects.filter(code__in=submitted_codes)
    duplicate_codes = (Dossier.objects.exclude(code=None).values("code").annotate(n=Count("id")).filter(n__gt=1).count())
    paid = Payment.objects.filter(reference__in=ipn_references, status="paid")
    accepted = GatewayCallback.objects.filter(outcome="accepted")
    return {
        "submissions_answered": len(submitted_codes),
        "submission_codes_distinct": len(set(submitted_codes)),
        "dossiers_found": submitted.count(),
        "dossiers_found_submitted": submitted.filter(status=DossierStatus.SUBMITTED, owner__email__endswith="@bench.example.vn").count(),
        "dossiers_without_files": submitted.exclude(files__isnull=False).count(),
        "submit_events": DossierEvent.objects.filter(dossier__in=submitted, action="submit").count(),
        "duplicate_codes_in_database": duplicate_codes,
        "files_stored": DossierFile.objects.filter(dossier__in=submitted).count(),
        "ipn_payments_sent": len(set(ipn_references)),
        "ipn_payments_paid": paid.count(),
        "payments_paid_total": Payment.objects.filter(status="paid").count(),
        "accepted_callbacks": accepted.count(),
        "accepted_callbacks_per_payment_max": max(
            accepted.values("payment_id").annotate(n=Count("id")).values_list("n", flat=True), default=0
        ),
        "mark_paid_events": DossierEvent.objects.filter(action="mark_paid").count(),
        "callbacks_stored": GatewayCallback.objects.count(),
        "emails_pending": Email.objects.filter(status="pending").count(),
        "emails_sent": Email.objects.filter(status="sent").count(),
        "emails_failed": Email.objects.exclude(status__in=["pending", "sent"]).count(),
    }


def email_deliveries() -> dict:
    """The outbox after a run: each row's status and the Message-ID it is sent with (notifications.sending)."""
    from notifications.sending import message_id

    rows = list(Email.objects.all())
    return {
        "rows": len(rows),
        "by_status": dict(Counter(row.status for row in rows)),
        "sent_message_ids": [message_id(row) for row in rows if row.status == "sent"],
        "attempts_max": max((row.attempts for row in rows), default=0),
    }


def dossiers_submitted_since(*, seconds: int) -> dict:
    """Dossiers submitted in the last `seconds` (the run's own, not the fixtures' history) and their submit events."""
    since = timezone.now() - timedelta(seconds=seconds)
    dossiers = Dossier.objects.filter(submitted_at__gte=since, code__isnull=False)
    return {
        "dossiers": dossiers.count(),
        "codes": list(dossiers.values_list("code", flat=True)),
        "submit_events": DossierEvent.objects.filter(dossier__in=dossiers, action="submit").count(),
        "drafts_left": Dossier.objects.filter(status=DossierStatus.DRAFT, created_at__gte=since).count(),
    }
