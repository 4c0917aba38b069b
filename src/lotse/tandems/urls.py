from django.urls import path

from . import views

app_name = "tandems"

urlpatterns = [
    path("tandems/", views.tandem_list, name="tandem_list"),
    path("tandems/<int:pk>/", views.tandem_detail, name="tandem_detail"),
    path("tandems/<int:pk>/edit/", views.tandem_edit, name="tandem_edit"),
    path("tandems/<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("tandems/<int:pk>/agreement/signed/", views.agreement_scan, name="agreement_scan"),
    path("tandems/<int:pk>/sign/", views.tandem_sign, name="tandem_sign"),
    path("tandems/<int:pk>/meetings/", views.meeting_create, name="meeting_create"),
    path("tandems/<int:pk>/support/", views.support_create, name="support_create"),
    path("tandems/<int:pk>/pause/", views.tandem_pause, name="tandem_pause"),
    path("tandems/<int:pk>/resume/", views.tandem_resume, name="tandem_resume"),
    path("tandems/<int:pk>/end/", views.tandem_end, name="tandem_end"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("follow-ups/<int:pk>/", views.follow_up_record, name="follow_up_record"),
    path("programmes/<int:pk>/agreement/", views.agreement_template, name="agreement_template"),
]
