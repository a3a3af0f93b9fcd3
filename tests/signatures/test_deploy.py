"""The demo signing of `make run` (seed_demo) and what `check --deploy` says of signing in production."""

from django.core.checks import run_checks
from django.core.management import call_command

from dossiers.constants import DossierStatus
from signatures.models import AgencySigner

from .test_verify_page import check, text


def deploy_ids():
    return {m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("signatures.")}


def test_seed_gives_demo_agencies_a_development_key_and_check_deploy_refuses_it(db, client, settings, tmp_path, build):
    settings.SIGNATURES_DEMO_DIR = tmp_path / "demo-signing"
    settings.SIGNATURES_TRUST_ROOTS = str(settings.SIGNATURES_DEMO_DIR / "root.pem")
    settings.SIGNATURES_TSA_URL = ""
    call_command("seed_demo", stdout=open(tmp_path / "out.txt", "w"))
    assert AgencySigner.objects.filter(active=True).exists()
    assert {p.suffix for p in settings.SIGNATURES_DEMO_DIR.iterdir()} == {".p12", ".pem"}
    from dossiers.pdf import dossier_receipt_pdf

    agency = AgencySigner.objects.select_related("agency").first().agency
    dossier = build.dossier(DossierStatus.RECEIVED, procedure=build.procedure(agencies=[agency]))
    body = text(check(client, dossier_receipt_pdf(dossier=dossier)))  # a fresh `make run` has something to show
    assert "Hợp lệ" in body and agency.name[:64] in body
    assert {"signatures.E001", "signatures.E002", "signatures.W001"} <= deploy_ids()
    AgencySigner.objects.update(active=False)
    settings.SIGNATURES_TRUST_ROOTS = ""
    assert not deploy_ids()
