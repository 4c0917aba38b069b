from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from lotse.accounts.models import Membership
from lotse.core.exceptions import ServiceError
from lotse.core.models import Site
from lotse.imports import services
from lotse.imports.models import ImportKind, MatchKey, OnDuplicate


class Command(BaseCommand):
    help = (
        "Import people (or with --kind employers, institutions or offers) from an XLSX or CSV "
        "file with the columns Lotse recognises by their headings, as the import wizard "
        "would: all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--actor", required=True, help="e-mail address of the importing user")
        parser.add_argument("--site", required=True, help="name of the site")
        parser.add_argument("--kind", default=ImportKind.PEOPLE, choices=ImportKind.values)
        parser.add_argument("--role", default="", choices=["", "participant", "volunteer"])
        parser.add_argument(
            "--match-key", default=MatchKey.NAME_BIRTH_DATE, choices=MatchKey.values
        )
        parser.add_argument("--on-duplicate", default=OnDuplicate.SKIP, choices=OnDuplicate.values)
        parser.add_argument("--skip-errors", action="store_true")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": path})
        with scopes_disabled():
            membership = (
                Membership.objects.select_related("user", "organisation")
                .filter(user__email__iexact=options["actor"], is_active=True)
                .first()
            )
            if membership is None:
                raise CommandError(_("No active member has this e-mail address."))
            site = Site.objects.filter(
                organisation=membership.organisation, name=options["site"]
            ).first()
            if site is None:
                raise CommandError(_("The organisation has no site of this name."))
            actor = membership.user
            actor.membership = membership
            verbose = options["verbosity"] > 1

            def progress(row: int) -> None:
                if verbose and row % 500 == 0:
                    self.stdout.write(_("row %(row)d") % {"row": row})
                    self.stdout.flush()

            try:
                run = services.start_import(
                    actor=actor,
                    organisation=membership.organisation,
                    site=site,
                    file_name=path.name,
                    data=path.read_bytes(),
                    kind=options["kind"],
                )
                run = services.set_columns(
                    actor=actor,
                    run=run,
                    version=run.version,
                    header_row=run.header_row,
                    mapping=run.mapping,
                    role=options["role"],
                    status="interested",
                    match_key=options["match_key"],
                    on_duplicate=options["on_duplicate"],
                )
                preview = services.preview(run, membership)
                for problem in preview.problems:
                    kind = _("Error") if problem.error else _("Warning")
                    self.stderr.write(
                        f"{kind}: {_('row')} {problem.row}, {problem.column or '–'}: "
                        f"{problem.problem} ({problem.expected})"
                    )
                done = services.run_import(
                    actor=actor,
                    run=run,
                    version=run.version,
                    skip_errors=options["skip_errors"],
                    progress=progress,
                )
            except ServiceError as error:
                raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported: %(created)d new, %(updated)d updated, %(skipped)d skipped.")
                % {"created": done.created, "updated": done.updated, "skipped": done.skipped}
            )
        )
