"""A real S3-compatible server on loopback for tests and benchmarks: moto in server mode.

moto 5.2.5 accepts a presigned URL after it has expired; real S3 and MinIO answer 403
"Request has expired". The server here adds that one rule in front of moto, so that a
test of link expiry tests the portal's links, not moto's leniency.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from urllib.parse import parse_qs

from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

EXPIRED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
    b"<Message>Request has expired</Message></Error>"
)


def presigned_expired(query_string: str, now: float | None = None) -> bool:
    """True when a SigV4 presigned request (X-Amz-Date + X-Amz-Expires) is past its expiry."""
    query = parse_qs(query_string)
    if "X-Amz-Date" not in query or "X-Amz-Expires" not in query:
        return False
    try:
        signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        expires = int(query["X-Amz-Expires"][0])
    except ValueError:
        return True
    return (now if now is not None else time.time()) > signed.timestamp() + expires


def _enforce_expiry(app):
    def wrapped(environ, start_response):
        if presigned_expired(environ.get("QUERY_STRING", "")):
            start_response("403 Forbidden", [("Content-Type", "application/xml")])
            return [EXPIRED]
        return app(environ, start_response)

    return wrapped


class S3Server(ThreadedMotoServer):
    """moto's threaded server with S3's expiry rule for presigned URLs."""

    def __init__(self, port: int):
        super().__init__(ip_address="127.0.0.1", port=port, verbose=False)
        # One access-log line per S3 request would bury the test's own output.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)

    def _server_entry(self) -> None:
        app = _enforce_expiry(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler)
        self._server_ready_event.set()
        self._server.serve_forever()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._port}"


def s3_client(endpoint: str):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
