import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "poolconsole.settings.production",
    "SECRET_KEY": "x7Qm2rLk9vN4pT8sW1eY6uI3oP5aS0dF-gH7jK2lZ9xC4vB8nM1qW3eR6tY9uI0oP",
    "ALLOWED_HOSTS": "poolconsole.example.com",
    "PATH": os.environ.get("PATH", ""),
}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("secret", ["", "short", "django-insecure-" + "a" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    result = manage("check", env={**PROD_ENV, "SECRET_KEY": secret})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_security_headers_present(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_login_is_throttled_by_username_and_ip(client):
    UserFactory(username="mallory-target")
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "mallory-target", "password": "wrong"})
        assert response.status_code == 200
        assert b"Please enter a correct username and password" in response.content
    response = client.post(url, {"username": "mallory-target", "password": "wrong"})
    assert response.status_code == 429
    # Even the right password is refused while locked out.
    response = client.post(
        url, {"username": "mallory-target", "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    # Another address is not locked out.
    response = client.post(
        url,
        {"username": "mallory-target", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_login_page_and_csrf(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    UserFactory(username="carol")
    response = strict.post(
        reverse("login"), {"username": "carol", "password": TEST_PASSWORD}
    )
    assert response.status_code == 403


def test_the_configured_form_renderer_escapes_what_users_typed():
    from django import forms
    from django.conf import settings

    class Form(forms.Form):
        text = forms.CharField()
        choice = forms.ChoiceField(choices=[("<v>", "<label>")])

    assert settings.FORM_RENDERER == "django.forms.renderers.Jinja2"
    form = Form({"text": '"><script>alert(1)</script>', "choice": "<v>"})
    html = str(form["text"]) + str(form["choice"])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'value="&lt;v&gt;"' in html and "&lt;label&gt;" in html
