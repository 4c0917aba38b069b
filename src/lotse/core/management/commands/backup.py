from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lotse.core.backup import BackupError, recipients, write_backup


class Command(BaseCommand):
    help = (
        "Write one archive with every record (portable JSON, restorable on SQLite and "
        "PostgreSQL), the uploaded documents and a summary of the settings."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Path of the archive to write, e.g. lotse-backup.zip")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            help="age public key (age1…) to encrypt the archive to; may be given more than "
            "once. Default: LOTSE_BACKUP_RECIPIENTS.",
        )

    def handle(self, *args, **options):
        report = self.stdout.write if options["verbosity"] > 1 else None
        path = Path(options["archive"])
        if not path.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": path.parent})
        keys = options["recipient"] or settings.LOTSE_BACKUP_RECIPIENTS
        try:
            to = recipients(keys)
            summary = write_backup(
                path, alias=options["database"], report=report, encrypt_to=to or None
            )
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
        if to:
            self.stdout.write(
                _("Encrypted with age: only the holder of the secret key can read it.")
            )
        else:
            self.stdout.write(
                _("The archive holds personal data and is not encrypted: encrypt it before it "
                  "leaves this machine (see LOTSE_BACKUP_RECIPIENTS).")
            )  # fmt: skip
