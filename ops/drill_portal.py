"""The portal's side of the drill, in the drill's own process (Django set up on the drill's cluster and bucket).

Data is made through the product's write paths: the wizard's services submit a dossier with its files (to the
bucket), payment_start opens the fee's payment, and the VNPay IPN view (a signed callback, as the gateway sends it)
marks it paid and issues the e-receipt. What is read back is read as the portal shows it.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEE = 50_000
PASSWORD = "x-Secret-123"  # tests.factories.dossiers.Builder.citizen's


def django_setup(env: dict) -> None:
    """Point Django (the test settings: production's, over plain HTTP on loopback) at the drill's services."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()


def schema() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def catalogue(*, agencies: int = 2, citizens: int = 20) -> dict:
    """Agencies with a bank account, one fee-charging procedure each (two papers to upload), and citizens."""
    from tests.factories.dossiers import Builder

    build = Builder()
    procedures = []
    for _ in range(agencies):
        agency = build.agency()
        agency.bank_account_name, agency.bank_account_number = "Văn phòng Sở", "0123456789"
        agency.bank_name = "Vietcombank chi nhánh Kon Tum"
        agency.save()
        procedures.append(build.procedure(agencies=[agency], fees=(FEE,)))
    people = [build.citizen() for _ in range(citizens)]
    return {"build": build, "procedures": procedures, "citizens": people}


def dossier_paid(world: dict, n: int) -> dict:
    """Submit one dossier with its files and pay its fee through the IPN; return what its citizen holds."""
    from django.test import Client

    from dossiers.services import dossier_submit
    from payments.services import payment_start

    procedure = world["procedures"][n % len(world["procedures"])]
    owner = world["citizens"][n % len(world["citizens"])]
    dossier = dossier_submit(dossier=world["build"].ready_draft(procedure=procedure, owner=owner), user=owner)
    payment = payment_start(dossier=dossier, user=owner, gateway="vnpay", return_url="http://127.0.0.1/",
                            ipn_url="http://127.0.0.1/", client_ip="127.0.0.1").payment
    ipn_pay(Client(), payment)
    payment.refresh_from_db()
    return {"code": dossier.code, "receipt": receipt_key(payment),
            "files": sorted(dossier.files.values_list("file", flat=True))}


def ipn_pay(client, payment, base: str = "") -> None:
    """The gateway's success IPN for the payment, signed as VNPay signs it, to the portal's webhook."""
    from tests.payments.ipn import vnpay_params, vnpay_query

    path = f"/thanh-toan/vnpay/ipn/?{vnpay_query(vnpay_params(payment))}"
    answer = client.get(base + path)
    assert answer.json()["RspCode"] == "00", answer.content


def procedure_for_wizard(pk: int):
    """The procedure with its components read now (wizard_submit reads them while it posts)."""
    from procedures.models import Procedure

    procedure = Procedure.objects.prefetch_related("components").get(pk=pk)
    list(procedure.components.all())
    return procedure


def pay_over_http(code: str, base: str) -> str:
    """Open the dossier's payment and send the gateway's success IPN to the portal at `base`; return the receipt."""
    import requests

    from dossiers.models import Dossier
    from payments.services import payment_start

    dossier = Dossier.objects.select_related("owner").get(code=code)
    payment = payment_start(dossier=dossier, user=dossier.owner, gateway="vnpay", return_url=f"{base}/",
                            ipn_url=f"{base}/", client_ip="127.0.0.1").payment
    ipn_pay(requests, payment, base)
    payment.refresh_from_db()
    return receipt_key(payment)


def receipt_key(payment) -> str:
    """A receipt as its payer holds it: the series' symbol (agency and year in it) and the number."""
    return f"{payment.receipt_series.agency.code}/{payment.receipt_series.year}/{payment.receipt_number}"


def load(world: dict, count: int, *, start: int = 0, threads: int = 4) -> list[dict]:
    """Dossiers start … start+count-1, by `threads` citizens at a time (one citizen's dossiers one after another:
    a citizen has one draft per procedure)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def lane(lane_number: int) -> list[dict]:
        try:
            return [dossier_paid(world, n) for n in range(start, start + count)
                    if n % len(world["citizens"]) % threads == lane_number]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return [row for rows in pool.map(lane, range(threads)) for row in rows]


def portal_state() -> dict:
    """What the portal holds: every submitted dossier with its owner and each file's checksum, every receipt."""
    from django.core.files.storage import default_storage

    from dossiers.constants import DossierStatus
    from dossiers.models import Dossier
    from payments.models import Payment

    from concurrent.futures import ThreadPoolExecutor

    def checksum(key: str) -> str:
        with default_storage.open(key) as handle:
            return hashlib.sha256(handle.read()).hexdigest()

    dossiers = {}
    for dossier in Dossier.objects.exclude(status=DossierStatus.DRAFT).select_related("owner").prefetch_related("files"):
        dossiers[dossier.code] = {"owner": dossier.owner.email, "files": {
            str(f.uuid): {"key": f.file.name} for f in dossier.files.all()}}
    files = [f for d in dossiers.values() for f in d["files"].values()]
    with ThreadPoolExecutor(max_workers=4) as pool:  # the storage's client is per thread (django-storages)
        for entry, sha256 in zip(files, pool.map(checksum, [f["key"] for f in files])):
            entry["sha256"] = sha256
    receipts = sorted(receipt_key(p) for p in Payment.objects.exclude(receipt_number="").select_related(
        "receipt_series__agency"))
    return {"dossiers": dossiers, "receipts": receipts}


def storage_keys(state: dict) -> list[str]:
    return [f["key"] for dossier in state["dossiers"].values() for f in dossier["files"].values()]


def numbering() -> dict:
    """The counters the next dossier code and the next receipt number come from."""
    from dossiers.services import dossier_code_marks
    from payments.services import receipt_number_marks

    return {"dossier_codes": dossier_code_marks(), "receipts": receipt_number_marks()}


def close_connections() -> None:
    from django.conf import settings
    from django.db import connections

    if settings.configured:  # not yet when a drill is stopped while its cluster starts
        connections.close_all()
