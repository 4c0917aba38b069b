from django.urls import path

from . import views

app_name = "employers"

urlpatterns = [
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path(
        "employers/newsletter.xlsx",
        views.newsletter_export,
        {"fmt": "xlsx"},
        name="newsletter_xlsx",
    ),
    path(
        "employers/newsletter.csv", views.newsletter_export, {"fmt": "csv"}, name="newsletter_csv"
    ),
    path("employers/pipeline/", views.pipeline, name="pipeline"),
    path("employers/follow-ups/", views.follow_ups, name="follow_ups"),
    path("employers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", views.employer_edit, name="employer_edit"),
    path("employers/<int:pk>/stage/", views.prospect_move, name="prospect_move"),
    path("employers/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("employers/<int:pk>/activities/", views.activity_create, name="activity_create"),
    path("employers/<int:pk>/openings/new/", views.opening_create, name="opening_create"),
    path("employers/contacts/<int:pk>/", views.contact_edit, name="contact_edit"),
    path("employers/activities/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("openings/", views.opening_list, name="opening_list"),
    path("openings/<int:pk>/", views.opening_detail, name="opening_detail"),
    path("openings/<int:pk>/edit/", views.opening_edit, name="opening_edit"),
    path("openings/<int:pk>/propose/", views.propose, name="propose"),
    path("placements/", views.placement_list, name="placement_list"),
    path("placements/<int:pk>/", views.placement_detail, name="placement_detail"),
    path("placements/<int:pk>/move/", views.placement_move, name="placement_move"),
    path("placements/follow-ups/<int:pk>/", views.follow_up_record, name="follow_up_record"),
    path("people/<int:pk>/openings/", views.person_openings, name="person_openings"),
]
