from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TandemsConfig(AppConfig):
    name = "lotse.tandems"
    label = "tandems"
    verbose_name = _("Tandems")

    def ready(self) -> None:
        from lotse.accounts.roles import VIEW_TANDEMS
        from lotse.core import mytasks, navigation
        from lotse.people import panels

        from .panels import tandems_panel
        from .reminders import tasks_for

        navigation.register(
            navigation.NavItem("tandems:tandem_list", _("Tandems"), VIEW_TANDEMS, order=207)
        )
        mytasks.register(tasks_for)
        panels.register(panels.PersonPanel("tandems/_person_tandems.html", tandems_panel, 15))
