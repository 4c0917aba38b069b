from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_board, name="programme_board"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/steps/", views.step_create, name="step_create"),
    path("steps/<int:pk>/", views.step_edit, name="step_edit"),
    path("steps/<int:pk>/move/", views.step_move, name="step_move"),
    path("steps/<int:pk>/delete/", views.step_delete, name="step_delete"),
    path("enrolments/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("enrolments/<int:pk>/next/", views.enrolment_advance, name="enrolment_advance"),
    path("enrolments/<int:pk>/move/", views.enrolment_move, name="enrolment_move"),
    path("enrolments/<int:pk>/end/", views.enrolment_end, name="enrolment_end"),
    path("people/<int:pk>/enrol/", views.person_enrol, name="person_enrol"),
    path("people/<int:pk>/register/", views.person_register, name="person_register"),
    path("people/selection/enrol/", views.bulk_enrol, name="bulk_enrol"),
    path("people/selection/register/", views.bulk_register, name="bulk_register"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/attendance/", views.event_attendance, name="event_attendance"),
    path("events/<int:pk>/print/", views.event_print, name="event_print"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
]
