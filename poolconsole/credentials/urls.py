from django.urls import path

from . import views

app_name = "credentials"
urlpatterns = [
    path("", views.ConnectionListView.as_view(), name="list"),
    path("new/", views.ConnectionCreateView.as_view(), name="create"),
    path("<int:connection_id>/edit/", views.ConnectionEditView.as_view(), name="edit"),
    path("<int:connection_id>/test/", views.ConnectionTestView.as_view(), name="test"),
    path(
        "<int:connection_id>/archive/",
        views.ConnectionArchiveView.as_view(),
        name="archive",
    ),
]
