"""The portal served by real gunicorn on loopback, on the test database, for the reliability tests.

Unlike pytest-django's live server, gunicorn's workers keep their database connections from one request
to the next (DJANGO_CONN_MAX_AGE), as production does, and answer many clients at once.
"""

import http.client
import sys
from pathlib import Path

import requests

from tests.support.worker import WorkerProcess


class GunicornServer(WorkerProcess):
    """Started like the Celery worker process; stopped, killed and read (`output()`) the same way."""

    name = "gunicorn"

    def __init__(self, *, env: dict, log_path: Path, port: int, workers: int = 2, threads: int = 4):
        super().__init__(env=env, log_path=log_path)
        self.port = port
        self.workers = workers
        self.threads = threads
        self.url = f"http://127.0.0.1:{port}"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(self.workers), "--threads", str(self.threads), "--worker-class", "gthread",
                "--timeout", "120", "--log-level", "warning"]

    def ready(self, output: bytes) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/")
            return connection.getresponse().status < 500
        except OSError:
            return False
        finally:
            connection.close()


class RunserverProcess(GunicornServer):
    """`manage.py runserver`, as `make run` serves: one process, a thread per request."""

    name = "runserver"

    def command(self) -> list[str]:
        return [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"]


def _server_env(**extra_env: str) -> dict:
    from django.conf import settings

    from tests.conftest import test_database_env

    env = test_database_env()
    env.update({
        "DJANGO_MEDIA_ROOT": settings.MEDIA_ROOT,
        "DJANGO_CONN_MAX_AGE": "600",
        "CAPTCHA_TEST_MODE": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": "",
        "EMAIL_URL": "",
        **extra_env,
    })
    return env


def start_gunicorn(tmp_path: Path, *, workers: int = 2, threads: int = 4, **extra_env: str) -> GunicornServer:
    """Start gunicorn on the test database (call from a transactional test: it must see committed rows)."""
    from tests.conftest import free_port

    server = GunicornServer(env=_server_env(**extra_env), log_path=tmp_path / "gunicorn.log", port=free_port(),
                            workers=workers, threads=threads)
    server.start()
    return server


def start_runserver(tmp_path: Path, **extra_env: str) -> RunserverProcess:
    """Start `manage.py runserver` on the test database (from a transactional test, as start_gunicorn)."""
    from tests.conftest import free_port

    server = RunserverProcess(env=_server_env(**extra_env), log_path=tmp_path / "runserver.log", port=free_port())
    server.start()
    return server


def citizen_session(server: GunicornServer, user) -> requests.Session:
    """An HTTP client logged in as `user` (the session is made as Client.force_login makes it)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = requests.Session()
    # A new TCP connection per request: a kept-alive one that gunicorn closes after its keep-alive delay
    # (2 s) while the client sends on it fails without an answer, which a browser silently retries.
    session.headers["Connection"] = "close"
    session.cookies.set("sessionid", client.cookies["sessionid"].value, domain="127.0.0.1", path="/")
    return session


def csrf_post(session: requests.Session, url: str, data: dict | None = None, files=None, **kwargs):
    """POST a form as a browser does: the CSRF token from the cookie the form page set, redirects not followed."""
    token = session.cookies.get("csrftoken") or ""
    return session.post(url, data={**(data or {}), "csrfmiddlewaretoken": token}, files=files,
                        allow_redirects=False, timeout=kwargs.pop("timeout", 60), **kwargs)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def wizard_submit(session: requests.Session, base: str, procedure, *, applicant: dict, between=lambda: None,
                  before_submit=lambda: None):
    """Go through the four wizard steps over HTTP as a browser would, one PDF per component.

    `procedure` is read before any thread starts (its components prefetched), so that a thread running
    this makes no database query of its own.

    `between()` runs before every request (a test breaks something there), `before_submit()` before the
    final "Nộp hồ sơ" (a test lines many citizens up there). Return the final response:
    302 to the dossier page when the dossier was submitted.
    """
    def get(url):
        between()
        return session.get(url, allow_redirects=False, timeout=60)

    def post(url, data, files=None):
        between()
        response = csrf_post(session, url, data, files=files)
        return response

    response = get(f"{base}/ho-so/nop/{procedure.code}/")
    assert response.status_code == 302, (response.status_code, response.text[:500])
    step1 = base + response.headers["Location"]
    assert get(step1).status_code == 200
    response = post(step1, applicant)
    assert response.status_code == 302, (response.status_code, response.text[-2000:])
    step2 = base + response.headers["Location"]
    files = [(f"files_{c.pk}", (f"thanh-phan-{c.pk}.pdf", PDF.replace(b"\n", f"\n%{c.pk}\n".encode(), 1), "application/pdf")) for c in procedure.components.all()]
    assert files, "the procedure has no component"
    response = post(step2, {"action": "next"}, files=files)
    assert response.status_code == 302, (response.status_code, response.text[-2000:])
    step3 = base + response.headers["Location"]
    response = post(step3, {"submit_method": "online", "result_method": "electronic"})
    assert response.status_code == 302, (response.status_code, response.text[-2000:])
    step4 = base + response.headers["Location"]
    assert get(step4).status_code == 200
    before_submit()
    return post(step4, {"confirm": "on", "captcha_0": "test", "captcha_1": "PASSED"})
