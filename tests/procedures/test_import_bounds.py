"""The catalogue import's own archives are read within a bound: a small upload that inflates to gigabytes is refused."""

import gzip
import io
import resource
import zipfile

import pytest

from procedures.imports import MAX_INFLATED_BYTES, records_from_file


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def test_a_gzip_bomb_is_refused_without_inflating_it_whole():
    zeros = io.BytesIO()
    with gzip.GzipFile(fileobj=zeros, mode="wb", compresslevel=9) as stream:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(MAX_INFLATED_BYTES // len(chunk) * 3):  # 600 MB inflated, ~600 KB on the wire
            stream.write(chunk)
    before = _peak_kb()
    with pytest.raises(ValueError, match="200 MB"):
        list(records_from_file("danh-muc.jsonl.gz", zeros.getvalue()))
    assert _peak_kb() - before < 400 * 1024  # at most the bound, never the 600 MB


def test_a_workbook_declaring_more_than_the_bound_is_refused_before_it_is_opened():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bomb:
        for number in range(3):
            with bomb.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as member:
                for _ in range(80):
                    member.write(b"\0" * (1024 * 1024))
    with pytest.raises(ValueError, match="200 MB"):
        list(records_from_file("danh-sach.xlsx", archive.getvalue()))


def test_a_broken_gzip_is_refused_as_a_broken_file():
    with pytest.raises((OSError, EOFError)):
        list(records_from_file("danh-muc.jsonl.gz", b"\x1f\x8bnot really"))
