"""Staff access to personal data is recorded (who opened which dossier, file or citizen record, when),
append-only, shown to the operator, and pruned after AUDIT_RETENTION_DAYS."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import OPERATOR
from audit.models import AccessRecord, AppendOnly
from audit.services import access_prune
from dossiers.constants import DossierStatus, FileKind
from dossiers.models import DossierFile
from tests.factories.dossiers import Builder, pdf_upload
from tests.support.otp import login_verified

pytestmark = pytest.mark.django_db
ADMIN = f"/{settings.ADMIN_URL}"


@pytest.fixture
def case(db):
    build = Builder()
    procedure = build.procedure()
    dossier = build.dossier(DossierStatus.RECEIVED, procedure=procedure)
    upload = pdf_upload()
    dossier_file = DossierFile.objects.create(dossier=dossier, kind=FileKind.APPLICATION, original_name="don.pdf",
                                              file=upload, size=upload.size, file_type="pdf")
    clerk = build.clerk(procedure.agencies.first())
    return dossier, dossier_file, clerk


def test_a_clerk_opening_a_dossier_its_file_and_receipt_is_recorded(client, case):
    dossier, dossier_file, clerk = case
    login_verified(client, clerk)
    assert client.get(f"{ADMIN}dossiers/dossier/{dossier.pk}/change/").status_code == 200
    assert client.get(dossier_file.get_absolute_url()).status_code in (200, 302)
    assert client.get(reverse("dossiers:receipt", args=[dossier.code])).status_code == 200
    trail = list(AccessRecord.objects.order_by("pk").values_list("actor_email", "kind", "ref"))
    assert trail == [(clerk.email, "dossier", dossier.code), (clerk.email, "file", str(dossier_file.uuid)),
                     (clerk.email, "receipt", dossier.code)]
    assert set(AccessRecord.objects.values_list("client_ip", flat=True)) == {"127.0.0.1"}


def test_the_owner_opening_their_own_file_is_not_a_staff_access(client, case):
    dossier, dossier_file, _ = case
    client.force_login(dossier.owner)
    assert client.get(dossier_file.get_absolute_url()).status_code in (200, 302)
    assert not AccessRecord.objects.exists()


def test_another_agencys_clerk_is_refused_and_nothing_is_recorded_as_opened(client, case):
    dossier, dossier_file, _ = case
    stranger = Builder().clerk(Builder().agency())
    login_verified(client, stranger)
    assert client.get(f"{ADMIN}dossiers/dossier/{dossier.pk}/change/").status_code == 404
    assert client.get(dossier_file.get_absolute_url()).status_code == 404
    assert not AccessRecord.objects.exists()


def test_the_operator_opening_a_citizen_record_is_recorded_and_reads_the_trail(client, case):
    dossier, _, _ = case
    operator = User.objects.create_user("vanhanh@kontum.gov.vn", "x-Secret-123", is_active=True, is_staff=True)
    operator.groups.add(Group.objects.get(name=OPERATOR.group))
    login_verified(client, operator)
    assert client.get(f"{ADMIN}accounts/user/{dossier.owner.pk}/change/").status_code == 200
    record = AccessRecord.objects.get()
    assert (record.actor_email, record.kind, record.ref) == (operator.email, "user", str(dossier.owner.pk))
    trail = client.get(f"{ADMIN}audit/accessrecord/")
    assert trail.status_code == 200 and operator.email in trail.content.decode()
    page = client.get(f"{ADMIN}audit/accessrecord/{record.pk}/change/").content.decode()
    assert 'name="_save"' not in page and "deletelink" not in page


def _record(**fields):
    values = {"actor_id": 1, "actor_email": "canbo@kontum.gov.vn", "kind": "dossier", "ref": "X"}
    return AccessRecord.objects.create(**{**values, **fields})


def test_records_refuse_changes_and_deletes_through_the_orm():
    record = _record()
    record.ref = "Y"
    with pytest.raises(AppendOnly):
        record.save()
    with pytest.raises(AppendOnly):
        record.delete()
    with pytest.raises(AppendOnly):
        AccessRecord.objects.filter(pk=record.pk).update(ref="Y")
    with pytest.raises(AppendOnly):
        AccessRecord.objects.all().delete()
    assert AccessRecord.objects.get().ref == "X"


@pytest.mark.postgres
def test_postgresql_itself_refuses_to_change_or_delete_a_record():
    record = _record()
    for sql in ("UPDATE audit_accessrecord SET ref = 'Y' WHERE id = %s", "DELETE FROM audit_accessrecord WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [record.pk])
    assert AccessRecord.objects.get().ref == "X"


def test_the_prune_keeps_the_retention_period_only(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    old = _record(at=timezone.now() - timedelta(days=31), ref="cu")
    recent = _record(at=timezone.now() - timedelta(days=29), ref="moi")
    assert access_prune() == 1
    assert list(AccessRecord.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk
    _record(at=timezone.now() - timedelta(days=40))
    call_command("audit_prune", stdout=open("/dev/null", "w"))
    assert AccessRecord.objects.count() == 1
