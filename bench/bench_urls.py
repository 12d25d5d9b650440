"""poolconsole's URLconf plus the reference views, used only by the benchmark."""

from django.urls import path

from poolconsole.urls import urlpatterns as poolconsole_patterns

from .views import PlainDesignView, ReferenceView

urlpatterns = [
    path("t/<slug:tenant_slug>/bench-ref/", ReferenceView.as_view(), name="bench_ref"),
    path(
        "t/<slug:tenant_slug>/bench-plain-design/",
        PlainDesignView.as_view(),
        name="bench_plain_design",
    ),
    *poolconsole_patterns,
]
