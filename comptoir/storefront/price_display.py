"""Whether the page being drawn may show amounts: the one switch behind the `money` filter.

A user whose role lacks `see_prices` sees no amount on any storefront page (cart, checkout,
orders), not only in the catalogue. Rather than an `if` around each of the dozens of amounts
in the templates, the access middleware names the page's viewer here and `money` asks it;
outside a storefront request (e-mails, documents, the back office) amounts are shown.
"""

from contextvars import ContextVar

_viewer = ContextVar("storefront_viewer", default=None)


def set_viewer(viewer):
    return _viewer.set(viewer)


def reset(token) -> None:
    _viewer.reset(token)


def showing_prices() -> bool:
    viewer = _viewer.get()
    return viewer is None or viewer.sees_prices
