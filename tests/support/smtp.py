"""A real SMTP server for tests, from aiosmtpd, that can refuse mail for a while."""

import asyncio
import email
import threading
from email import policy

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        self.sink.data_started.set()
        if self.sink.delay:
            # The client waits for the answer to its message meanwhile; if it goes away now, aiosmtpd cancels
            # this handler and the message is not taken (a server that never accepted it).
            await asyncio.sleep(self.sink.delay)
        if self.sink.refusing:
            return "451 4.3.0 Temporarily refusing mail (test)"
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.sink.lock:
            self.sink.messages.append(message)
        if self.sink.on_accept is not None:
            # Taken, but not yet answered: what happens here happens before the client learns it was accepted.
            self.sink.on_accept(message)
        return "250 OK"


class SmtpSink:
    """Keeps every message it accepts; `refusing`, `delay` and `on_accept` make it misbehave."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        from tests.conftest import free_port

        self.host = host
        self.port = port or free_port()
        self.messages = []
        self.refusing = False
        self.delay = 0.0  # seconds to wait before answering the end of each message (DATA)
        self.on_accept = None  # called with each message taken, before the "250" is sent
        self.data_started = threading.Event()  # set when a client has sent a whole message
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
