"""A real SMTP server on the loopback for the mail tests (aiosmtpd), which can be
stopped and started again on the same port, and what it received, parsed."""

import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller

SITE_URL = "https://intranet.example.com"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Received:
    """aiosmtpd's handler: keeps each message's envelope; refuses addresses it is told to."""

    def __init__(self):
        self.envelopes = []
        self.refused: set[str] = set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.envelopes.append(envelope)
        return "250 Message accepted"


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.handler = Received()
        self.controller = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        """What arrived, parsed with the `email` module as a mail client would."""
        with self.handler.lock:
            return [
                email.message_from_bytes(envelope.original_content, policy=email.policy.default)
                for envelope in self.handler.envelopes
            ]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]
