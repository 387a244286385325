"""Reads of the storefront: the category tree a viewer may browse, its products, its content."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from comptoir.accounts.access import Viewer
from comptoir.catalog.family_selectors import WITH_FAMILY
from comptoir.catalog.models import Category, Product
from comptoir.catalog.search import search_products
from comptoir.catalog.selectors import visible_products, with_card_image, with_skus
from comptoir.core.versioned_cache import cached
from comptoir.pricing.models import Promotion
from comptoir.pricing.offers import offers
from comptoir.storefront.models import Banner

SORTS = {"name": ("name", "sku"), "-name": ("-name", "-sku"), "sku": ("sku",)}
PRICE_SORTS = {"price": False, "-price": True}
"""Sorts by the buyer's own price: the value is whether the dearest come first."""
MAX_PRICE_SORT = 1000
"""The most products sorted by price at once: the engine prices every one of them."""


@dataclass
class CategoryNode:
    pk: int
    code: str
    name: str
    parent: "CategoryNode | None" = None
    children: list["CategoryNode"] = field(default_factory=list)

    def path(self) -> list["CategoryNode"]:
        """This category and its ancestors, from the top (for breadcrumbs).

        Stops at a category seen before: a cycle written past `Category.clean()` shows a
        short breadcrumb rather than hanging the page (core/trees.py).
        """
        nodes, seen, node = [], set(), self
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            nodes.append(node)
            node = node.parent
        return nodes[::-1]

    def ids(self) -> list[int]:
        """This category's id and those of every category below it that the viewer sees."""
        found, seen, index = [self], {self.pk}, 0
        while index < len(found):
            for child in found[index].children:
                if child.pk not in seen:
                    seen.add(child.pk)
                    found.append(child)
            index += 1
        return [node.pk for node in found]


@dataclass
class CategoryTree:
    roots: list[CategoryNode]
    by_code: dict[str, CategoryNode]


def viewer_products(viewer: Viewer) -> QuerySet[Product]:
    return visible_products(group=viewer.group, company=viewer.company)


def category_tree(viewer: Viewer) -> CategoryTree:
    """The categories holding at least one product the viewer may see, with their ancestors.

    A category with nothing visible below it is left out, so nobody browses into emptiness
    or learns that exclusive products exist. Every storefront page shows it: it is built once
    per process, viewer's group and company and version (core/versioned_cache.py). Read only.
    """
    company_id = viewer.company.pk if viewer.company else None
    return cached(("category_tree", viewer.group.pk, company_id), lambda: _category_tree(viewer))


def _category_tree(viewer: Viewer) -> CategoryTree:
    # A semi-join from the categories: PostgreSQL stops at the first visible product of each,
    # where a DISTINCT over the products scanned the whole catalogue (bench/README.md).
    visible_in = viewer_products(viewer).select_related(None).filter(category_id=OuterRef("pk"))
    used = set(Category.objects.filter(Exists(visible_in)).values_list("pk", flat=True))
    rows = list(Category.objects.values_list("pk", "code", "name", "parent_id"))
    nodes = {pk: CategoryNode(pk, code, name) for pk, code, name, _parent in rows}
    parents = {pk: parent for pk, _code, _name, parent in rows}
    kept: set[int] = set()
    for pk in used:
        while pk is not None and pk not in kept:
            kept.add(pk)
            pk = parents[pk]
    roots = []
    for pk, _code, _name, parent_pk in rows:
        if pk not in kept:
            continue
        node = nodes[pk]
        if parent_pk is None:
            roots.append(node)
        else:
            node.parent = nodes[parent_pk]
            nodes[parent_pk].children.append(node)
    return CategoryTree(roots=roots, by_code={nodes[pk].code: nodes[pk] for pk in kept})


