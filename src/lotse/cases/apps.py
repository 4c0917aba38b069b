from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lotse.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from lotse.accounts.roles import VIEW_CASES
        from lotse.core import demand, mytasks, navigation
        from lotse.people import panels

        from .panels import cases_panel
        from .reminders import tasks_for
        from .services import open_case_goals

        navigation.register(navigation.NavItem("cases:caseload", _("Cases"), VIEW_CASES, order=205))
        mytasks.register(tasks_for)
        demand.register(open_case_goals)
        panels.register(panels.PersonPanel("cases/_person_cases.html", cases_panel, 16))
