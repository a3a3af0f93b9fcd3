"""Independent checks of a signed PDF: poppler's pdfsig and OpenSSL (CMS and RFC 3161), not pyHanko.

The signature is cut out of the file by its /ByteRange as ISO 32000-1 §12.8.1 describes it, with no PDF library.
"""

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def pdfsig(data: bytes, folder: Path) -> str:
    from tests.conftest import need_service

    need_service("pdfsig (poppler-utils)", shutil.which("pdfsig") is not None, "apt-get install poppler-utils")
    path = folder / "signed.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    return done.stdout + done.stderr


def _der_length(blob: bytes) -> int:
    """The length of the DER value at the start of `blob` (the hex /Contents is padded with zeros)."""
    first = blob[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    return 2 + count + int.from_bytes(blob[2:2 + count], "big")


def cut_signature(data: bytes) -> tuple[bytes, bytes]:
    """(the signed bytes, the CMS SignedData) of the PDF's first signature."""
    a, b, c, d = map(int, BYTE_RANGE.search(data).groups())
    signed = data[a:a + b] + data[c:c + d]
    hex_contents = data[a + b:c].strip(b"<> \r\n")
    cms = bytes.fromhex(hex_contents.decode())
    return signed, cms[:_der_length(cms)]


def openssl_cms_verify(data: bytes, roots: Path, folder: Path) -> subprocess.CompletedProcess:
    """`openssl cms -verify` of the detached signature over the signed bytes, against the given roots."""
    signed, cms = cut_signature(data)
    (folder / "content.bin").write_bytes(signed)
    (folder / "sig.der").write_bytes(cms)
    return subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(folder / "sig.der"),
         "-content", str(folder / "content.bin"), "-CAfile", str(roots), "-purpose", "any", "-out", "/dev/null"],
        capture_output=True, text=True, timeout=60)


def openssl_timestamp_verify(data: bytes, roots: Path, folder: Path) -> subprocess.CompletedProcess:
    """`openssl ts -verify` of the signature's timestamp token over the signature value (PAdES B-T)."""
    from asn1crypto import cms as asn1_cms  # an ASN.1 parser only, to find the token inside the SignedData

    _, raw = cut_signature(data)
    signer_info = asn1_cms.ContentInfo.load(raw)["content"]["signer_infos"][0]
    tokens = [a["values"][0] for a in signer_info["unsigned_attrs"] if a["type"].native == "signature_time_stamp_token"]
    if not tokens:
        pytest.fail("the signature carries no timestamp token")
    (folder / "token.der").write_bytes(tokens[0].dump())
    digest = hashlib.sha256(signer_info["signature"].native).hexdigest()
    return subprocess.run(
        ["openssl", "ts", "-verify", "-token_in", "-in", str(folder / "token.der"), "-digest", digest,
         "-CAfile", str(roots)], capture_output=True, text=True, timeout=60)
