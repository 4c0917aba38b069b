from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/questions/", views.question_add, name="question_add"),
    path("surveys/questions/<int:pk>/remove/", views.question_remove, name="question_remove"),
    path("surveys/<int:pk>/open/", views.survey_open, name="survey_open"),
    path("surveys/<int:pk>/show/", views.survey_show, name="survey_show"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path(
        "surveys/tandems/<int:pk>/<str:kind>/questionnaire/",
        views.tandem_questionnaire,
        name="tandem_questionnaire",
    ),
    path(
        "surveys/tandems/<int:pk>/<str:kind>/<str:respondent>/",
        views.tandem_evaluation,
        name="tandem_evaluation",
    ),
    # The anonymous response link: no sign-in, nothing stored of who answers.
    path("s/<str:token>/", views.respond, name="respond"),
    path("s/<str:token>/thanks/", views.thanks, name="thanks"),
]
