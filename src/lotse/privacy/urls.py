from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.overview, name="overview"),
    path("privacy/retention/", views.retention_review, name="retention"),
    path("privacy/records/", views.processing_records, name="records"),
    path("privacy/erasures/<int:pk>/decide/", views.erasure_decide, name="erasure_decide"),
    path("privacy/people/<int:pk>/access/", views.access_export, name="access_export"),
    path("privacy/people/<int:pk>/history/", views.person_history, name="person_history"),
    path("privacy/people/<int:pk>/erase/", views.erasure_request, name="erasure_request"),
]
