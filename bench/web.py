"""Talk to the benchmark's gunicorn over HTTP, as a browser would."""

import http.client
import subprocess
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie

HOST = "127.0.0.1"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Session:
    """A logged-in browser: its Cookie header and its CSRF token."""

    cookie: str
    csrf_token: str


def request(port, method, path, *, cookie="", body=None):
    """Send one request; return (status, headers, body)."""
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = FORM_CONTENT_TYPE
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    content = response.read()
    conn.close()
    return response.status, response.headers, content


def server_timing(headers) -> dict[str, float]:
    """Return {name: ms} of a response's Server-Timing header (bench/timing.py)."""
    timings = {}
    for metric in (headers.get("Server-Timing") or "").split(","):
        name, _, duration = metric.strip().partition(";dur=")
        if name and duration:
            timings[name] = float(duration)
    return timings


def http_get(port, path, cookie=""):
    return request(port, "GET", path, cookie=cookie)


def set_cookies(headers) -> SimpleCookie:
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return jar


def with_cookies(cookie: str, headers) -> str:
    """Return cookie plus the cookies a response set (a message, say)."""
    jar = SimpleCookie(cookie)
    jar.update(set_cookies(headers))
    return "; ".join(f"{key}={morsel.value}" for key, morsel in jar.items())


def login(port: int, username: str, password: str) -> Session:
    """Log in like a browser and return the session."""
    _, headers, _ = http_get(port, "/accounts/login/")
    token = set_cookies(headers)["csrftoken"].value
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    )
    status, headers, _ = request(
        port, "POST", "/accounts/login/", cookie=f"csrftoken={token}", body=form
    )
    jar = set_cookies(headers)
    if status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"login of {username} failed: HTTP {status}")
    # Logging in rotates the CSRF token.
    token = jar["csrftoken"].value if "csrftoken" in jar else token
    return Session(
        cookie=f"sessionid={jar['sessionid'].value}; csrftoken={token}",
        csrf_token=token,
    )


class _SubmitForm(HTMLParser):
    """Find the hidden fields of the form the button data-testid=<testid> posts."""

    def __init__(self, testid: str):
        super().__init__()
        self.testid = testid
        self.action: str | None = None
        self.fields: list[tuple[str, str]] = []
        self._form_action = ""
        self._fields: list[tuple[str, str]] = []
        self._button: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form_action = attrs.get("action") or ""
            self._fields, self._button = [], None
        elif tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self._fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "button" and attrs.get("data-testid") == self.testid:
            self._button = attrs.get("formaction") or self._form_action

    def handle_endtag(self, tag):
        if tag == "form" and self._button is not None and self.action is None:
            self.action, self.fields = self._button, self._fields


def submit_form(html: str, testid: str) -> tuple[str, str]:
    """Return (action, urlencoded hidden fields) of the button testid submits."""
    parser = _SubmitForm(testid)
    parser.feed(html)
    if parser.action is None:
        raise RuntimeError(f"no button data-testid={testid!r} in the page")
    return parser.action, urllib.parse.urlencode(parser.fields)


def stop_server(proc: subprocess.Popen, log) -> None:
    """Stop a server the benchmark started (gunicorn, moto), then close its log."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()
