"""PostgreSQL drops the portal's connections between requests (a restart, a failover, a pooler's idle
timeout): the next request opens a new connection instead of answering 500.

The portal runs under real gunicorn with persistent connections (DJANGO_CONN_MAX_AGE, as production sets
it in .env.example); Django's CONN_HEALTH_CHECKS is what notices a dead persistent connection at the start
of the next request. Time is bounded by the HTTP timeouts and the waits' deadlines.
"""

import pytest
from django.conf import settings

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from notifications.models import Email
from tests.factories.dossiers import Builder
from tests.support.gunicorn import citizen_session, start_gunicorn, wizard_submit
from tests.support.pg import database_backends, drop_connections

pytestmark = [pytest.mark.reliability, pytest.mark.integration, pytest.mark.postgres,
              pytest.mark.django_db(transaction=True)]

APPLICANT = {"applicant_name": "Nguyễn Thị Kiểm Thử", "applicant_identity": "062301001234",
             "applicant_phone": "0905123456", "applicant_email": "kiemthu@example.vn",
             "applicant_address": "12 Trần Hưng Đạo", "applicant_province_code": 51, "applicant_commune_code": 23293}


@pytest.fixture
def server(tmp_path):
    # One worker with two threads: the same few persistent connections serve every request.
    server = start_gunicorn(tmp_path, workers=1, threads=2)
    yield server
    server.stop()


def test_settings_keep_connections_and_check_them():
    """Persistent connections are only safe with the health check on (Django checks them per request)."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_every_request_after_a_drop_recovers(server):
    build = Builder()
    procedure = build.procedure()
    citizen = build.citizen()
    earlier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure, owner=citizen)
    session = citizen_session(server, citizen)
    drops = []

    def drop():
        drops.append(drop_connections())

    statuses = []
    for path in ("/thu-tuc/", f"/thu-tuc/{procedure.code}/", "/ho-so/", "/thu-tuc/?q=giay+phep", "/ho-so/"):
        drop()
        response = session.get(server.url + path, timeout=30)
        statuses.append(response.status_code)
        assert response.status_code == 200, (path, response.status_code, server.output()[-3000:])
    assert earlier.code in response.text  # the logged-in list shows the citizen's dossier

    # A whole submission, every request of it after a drop.
    final = wizard_submit(session, server.url, procedure, applicant=APPLICANT, between=drop)
    assert final.status_code == 302, (final.status_code, final.text[-2000:], server.output()[-3000:])
    submitted = Dossier.objects.get(owner=citizen, procedure=procedure, status=DossierStatus.SUBMITTED,
                                    applicant_email=APPLICANT["applicant_email"])
    assert final.headers["Location"] == f"/ho-so/{submitted.code}/"
    assert submitted.files.count() == procedure.components.count()
    assert Email.objects.filter(to=APPLICANT["applicant_email"]).exists()  # the receipt e-mail was queued
    drop()
    page = session.get(server.url + final.headers["Location"], timeout=30)
    assert page.status_code == 200 and submitted.code in page.text

    # The drops really cut live connections: gunicorn kept them between requests (no 500 came of it).
    assert all(drops), drops
    assert "Traceback" not in server.output()


def test_connections_persist_between_requests(server):
    """Without this the test above would prove nothing: the server keeps its connections open."""
    import requests

    assert requests.get(server.url + "/thu-tuc/", timeout=30).status_code == 200
    after_first = set(database_backends())
    assert after_first, "gunicorn closed its connection after the request"
    for _ in range(4):
        assert requests.get(server.url + "/thu-tuc/", timeout=30).status_code == 200
    assert after_first & set(database_backends()), "no connection lived from one request to the next"


@pytest.fixture
def persistent_connections(monkeypatch):
    """The worker started after this keeps connections as production web processes do."""
    monkeypatch.setenv("DJANGO_CONN_MAX_AGE", "600")


def test_worker_task_after_a_drop_succeeds(persistent_connections, celery_worker_process, smtp_sink, tasks_on_redis):
    """Celery's Django fix-up closes the worker's connections around each task; a drop between tasks
    therefore costs nothing. This keeps it so (CELERY_DB_REUSE_MAX would make the next task fail)."""
    from dossiers.constants import DossierAction
    from dossiers.services import dossier_move

    build = Builder()
    first, second = (build.dossier(DossierStatus.SUBMITTED) for _ in range(2))
    for dossier in (first, second):
        dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=build.clerk(dossier.agency))
        try:
            smtp_sink.wait_for(lambda m, code=dossier.code: code in m["Subject"], timeout=60)
        except AssertionError:
            raise AssertionError(celery_worker_process.output()[-4000:])
        drop_connections()
    assert "OperationalError" not in celery_worker_process.output()
