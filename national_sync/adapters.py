"""The two protocols of the national portal, chosen by NATIONAL_SYNC_PROTOCOL: each sends one outbox record and
looks up what the national side holds of some dossiers. Endpoints, credentials and timeouts come from settings.

- "motcua", the one-stop protocol: POST {url}/login {username, password, dstcode} gives a session; then POST
  {url}/service {session, madonvi, service, data: [...]}: DongBoHoSoMC (the dossier), CapNhatTienDoHoSoMC (each
  step), TraCuuHoSoMC (the look-up). Answers {"error_code": 0, ...}; an expired session is logged in again.
- "v2": an OAuth 2 client-credentials token (POST {url}/oauth2/token, HTTP Basic), then with the bearer token:
  POST {url}/files (each file's bytes), POST {url}/dossiers (the dossier), POST {url}/dossiers/{MaHoSo}/progress
  and /status (the steps), GET {url}/dossiers?MaHoSo=… (the look-up).

Every message carries the record's request id (MaYeuCau, header X-Request-ID): the national side answers a message
it already holds with success and does not store it twice, so a resend after a lost answer is harmless.
"""

import base64
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from dossiers.models import DossierFile

from .constants import RecordKind


class NationalError(Exception):
    """A call to the national portal failed, timed out or was answered with an error: the record is tried again."""


class SessionExpired(NationalError):
    pass


@dataclass(frozen=True)
class Held:
    """What the national side holds of one dossier (the look-up)."""

    code: str
    status: int | None
    request_ids: frozenset[str]


def _call(url: str, *, body: bytes | None = None, headers: dict | None = None, method: str = "POST",
          timeout: float | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout or settings.NATIONAL_SYNC_TIMEOUT) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, OSError) as exc:
        raise NationalError(f"{url}: {getattr(exc, 'reason', exc)}") from exc
    try:
        answer = json.loads(raw.decode("utf-8")) if raw else {}
    except ValueError as exc:
        raise NationalError(f"{url}: HTTP {status}, not JSON: {raw[:200]!r}") from exc
    if not isinstance(answer, dict):
        raise NationalError(f"{url}: HTTP {status}, unexpected answer {raw[:200]!r}")
    return status, answer


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


class MotCua:
    """The one-stop protocol (session login with dstcode)."""

    _sessions: dict[tuple, str] = {}
    _lock = threading.Lock()

    @property
    def url(self) -> str:
        return settings.NATIONAL_MOTCUA_URL.rstrip("/")

    def _session(self, *, renew: bool = False) -> str:
        key = (self.url, settings.NATIONAL_MOTCUA_USERNAME)
        with self._lock:
            if renew or key not in self._sessions:
                status, answer = _call(self.url + "/login", body=_json({
                    "username": settings.NATIONAL_MOTCUA_USERNAME, "password": settings.NATIONAL_MOTCUA_PASSWORD,
                    "dstcode": settings.NATIONAL_MOTCUA_DSTCODE,
                }), headers={"Content-Type": "application/json"})
                if status != 200 or str(answer.get("error_code")) != "0" or not answer.get("session"):
                    raise NationalError(f"login: HTTP {status}, {answer.get('message', answer)}")
                self._sessions[key] = answer["session"]
            return self._sessions[key]

    def _service(self, service: str, data: list, **extra) -> dict:
        for renew in (False, True):
            body = {"session": self._session(renew=renew), "madonvi": settings.NATIONAL_UNIT_CODE,
                    "service": service, **extra, "data": data}
            status, answer = _call(self.url + "/service", body=_json(body),
                                   headers={"Content-Type": "application/json"})
            code = str(answer.get("error_code", ""))
            if code == "-1" and not renew:  # the session expired: log in again, once
                continue
            if status != 200 or code != "0":
                raise NationalError(f"{service}: HTTP {status}, error_code {code}: {answer.get('message', '')}")
            return answer
        raise SessionExpired(f"{service}: session refused after a new login")

    def send(self, record) -> None:
        payload = dict(record.payload)
        common = {"MaYeuCau": str(record.uuid), "SoThuTu": record.sequence}
        if record.kind == RecordKind.DOSSIER:
            self._service("DongBoHoSoMC", [payload], isUpdating=False, **common)
        else:
            self._service("CapNhatTienDoHoSoMC", [{
                **{name: payload.get(name) for name in PROGRESS_FIELDS}, "TrangThai": payload["TrangThaiHoSo"],
            }], **common)

    def message_ids(self, record) -> set[str]:
        """The request ids the national side holds once this record is delivered."""
        return {str(record.uuid)}

    def lookup(self, codes: list[str]) -> dict[str, Held]:
        answer = self._service("TraCuuHoSoMC", [{"MaHoSo": code} for code in codes])
        return _held(answer.get("data") or [])


PROGRESS_FIELDS = (
    "MaHoSo", "NguoiXuLy", "ChucDanh", "PhongBanXuLy", "ThoiDiemXuLy", "NoiDungXuLy", "NgayBatDau",
    "NgayKetThucTheoQuyDinh", "TrangThaiHoSo", "NgayHenTra", "NgayKetThucXuLy", "NgayTra", "DanhSachGiayToKetQua",
    "DanhSachHoSoBoSung",
)


def _held(rows: list) -> dict[str, Held]:
    return {
        row["MaHoSo"]: Held(code=row["MaHoSo"], status=row.get("TrangThaiHoSo"),
                            request_ids=frozenset(row.get("DanhSachMaYeuCau") or []))
        for row in rows if isinstance(row, dict) and row.get("MaHoSo")
    }


