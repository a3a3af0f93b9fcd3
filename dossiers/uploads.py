"""Checks on uploaded files: the content decides the type, the name is only data."""

import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Extensions a citizen may declare, and the content type each must really be.
DECLARED = {"pdf": "pdf", "png": "png", "jpg": "jpg", "jpeg": "jpg", "docx": "docx", "xlsx": "xlsx", "doc": "ole", "xls": "ole"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class CheckedFile:
    upload: object  # the UploadedFile
    original_name: str
    extension: str
    size: int
    component: object = None  # the procedure component a supplement file answers, when the request named it


def clean_filename(name: str) -> str:
    """Keep only the last path part, without control characters, normalised to NFC."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME_LENGTH - len(ext) - 1] + dot + ext) if dot and len(ext) <= 5 else name[:MAX_NAME_LENGTH]
    return name or "tep"


def sniff(upload) -> str:
    """Return the type the bytes say the file is ("" when unknown)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(OLE2):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                types = archive.read("[Content_Types].xml")
        except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
            return ""
        finally:
            upload.seek(0)
        if b"wordprocessingml" in types:
            return "docx"
        if b"spreadsheetml" in types:
            return "xlsx"
    return ""


def check_upload(upload, *, accepted: list[str], max_bytes: int) -> CheckedFile:
    """Validate one uploaded file; raise ValidationError with a message for the citizen."""
    name = clean_filename(getattr(upload, "name", ""))
    size = upload.size or 0
    if size == 0:
        raise ValidationError("Tệp “%(name)s” rỗng.", params={"name": name}, code="empty")
    if size > max_bytes:
        raise ValidationError(
            "Tệp “%(name)s” vượt quá dung lượng cho phép (%(mb)s MB).",
            params={"name": name, "mb": max_bytes // (1024 * 1024) or 1},
            code="too_big",
        )
    stem, dot, ext = name.rpartition(".")
    ext = ext.lower() if dot else ""
    accepted_set = {a.lower() for a in accepted}
    if "jpg" in accepted_set:
        accepted_set.add("jpeg")
    if ext not in DECLARED or ext not in accepted_set:
        raise ValidationError(
            "Tệp “%(name)s” không đúng định dạng cho phép (%(types)s).",
            params={"name": name, "types": ", ".join(accepted)},
            code="type",
        )
    if sniff(upload) != DECLARED[ext]:
        raise ValidationError(
            "Nội dung tệp “%(name)s” không phải là tệp %(ext)s thật.", params={"name": name, "ext": ext.upper()},
            code="content",
        )
    return CheckedFile(upload=upload, original_name=name, extension="jpg" if ext == "jpeg" else ext, size=size)


def storage_name(*, dossier_uuid, extension: str) -> str:
    """A generated storage path: nothing the citizen typed ends up in it."""
    return f"dossiers/{dossier_uuid}/{uuid.uuid4().hex}.{extension}"


def max_file_bytes(component=None) -> int:
    limit = settings.DOSSIER_MAX_FILE_MB
    if component is not None and component.max_size_mb:
        limit = min(limit, component.max_size_mb)
    return limit * 1024 * 1024


def max_total_bytes() -> int:
    return settings.DOSSIER_MAX_TOTAL_MB * 1024 * 1024
