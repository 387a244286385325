"""Deletions the sync must show (issue 19): a row gone leaves no `updated_at` to read.

A post_delete receiver, as the cache version's (core/versioned_cache.py): the back office, the
bundle loader and the shell all delete through the ORM, so none can forget to record it.
Products and companies are rarely deleted (orders protect them) and price lists hold their
entries by cascade, which stays one statement: the receivers are on the parents only.
"""

from django.db.models.signals import post_delete

KINDS = {"catalog.Product": ("product", "sku"), "pricing.PriceList": ("price_list", "code")}
KINDS["customers.Company"] = ("company", "code")


def _record(sender, instance, **kwargs) -> None:
    from comptoir.integrations.models import Tombstone

    kind, field = KINDS[sender._meta.label]
    Tombstone.objects.create(kind=kind, key=getattr(instance, field))


def record_deletions() -> None:
    from django.apps import apps

    for label in KINDS:
        post_delete.connect(
            _record, sender=apps.get_model(label), dispatch_uid=f"integrations:{label}"
        )
