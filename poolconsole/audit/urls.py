from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.ListView.as_view(), name="list"),
    path("<int:event_id>/", views.DetailView.as_view(), name="detail"),
    path("export.csv", views.ExportCsvView.as_view(), name="export_csv"),
    path("export.jsonl", views.ExportJsonlView.as_view(), name="export_jsonl"),
]
