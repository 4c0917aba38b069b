from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "lotse.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from lotse.accounts.roles import RUN_MATCHING
        from lotse.core import mytasks, navigation

        from .reminders import tasks_for

        navigation.register(
            navigation.NavItem("matching:session_index", _("Matching"), RUN_MATCHING, order=205)
        )
        mytasks.register(tasks_for)
