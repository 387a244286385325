from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.functions import Greatest, Mod, Upper
from django.db.models.lookups import Exact
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from comptoir.catalog.attributes import (
    MAX_VALUE_LENGTH,
    choice_list,
    normalized_value,
    translation_refusal,
)
from comptoir.catalog.families import (
    MAX_AXIS_VALUES,
    axis_problems,
    axis_values,
    cell_problems,
    cell_value,
    label_problems,
    value_labels,
)
from comptoir.catalog.families import MAX_VALUE_LENGTH as MAX_AXIS_VALUE_LENGTH
from comptoir.core.content_languages import choices_problems, translated, translated_choice
from comptoir.core.fields import CodeField, PercentField
from comptoir.core.translatable import Translatable, base_language
from comptoir.core.trees import ancestry, has_cycle
from comptoir.ordering.rules import rule_problems
from comptoir.pricing.engine import QuantityRules


class Category(Translatable):
    """A node of the category tree; group catalogs and promotions name categories."""

    TRANSLATED = {"name": 200}

    code = CodeField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")),
                name="category_not_own_parent",
                violation_error_message=_("A category cannot be its own parent."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """A parent below this category would make the tree a loop (the bundle refuses it too)."""
        super().clean()
        if self.pk is None or self.parent_id is None:
            return
        parents = dict(Category.objects.values_list("pk", "parent_id"))
        parents[self.pk] = self.parent_id
        if has_cycle(self.pk, parents):
            raise ValidationError(
                {"parent": _("This parent is below the category: the tree would have a cycle.")}
            )


class TaxClass(models.TextChoices):
    STANDARD = "standard", _("Standard rate")
    REDUCED = "reduced", _("Reduced rate")
    ZERO = "zero", _("Zero rate")
    EXEMPT = "exempt", _("Exempt")


class Visibility(models.TextChoices):
    ALL = "all", _("Everyone")
    GROUPS = "groups", _("Listed customer groups only")
    COMPANIES = "companies", _("Listed companies only")


PRODUCT_DESCRIPTION_LENGTH = 20_000
AXIS_VALUES_LENGTH = MAX_AXIS_VALUES * (MAX_AXIS_VALUE_LENGTH + 1)
"""A family axis's values, one per line."""


class Product(Translatable):
    """Something sold by the unit (a piece, a box, a case, a pallet).

    Quantities count units; `pack_size` only says how many items one unit holds.
    """

    TRANSLATED = {"name": 255, "description": PRODUCT_DESCRIPTION_LENGTH}

    sku = CodeField(_("SKU"), unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="products",
        null=True,
        blank=True,
    )
    tax_class = models.CharField(
        _("tax class"), max_length=10, choices=TaxClass.choices, default=TaxClass.STANDARD
    )
    unit = models.CharField(_("selling unit"), max_length=20, default="piece")
    pack_size = models.PositiveIntegerField(_("items per unit"), default=1)
    min_qty = models.PositiveIntegerField(_("minimum quantity"), default=1)
    max_qty = models.PositiveIntegerField(_("maximum quantity"), null=True, blank=True)
    qty_step = models.PositiveIntegerField(
        _("quantity step"), default=1, help_text=_("Quantities must be multiples of this.")
    )
    stock = models.PositiveIntegerField(_("stock"), default=0)
    backorder = models.BooleanField(_("backorders allowed"), default=False)
    active = models.BooleanField(_("active"), default=True)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.ALL
    )
    visible_groups = models.ManyToManyField(
        "customers.CustomerGroup",
        verbose_name=_("visible to groups"),
        related_name="exclusive_products",
        blank=True,
    )
    visible_companies = models.ManyToManyField(
        "customers.Company",
        verbose_name=_("visible to companies"),
        related_name="exclusive_products",
        blank=True,
    )

    # Integrations fetch what changed (issue 19): every writer sets it, bulk ones explicitly.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # What search finds it by (catalog/search.py): written by `refresh_search_text` only.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sku"]
        indexes = [
            models.Index(fields=["category", "active"], name="product_category_active_idx"),
            models.Index(fields=["name"], name="product_name_idx"),
            models.Index(fields=["updated_at", "id"], name="product_updated_idx"),
        ]
        constraints = [
            # SKUs are matched without regard to case (API.md §2.1): ABC and abc are one SKU.
            # Also the index of `selectors.with_skus`.
            models.UniqueConstraint(
                Upper("sku"),
                name="product_sku_upper_unique",
                violation_error_message=_(
                    "A product with this SKU already exists (SKUs ignore upper and lower case)."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(pack_size__gte=1),
                name="product_pack_size_gte_1",
                violation_error_message=_("A unit holds at least one item."),
            ),
            models.CheckConstraint(
                condition=models.Q(qty_step__gte=1),
                name="product_qty_step_gte_1",
                violation_error_message=_("The quantity step is at least 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(min_qty__gte=1),
                name="product_min_qty_gte_1",
                violation_error_message=_("The minimum quantity is at least 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(max_qty=None) | models.Q(max_qty__gte=models.F("min_qty")),
                name="product_max_qty_gte_min_qty",
                violation_error_message=_(
                    "The maximum quantity cannot be below the minimum quantity."
                ),
            ),
            # Greatest: PostgreSQL would divide by zero before qty_step_gte_1 refuses the row.
            models.CheckConstraint(
                condition=Exact(Mod("min_qty", Greatest("qty_step", 1)), 0),
                name="product_min_qty_multiple_of_step",
                violation_error_message=_(
                    "The minimum quantity must be a multiple of the quantity step."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(max_qty=None)
                | Exact(Mod("max_qty", Greatest("qty_step", 1)), 0),
                name="product_max_qty_multiple_of_step",
                violation_error_message=_(
                    "The maximum quantity must be a multiple of the quantity step."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.sku} — {self.name}"

    def card_alt(self) -> str:
        """The text of its first picture (`selectors.with_card_image`) in the active language."""
        return translated(
            getattr(self, "card_image_translations", None),
            "alt",
            self.card_image_alt or "",
            get_language(),
            base_language(),
        )


def packaging_rules(min_qty: int | None, max_qty: int | None, qty_step: int | None):
    """A packaging's quantity rules from its optional limits (admin, bundle and cart alike)."""
    step = qty_step or 1
    return QuantityRules(min_qty=min_qty or step, max_qty=max_qty, qty_step=step)


class Packaging(models.Model):
    """A way to buy a product by many base units at once: a case of 144, a pallet of 2,880.

    The product's `unit` is the base unit; stock, price tiers and volume discounts count base
    units. A packaging's price is derived (base price x factor, less `percent_off`) unless a
    price list names its own (`pricing.PackagingPrice`). Its own `min_qty`, `max_qty` and
    `qty_step` count packagings and hold on top of the product's rules (docs/units-of-measure.md).
    """

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="packagings"
    )
    unit = models.CharField(
        _("packaging unit"), max_length=20, help_text=_("e.g. box, case, pallet.")
    )
    factor = models.PositiveIntegerField(
        _("base units per packaging"), help_text=_("How many of the product's units it holds.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    percent_off = PercentField(
        _("discount (%)"),
        null=True,
        blank=True,
        help_text=_("Off the base price times the factor, when no price list names a price."),
    )
    min_qty = models.PositiveIntegerField(_("minimum packagings"), null=True, blank=True)
    max_qty = models.PositiveIntegerField(_("maximum packagings"), null=True, blank=True)
    qty_step = models.PositiveIntegerField(_("packaging step"), null=True, blank=True)

    class Meta:
        verbose_name = _("packaging")
        verbose_name_plural = _("packagings")
        ordering = ["product", "factor"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "unit"],
                name="packaging_unique_unit",
                violation_error_message=_("The product already has a packaging of this unit."),
            ),
            models.CheckConstraint(
                condition=models.Q(factor__gte=2),
                name="packaging_factor_gte_2",
                violation_error_message=_("A packaging holds at least two base units."),
            ),
            models.CheckConstraint(
                condition=models.Q(percent_off=None)
                | (models.Q(percent_off__gte=0) & models.Q(percent_off__lt=100)),
                name="packaging_percent_off_range",
                violation_error_message=_("The discount is from 0 to less than 100 %%."),
            ),
        ]

    def __str__(self):
        return f"{self.product.sku} {self.unit} × {self.factor}"

    def clean(self):
        """The unit is written lower case, is not the base unit, and its rules are orderable."""
        super().clean()
        from comptoir.ordering.models import RULE_MESSAGES  # ordering's models need ours

        self.unit = (self.unit or "").strip().lower()
        errors = {}
        if self.product_id is not None and self.unit == self.product.unit.strip().lower():
            errors["unit"] = [_("This is the product's base unit.")]
        for problem in rule_problems(self.rules):
            message = RULE_MESSAGES[problem.code] % problem.params
            errors.setdefault(problem.field, []).append(message)
        if errors:
            raise ValidationError(errors)

    @property
    def rules(self):
        """Its own quantity rules, in packagings: an empty step is one, an empty minimum the
        step, an empty maximum no limit."""
        return packaging_rules(self.min_qty, self.max_qty, self.qty_step)


# The public storage of product pictures: MEDIA_ROOT and MEDIA_URL, read when first used
# and again after a change of settings (tests point it at a temporary folder).
product_media = FileSystemStorage()


class ProductImage(Translatable):
    """A picture of a product, kept as its two renditions (catalog/images.py).

    The uploaded original is not kept: it may be huge and carry the camera's metadata. The
    files are public, under generated names (docs/deployment.md, "Product pictures")."""

    TRANSLATED = {"alt": 200}

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="images"
    )
    alt = models.CharField(
        _("alternative text"),
        max_length=200,
        help_text=_("What the picture shows, read out to buyers who cannot see it."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    thumbnail = models.FileField(
        _("thumbnail"), storage=product_media, max_length=255, editable=False
    )
    thumbnail_width = models.PositiveIntegerField(editable=False)
    thumbnail_height = models.PositiveIntegerField(editable=False)
    large = models.FileField(
        _("large picture"), storage=product_media, max_length=255, editable=False
    )
    large_width = models.PositiveIntegerField(editable=False)
    large_height = models.PositiveIntegerField(editable=False)
    # The uploaded file's SHA-256: a bundle loaded again keeps the pictures it already made.
    source_sha256 = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        ordering = ["product", "position", "id"]

    def __str__(self):
        return self.alt


class DocumentKind(models.TextChoices):
    DATASHEET = "datasheet", _("Data sheet")
    SAFETY = "safety", _("Safety data sheet")
    MANUAL = "manual", _("Instructions")
    CERTIFICATE = "certificate", _("Certificate")
    OTHER = "other", _("Other document")


class ProductDocument(models.Model):
    """A PDF about a product (data sheet, safety sheet...), public like its pictures, under
    a generated name (docs/deployment.md, "Product pictures")."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=12, choices=DocumentKind.choices, default=DocumentKind.DATASHEET
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    file = models.FileField(_("file"), storage=product_media, max_length=255, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    source_sha256 = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["product", "position", "id"]

    def __str__(self):
        return self.title


class AttributeType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("Choice")


class AttributeDefinition(Translatable):
    """An attribute the products of a category and of its subcategories may have
    (catalog/attributes.py): a thread, a length in mm, a material among choices.

    Its translated `choices` name the same values in the same order, one per line: a
    product's value is stored as the base choice and shown as the line at its place."""

    TRANSLATED = {"label": 100, "unit": 20, "choices": 10_000}

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="attributes"
    )
    code = CodeField(_("code"))
    label = models.CharField(_("label"), max_length=100)
    type = models.CharField(
        _("type"), max_length=10, choices=AttributeType.choices, default=AttributeType.TEXT
    )
    unit = models.CharField(
        _("unit"), max_length=20, blank=True, help_text=_("For numbers: mm, kg, V...")
    )
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For a choice: one value per line.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering = ["position", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code"],
                name="attribute_unique_code",
                violation_error_message=_("The category already has an attribute of this code."),
            ),
        ]

    def __str__(self):
        label = f"{self.label} ({self.unit})" if self.unit else self.label
        return f"{self.category.name}: {label}"

    def clean(self):
        super().clean()
        if self.type == AttributeType.CHOICE and not choice_list(self.choices):
            raise ValidationError({"choices": _("A choice needs at least one value.")})

    @classmethod
    def translation_problems(cls, translations, base):
        """The translated choices name as many values as the choices, in order."""
        return [
            (language, "choices", problem)
            for language, values in translations.items()
            for problem in choices_problems({language: values}, base.get("choices", ""))
        ]


class ProductAttributeValue(Translatable):
    """A product's value of an attribute defined by its category or one above it.

    Only a text value is translated, on the row itself (`{"en": {"value": "Galvanized"}}`): a
    number is written in the reader's format, a choice as its definition translates it."""

    TRANSLATED = {"value": MAX_VALUE_LENGTH}

    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="attribute_values",
    )
    definition = models.ForeignKey(
        AttributeDefinition,
        verbose_name=_("attribute"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    value = models.CharField(_("value"), max_length=MAX_VALUE_LENGTH)

    class Meta:
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        ordering = ["product", "definition__position", "definition__label"]
        indexes = [
            # The products having given values, for a listing's filters (catalog/listing.py).
            models.Index(
                fields=["definition", "value", "product"], name="attribute_value_filter_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "definition"],
                name="attribute_value_unique",
                violation_error_message=_("The product already has a value of this attribute."),
            ),
        ]

    def __str__(self):
        return f"{self.definition.label}: {self.value}"

    def shown_value(self) -> str:
        """The value in the active language: a choice's translated line, a text's translation,
        else as stored."""
        definition = self.definition
        if definition.type == AttributeType.TEXT:
            return self.translated("value")
        if definition.type != AttributeType.CHOICE:
            return self.value
        return translated_choice(self.value, definition.choices, definition.translated("choices"))

    def translation_base(self) -> dict:
        definition = self.definition if self.definition_id is not None else None
        return {**super().translation_base(), "definition": definition}

    @classmethod
    def translation_problems(cls, translations, base):
        """Only a text value takes translations (catalog/attributes.py)."""
        definition = base.get("definition")
        refusal = translation_refusal(definition.type) if definition is not None else None
        if refusal is None:
            return []
        return [(language, "value", refusal) for language in translations]

    def clean(self):
        """The attribute belongs to the product's category or one above it, and the value
        is of its type (catalog/attributes.py)."""
        super().clean()
        if self.definition_id is None or self.product_id is None:
            return
        definition = self.definition
        parents = dict(Category.objects.values_list("pk", "parent_id"))
        category_id = self.product.category_id
        if category_id is None or definition.category_id not in ancestry(category_id, parents):
            raise ValidationError(
                {"definition": _("This attribute is not defined for the product's category.")}
            )
        value, problem = normalized_value(
            definition.type, choice_list(definition.choices), self.value
        )
        if problem:
            raise ValidationError({"value": problem})
        self.value = value


class ProductFamily(Translatable):
    """One article sold in sizes × colours (gloves, uniforms with the customer's logo), ordered
    from a grid; each cell is an ordinary product (`FamilyVariant`), catalog/families.py. Its
    name, description, axis names and axis values are translated; the values as written stay
    the variants' keys (in the grid's form and the bundle), their translations, one per line
    in the same order, are labels shown in their place."""

    TRANSLATED = {
        "name": 255,
        "description": PRODUCT_DESCRIPTION_LENGTH,
        "row_axis": 50,
        "row_values": AXIS_VALUES_LENGTH,
        "column_axis": 50,
        "column_values": AXIS_VALUES_LENGTH,
    }

    code = CodeField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="families",
        null=True,
        blank=True,
    )
    row_axis = models.CharField(_("first axis"), max_length=50, help_text=_("e.g. Size."))
    row_values = models.TextField(
        _("values of the first axis"), help_text=_("One per line, in the order shown.")
    )
    column_axis = models.CharField(
        _("second axis"), max_length=50, blank=True, help_text=_("e.g. Colour; may be empty.")
    )
    column_values = models.TextField(
        _("values of the second axis"),
        blank=True,
        help_text=_("One per line, in the order shown."),
    )

    class Meta:
        verbose_name = _("product family")
        verbose_name_plural = _("product families")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Upper("code"),
                name="product_family_code_upper_unique",
                violation_error_message=_("A family with this code already exists."),
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def clean(self):
        super().clean()
        self.row_values = "\n".join(axis_values(self.row_values))
        self.column_values = "\n".join(axis_values(self.column_values))
        self.column_axis = (self.column_axis or "").strip()
        problems = axis_problems(self.rows, self.column_axis, self.columns)
        if problems:
            raise ValidationError(problems)

    @property
    def rows(self) -> list[str]:
        return axis_values(self.row_values)

    @property
    def columns(self) -> list[str]:
        return axis_values(self.column_values)

    @classmethod
    def translation_problems(cls, translations, base):
        """The translated values name the axes' values one for one (catalog/families.py)."""
        rows, columns = (
            None if base.get(field) is None else axis_values(base[field])
            for field in ("row_values", "column_values")
        )
        return label_problems(translations, rows, columns)

    def row_labels(self, language: str | None = None) -> list[str]:
        """The first axis's values in `language` (the active one by default), in order."""
        return value_labels(self.rows, self.translated("row_values", language))

    def column_labels(self, language: str | None = None) -> list[str]:
        """The second axis's values in `language` (the active one by default), in order."""
        return value_labels(self.columns, self.translated("column_values", language))


class FamilyVariant(models.Model):
    """A product as one cell of its family's grid: a product is in one family at most, and a
    cell holds one product at most."""

    family = models.ForeignKey(
        ProductFamily,
        verbose_name=_("family"),
        on_delete=models.CASCADE,
        related_name="variants",
    )
    product = models.OneToOneField(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="family_variant",
        error_messages={"unique": _("This product is already in a family.")},
    )
    row_value = models.CharField(_("first axis value"), max_length=50)
    column_value = models.CharField(_("second axis value"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["family", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "row_value", "column_value"],
                name="family_variant_unique_cell",
                violation_error_message=_("Another product already fills this cell."),
            ),
        ]

    def __str__(self):
        values = " × ".join(value for value in (self.row_value, self.column_value) if value)
        return f"{self.family.code}: {values}"

    def clean(self):
        """Its values are among the family's axes, written as the family writes them."""
        super().clean()
        try:
            family = self.family  # unsaved while the admin adds the family with its variants
        except ProductFamily.DoesNotExist:
            return
        problems = cell_problems(family.rows, family.columns, self.row_value, self.column_value)
        if problems:
            raise ValidationError(problems)
        self.row_value = cell_value(family.rows, self.row_value)
        self.column_value = cell_value(family.columns, self.column_value) or ""
