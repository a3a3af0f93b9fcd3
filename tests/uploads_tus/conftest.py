"""A signed-in citizen's draft, reached over real HTTP on loopback by a tus client (tuspy) and by hand-made
requests written from the protocol's text (https://tus.io/protocols/resumable-upload)."""

import socket
import threading
from types import SimpleNamespace

import pytest
import requests
from django.conf import settings as django_settings
from django.middleware.csrf import _get_new_csrf_string

from dossiers import services


@pytest.fixture
def world(transactional_db, live_server, settings):
    from tests.factories.dossiers import Builder

    build = Builder()
    citizen = build.citizen(full_name="Lò Văn Páo", identity_number="014201000777")
    procedure = build.procedure(components=("Đơn đề nghị", "Bản sao giấy khai sinh"))
    draft = services.dossier_draft_get_or_create(user=citizen, procedure=procedure)
    component = procedure.components.order_by("position").first()
    return SimpleNamespace(
        build=build, citizen=citizen, procedure=procedure, draft=draft, component=component,
        url=live_server.url + "/tai-len/", headers=signed_in_headers(citizen), live_server=live_server,
    )


def signed_in_headers(user) -> dict:
    """The session cookie of a signed-in browser, and the CSRF token its page script sends back in a header."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    token = _get_new_csrf_string()
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}; "
    cookie += f"{django_settings.CSRF_COOKIE_NAME}={token}"
    return {"Cookie": cookie, "X-CSRFToken": token}


def metadata(**pairs) -> str:
    import base64

    return ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in pairs.items())


def create(world, *, length: int, filename="don.pdf", component=None, headers=None) -> requests.Response:
    component = component or world.component
    return requests.post(world.url, headers={
        **(world.headers if headers is None else headers), "Tus-Resumable": "1.0.0", "Upload-Length": str(length),
        "Upload-Metadata": metadata(dossier=world.draft.uuid, component=component.pk, filename=filename),
    }, timeout=30)


def patch(world, location: str, body: bytes, *, offset: int, **extra) -> requests.Response:
    return requests.patch(location, data=body, headers={
        **world.headers, "Tus-Resumable": "1.0.0", "Upload-Offset": str(offset),
        "Content-Type": "application/offset+octet-stream", **extra,
    }, timeout=60)


class CuttingProxy:
    """A TCP proxy on loopback that drops a connection after a given number of bytes from the client: the first
    PATCH requests get the budgets given, in order; later ones, and other requests, pass whole. Each connection
    carries one request (tuspy opens one per request)."""

    def __init__(self, target_port: int, budgets: list[int]):
        self.target_port, self.budgets = target_port, list(budgets)
        self.cuts, self.methods, self.bytes_forwarded = [], [], 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        budget = None
        upstream = socket.create_connection(("127.0.0.1", self.target_port))
        threading.Thread(target=self._pump_back, args=(upstream, client), daemon=True).start()
        sent, first = 0, True
        try:
            while data := client.recv(65536):
                if first:
                    with self.lock:
                        self.methods.append(data.split(b" ", 1)[0].decode())
                        if self.methods[-1] == "PATCH" and self.budgets:
                            budget = self.budgets.pop(0)
                    first = False
                if budget is not None and sent + len(data) >= budget:
                    upstream.sendall(data[: budget - sent])
                    with self.lock:
                        self.cuts.append(budget)
                        self.bytes_forwarded += budget - sent
                    break
                upstream.sendall(data)
                sent += len(data)
                with self.lock:
                    self.bytes_forwarded += len(data)
        except OSError:
            pass
        for sock in (client, upstream):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    @staticmethod
    def _pump_back(upstream, client):
        try:
            while data := upstream.recv(65536):
                client.sendall(data)
        except OSError:
            pass

    def close(self):
        self.listener.close()
