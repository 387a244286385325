"""The back office a representative sees: their companies only (issue 18, point 5).

Each admin of company data is registered again with `RepresentativeScope` in front, the way
`ordering/admin.py` extends the catalogue's product page: lists, object pages reached by URL
(another company's object is "not found"), actions, autocomplete and the choices of company
filters and fields all start from the scoped queryset. The merchant's other staff are not
limited.
"""

from django.contrib import admin

from comptoir.customers.models import Company
from comptoir.sales.selectors import is_representative, scoped


class RepresentativeScope:
    company_path = "company"
    """The lookup from the admin's model to its company ("pk" for companies themselves)."""

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user, self.company_path)

    def get_list_filter(self, request):
        """A company filter lists only the companies in the scoped list, not every customer."""
        filters = super().get_list_filter(request)
        if not is_representative(request.user):
            return filters
        return tuple(
            (item, admin.RelatedOnlyFieldListFilter) if item == self.company_path else item
            for item in filters
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Company and is_representative(request.user):
            kwargs["queryset"] = scoped(Company.objects.all(), request.user, "pk")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
