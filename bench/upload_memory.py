"""Upload-memory benchmark: a 50 MB PDF through the wizard's file step, stored on S3 (and on disk).

The request goes through Django's WSGI handler exactly as gunicorn hands it over: the body is
read from a file (the socket's stand-in) through a LimitedStream, parsed by Django's multipart
parser, spooled to a temporary file (FILE_UPLOAD_MAX_MEMORY_SIZE) and sent by django-storages
to a real S3-compatible server (moto, in its own process so its memory is not counted here).
Measured: peak Python allocations during the request (tracemalloc) and the growth of the
process's peak RSS (VmHWM, reset through /proc/self/clear_refs before the request).
Nothing asserts a number; results go to bench/results/upload_memory.{json,md}.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import free_port, write_table  # noqa: E402

SIZES_MB = [int(v) for v in os.environ.get("BENCH_UPLOAD_MB", "10,50").split(",")]
SIZE_MB = max(SIZES_MB)
BOUNDARY = "----benchupload7MA4YWxkTrZu0gW"


def _vm(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _start_s3(tmp: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    code = (
        "import time\nfrom tests.support.s3 import S3Server\n"
        f"server = S3Server(port={port})\nserver.start()\nprint('ready', flush=True)\ntime.sleep(3600)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready", "the S3 server did not start"
    return process, f"http://127.0.0.1:{port}"


def _configure(tmp: Path, endpoint: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "PORTAL_VAR_DIR": str(tmp),
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
            "AWS_STORAGE_BUCKET_NAME": "bench-uploads",
            "AWS_S3_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "DOSSIER_MAX_FILE_MB": str(SIZE_MB + 10),
            "DOSSIER_MAX_TOTAL_MB": str(SIZE_MB + 20),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _body_file(tmp: Path, field: str, size_mb: int) -> Path:
    """The multipart body on disk: the form fields and a SIZE_MB PDF, written in 1 MB pieces."""
    path = tmp / "body.bin"
    chunk = b"0" * (1024 * 1024)
    with path.open("wb") as out:
        out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="action"\r\n\r\nsave\r\n'.encode())
        out.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="ban-ve-thiet-ke.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
        )
        out.write(b"%PDF-1.4\n%")
        for _ in range(size_mb):
            out.write(chunk)
        out.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return path


def _upload(*, path: str, body: Path, cookie: str, csrf: str) -> tuple[int, dict]:
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    status = {}
    with body.open("rb") as stream:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": cookie,
            "HTTP_X_CSRFTOKEN": csrf,
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "CONTENT_LENGTH": str(body.stat().st_size),
            "wsgi.input": stream,
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        _reset_peak_rss()
        rss_before, hwm_before = _vm("VmRSS"), _vm("VmHWM")
        tracemalloc.start()
        started = time.perf_counter()
        response = handler(environ, lambda s, h, *a: status.update(status=s))
        content = b"".join(response)
        response.close()  # as the WSGI server does: closes the request and its uploaded files
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        hwm_after = _vm("VmHWM")
    if not status["status"].startswith("302"):
        print(re.findall(r"invalid-feedback[^>]*>([^<]+)|alert-danger[^>]*>([^<]+)", content.decode()), file=sys.stderr)
    return int(status["status"].split()[0]), {
        "seconds": round(elapsed, 2),
        "tracemalloc_peak_mb": round(peak / 2**20, 2),
        "rss_before_mb": round(rss_before / 2**20, 1),
        "peak_rss_growth_mb": round((hwm_after - max(hwm_before, rss_before)) / 2**20, 1),
    }


def _run_case(storage: str, tmp: Path, size_mb: int) -> dict:
    from django.conf import settings
    from django.test import Client, override_settings

    from dossiers.models import Dossier, DossierFile
    from tests.dossiers.conftest import Builder

    backend = "storages.backends.s3.S3Storage" if storage == "s3" else "django.core.files.storage.FileSystemStorage"
    with override_settings(STORAGES={**settings.STORAGES, "default": {"BACKEND": backend}}):
        builder = Builder()
        procedure = builder.procedure(components=("Bản vẽ thiết kế",))
        procedure.components.update(max_size_mb=SIZE_MB + 10)
        citizen = builder.citizen()
        client = Client()
        client.force_login(citizen)
        client.get(f"/ho-so/nop/{procedure.code}/")
        draft = Dossier.objects.get(owner=citizen, procedure=procedure)
        Dossier.objects.filter(pk=draft.pk).update(wizard_step=1)
        body = _body_file(tmp, f"files_{procedure.components.get().pk}", size_mb)
        csrf = "b" * 32
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; csrftoken={csrf}"
        code, measured = _upload(path=f"/ho-so/soan/{draft.uuid}/buoc-2/", body=body, cookie=cookie, csrf=csrf)
        stored = DossierFile.objects.get(dossier=draft)
        from django.core.files.storage import default_storage

        size = default_storage.size(stored.file.name)
        body.unlink()
    assert code == 302, f"the upload was refused ({code})"
    return {"storage": storage, "file_mb": size_mb, "status": code, "stored_bytes": size, **measured}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as name:
        tmp = Path(name)
        s3, endpoint = _start_s3(tmp)
        try:
            _configure(tmp, endpoint)
            from tests.support.s3 import s3_client

            s3_client(endpoint).create_bucket(Bucket="bench-uploads")
            from django.conf import settings

            cases = [_run_case(storage, tmp, mb) for storage in ("s3", "local") for mb in SIZES_MB]
        finally:
            s3.terminate()
            s3.wait(timeout=10)
    setup = {
        "file_mb": SIZES_MB,
        "FILE_UPLOAD_MAX_MEMORY_SIZE": settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        "s3_server": "moto (server mode, separate process, loopback HTTP)",
        "s3_transfer": "django-storages S3Storage, boto3 TransferConfig(use_threads=False), 8 MB parts",
        "path": "WSGIHandler ← LimitedStream over the body on disk (as gunicorn), wizard step 2",
    }
    path = write_table(
        "upload_memory",
        setup=setup,
        records=cases,
        header=["storage", "file MB", "HTTP status", "stored bytes", "seconds", "tracemalloc peak MB", "RSS before MB",
                "peak RSS growth MB"],
        fields=["storage", "file_mb", "status", "stored_bytes", "seconds", "tracemalloc_peak_mb", "rss_before_mb",
                "peak_rss_growth_mb"],
        notes="The memory a file costs does not grow with its size: Django spools it to a temporary file as it\n"
        "arrives, and django-storages sends it to S3 in parts (AWS_S3_TRANSFER_CONFIG), one after another;\n"
        "the S3 figures are a few part-sized buffers (boto3 reads a part and checksums it), whatever the size.\n"
        "The first S3 row's RSS growth includes loading boto3's S3 machinery on first use.",
    )
    print(path.read_text())


if __name__ == "__main__":
    main()
