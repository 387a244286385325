import contextlib
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from comptoir.core.errors import BusinessRuleError
from comptoir.pricing.models import PriceList
from comptoir.pricing.price_csv import error_lines, text_stream
from comptoir.pricing.services import price_list_import_csv


class Command(BaseCommand):
    help = _(
        "Import a price list's tiers from a CSV file (sku,min_qty,price): every row checked, "
        "all or nothing. By default the list's entries become exactly the file's."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", metavar="LIST_CODE", help=_("code of the price list"))
        parser.add_argument("file", metavar="FILE", help=_("CSV file, or - for standard input"))
        parser.add_argument(
            "--merge",
            action="store_true",
            help=_("create or update the file's tiers and keep the list's other entries"),
        )

    def handle(self, *args, code, file, merge, **options):
        price_list = PriceList.objects.filter(code=code).first()
        if price_list is None:
            raise CommandError(_("There is no price list with the code %(code)s.") % {"code": code})
        mode = "merge" if merge else "replace"
        try:
            stream = (
                contextlib.nullcontext(text_stream(sys.stdin.buffer))
                if file == "-"
                else open(file, encoding="utf-8-sig", newline="")  # noqa: SIM115
            )
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": exc.strerror}
            ) from None
        with stream as text:
            try:
                result = price_list_import_csv(price_list=price_list, stream=text, mode=mode)
            except BusinessRuleError as exc:
                raise CommandError(
                    _("%(file)s was refused; nothing was written:") % {"file": file}
                    + "\n"
                    + "\n".join(error_lines(exc.errors))
                ) from None
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Imported %(file)s into %(code)s: %(created)d created, %(updated)d updated, "
                    "%(deleted)d deleted, %(unchanged)d unchanged."
                )
                % {
                    "file": file,
                    "code": price_list.code,
                    "created": result.created,
                    "updated": result.updated,
                    "deleted": result.deleted,
                    "unchanged": result.unchanged,
                }
            )
        )
