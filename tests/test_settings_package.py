"""The settings package: each setting set by one concern, and one beat schedule naming tasks that exist."""

import ast

from django.conf import settings

from tests.conftest import ROOT

PACKAGE = ROOT / "portal" / "settings"
PERIODIC_TASKS = {
    "email-sweep-pending": "notifications.tasks.email_sweep_pending",
    "notice-sweep-sending": "notifications.tasks.notice_sweep_sending",
    "dossier-drafts-purge": "dossiers.tasks.dossier_drafts_purge",
    "audit-prune": "audit.tasks.audit_prune",
    "payments-reconcile": "payments.tasks.payments_reconcile",
    "idempotency-keys-purge": "idempotency.tasks.idempotency_keys_purge",
    "appointments-remind": "appointments.tasks.appointments_remind",
    "national-sync-sweep": "national_sync.tasks.outbox_sweep",
    "national-sync-compare": "national_sync.tasks.outbox_compare",
    "tus-uploads-expire": "uploads_tus.tasks.tus_uploads_expire",
    "wallet-expiry-remind": "wallet.tasks.wallet_expiry_remind",
}


def assignments() -> dict[str, list[str]]:
    """Each UPPERCASE name the package's modules assign or change, with the modules that do."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, (ast.AnnAssign, ast.AugAssign)) else []
            for target in targets:
                while isinstance(target, ast.Subscript):  # CELERY_BEAT_SCHEDULE["…"] = … changes the dict too
                    target = target.value
                if isinstance(target, ast.Name) and target.id.isupper() and not target.id.startswith("_"):
                    found.setdefault(target.id, []).append(path.name)
    return found


def test_each_setting_belongs_to_one_concern():
    shared = {name: modules for name, modules in assignments().items() if len(set(modules)) > 1}
    assert not shared, f"set in more than one module: {shared}"


def test_the_beat_schedule_is_one_literal():
    assert assignments()["CELERY_BEAT_SCHEDULE"] == ["tasks.py"]


def test_the_beat_schedule_names_every_periodic_task_and_only_registered_ones():
    from portal.celery import app

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert {name: entry["task"] for name, entry in schedule.items()} == PERIODIC_TASKS
    assert not [entry["task"] for entry in schedule.values() if entry["task"] not in app.tasks]
    assert schedule["payments-reconcile"]["schedule"] == float(settings.PAYMENT_RECONCILE_EVERY)
