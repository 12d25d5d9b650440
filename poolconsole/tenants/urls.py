from django.urls import path

from . import views

app_name = "tenants"
urlpatterns = [
    path("", views.MemberListView.as_view(), name="members"),
    path(
        "<int:membership_id>/role/", views.MemberRoleView.as_view(), name="member_role"
    ),
    path(
        "<int:membership_id>/remove/",
        views.MemberRemoveView.as_view(),
        name="member_remove",
    ),
]
