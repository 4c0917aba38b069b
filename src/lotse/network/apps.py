from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "lotse.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from lotse.accounts.roles import VIEW_NETWORK
        from lotse.core import mytasks, navigation

        from .reminders import tasks_for

        navigation.register(
            navigation.NavItem("network:institution_list", _("Network"), VIEW_NETWORK, order=300)
        )
        mytasks.register(tasks_for)
