import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from comptoir.bundle.dumper import dump_store, dump_to_file


class Command(BaseCommand):
    help = _("Write the whole store as a bundle (JSON, API.md §1) to standard output or a file.")

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            help=_(
                "file to write instead of standard output; product pictures and documents are "
                "then copied into the images and documents folders beside it, or into the "
                "file itself when its name ends in .zip"
            ),
        )

    def handle(self, *args, output=None, **options):
        if output:
            dump_to_file(Path(output))
        else:
            dump_store(sys.stdout)
