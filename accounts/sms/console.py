import sys

from . import BaseBackend, text


class ConsoleBackend(BaseBackend):
    """Development: the message, with its number, on the server's output (where `make run` prints)."""

    stream = None

    def send(self, number, template, params):
        stream = self.stream or sys.stdout
        stream.write(f"[短信 SMS] to {number}: {text(template, params)}\n")
        stream.flush()
