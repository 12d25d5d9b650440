from django.urls import path

from . import views

app_name = "provisioning"
urlpatterns = [
    path("", views.PoolListView.as_view(), name="list"),
    path("create/", views.PoolCreateView.as_view(), name="create"),
    path("import/", views.PoolImportView.as_view(), name="import"),
    path("<int:pool_id>/", views.PoolDetailView.as_view(), name="detail"),
    path("<int:pool_id>/refresh/", views.PoolRefreshView.as_view(), name="refresh"),
    path(
        "attempts/<int:attempt_id>/",
        views.AttemptDetailView.as_view(),
        name="attempt",
    ),
    path(
        "attempts/<int:attempt_id>/reconcile/",
        views.AttemptReconcileView.as_view(),
        name="attempt_reconcile",
    ),
]
