"""WSGI entry point for gunicorn: `gunicorn poolconsole.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poolconsole.settings.production")

application = get_wsgi_application()
