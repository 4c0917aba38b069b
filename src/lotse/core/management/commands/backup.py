from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lotse.core.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write one archive with every record (portable JSON, restorable on SQLite and "
        "PostgreSQL), the uploaded documents and a summary of the settings."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Path of the archive to write, e.g. lotse-backup.zip")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        report = self.stdout.write if options["verbosity"] > 1 else None
        path = Path(options["archive"])
        if not path.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": path.parent})
        try:
            summary = write_backup(path, alias=options["database"], report=report)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Backup written to %(path)s: %(rows)d records in %(tables)d tables, "
                    "%(documents)d documents, %(size).1f MB, in %(seconds).1f s."
                )
                % {
                    "path": path,
                    "rows": summary.rows,
                    "tables": summary.tables,
                    "documents": summary.documents,
                    "size": path.stat().st_size / 1e6,
                    "seconds": summary.seconds,
                }
            )
        )
        self.stdout.write(_("The archive holds personal data: keep it encrypted and out of reach."))
