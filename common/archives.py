"""Reading compressed input within bounds, whatever it claims: a citizen's office file (dossiers.uploads) and
an operator's catalogue export (procedures.imports) both go through here.

A small archive can declare, or really hold, gigabytes: nothing is inflated whole, and what is read stops
at the caller's limit.
"""

from __future__ import annotations

import zipfile
from typing import BinaryIO

CHUNK = 64 * 1024


class TooLarge(ValueError):
    """The input inflates past the caller's limit."""


def read_bounded(stream: BinaryIO, limit: int, *, chunk: int = CHUNK) -> bytes:
    """Read `stream` (a gzip stream, a zip member) to its end in chunks; TooLarge as soon as it passes `limit`."""
    out = bytearray()
    while piece := stream.read(chunk):
        out += piece
        if len(out) > limit:
            raise TooLarge(limit)
    return bytes(out)


def zip_entry_count(fileobj: BinaryIO) -> int | None:
    """Members announced by the end-of-central-directory record, read before zipfile builds its index
    (None: not a zip). 0xFFFF means a zip64 count follows elsewhere: treat it as "very many"."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(max(0, size - (22 + 65535)))
    tail = fileobj.read()
    fileobj.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    return int.from_bytes(tail[at + 10 : at + 12], "little")


def zip_declared_size(archive: zipfile.ZipFile) -> int:
    """The sum of the members' declared sizes: zipfile never inflates a member past its declared size."""
    return sum(info.file_size for info in archive.infolist())
