from django.contrib.auth.decorators import login_not_required
from django.urls import path

from poolconsole.pools.exports import FORMATS

from . import views

app_name = "provisioning"
urlpatterns = [
    path("", views.PoolListView.as_view(), name="list"),
    # Like the design views, it checks the login itself: a create posted
    # after the session expired keeps the design for after the next login.
    path(
        "create/",
        login_not_required(views.PoolCreateView.as_view()),
        name="create",
    ),
    path("import/", views.PoolImportView.as_view(), name="import"),
    path("<int:pool_id>/", views.PoolDetailView.as_view(), name="detail"),
    path("<int:pool_id>/refresh/", views.PoolRefreshView.as_view(), name="refresh"),
    path("<int:pool_id>/clone/", views.PoolCloneView.as_view(), name="clone"),
    # One pattern per format, each passing ``fmt`` as a default: the format
    # is not a free URL kwarg, and reverse("provisioning:export", kwargs={...,
    # "fmt": "terraform"}) picks the pattern whose default matches.
    *(
        path(
            f"<int:pool_id>/export/{fmt}/",
            views.PoolExportView.as_view(),
            {"fmt": fmt},
            name="export",
        )
        for fmt in FORMATS
    ),
    *(
        path(
            f"drafts/<int:draft_id>/export/{fmt}/",
            views.DraftExportView.as_view(),
            {"fmt": fmt},
            name="draft_export",
        )
        for fmt in FORMATS
    ),
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
