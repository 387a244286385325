"""The logged-in user as every storefront page needs it, read once per request.

Django's ModelBackend reads the user alone when a request first touches `request.user`;
the storefront then read the same row again with the company, its group and the cart's line
count for the header (issue 14): two statements where one does. This backend's `get_user`
reads them together, so `request.user` is the viewer's user as it is.

Sessions made under `django.contrib.auth.backends.ModelBackend` (before this backend) name
that backend, which is no longer listed: those users log in once more.
"""

from django.contrib.auth.backends import ModelBackend

from comptoir.accounts.models import User
from comptoir.ordering.selectors import cart_line_count

PATH = "comptoir.storefront.auth_backend.BuyerBackend"


class BuyerBackend(ModelBackend):
    def get_user(self, user_id):
        user = (
            User._default_manager.select_related("company__group")
            .annotate(cart_line_count=cart_line_count())
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None


def with_header_facts(user: User) -> User:
    """`user` as this backend reads it: itself when it came from `get_user`, else read again
    (a user that another backend or a login in this very request gave)."""
    if hasattr(user, "cart_line_count"):
        return user
    return BuyerBackend().get_user(user.pk)
