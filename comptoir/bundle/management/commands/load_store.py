from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store


class Command(BaseCommand):
    help = _(
        "Load a store bundle (JSON, API.md §1): all or nothing, idempotent, every error named by "
        "the path of the bad value."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "bundle", help=_("path of the bundle file, or of a zip holding it and its files")
        )

    def handle(self, *args, bundle, **options):
        def progress(message):
            if options["verbosity"] >= 1:
                self.stderr.write(message)

        try:
            counts = load_store(bundle, progress=progress)
        except BundleError as exc:
            raise CommandError(
                _("The bundle was refused; nothing was written:") + "\n" + "\n".join(exc.messages)
            ) from None
        summary = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                _("Loaded %(bundle)s: %(summary)s.") % {"bundle": bundle, "summary": summary}
            )
        )
