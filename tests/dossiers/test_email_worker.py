"""The reception e-mail leaves through a real Celery worker and SMTP, with the receipt PDF attached."""

import pytest

from dossiers.constants import DossierAction, DossierStatus
from dossiers.services import dossier_move

from tests.factories.dossiers import Builder

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_reception_email_with_receipt_through_worker_and_smtp(celery_worker_process, smtp_sink, tasks_on_redis):
    build = Builder()
    dossier = build.dossier(DossierStatus.SUBMITTED, applicant_name="Phạm Thị Thu Hà")
    dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=build.clerk(dossier.agency))

    try:
        (message,) = smtp_sink.wait_for(lambda m: dossier.code in m["Subject"], timeout=60)
    except AssertionError:
        raise AssertionError(celery_worker_process.output()[-4000:])
    assert message["To"] == dossier.owner.email
    assert "đã được tiếp nhận" in message["Subject"]
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == f"giay-tiep-nhan-{dossier.code}.pdf"
    assert attachment.get_content()[:4] == b"%PDF"
