from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "lotse.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from lotse.accounts.roles import EDIT_PEOPLE, VIEW_PEOPLE
        from lotse.core import demand, navigation
        from lotse.core.models import Organisation

        from . import bulk
        from .services import participant_needs

        navigation.register(
            navigation.NavItem("people:person_list", _("People"), VIEW_PEOPLE, order=100)
        )
        bulk.register(
            bulk.BulkAction("people:bulk_status", _("Change status"), EDIT_PEOPLE, order=10)
        )
        bulk.register(
            bulk.BulkAction(
                "people:bulk_export_xlsx", _("Export the selection as XLSX"), VIEW_PEOPLE, order=90
            )
        )
        bulk.register(
            bulk.BulkAction(
                "people:bulk_export_csv", _("Export the selection as CSV"), VIEW_PEOPLE, order=91
            )
        )
        demand.register(participant_needs)
        post_save.connect(_default_needs, sender=Organisation, dispatch_uid="lotse_default_needs")


def _default_needs(sender, instance, created, raw=False, **kwargs) -> None:
    """A new organisation starts with the default needs catalogue."""
    if created and not raw:
        from .catalogues import DEFAULT_NEEDS
        from .models import Need

        Need.objects.bulk_create(
            [Need(organisation=instance, name=name, area=area) for name, area in DEFAULT_NEEDS],
            ignore_conflicts=True,
        )
