"""Fakes of AWS for the tests: botocore event hooks and a local HTTP endpoint."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.awsrequest import AWSResponse

from poolconsole.integrations import aws


class _Raw:
    """The raw body botocore's AWSResponse streams from."""

    def __init__(self, body: bytes):
        self._body = body

    def stream(self, **kwargs):
        yield self._body


def sts_error(code: str, message: str = "injected", status: int = 400):
    """Return a function building an STS (query protocol) error response."""
    body = (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<Error><Type>Sender</Type><Code>{code}</Code>"
        f"<Message>{message}</Message></Error>"
        "<RequestId>00000000-0000-0000-0000-000000000000</RequestId>"
        "</ErrorResponse>"
    ).encode()

    def respond(request):
        return AWSResponse(
            request.url, status, {"Content-Type": "text/xml"}, _Raw(body)
        )

    return respond


def raising(exc_factory):
    """Return a function that raises what exc_factory builds from the request."""

    def respond(request):
        raise exc_factory(request)

    return respond


class Hooks:
    """Answer every request of clients made by ``aws._client`` with ``respond``.

    ``requests`` records each request the clients tried to send.
    """

    def __init__(self, monkeypatch):
        self.respond = None
        self.requests = []
        real_client = aws._client

        def client(service_name, *, connection, credentials, config):
            made = real_client(
                service_name,
                connection=connection,
                credentials=credentials,
                config=config,
            )
            made.meta.events.register("before-send", self._before_send)
            return made

        monkeypatch.setattr(aws, "_client", client)
        # One attempt per call: the failure classes, not the retry policy,
        # are under test here (test_aws.py covers retries).
        monkeypatch.setattr(aws, "READ_RETRIES", {"total_max_attempts": 1})

    def _before_send(self, request, **kwargs):
        self.requests.append(request)
        if self.respond is None:
            return None
        return self.respond(request)


class FakeEndpoint:
    """A local HTTP endpoint that counts requests and fails each one.

    ``mode`` is ``"500"`` (answer an internal error) or ``"hang"`` (answer
    nothing for ``hang_seconds``, so the client's read times out).
    """

    def __init__(self, mode: str = "500", hang_seconds: float = 3.0):
        self.mode = mode
        self.hang_seconds = hang_seconds
        self.count = 0
        self._lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                with endpoint._lock:
                    endpoint.count += 1
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if endpoint.mode == "hang":
                    time.sleep(endpoint.hang_seconds)
                body = b'{"__type":"InternalErrorException","message":"injected"}'
                try:
                    self.send_response(500)
                    self.send_header("Content-Type", "application/x-amz-json-1.1")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (timeout) and closed the socket

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
