from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "lotse.programmes"
    label = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from lotse.accounts.roles import EDIT_ENROLMENTS, VIEW_PROGRAMMES
        from lotse.core import navigation
        from lotse.people import bulk, panels

        navigation.register(
            navigation.NavItem(
                "programmes:programme_list", _("Programmes"), VIEW_PROGRAMMES, order=200
            )
        )
        navigation.register(
            navigation.NavItem("programmes:event_list", _("Events"), VIEW_PROGRAMMES, order=210)
        )
        bulk.register(
            bulk.BulkAction("programmes:bulk_enrol", _("Enrol in a programme"), EDIT_ENROLMENTS, 20)
        )
        bulk.register(
            bulk.BulkAction(
                "programmes:bulk_register", _("Register for an event"), EDIT_ENROLMENTS, 30
            )
        )
        from .panels import enrolments_panel, registrations_panel

        panels.register(
            panels.PersonPanel("programmes/_person_enrolments.html", enrolments_panel, 10)
        )
        panels.register(
            panels.PersonPanel("programmes/_person_registrations.html", registrations_panel, 20)
        )
