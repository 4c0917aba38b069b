from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lotse.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from lotse.accounts.roles import VIEW_REPORTS
        from lotse.core import navigation

        navigation.register(
            navigation.NavItem("reports:dashboard", _("Reports"), VIEW_REPORTS, order=400)
        )
