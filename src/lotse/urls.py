from django.urls import include, path

urlpatterns = [
    path("", include("lotse.core.urls")),
    path("", include("lotse.accounts.urls")),
    path("", include("lotse.people.urls")),
    path("", include("lotse.network.urls")),
    path("", include("lotse.programmes.urls")),
    path("", include("lotse.employers.urls")),
    path("", include("lotse.tandems.urls")),
    path("", include("lotse.cases.urls")),
    path("", include("lotse.matching.urls")),
    path("", include("lotse.reports.urls")),
    path("", include("lotse.surveys.urls")),
    path("", include("lotse.imports.urls")),
    path("", include("lotse.privacy.urls")),
]

handler403 = "lotse.core.errors.permission_denied"
handler404 = "lotse.core.errors.page_not_found"
handler500 = "lotse.core.errors.server_error"
