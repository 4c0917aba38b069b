from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.caseload, name="caseload"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("cases/<int:pk>/hold/", views.case_hold, name="case_hold"),
    path("cases/<int:pk>/resume/", views.case_resume, name="case_resume"),
    path("cases/<int:pk>/intake/", views.intake_edit, name="intake_edit"),
    path("cases/<int:pk>/goals/", views.goal_add, name="goal_add"),
    path("cases/<int:pk>/measures/", views.measure_add, name="measure_add"),
    path("cases/<int:pk>/agree/", views.plan_agree, name="plan_agree"),
    path("cases/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("cases/<int:pk>/referrals/", views.referral_create, name="referral_create"),
    path("cases/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("cases/measures/<int:pk>/", views.measure_update, name="measure_update"),
    path("cases/plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("cases/plans/<int:pk>.pdf", views.plan_pdf, name="plan_pdf"),
    path("cases/referrals/<int:pk>/", views.referral_update, name="referral_update"),
    path("cases/documents/<int:pk>/", views.document_download, name="document_download"),
    path("cases/referrals/", views.referral_report, name="referral_report"),
    path("cases/calendar/", views.calendar_week, name="calendar"),
    path("cases/calendar/feed/", views.feed_renew, name="feed_renew"),
    path("cases/calendar/feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/<str:token>.ics", views.ical_feed, name="ical_feed"),
]