class V2:
    """The newer protocol (OAuth 2 client credentials; files, then the dossier, then progress and status)."""

    _tokens: dict[tuple, tuple[str, float]] = {}
    _lock = threading.Lock()

    @property
    def url(self) -> str:
        return settings.NATIONAL_V2_URL.rstrip("/")

    def _token(self, *, renew: bool = False) -> str:
        key = (self.url, settings.NATIONAL_V2_CLIENT_ID)
        with self._lock:
            token, expires = self._tokens.get(key, ("", 0.0))
            if renew or not token or expires <= time.monotonic():
                basic = base64.b64encode(
                    f"{settings.NATIONAL_V2_CLIENT_ID}:{settings.NATIONAL_V2_CLIENT_SECRET}".encode()).decode()
                status, answer = _call(
                    self.url + "/oauth2/token", body=urllib.parse.urlencode({"grant_type": "client_credentials"}).encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Basic {basic}"},
                )
                if status != 200 or not answer.get("access_token"):
                    raise NationalError(f"token: HTTP {status}, {answer.get('error', answer)}")
                token = answer["access_token"]
                self._tokens[key] = (token, time.monotonic() + max(int(answer.get("expires_in", 300)) - 30, 1))
            return token

    def _request(self, path: str, *, request_id: str = "", body: bytes | None = None, method: str = "POST",
                 content_type: str = "application/json", extra: dict | None = None) -> dict:
        for renew in (False, True):
            headers = {"Authorization": f"Bearer {self._token(renew=renew)}", **(extra or {})}
            if body is not None:
                headers["Content-Type"] = content_type
            if request_id:
                headers["X-Request-ID"] = request_id
            status, answer = _call(self.url + path, body=body, headers=headers, method=method)
            if status == 401 and not renew:  # the token expired early or was revoked: a new one, once
                continue
            if status not in (200, 201):
                raise NationalError(f"{method} {path}: HTTP {status}: {answer.get('title') or answer}")
            return answer
        raise NationalError(f"{method} {path}: token refused after a new one")

    def _upload(self, record, files: list[dict], key: str) -> list[dict]:
        """Upload each file the message names; return the list with the national side's file ids."""
        stored = {str(f.uuid): f for f in DossierFile.objects.filter(uuid__in=[f[key] for f in files])}
        done = []
        for item in files:
            dossier_file = stored.get(item[key])
            if dossier_file is None:  # deleted since: the message names it as deleted, without bytes
                done.append({**item, "IsDeleted": True})
                continue
            with dossier_file.file.open("rb") as handle:
                content = handle.read()
            answer = self._request(
                "/files", request_id=f"{record.uuid}:{item[key]}", body=content, content_type="application/octet-stream",
                extra={"X-MaHoSo": record.payload["MaHoSo"],
                       "X-TenTep": urllib.parse.quote(dossier_file.original_name)},
            )
            done.append({**item, "MaTepDinhKem": answer.get("MaTepDinhKem", "")})
        return done

    def send(self, record) -> None:
        payload = dict(record.payload)
        code = urllib.parse.quote(payload["MaHoSo"], safe="")
        base = {"MaYeuCau": str(record.uuid), "SoThuTu": record.sequence}
        if record.kind == RecordKind.DOSSIER:
            payload["TaiLieuNop"] = self._upload(record, payload.get("TaiLieuNop", []), "TepDinhKemId")
            self._request("/dossiers", request_id=str(record.uuid), body=_json({**payload, **base}))
            return
        progress = {name: payload.get(name) for name in PROGRESS_FIELDS}
        if record.kind == RecordKind.PROGRESS:
            self._request(f"/dossiers/{code}/progress", request_id=str(record.uuid), body=_json({**progress, **base}))
            return
        progress["DanhSachGiayToKetQua"] = self._upload(record, payload.get("DanhSachGiayToKetQua", []), "GiayToId")
        self._request(f"/dossiers/{code}/progress", request_id=f"{record.uuid}:progress",
                      body=_json({**progress, **base, "MaYeuCau": f"{record.uuid}:progress"}))
        self._request(f"/dossiers/{code}/status", request_id=str(record.uuid), body=_json({
            "MaHoSo": payload["MaHoSo"], "TrangThaiHoSo": payload["TrangThaiHoSo"],
            "ThoiDiemXuLy": payload["ThoiDiemXuLy"], "NgayHenTra": payload["NgayHenTra"],
            "DanhSachGiayToKetQua": progress["DanhSachGiayToKetQua"], **base,
        }))

    def message_ids(self, record) -> set[str]:
        """The request ids the national side holds once this record is delivered (a step is progress + status)."""
        if record.kind == RecordKind.STATUS:
            return {f"{record.uuid}:progress", str(record.uuid)}
        return {str(record.uuid)}

    def lookup(self, codes: list[str]) -> dict[str, Held]:
        query = urllib.parse.urlencode({"MaHoSo": ",".join(codes)})
        return _held(self._request(f"/dossiers?{query}", method="GET").get("data") or [])


ADAPTERS = {"motcua": MotCua, "v2": V2}


def current():
    """The adapter of NATIONAL_SYNC_PROTOCOL."""
    try:
        return ADAPTERS[settings.NATIONAL_SYNC_PROTOCOL]()
    except KeyError:
        raise NationalError(f"NATIONAL_SYNC_PROTOCOL={settings.NATIONAL_SYNC_PROTOCOL!r}: not one of {sorted(ADAPTERS)}")
