import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lotse.core.backup import BackupError, decrypted, is_encrypted, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `lotse backup` into an empty database (SQLite or "
        "PostgreSQL, whichever it came from): all records and uploaded documents."
    )
    # The restore creates the tables itself; checks would read a database that has none.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Path of the archive written by lotse backup")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--identity",
            help="file with the age secret key (AGE-SECRET-KEY-…) of an encrypted backup",
        )

    def handle(self, *args, **options):
        report = self.stdout.write if options["verbosity"] > 1 else None
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": path})
        try:
            with tempfile.TemporaryDirectory(prefix="lotse-restore-") as folder:
                if options["identity"] and is_encrypted(path):
                    path = decrypted(path, Path(options["identity"]), Path(folder) / "backup.zip")
                summary = restore_backup(path, alias=options["database"], report=report)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Backup of %(created)s restored: %(rows)d records in %(tables)d tables, "
                    "%(documents)d documents, in %(seconds).1f s. Everyone signs in again."
                )
                % {
                    "created": summary.manifest["created_at"][:19].replace("T", " ") + " UTC",
                    "rows": summary.rows,
                    "tables": summary.tables,
                    "documents": summary.documents,
                    "seconds": summary.seconds,
                }
            )
        )
