from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "lotse.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from lotse.accounts.roles import VIEW_REPORTS
        from lotse.core import navigation
        from lotse.core.panels import Panel
        from lotse.tandems import panels

        from .panels import evaluations_panel

        navigation.register(
            navigation.NavItem("surveys:survey_list", _("Surveys"), VIEW_REPORTS, order=410)
        )
        panels.PAGE.register(Panel("surveys/_tandem_evaluations.html", evaluations_panel, 10))
