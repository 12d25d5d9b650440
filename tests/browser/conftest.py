"""Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import socket
import tempfile
import urllib.request
from pathlib import Path

import pytest

from tests.factories import TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"
# The README's pictures are refreshed on purpose (`make screenshots`), not by
# every test run: their pool ids and times would change each time.
SCREENSHOTS = Path(
    os.environ.get("POOLCONSOLE_SCREENSHOTS")
    or Path(tempfile.gettempdir()) / "poolconsole-screenshots"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Launch Debian's Chromium once per session, or skip (fail in CI) without it."""
    if not os.path.exists(CHROMIUM):
        reason = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("POOLCONSOLE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def login(page, live_server):
    """Return a function that logs a user in through the login form."""

    def _login(username: str, password: str = TEST_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return _login


@pytest.fixture
def phone_login(page, login):
    """Return a function that logs a user in on a phone-sized page."""

    def _phone_login(username: str, password: str = TEST_PASSWORD):
        page.set_viewport_size({"width": 390, "height": 844})
        return login(username, password)

    return _phone_login


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot (for the README under make screenshots)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def moto_server(allow_endpoint):
    """Run moto's server on a free local port; yield its URL, which is listed
    in POOLCONSOLE_ENDPOINT_URLS for the test."""
    from moto.server import ThreadedMotoServer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = allow_endpoint(f"http://127.0.0.1:{port}")
    # moto's backends are global to the process: start every test empty.
    urllib.request.urlopen(
        urllib.request.Request(f"{url}/moto-api/reset", method="POST")
    )
    yield url
    server.stop()
