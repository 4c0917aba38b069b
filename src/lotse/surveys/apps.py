from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "lotse.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from lotse.accounts.roles import VIEW_REPORTS
        from lotse.core import navigation

        navigation.register(
            navigation.NavItem("surveys:survey_list", _("Surveys"), VIEW_REPORTS, order=410)
        )