def product_listing(
    viewer: Viewer, *, category: CategoryNode | None = None, search: str = "", sort: str = "name"
) -> QuerySet[Product]:
    """The viewer's products in a category and its subcategories, or matching a search."""
    queryset = viewer_products(viewer)
    if category is not None:
        queryset = queryset.filter(category_id__in=category.ids())
    if search:
        queryset = search_products(queryset, search)
    return queryset.order_by(*SORTS.get(sort, SORTS["name"]))


def price_sorted_ids(
    viewer: Viewer, listing: QuerySet[Product], *, descending: bool
) -> list[int] | None:
    """The listing's product ids by the price the engine gives this buyer (its unit price at
    the minimum orderable quantity, as the listing shows), products on request last.

    No database can sort by that price (contract lists, group lists, parents, tiers and
    rules decide it), so every candidate is priced: a bounded number of queries, but work
    that grows with the candidates. Beyond `MAX_PRICE_SORT` it answers None and the page
    asks the buyer to narrow the search rather than price the whole catalogue.
    """
    fields = ("pk", "sku", "name", "min_qty", "max_qty", "qty_step")
    candidates = list(listing.select_related(None).only(*fields)[: MAX_PRICE_SORT + 1])
    if len(candidates) > MAX_PRICE_SORT:
        return None
    priced = offers(
        store=viewer.store,
        group=viewer.group,
        company=viewer.company,
        products=candidates,
        with_prices=True,
    )
    with_price = [offer for offer in priced if offer.breaks]
    with_price.sort(key=lambda offer: offer.breaks[0][1], reverse=descending)
    on_request = [offer for offer in priced if not offer.breaks]
    return [offer.product.pk for offer in with_price + on_request]


def products_in_order(viewer: Viewer, ids: list[int]) -> list[Product]:
    """The viewer's products of `ids`, in that order, with their family (one query)."""
    found = with_card_image(viewer_products(viewer)).select_related(WITH_FAMILY).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def visible_product(viewer: Viewer, sku: str) -> Product | None:
    """The product if the viewer may see it; None exactly as for an unknown SKU."""
    return with_skus(viewer_products(viewer), [sku]).first()


def current_banners(viewer: Viewer, *, today, language: str) -> list[Banner]:
    """The viewer's group's banners and notices of the day, and those for everyone (cached
    per process and version, core/versioned_cache.py). Read only."""
    return cached(
        ("banners", viewer.group.pk, today, language),
        lambda: _current_banners(viewer, today=today, language=language),
    )


def _current_banners(viewer: Viewer, *, today, language: str) -> list[Banner]:
    for_everyone = ~Exists(Banner.customer_groups.through.objects.filter(banner=OuterRef("pk")))
    for_group = Exists(
        Banner.customer_groups.through.objects.filter(
            banner=OuterRef("pk"), customergroup=viewer.group.pk
        )
    )
    return list(
        Banner.objects.filter(for_everyone | for_group, active=True)
        .filter(Q(valid_from=None) | Q(valid_from__lte=today))
        .filter(Q(valid_until=None) | Q(valid_until__gte=today))
        .filter(language__in=("", language))
        .order_by("position", "code")
    )


@dataclass
class OfferView:
    promotion: Promotion
    products: list[Product]
    categories: list[CategoryNode]


def group_offers(viewer: Viewer, *, today, tree: CategoryTree) -> list[OfferView]:
    """The group's promotions valid today, with only the products and categories it may see."""
    promotions = list(
        Promotion.objects.filter(customer_groups=viewer.group)
        .filter(Q(valid_from=None) | Q(valid_from__lte=today))
        .filter(Q(valid_until=None) | Q(valid_until__gte=today))
        .prefetch_related(
            Prefetch(
                "products",
                queryset=viewer_products(viewer).order_by("name"),
                to_attr="visible_products",
            ),
            "categories",
        )
        .order_by("-percent", "code")
    )
    return [
        OfferView(
            promotion=promotion,
            products=promotion.visible_products,
            categories=[
                tree.by_code[category.code]
                for category in promotion.categories.all()
                if category.code in tree.by_code
            ],
        )
        for promotion in promotions
    ]
