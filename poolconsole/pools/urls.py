from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views

app_name = "pools"
urlpatterns = [
    path("", views.PoolListView.as_view(), name="list"),
    # The design views check the login themselves: a post that arrives after
    # the session expired is kept and restored after the next login.
    path("new/", login_not_required(views.PoolDesignView.as_view()), name="new"),
    path("import/", login_not_required(views.PoolImportView.as_view()), name="import"),
    path("drafts/", views.DraftListView.as_view(), name="drafts"),
    path(
        "drafts/<int:draft_id>/",
        login_not_required(views.DraftEditView.as_view()),
        name="draft",
    ),
    path(
        "drafts/<int:draft_id>/duplicate/",
        views.DraftDuplicateView.as_view(),
        name="draft_duplicate",
    ),
    path(
        "drafts/<int:draft_id>/delete/",
        views.DraftDeleteView.as_view(),
        name="draft_delete",
    ),
]
