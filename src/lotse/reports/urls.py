from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/trends/", views.dashboard_trends, name="dashboard_trends"),
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
    path("reports/annual/", views.annual_report_list, name="annual_report_list"),
    path("reports/annual/<int:pk>/", views.annual_report, name="annual_report"),
    path("reports/annual/<int:pk>/pdf/", views.annual_report_pdf, name="annual_report_pdf"),
    path("reports/testimonials/", views.testimonial_list, name="testimonial_list"),
    path("reports/testimonials/new/", views.testimonial_create, name="testimonial_create"),
    path("reports/testimonials/<int:pk>/", views.testimonial_edit, name="testimonial_edit"),
]
