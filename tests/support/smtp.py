"""A real SMTP server for tests, from aiosmtpd, that can refuse mail for a while."""

import email
import threading
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        if self.sink.refusing:
            return "451 4.3.0 Temporarily refusing mail (test)"
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.sink.lock:
            self.sink.messages.append(message)
        return "250 OK"


class SmtpSink:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        from tests.conftest import free_port

        self.host = host
        self.port = port or free_port()
        self.messages = []
        self.refusing = False
        self.lock = threading.Lock()
        self.controller = Controller(_Handler(self), hostname=host, port=self.port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def wait_for(self, predicate=lambda m: True, *, count: int = 1, timeout: float = 30.0):
        """Wait until `count` received messages match `predicate`; return them."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = [m for m in self.messages if predicate(m)]
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{len(found)} matching e-mail(s) arrived within {timeout}s, wanted {count}")
