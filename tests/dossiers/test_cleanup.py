"""Abandoned drafts go away with their files, on local disk and on object storage; nothing else does."""

import io
import logging
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from dossiers import services
from dossiers.constants import DossierStatus
from dossiers.models import Dossier, DossierFile
from dossiers.tasks import dossier_drafts_purge

from tests.factories.dossiers import pdf_upload


def _draft_with_file(build, *, days_ago: int, file_days_ago: int | None = None):
    procedure = build.procedure(components=("Đơn đề nghị",))
    draft = services.dossier_draft_get_or_create(user=build.citizen(), procedure=procedure)
    services.dossier_component_files_add(
        dossier=draft, component=procedure.components.get(), uploads_list=[pdf_upload()], user=draft.owner, max_files=5
    )
    now = timezone.now()
    Dossier.objects.filter(pk=draft.pk).update(updated_at=now - timedelta(days=days_ago))
    DossierFile.objects.filter(dossier=draft).update(
        created_at=now - timedelta(days=days_ago if file_days_ago is None else file_days_ago)
    )
    return draft, draft.files.get().file.name


@pytest.fixture(params=["local", "s3"])
def storage(request):
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    return request.param


def test_cleanup_drafts_deletes_only_abandoned_drafts_and_their_files(
    build, storage, settings, django_capture_on_commit_callbacks, caplog
):
    settings.DRAFT_RETENTION_DAYS = 30
    abandoned = [_draft_with_file(build, days_ago=45) for _ in range(3)]
    file_added_lately = _draft_with_file(build, days_ago=45, file_days_ago=2)
    recent = _draft_with_file(build, days_ago=29)
    submitted = build.dossier(DossierStatus.SUBMITTED)
    Dossier.objects.filter(pk=submitted.pk).update(updated_at=timezone.now() - timedelta(days=400))
    for _, name in abandoned:
        assert default_storage.exists(name)

    out = io.StringIO()
    with caplog.at_level(logging.INFO, logger="dossiers.services"), django_capture_on_commit_callbacks(execute=True):
        call_command("cleanup_drafts", "--batch-size", "2", stdout=out)

    assert "Deleted 3 drafts and 3 files" in out.getvalue()
    assert not Dossier.objects.filter(pk__in=[d.pk for d, _ in abandoned]).exists()
    assert not DossierFile.objects.filter(file__in=[n for _, n in abandoned]).exists()
    for _, name in abandoned:
        assert not default_storage.exists(name)
    for draft, name in (file_added_lately, recent):
        assert Dossier.objects.filter(pk=draft.pk).exists() and default_storage.exists(name)
    assert Dossier.objects.filter(pk=submitted.pk).exists()
    batches = [r.getMessage() for r in caplog.records if "(batch)" in r.getMessage()]
    assert batches == ["deleted 2 abandoned drafts and 2 files (batch)", "deleted 1 abandoned drafts and 1 files (batch)"]
    # Only the kept drafts' folders remain (on disk the emptied folders are removed too).
    folders = default_storage.listdir("dossiers")[0]
    assert sorted(folders) == sorted(str(d.uuid) for d, _ in (file_added_lately, recent))


def test_the_beat_task_uses_the_retention_setting(build, settings, django_capture_on_commit_callbacks):
    assert django_settings.CELERY_BEAT_SCHEDULE["dossier-drafts-purge"]["task"] == "dossiers.tasks.dossier_drafts_purge"
    settings.DRAFT_RETENTION_DAYS = 10
    old, old_name = _draft_with_file(build, days_ago=11)
    young, _ = _draft_with_file(build, days_ago=9)

    with django_capture_on_commit_callbacks(execute=True):
        assert dossier_drafts_purge.delay().get() == 1

    assert not Dossier.objects.filter(pk=old.pk).exists() and not default_storage.exists(old_name)
    assert Dossier.objects.filter(pk=young.pk).exists()


def test_cleanup_drafts_refuses_nonsense_arguments(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("cleanup_drafts", "--days", "0")
