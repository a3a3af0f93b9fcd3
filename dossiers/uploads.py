"""Checks on uploaded files: the content decides the type, the name is only data."""

import hashlib
import io
import struct
import unicodedata
import uuid
import warnings
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

from common.archives import TooLarge, read_bounded, zip_declared_size, zip_entry_count

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
    sha256: str = ""
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


class Refused(Exception):
    """The bytes are of a known kind but outside the bounds the portal will read; the message is for the citizen."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


# Every content check reads, inflates and parses within these bounds, whatever the file claims.
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_INFLATED = 200 * 1024 * 1024  # the sum of the members' declared sizes
ZIP_MAX_RATIO = 200  # inflated / compressed, for the whole archive
ZIP_MAX_NESTED_BYTES = 20 * 1024 * 1024  # an embedded office file (a chart's workbook) is read into memory to check it
ZIP_CONTENT_TYPES_MAX = 1024 * 1024
CHUNK = 64 * 1024
IMAGE_MAX_PIXELS = 50_000_000  # a 50-megapixel photo; far above a scanned A4 page at 600 dpi (35 MP)
PDF_TAIL = 1024
ARCHIVE_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh")
ARCHIVE_SUFFIXES = (".zip", ".gz", ".7z", ".rar", ".bz2", ".xz", ".tar")


def _refuse_bomb():
    return Refused(_("Tệp “%(name)s” giãn nở quá lớn khi giải nén (nghi là tệp độc hại), không được chấp nhận."), "bomb")


def _read_member(archive, info, limit: int) -> bytes:
    """Inflate one member by chunks, refusing as soon as it passes `limit` bytes."""
    with archive.open(info) as member:
        try:
            return read_bounded(member, limit, chunk=CHUNK)
        except TooLarge:
            raise _refuse_bomb() from None


def _check_archive(archive, *, compressed: int, depth: int) -> None:
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_MEMBERS:
        raise Refused(_("Tệp “%(name)s” chứa quá nhiều thành phần bên trong."), "members")
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
            # Office writes only stored or deflated members; the others inflate without a per-call bound.
            raise Refused(_("Tệp “%(name)s” dùng kiểu nén hoặc mã hóa không được hỗ trợ."), "compression")
    inflated = zip_declared_size(archive)
    if inflated > ZIP_MAX_INFLATED or inflated > max(compressed, 1) * ZIP_MAX_RATIO:
        raise _refuse_bomb()
    for info in infos:
        if info.is_dir():
            continue
        with archive.open(info) as member:
            head = member.read(8)
        if not (head.startswith(ARCHIVE_MAGIC) or info.filename.lower().endswith(ARCHIVE_SUFFIXES)):
            continue
        # An embedded workbook or document is allowed one level down, under the same bounds; deeper nesting is refused.
        if depth >= 1 or not head.startswith(b"PK\x03\x04") or info.file_size > ZIP_MAX_NESTED_BYTES:
            raise Refused(_("Tệp “%(name)s” chứa tệp nén lồng bên trong, không được chấp nhận."), "nested")
        inner = io.BytesIO(_read_member(archive, info, ZIP_MAX_NESTED_BYTES))
        if (zip_entry_count(inner) or 0) > ZIP_MAX_MEMBERS:
            raise Refused(_("Tệp “%(name)s” chứa quá nhiều thành phần bên trong."), "members")
        try:
            with zipfile.ZipFile(inner) as nested:
                _check_archive(nested, compressed=info.compress_size, depth=depth + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, zlib.error):
            raise Refused(_("Tệp “%(name)s” chứa tệp nén lồng bên trong bị hỏng."), "nested") from None


def _sniff_office(upload) -> str:
    entries = zip_entry_count(upload)
    if entries is None:
        return ""
    if entries > ZIP_MAX_MEMBERS or entries == 0xFFFF:  # 0xFFFF: a zip64 count, far past any office document
        raise Refused(_("Tệp “%(name)s” chứa quá nhiều thành phần bên trong."), "members")
    upload.seek(0, 2)
    compressed = upload.tell()
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            _check_archive(archive, compressed=compressed, depth=0)
            types = _read_member(archive, archive.getinfo("[Content_Types].xml"), ZIP_CONTENT_TYPES_MAX)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError, zlib.error, ValueError):
        return ""
    finally:
        upload.seek(0)
    if b"wordprocessingml" in types:
        return "docx"
    if b"spreadsheetml" in types:
        return "xlsx"
    return ""


def _check_image(upload, kind: str) -> None:
    """Read the header only: the dimensions decide before a single pixel is decoded."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=["PNG" if kind == "png" else "JPEG"]) as image:
                width, height = image.size
                if width * height > IMAGE_MAX_PIXELS:
                    raise Refused(
                        _("Ảnh “%(name)s” có kích thước điểm ảnh quá lớn; vui lòng thu nhỏ ảnh rồi tải lên."), "pixels"
                    )
                if kind == "png":
                    image.verify()  # chunk checksums only; text chunks inflate within Pillow's own limits
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(_("Ảnh “%(name)s” có kích thước điểm ảnh quá lớn; vui lòng thu nhỏ ảnh rồi tải lên."), "pixels") from None
    except (OSError, SyntaxError, ValueError, struct.error, zlib.error):
        raise Refused(_("Ảnh “%(name)s” bị hỏng hoặc không đọc được."), "content") from None
    finally:
        upload.seek(0)


def _check_pdf(upload) -> None:
    """Header and end-of-file marker only: the portal never parses a PDF's objects or streams."""
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(max(0, size - PDF_TAIL))
    tail = upload.read()
    upload.seek(0)
    if b"%%EOF" not in tail:
        raise Refused(_("Tệp PDF “%(name)s” không đầy đủ hoặc bị hỏng."), "content")


def sniff(upload) -> str:
    """Return the type the bytes say the file is ("" when unknown); an archive past a bound raises Refused."""
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
        return _sniff_office(upload)
    return ""


def check_upload(upload, *, accepted: list[str], max_bytes: int) -> CheckedFile:
    """Validate one uploaded file; raise ValidationError with a message for the citizen."""
    name = clean_filename(getattr(upload, "name", ""))
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng."), params={"name": name}, code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("Tệp “%(name)s” vượt quá dung lượng cho phép (%(mb)s MB)."),
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
            _("Tệp “%(name)s” không đúng định dạng cho phép (%(types)s)."),
            params={"name": name, "types": ", ".join(accepted)},
            code="type",
        )
    try:
        kind = sniff(upload)
        if kind == DECLARED[ext] == "pdf":
            _check_pdf(upload)
        elif kind == DECLARED[ext] in ("png", "jpg"):
            _check_image(upload, kind)
    except Refused as refused:
        raise ValidationError(refused.message, params={"name": name}, code=refused.code) from None
    if kind != DECLARED[ext]:
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không phải là tệp %(ext)s thật."), params={"name": name, "ext": ext.upper()},
            code="content",
        )
    return CheckedFile(
        upload=upload, original_name=name, extension="jpg" if ext == "jpeg" else ext, size=size, sha256=digest(upload)
    )


def digest(upload) -> str:
    """SHA-256 of the bytes, read by chunks: the same document sent twice is recognised by its content."""
    upload.seek(0)
    hasher = hashlib.sha256()
    while chunk := upload.read(CHUNK):
        hasher.update(chunk)
    upload.seek(0)
    return hasher.hexdigest()


# Objects under this prefix are shared (the document wallet's content-addressed blobs): a dossier file may point
# at one, but only their keeper deletes them, once nothing references them.
SHARED_PREFIX = "blobs/"


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
