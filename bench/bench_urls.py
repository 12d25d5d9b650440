"""poolconsole's URLconf plus the reference view, used only by the benchmark."""

from django.urls import path

from poolconsole.urls import urlpatterns as poolconsole_patterns

from .views import ReferenceView

urlpatterns = [
    path("t/<slug:tenant_slug>/bench-ref/", ReferenceView.as_view(), name="bench_ref"),
    *poolconsole_patterns,
]
