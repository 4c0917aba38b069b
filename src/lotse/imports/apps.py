from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "lotse.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from lotse.accounts.roles import IMPORT_DATA
        from lotse.core import navigation

        navigation.register(
            navigation.NavItem("imports:import_list", _("Imports"), IMPORT_DATA, order=430)
        )
