import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from comptoir.bundle.dumper import dump_store


class Command(BaseCommand):
    help = _("Write the whole store as a bundle (JSON, API.md §1) to standard output or a file.")

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            help=_(
                "file to write instead of standard output; product pictures are then copied "
                "into the images folder beside it"
            ),
        )

    def handle(self, *args, output=None, **options):
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                dump_store(handle, Path(output).resolve().parent)
        else:
            dump_store(sys.stdout)
