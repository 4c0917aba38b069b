from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("matching/", views.session_index, name="session_index"),
    path("programmes/<int:pk>/matching/", views.session_list, name="session_list"),
    path("programmes/<int:pk>/matching/new/", views.session_create, name="session_create"),
    path("matching/<int:pk>/", views.session_detail, name="session_detail"),
    path(
        "matching/<int:pk>/participants/",
        views.session_participants,
        name="session_participants",
    ),
    path("matching/<int:pk>/weights/", views.session_weights, name="session_weights"),
    path("matching/<int:pk>/run/", views.session_run, name="session_run"),
    path("matching/<int:pk>/progress/", views.session_progress, name="session_progress"),
    path("matching/<int:pk>/accept/", views.session_accept_all, name="session_accept_all"),
    path("matching/<int:pk>/close/", views.session_close, name="session_close"),
    path("matching/proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("matching/decisions/<int:pk>/revoke/", views.decision_revoke, name="decision_revoke"),
    path("matching/accepted/", views.pairs_waiting, name="pairs_waiting"),
    path("matching/decisions/<int:pk>/tandem/", views.tandem_form, name="tandem_form"),
]
