from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("people/", views.person_list, name="person_list"),
    path(
        "people/participants/",
        views.person_list,
        {"pool": "participants"},
        name="participant_list",
    ),
    path("people/volunteers/", views.person_list, {"pool": "volunteers"}, name="volunteer_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/export.<slug:file_format>", views.person_export, name="person_export"),
    path("people/export-selection.<slug:file_format>", views.bulk_export, name="bulk_export"),
    # The bulk-action registry reverses its URLs without arguments: one name per
    # format. Requests resolve to bulk_export above, which matches first.
    path(
        "people/export-selection.xlsx",
        views.bulk_export,
        {"file_format": "xlsx"},
        name="bulk_export_xlsx",
    ),
    path(
        "people/export-selection.csv",
        views.bulk_export,
        {"file_format": "csv"},
        name="bulk_export_csv",
    ),
    path("people/bulk/status/", views.bulk_status, name="bulk_status"),
    path("people/filters/", views.saved_filter_create, name="saved_filter_create"),
    path("people/filters/<int:pk>/delete/", views.saved_filter_delete, name="saved_filter_delete"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/roles/", views.person_add_role, name="person_add_role"),
    path("people/<int:pk>/profile/<slug:role>/", views.person_profile, name="person_profile"),
    path("people/<int:pk>/roles/<int:role_pk>/status/", views.person_status, name="person_status"),
    path("people/<int:pk>/merge/", views.person_merge, name="person_merge"),
    path("people/<int:pk>/consents/new/", views.consent_create, name="consent_create"),
    path("people/consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("people/consents/<int:pk>/evidence/", views.consent_evidence, name="consent_evidence"),
    path(
        "people/<int:pk>/merge/<int:other_pk>/",
        views.person_merge_confirm,
        name="person_merge_confirm",
    ),
]
