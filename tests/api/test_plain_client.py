"""A client written from the OpenAPI document alone: plain urllib against the running server, every path found by
its operationId in /api/v1/openapi.json, nothing of the project imported on the client's side."""

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from dossiers.constants import DossierStatus, FileKind
from dossiers.models import DossierFile
from tests.factories.dossiers import pdf_upload

from .conftest import client_make

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]


class PlainClient:
    """What an agency's developer writes after reading the document: operationId → method and path."""

    def __init__(self, base: str, key: str = ""):
        self.base, self.key = base, key
        with urllib.request.urlopen(base + "/api/v1/openapi.json") as response:
            self.document = json.load(response)
        self.operations = {op["operationId"]: (method.upper(), path)
                           for path, methods in self.document["paths"].items() for method, op in methods.items()}

    def call(self, operation: str, *, params=None, query=None, body=None, form=None, files=None, headers=None):
        method, path = self.operations[operation]
        for name, value in (params or {}).items():
            path = path.replace("{" + name + "}", urllib.parse.quote(str(value), safe=""))
        url = self.base + path + ("?" + urllib.parse.urlencode(query) if query else "")
        headers = dict(headers or {})
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        elif form is not None or files:
            data, headers["Content-Type"] = multipart(form or {}, files or [])
        return self.open(urllib.request.Request(url, data=data, method=method, headers=headers))

    def open(self, request) -> tuple[int, str, bytes]:
        if self.key and "Authorization" not in request.headers:
            request.add_header("Authorization", f"Bearer {self.key}")
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), error.read()


def multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
              f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n"
              for k, name, content in files]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_a_client_from_the_document_alone(live_server, build, agency):
    procedure = build.procedure(agencies=[agency])
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    upload = pdf_upload()
    DossierFile.objects.create(dossier=dossier, kind=FileKind.APPLICATION, original_name="don.pdf", file=upload,
                               size=upload.size, file_type="pdf")
    _client, key = client_make(build, agency)
    anonymous = PlainClient(live_server.url)
    assert anonymous.document["openapi"].startswith("3.1")
    assert anonymous.document["components"]["securitySchemes"]["ClientKey"]["scheme"] == "bearer"

    status, _type, body = anonymous.call("searchProcedures", query={"q": "giấy phép thử nghiệm"})
    assert status == 200 and procedure.code in [row["code"] for row in json.loads(body)["results"]]
    status, _type, body = anonymous.call("lookupDossier", body={"code": dossier.code, "key": "ABC234"})
    assert status == 200 and json.loads(body)["status"] == 1
    status, content_type, body = anonymous.call("getDossier", params={"code": dossier.code})
    assert (status, content_type, json.loads(body)["status"]) == (401, "application/problem+json", 401)

    client = PlainClient(live_server.url, key)
    status, _type, body = client.call("moveDossier", params={"code": dossier.code}, form={"action": "receive"},
                                      headers={"Idempotency-Key": "plain-client-0001"})
    assert status == 200 and json.loads(body)["status"] == 2
    status, _type, body = client.call("getDossier", params={"code": dossier.code})
    [listed] = json.loads(body)["files"]
    status, content_type, content = client.open(urllib.request.Request(listed["download_url"]))
    assert status == 200 and content.startswith(b"%PDF") and len(content) == listed["size"]

    client.call("moveDossier", params={"code": dossier.code}, form={"action": "start"})
    status, _type, body = client.call("attachResultFiles", params={"code": dossier.code},
                                      files=[("files", "giay-phep.pdf", pdf_upload().read())])
    assert status == 201 and [f["kind"] for f in json.loads(body)["files"]] == ["application", "result"]
    status, _type, body = client.call("listDossierChanges", query={"cursor": ""})
    page = json.loads(body)
    assert [d["code"] for d in page["dossiers"]] in ([dossier.code], [])  # [] while another session's transaction runs
    status, content_type, body = client.call("moveDossier", params={"code": dossier.code}, form={"action": "finish"})
    problem = json.loads(body)
    assert status == 422 and content_type == "application/problem+json"
    assert problem["title"] == "Dữ liệu gửi lên không hợp lệ" and problem["title_en"] == "Invalid input"
