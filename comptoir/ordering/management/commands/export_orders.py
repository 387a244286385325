import datetime
import os
import re
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comptoir.ordering.models import OrderStatus
from comptoir.ordering.order_export import orders_placed_between, write_orders_csv

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _date(text: str, option: str) -> datetime.date:
    """A YYYY-MM-DD day, and nothing else fromisoformat takes (20260331, 2026-W13-2)."""
    try:
        if not DATE_RE.fullmatch(text):
            raise ValueError(text)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("%(option)s: “%(value)s” is not a date; write it YYYY-MM-DD (e.g. 2026-03-31).")
            % {"option": option, "value": text}
        ) from None


class Command(BaseCommand):
    help = _(
        "Export orders as CSV, one row per order line, to standard output or a file. Dates "
        "are days of the store's time zone, both included."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="start", metavar="YYYY-MM-DD", help=_("first day of placing")
        )
        parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help=_("last day of placing"))
        parser.add_argument(
            "--status",
            help=_("only orders with this status: %(statuses)s")
            % {"statuses": ", ".join(OrderStatus.values)},
        )
        parser.add_argument("-o", "--output", help=_("file to write instead of standard output"))

    def handle(self, *args, start=None, end=None, status=None, output=None, **options):
        start = _date(start, "--from") if start is not None else None
        end = _date(end, "--to") if end is not None else None
        if start and end and start > end:
            raise CommandError(
                _("--from %(start)s is after --to %(end)s: no day is in between.")
                % {"start": start.isoformat(), "end": end.isoformat()}
            )
        if status is not None and status not in OrderStatus.values:
            raise CommandError(
                _("--status: “%(status)s” is not an order status; choose one of: %(statuses)s.")
                % {"status": status, "statuses": ", ".join(OrderStatus.values)}
            )
        orders = orders_placed_between(start=start, end=end, status=status)
        if not output:
            write_orders_csv(orders, self.stdout)
            return
        count = self._write_file(orders, Path(output))
        self.stderr.write(
            ngettext(
                "Wrote %(count)d order line to %(file)s.",
                "Wrote %(count)d order lines to %(file)s.",
                count,
            )
            % {"count": count, "file": output}
        )

    def _write_file(self, orders, path: Path) -> int:
        """Writes beside the target, then renames: a failed export leaves no half a file."""
        temporary = None
        try:
            with tempfile.NamedTemporaryFile(
                "w",
                encoding="utf-8",
                newline="",
                dir=path.parent,
                prefix=f".{path.name}.",
                suffix=".tmp",
                delete=False,
            ) as stream:
                temporary = stream.name
                count = write_orders_csv(orders, stream)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # as open() would have made it
            os.replace(temporary, path)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s")
                % {"file": path, "reason": exc.strerror or exc}
            ) from None
        finally:
            if temporary is not None and os.path.exists(temporary):
                os.unlink(temporary)
        return count
