from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comptoir.pricing.models import PriceList
from comptoir.pricing.price_csv import write_price_list_csv


class Command(BaseCommand):
    help = _(
        "Export a price list's tiers as CSV (sku,min_qty,price, by SKU then quantity) to "
        "standard output or a file; import_prices reads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", metavar="LIST_CODE", help=_("code of the price list"))
        parser.add_argument("-o", "--output", help=_("file to write instead of standard output"))

    def handle(self, *args, code, output=None, **options):
        price_list = PriceList.objects.filter(code=code).first()
        if price_list is None:
            raise CommandError(_("There is no price list with the code %(code)s.") % {"code": code})
        if not output:
            write_price_list_csv(price_list, self.stdout)
            return
        try:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                count = write_price_list_csv(price_list, stream)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s") % {"file": output, "reason": exc.strerror}
            ) from None
        self.stderr.write(
            ngettext(
                "Wrote %(count)d entry of %(code)s to %(file)s.",
                "Wrote %(count)d entries of %(code)s to %(file)s.",
                count,
            )
            % {"count": count, "code": price_list.code, "file": output}
        )
