from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from lotse.privacy import retention


class Command(BaseCommand):
    help = (
        "The retention job, to run once a day (cron or a systemd timer): anonymises the "
        "people whose retention periods have all passed where the organisation chose the "
        "automatic mode, and counts those waiting for an administrator's review. Running "
        "it again changes nothing more."
    )

    def handle(self, *args, **options):
        # Every organisation's records: an operator's command, not a request.
        with scopes_disabled():
            anonymised, waiting = retention.run()
        self.stdout.write(
            _("Retention: %(anonymised)d anonymised, %(waiting)d waiting for review.")
            % {"anonymised": anonymised, "waiting": waiting}
        )
