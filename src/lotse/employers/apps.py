from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "lotse.employers"
    label = "employers"
    verbose_name = _("Employers")

    def ready(self) -> None:
        from lotse.accounts.roles import VIEW_EMPLOYERS
        from lotse.core import mytasks, navigation
        from lotse.people import panels

        from .panels import placements_panel
        from .reminders import tasks_for

        navigation.register(
            navigation.NavItem("employers:employer_list", _("Employers"), VIEW_EMPLOYERS, order=250)
        )
        mytasks.register(tasks_for)
        panels.register(
            panels.PersonPanel("employers/_person_placements.html", placements_panel, 17)
        )
