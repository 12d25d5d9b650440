"""The URLconf: global pages, then every tenant page under /t/<tenant_slug>/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from poolconsole.tenants import views as tenant_views

tenant_patterns = [
    path("", tenant_views.DashboardView.as_view(), name="dashboard"),
    path("members/", include("poolconsole.tenants.urls")),
    path("connections/", include("poolconsole.credentials.urls")),
    path("pools/", include("poolconsole.pools.urls")),
    path("created/", include("poolconsole.provisioning.urls")),
    path("audit/", include("poolconsole.audit.urls")),
]

urlpatterns = [
    path("", tenant_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("t/<slug:tenant_slug>/", include(tenant_patterns)),
]
