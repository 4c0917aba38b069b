from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/figures.xlsx", views.dashboard_export, {"fmt": "xlsx"}, name="dashboard_xlsx"),
    path("reports/figures.csv", views.dashboard_export, {"fmt": "csv"}, name="dashboard_csv"),
    path("reports/figures/<slug:code>/", views.records, name="records"),
    path("reports/statistics/", views.statistics_page, name="statistics"),
    path(
        "reports/statistics.xlsx",
        views.statistics_export,
        {"fmt": "xlsx"},
        name="statistics_xlsx",
    ),
    path("reports/statistics.csv", views.statistics_export, {"fmt": "csv"}, name="statistics_csv"),
]
