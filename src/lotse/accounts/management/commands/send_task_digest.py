"""Mail every member what is due for them: run daily (cron, systemd timer)."""

from django.core.management.base import BaseCommand

from lotse.accounts.services import send_task_digests


class Command(BaseCommand):
    help = "E-mail each active member the tasks due for them (their 'my tasks'), once a day."

    def handle(self, *args, **options) -> None:
        sent = send_task_digests()
        self.stdout.write(f"{sent} e-mail(s) sent.")
