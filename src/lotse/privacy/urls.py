from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/people/<int:pk>/access/", views.access_export, name="access_export"),
    path("privacy/people/<int:pk>/history/", views.person_history, name="person_history"),
]
