"""Errors as problem details (RFC 9457, application/problem+json): a Vietnamese `title`, an English `title_en`."""

from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Schema

MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True)
class Kind:
    status: int
    title: object  # a lazy gettext message: Vietnamese msgid, English in locale/en


KINDS = {
    "bad-request": Kind(400, _("Yêu cầu không hợp lệ")),
    "unauthorized": Kind(401, _("Thiếu khóa API hoặc khóa không hợp lệ")),
    "forbidden": Kind(403, _("Khóa API không có quyền thực hiện thao tác này")),
    "not-found": Kind(404, _("Không tìm thấy")),
    "move-refused": Kind(409, _("Không thể chuyển bước hồ sơ")),
    "in-progress": Kind(409, _("Yêu cầu cùng mã chống gửi trùng đang được xử lý")),
    "invalid": Kind(422, _("Dữ liệu gửi lên không hợp lệ")),
    "key-reused": Kind(422, _("Mã chống gửi trùng đã dùng cho một yêu cầu khác")),
    "rate-limited": Kind(429, _("Gọi quá nhiều lần, vui lòng thử lại sau")),
}


class ProblemOut(Schema):
    type: str
    title: str
    title_en: str
    status: int
    detail: str = ""
    errors: list[str] = []


class Problem(Exception):
    """Raised anywhere in the API: answered as a problem document of its kind."""

    def __init__(self, kind: str, detail: str = "", *, errors: list[str] | None = None, headers: dict | None = None):
        super().__init__(kind, detail)
        self.kind, self.detail, self.errors, self.headers = kind, str(detail or ""), errors or [], headers or {}


def problem_response(problem: Problem) -> HttpResponse:
    kind = KINDS[problem.kind]
    with translation.override("vi"):
        title = str(kind.title)
    with translation.override("en"):
        title_en = str(kind.title)
    body = ProblemOut(type=f"/api/v1/problems/{problem.kind}", title=title, title_en=title_en, status=kind.status,
                      detail=problem.detail, errors=[str(e) for e in problem.errors])
    response = HttpResponse(body.model_dump_json(), status=kind.status, content_type=MEDIA_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    return response
