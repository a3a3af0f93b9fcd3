from datetime import timedelta

import pytest
from django.utils import timezone

from representation.constants import Scope
from representation.models import Authorisation
from tests.factories.dossiers import pdf_upload


@pytest.fixture(autouse=True)
def _captcha_and_cache(settings, monkeypatch):
    from captcha.conf import settings as captcha_settings
    from django.core.cache import cache

    settings.CAPTCHA_TEST_MODE = True
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    cache.clear()


def authorisation(principal, agent, *, state="valid", scope=Scope.ALL, procedure=None, field=None) -> Authorisation:
    """An authorisation in a given state (test set-up; the pages make them through the service)."""
    today = timezone.localdate()
    start, end = {"valid": (today - timedelta(days=1), today + timedelta(days=30)),
                  "revoked": (today - timedelta(days=1), today + timedelta(days=30)),
                  "expired": (today - timedelta(days=30), today - timedelta(days=1)),
                  "future": (today + timedelta(days=1), today + timedelta(days=30))}[state]
    upload = pdf_upload("giay-uy-quyen.pdf")
    row = Authorisation(principal=principal, agent=agent, scope=scope, procedure=procedure, field=field,
                        valid_from=start, valid_until=end, document_name="giay-uy-quyen.pdf", document_type="pdf",
                        revoked_at=timezone.now() if state == "revoked" else None)
    row.document.save("giay-uy-quyen.pdf", upload, save=False)
    row.save()
    return row


def draft_for(principal, agent, procedure):
    """A draft the agent made for the principal, every step done, ready for "Nộp hồ sơ"."""
    from dossiers import services

    draft = services.dossier_draft_get_or_create(user=agent, procedure=procedure, principal=principal)
    for component in procedure.components.all():
        services.dossier_component_files_add(dossier=draft, component=component, uploads_list=[pdf_upload()],
                                             user=agent, max_files=5)
    services.dossier_files_step_done(dossier=draft)
    return services.dossier_delivery_update(dossier=draft, submit_method="online", submit_address="",
                                            result_method="electronic", result_address="")
