"""Build the demo store bundle, demo/store.json, for `make demo`.

Why this script exists: the demo store is a store bundle (shared/API.md §1 plus the extra
keys of docs/bundle.md) of some 30,000 lines. Editing it by hand after a format change is
error-prone, so it is generated: change this script, run it, commit both files.

    python demo/build_demo_bundle.py          # writes demo/store.json

The output is deterministic (random.Random(2026), no clock, no environment): running the
script twice gives the same file byte for byte. It uses the standard library,
python-stdnum and Pillow (for the pictures), so it runs with the project's venv.

The store is "Comptoir Martin & Fils", a French distributor of professional supplies
(fasteners, hygiene, packaging, PPE, office, cleaning, tools, electrical...), selling to
companies in France, Belgium, Germany and the United States, with a year of order history
(December 2025 to November 2026) for customer segmentation.

Before writing, the script checks its own invariants (unique codes, every reference
defined, quantity rules multiples of their step, valid VAT numbers, order amounts that add
up) and stops with an AssertionError if one fails.
"""

import datetime
import json
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw, ImageFont
from stdnum import luhn
from stdnum.be import vat as be_vat
from stdnum.de import vat as de_vat
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren, tva
from stdnum.iso7064 import mod_11_10

OUTPUT = Path(__file__).resolve().parent / "store.json"
# Product pictures (docs/bundle.md, "Pictures"), drawn here: no licence to track.
PICTURES = OUTPUT.parent / "images"
RNG = random.Random(2026)
PARIS = ZoneInfo("Europe/Paris")
CENT = Decimal("0.01")
PRICE_UNIT = Decimal("0.0001")
CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
UNITS = {"piece", "box", "case", "pallet", "roll", "pack"}
USER_PASSWORD = "demo-comptoir-2026"

# Tax in the order history follows DESIGN.md "Tax": a French seller invoicing an EU
# business with a valid VAT number in another member state applies the intra-community
# reverse charge, and an approved exemption certificate exempts the orders it covers.


# --- small helpers ------------------------------------------------------------------------


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round4(value: Decimal) -> Decimal:
    return value.quantize(PRICE_UNIT, rounding=ROUND_HALF_UP)


def amount(value: Decimal) -> str:
    """An amount: 2 decimals."""
    return f"{round2(value):.2f}"


def price_text(value: Decimal) -> str:
    """A unit price: 2 decimals, or up to 4 when the cents are not enough."""
    value = round4(value)
    if value == round2(value):
        return f"{value:.2f}"
    text = f"{value:.4f}".rstrip("0")
    return text


def rate_text(rate: Decimal) -> str:
    """A tax rate as a percentage string with at least 2 decimals ("20.00", "8.875")."""
    text = f"{rate:f}"
    whole, _, decimals = text.partition(".")
    decimals = decimals.rstrip("0")
    return f"{whole}.{decimals.ljust(2, '0')}"


def is_code(value: str) -> bool:
    return 1 <= len(value) <= 64 and value[0].isalnum() and set(value) <= CODE_CHARS


def conditions(countries=None, groups=None, companies=None, min_total=None, max_total=None):
    """Payment or shipping conditions: null means no restriction, never an empty list."""
    return {
        "countries": countries,
        "groups": groups,
        "companies": companies,
        "min_total": min_total,
        "max_total": max_total,
    }


# --- VAT numbers (python-stdnum does the check digits) -----------------------------------


def french_vat(rng: random.Random) -> str:
    body = f"{rng.randrange(30_000_000, 99_999_999):08d}"
    number = body + luhn.calc_check_digit(body)
    vat = "FR" + siren.to_tva(number)
    assert siren.is_valid(number) and tva.is_valid(vat)
    return vat


def belgian_vat(rng: random.Random) -> str:
    body = f"0{rng.randrange(2_000_000, 9_999_999):07d}"
    number = body + f"{97 - int(body) % 97:02d}"
    assert be_vat.is_valid(number)
    return "BE" + number


def german_vat(rng: random.Random) -> str:
    body = f"{rng.randrange(10_000_000, 99_999_999):08d}"
    number = body + mod_11_10.calc_check_digit(body)
    assert de_vat.is_valid(number)
    return "DE" + number


VAT_MAKERS = {"FR": french_vat, "BE": belgian_vat, "DE": german_vat}


# --- store, tax rates, categories ---------------------------------------------------------

STORE = {
    "name": "Comptoir Martin & Fils — Fournitures professionnelles",
    "currency": "EUR",
    "country": "FR",
    "region": None,
    "access_mode": "public",
    "min_order_amount": "0.00",
    "default_group": "RETAIL",
    "base_price_list": "BASE",
    "time_zone": "Europe/Paris",
    "language": "fr",
    "invoice_on": "placed",
    "block_overdue_invoice_terms": False,
    "legal_address": "Comptoir Martin & Fils SAS\n14 rue de l'Industrie\n69007 Lyon\nFrance",
    "vat_number": "FR40303265045",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP",
    "legal_notice": (
        "Comptoir Martin & Fils SAS (demonstration store), 14 rue de l'Industrie, "
        "69007 Lyon, France.\n"
        "Capital 150 000 EUR, RCS Lyon 303 265 045, VAT FR40303265045.\n"
        "Publisher: Jeanne Martin, president.\n\n"
        "Terms of sale: sales to business customers only. Prices are net of VAT in EUR. "
        "Orders are confirmed by e-mail; goods travel at the buyer's risk; payment terms "
        "are those of the customer account (bank transfer in advance by default)."
    ),
}

# (country, region, tax class) -> rate. BE and DE zero rates are not in the brief: they
# keep the deposit items (class "zero") from falling into "no_rate" there.
TAX_RATES = {
    ("FR", None, "standard"): Decimal("20.00"),
    ("FR", None, "reduced"): Decimal("5.50"),
    ("FR", None, "zero"): Decimal("0.00"),
    ("BE", None, "standard"): Decimal("21.00"),
    ("BE", None, "reduced"): Decimal("6.00"),
    ("BE", None, "zero"): Decimal("0.00"),
    ("DE", None, "standard"): Decimal("19.00"),
    ("DE", None, "reduced"): Decimal("7.00"),
    ("DE", None, "zero"): Decimal("0.00"),
    ("US", "NY", "standard"): Decimal("8.875"),
    ("US", "CA", "standard"): Decimal("7.25"),
}

# (code, name, parent): top-level families first, then their subcategories.
CATEGORIES = [
    ("fixations", "Fixations", None),
    ("vis", "Vis", "fixations"),
    ("chevilles", "Chevilles", "fixations"),
    ("boulons", "Boulons, écrous et rondelles", "fixations"),
    ("hygiene", "Hygiène", None),
    ("papier", "Papier hygiénique et essuyage", "hygiene"),
    ("savons", "Savons et désinfection des mains", "hygiene"),
    ("protections", "Protections hygiéniques", "hygiene"),
    ("emballage", "Emballage", None),
    ("cartons", "Cartons", "emballage"),
    ("adhesifs", "Adhésifs", "emballage"),
    ("films", "Films et calage", "emballage"),
    ("epi", "Équipements de protection individuelle", None),
    ("gants", "Gants", "epi"),
    ("masques", "Masques respiratoires", "epi"),
    ("autres-epi", "Lunettes, casques et haute visibilité", "epi"),
    ("vetements", "Vêtements de travail", "epi"),
    ("bureau", "Fournitures de bureau", None),
    ("papeterie", "Papier et enveloppes", "bureau"),
    ("ecriture", "Écriture", "bureau"),
    ("classement", "Classement", "bureau"),
    ("nettoyage", "Nettoyage", None),
    ("produits-entretien", "Produits d'entretien", "nettoyage"),
    ("materiel-entretien", "Matériel d'entretien", "nettoyage"),
    ("sacs-dechets", "Sacs à déchets", "nettoyage"),
    ("outillage", "Outillage", None),
    ("forets", "Forets", "outillage"),
    ("abrasifs", "Disques et abrasifs", "outillage"),
    ("outils-main", "Outils à main", "outillage"),
    ("electricite", "Électricité", None),
    ("cables", "Câbles et conducteurs", "electricite"),
    ("piles", "Piles", "electricite"),
    ("raccordement", "Raccordement et rallonges", "electricite"),
    ("eclairage", "Éclairage", None),
    ("ampoules", "Ampoules LED", "eclairage"),
    ("tubes-projecteurs", "Tubes et projecteurs LED", "eclairage"),
    ("signalisation", "Signalisation", None),
    ("panneaux", "Panneaux de sécurité", "signalisation"),
    ("balisage", "Balisage et marquage au sol", "signalisation"),
    ("restauration-jetable", "Restauration jetable", None),
    ("gobelets", "Gobelets et couvercles", "restauration-jetable"),
    ("vaisselle-jetable", "Vaisselle et couverts jetables", "restauration-jetable"),
    ("epicerie", "Épicerie de la pause", "restauration-jetable"),
    ("stockage", "Stockage et manutention", None),
    ("bacs", "Bacs et caisses", "stockage"),
    ("palettes", "Palettes et consignes", "stockage"),
]
PARENT = {code: parent for code, _, parent in CATEGORIES}

# The catalogue is written in French (store.language); English readers get these
# (docs/bundle.md, "Translations").
CATEGORIES_EN = {
    "vetements": "Workwear",
    "fixations": "Fasteners",
    "vis": "Screws",
    "chevilles": "Wall plugs and anchors",
    "boulons": "Bolts, nuts and washers",
    "hygiene": "Hygiene",
    "papier": "Toilet paper and wipes",
    "savons": "Hand soaps and sanitisers",
    "protections": "Sanitary protection",
    "emballage": "Packaging",
    "cartons": "Cardboard boxes",
    "adhesifs": "Tapes",
    "films": "Films and void fill",
    "epi": "Personal protective equipment",
    "gants": "Gloves",
    "masques": "Respirator masks",
    "autres-epi": "Glasses, helmets and high visibility",
    "bureau": "Office supplies",
    "papeterie": "Paper and envelopes",
    "ecriture": "Writing",
    "classement": "Filing",
    "nettoyage": "Cleaning",
    "produits-entretien": "Cleaning products",
    "materiel-entretien": "Cleaning equipment",
    "sacs-dechets": "Bin bags",
    "outillage": "Tools",
    "forets": "Drill bits",
    "abrasifs": "Discs and abrasives",
    "outils-main": "Hand tools",
    "electricite": "Electrical",
    "cables": "Cables and wires",
    "piles": "Batteries",
    "raccordement": "Connectors and extension leads",
    "eclairage": "Lighting",
    "ampoules": "LED bulbs",
    "tubes-projecteurs": "LED tubes and floodlights",
    "signalisation": "Signage",
    "panneaux": "Safety signs",
    "balisage": "Barriers and floor marking",
    "restauration-jetable": "Disposable catering",
    "gobelets": "Cups and lids",
    "vaisselle-jetable": "Disposable tableware and cutlery",
    "epicerie": "Break-room groceries",
    "stockage": "Storage and handling",
    "bacs": "Bins and crates",
    "palettes": "Pallets and deposits",
}
assert set(CATEGORIES_EN) == set(PARENT)


def top_category(code: str) -> str:
    while PARENT[code] is not None:
        code = PARENT[code]
    return code


# Typed attributes (docs/bundle.md, "Attributes"), defined on the screws' category.
ATTRIBUTES = {
    "vis": [
        {
            "code": "diametre",
            "label": "Diamètre",
            "type": "number",
            "unit": "mm",
            "position": 1,
            "translations": {"en": {"label": "Diameter"}},
        },
        {
            "code": "longueur",
            "label": "Longueur",
            "type": "number",
            "unit": "mm",
            "position": 2,
            "translations": {"en": {"label": "Length"}},
        },
        {
            "code": "matiere",
            "label": "Matière",
            "type": "choice",
            "choices": ["Acier zingué", "Inox A2", "Inox A4"],
            "position": 3,
            "translations": {
                "en": {
                    "label": "Material",
                    "choices": ["Zinc-plated steel", "Stainless steel A2", "Stainless steel A4"],
                }
            },
        },
        {
            "code": "filetage",
            "label": "Filetage",
            "type": "choice",
            "choices": ["Partiel", "Total"],
            "position": 4,
            "translations": {"en": {"label": "Thread", "choices": ["Partial", "Full"]}},
        },
        {
            "code": "usage",
            "label": "Usage",
            "type": "text",
            "position": 5,
            "translations": {"en": {"label": "Use"}},
        },
    ],
}

# The screws' `usage` (a text attribute, translated on each product): French, English.
USAGES = {
    "agglo": ("Bois tendre et panneaux de particules", "Softwood and chipboard"),
    "inox": ("Extérieur et milieux humides", "Outdoors and damp places"),
    "tirefond": ("Charpente et fixation lourde", "Framing and heavy fixing"),
    "tole": ("Tôle jusqu'à 5 mm", "Sheet metal up to 5 mm"),
    "placo": ("Plaque de plâtre sur ossature métallique", "Plasterboard on metal studs"),
}


def with_usage(product: dict, usage: str) -> None:
    french, english = USAGES[usage]
    product["attributes"]["usage"] = french
    product["attribute_translations"] = {"en": {"usage": english}}


def build_categories() -> list[dict]:
    positions = defaultdict(int)
    result = []
    for code, name, parent in CATEGORIES:
        positions[parent] += 1
        result.append(
            {
                "code": code,
                "name": name,
                "parent": parent,
                "position": positions[parent],
                "translations": {"en": {"name": CATEGORIES_EN[code]}},
            }
        )
        if code in ATTRIBUTES:
            result[-1]["attributes"] = ATTRIBUTES[code]
    return result


# --- catalog ------------------------------------------------------------------------------


class Catalog:
    """Products in the order they are added, with their base price (the BASE list's unit
    price at quantity 1; None for a product sold on quotation only)."""

    def __init__(self):
        self.products: list[dict] = []
        self.base_price: dict[str, Decimal | None] = {}
        self.families: list[dict] = []

    def add(
        self,
        sku,
        name,
        category,
        unit,
        pack_size,
        price,
        description,
        *,
        tax_class="standard",
        qty_step=1,
        min_qty=None,
        max_qty=None,
        visibility="all",
        groups=(),
        companies=(),
        english=None,
    ):
        """`english`: the product's English name, or (name, description)."""
        assert sku not in self.base_price, f"duplicate SKU {sku}"
        self.products.append(
            {
                "sku": sku,
                "name": name,
                "description": description,
                "category": category,
                "tax_class": tax_class,
                "unit": unit,
                "pack_size": pack_size,
                "min_qty": min_qty or qty_step,
                "max_qty": max_qty,
                "qty_step": qty_step,
                "stock": 0,
                "backorder": False,
                "active": True,
                "visibility": visibility,
                "groups": list(groups),
                "companies": list(companies),
            }
        )
        if english is not None:
            name_en, description_en = (english, None) if isinstance(english, str) else english
            text = {"name": name_en} | ({"description": description_en} if description_en else {})
            self.products[-1]["translations"] = {"en": text}
        self.base_price[sku] = None if price is None else Decimal(str(price))


def jitter(rng: random.Random, value: float, spread: float = 0.06) -> Decimal:
    """A list price near `value`, in cents (or tenths of a cent below one euro)."""
    value = value * (1 + rng.uniform(-spread, spread))
    if value < 1:
        return round4(Decimal(str(value)))
    return round2(Decimal(str(value)))


def tenths(diameter: str) -> str:
    """ "3,5" -> "35", "4" -> "40": a diameter in tenths of a millimetre, for SKUs."""
    whole, _, decimal = diameter.partition(",")
    return f"{whole}{decimal or '0'}"


def dot(number: str) -> str:
    """A French decimal number ("3,5") as English writes it."""
    return number.replace(",", ".")


def add_fixations(cat: Catalog, rng: random.Random) -> None:
    agglo = [
        ("3", "16"), ("3", "20"), ("3,5", "25"), ("3,5", "30"), ("4", "30"), ("4", "40"),
        ("4", "50"), ("5", "50"), ("5", "60"), ("5", "70"), ("6", "80"), ("6", "100"),
    ]  # fmt: skip
    for d, length in agglo:
        count = 200 if int(length) <= 40 else 100
        size = float(d.replace(",", ".")) * int(length)
        cat.add(
            f"VIS-{tenths(d)}{length}-B{count}",
            f"Vis agglo tête fraisée {d}×{length} zinguée — boîte de {count}",
            "vis",
            "box",
            count,
            jitter(rng, 2.2 + size * count / 4200),
            "Vis pour panneaux de particules et bois tendre, tête fraisée, empreinte "
            f"Pozidriv, filetage partiel, acier zingué blanc. {count} vis par boîte.",
            english=(
                f"Countersunk chipboard screw {dot(d)}×{length} zinc-plated — box of {count}",
                "Screw for chipboard and softwood, countersunk head, Pozidriv drive, partial "
                f"thread, white zinc-plated steel. {count} screws per box.",
            ),
        )
        cat.products[-1]["attributes"] = {
            "diametre": d,
            "longueur": length,
            "matiere": "Acier zingué",
            "filetage": "Partiel",
        }
        with_usage(cat.products[-1], "agglo")
    for d, length in [("4", "30"), ("4", "40"), ("5", "50"), ("5", "60"), ("6", "80")]:
        count = 200 if int(length) <= 40 else 100
        size = float(d) * int(length)
        cat.add(
            f"VIS-{tenths(d)}{length}-I-B{count}",
            f"Vis agglo tête fraisée {d}×{length} inox A2 — boîte de {count}",
            "vis",
            "box",
            count,
            jitter(rng, 2.2 * (2.2 + size * count / 4200)),
            "Vis inoxydable A2 pour l'extérieur et les milieux humides, tête fraisée, "
            f"empreinte Torx. {count} vis par boîte.",
            english=(
                f"Countersunk chipboard screw {d}×{length} stainless A2 — box of {count}",
                "A2 stainless screw for outdoor and damp places, countersunk head, Torx "
                f"drive. {count} screws per box.",
            ),
        )
        cat.products[-1]["attributes"] = {"diametre": d, "longueur": length, "matiere": "Inox A2"}
        with_usage(cat.products[-1], "inox")
    for d, length in [
        ("6", "40"),
        ("6", "60"),
        ("8", "60"),
        ("8", "80"),
        ("8", "100"),
        ("10", "100"),
    ]:
        cat.add(
            f"TIREF-{int(d):02d}{length}-B50",
            f"Tirefond tête hexagonale {d}×{length} zingué — boîte de 50",
            "vis",
            "box",
            50,
            jitter(rng, 3.5 + int(d) * int(length) / 45),
            "Vis à bois tête hexagonale (tirefond) pour charpente et fixation lourde, "
            "acier zingué. 50 vis par boîte.",
            english=f"Hex head coach screw {d}×{length} zinc-plated — box of 50",
        )
        cat.products[-1]["attributes"] = {
            "diametre": d,
            "longueur": length,
            "matiere": "Acier zingué",
            "filetage": "Partiel",
        }
        with_usage(cat.products[-1], "tirefond")
    for d, length in [("4,8", "19"), ("4,8", "25"), ("5,5", "25"), ("5,5", "32")]:
        cat.add(
            f"VAF-{tenths(d)}{length}-B250",
            f"Vis autoforeuse tête hexagonale {d}×{length} — boîte de 250",
            "vis",
            "box",
            250,
            jitter(rng, 9 + float(d.replace(",", ".")) * int(length) / 9),
            "Vis autoperceuse pour tôle jusqu'à 5 mm, tête hexagonale à collerette, "
            "acier cémenté zingué. 250 vis par boîte.",
            english=f"Self-drilling hex head screw {dot(d)}×{length} — box of 250",
        )
        cat.products[-1]["attributes"] = {
            "diametre": d,
            "longueur": length,
            "matiere": "Acier zingué",
            "filetage": "Total",
        }
        with_usage(cat.products[-1], "tole")
    for length in ("25", "35", "45"):
        cat.add(
            f"VPP-35{length}-B1000",
            f"Vis plaque de plâtre 3,5×{length} phosphatée — boîte de 1000",
            "vis",
            "box",
            1000,
            jitter(rng, 6 + int(length) / 3.5),
            "Vis à pointe aiguille pour fixation des plaques de plâtre sur ossature "
            "métallique, tête trompette, phosphatée noire. 1000 vis par boîte.",
            english=f"Drywall screw 3.5×{length} phosphated — box of 1000",
        )
        cat.products[-1]["attributes"] = {
            "diametre": "3,5",
            "longueur": length,
            "filetage": "Total",
        }
        with_usage(cat.products[-1], "placo")
    for d, length in [("5", "25"), ("6", "30"), ("8", "40"), ("10", "50"), ("12", "60")]:
        count = 100 if int(d) < 10 else 50
        cat.add(
            f"CHV-N{int(d):02d}{length}-B{count}",
            f"Cheville nylon universelle Ø{d}×{length} — boîte de {count}",
            "chevilles",
            "box",
            count,
            jitter(rng, 1.8 + int(d) * int(length) * count / 2600),
            "Cheville nylon à expansion pour tous matériaux, pleins ou creux. "
            f"{count} chevilles par boîte.",
            english=f"Universal nylon wall plug Ø{d}×{length} — box of {count}",
        )
    for d, length in [("6", "40"), ("6", "60"), ("8", "60"), ("8", "80")]:
        cat.add(
            f"CHV-F{int(d):02d}{length}-B100",
            f"Cheville à frapper Ø{d}×{length} vis incluse — boîte de 100",
            "chevilles",
            "box",
            100,
            jitter(rng, 5 + int(d) * int(length) / 45),
            "Cheville nylon à collerette avec clou-vis zingué, pose rapide au marteau "
            "dans le béton et la brique pleine. 100 pièces par boîte.",
            english=f"Hammer-in fixing Ø{d}×{length} with screw — box of 100",
        )
    for m, length in [("4", "32"), ("5", "37"), ("5", "52"), ("6", "52"), ("6", "65")]:
        cat.add(
            f"CHV-M{int(m):02d}{length}-B50",
            f"Cheville métallique à expansion M{m}×{length} (plaque de plâtre) — boîte de 50",
            "chevilles",
            "box",
            50,
            jitter(rng, 7 + int(m) * int(length) / 28),
            "Cheville acier à expansion pour cloisons creuses et plaques de plâtre, "
            "vis métrique fournie. 50 chevilles par boîte.",
            english=f"Metal cavity anchor M{m}×{length} (plasterboard) — box of 50",
        )
    cat.add(
        "SCEL-300-PE",
        "Scellement chimique polyester sans styrène 300 ml",
        "chevilles",
        "piece",
        1,
        jitter(rng, 8.9),
        "Résine de scellement pour charges moyennes dans le béton et la maçonnerie, "
        "cartouche 300 ml pour pistolet standard. Vendue par carton de 12.",
        qty_step=12,
        english="Styrene-free polyester chemical anchor 300 ml",
    )
    cat.add(
        "SCEL-410-VE",
        "Scellement chimique vinylester 410 ml",
        "chevilles",
        "piece",
        1,
        jitter(rng, 17.5),
        "Résine vinylester pour charges lourdes, béton fissuré et milieux humides, "
        "cartouche coaxiale 410 ml. Vendue par carton de 12.",
        qty_step=12,
        min_qty=12,
        max_qty=240,
        english="Vinylester chemical anchor 410 ml",
    )
    bolts = [("6", "30"), ("6", "50"), ("8", "40"), ("8", "60"), ("8", "80"), ("10", "50"),
             ("10", "80"), ("12", "60"), ("12", "100")]  # fmt: skip
    for m, length in bolts:
        count = 25 if m == "12" else 50
        cat.add(
            f"BLN-M{int(m):02d}{length}-B{count}",
            f"Boulon TH M{m}×{length} classe 8.8 zingué avec écrou — boîte de {count}",
            "boulons",
            "box",
            count,
            jitter(rng, 4 + int(m) ** 2 * int(length) * count / 36000),
            "Vis à tête hexagonale entièrement filetée avec écrou, classe 8.8, acier "
            f"zingué. {count} boulons par boîte.",
            english=f"Hex bolt M{m}×{length} grade 8.8 zinc-plated with nut — box of {count}",
        )
    for m in ("6", "8", "10", "12"):
        cat.add(
            f"ECR-M{int(m):02d}-B200",
            f"Écrou hexagonal M{m} classe 8 zingué — boîte de 200",
            "boulons",
            "box",
            200,
            jitter(rng, 3 + int(m) ** 2 / 9),
            "Écrou hexagonal normal (ISO 4032), classe 8, acier zingué. 200 écrous par boîte.",
            english=f"Hex nut M{m} grade 8 zinc-plated — box of 200",
        )
        cat.add(
            f"RDL-M{int(m):02d}-B500",
            f"Rondelle plate M{m} zinguée — boîte de 500",
            "boulons",
            "box",
            500,
            jitter(rng, 3.5 + int(m) ** 2 / 8),
            "Rondelle plate étroite (NF E 25-513), acier zingué. 500 rondelles par boîte.",
            english=f"Flat washer M{m} zinc-plated — box of 500",
        )
    for m in ("8", "10", "12"):
        cat.add(
            f"TIGE-M{int(m):02d}-1M-L10",
            f"Tige filetée M{m} longueur 1 m zinguée — lot de 10",
            "boulons",
            "pack",
            10,
            jitter(rng, 6 + int(m) ** 2 / 6),
            "Tige filetée classe 4.6, acier zingué, longueur 1 mètre. 10 tiges par lot.",
            english=f"Threaded rod M{m} 1 m long zinc-plated — pack of 10",
        )


def add_hygiene(cat: Catalog, rng: random.Random) -> None:
    papers = [
        ("PT-2P-200-C96", "Papier toilette 2 plis 200 formats — colis de 96 rouleaux", "case",
         96, 34.0, "Rouleaux standard ouate blanche 2 plis, 200 formats de 10×12 cm."),
        ("PT-3P-150-C72", "Papier toilette 3 plis 150 formats — colis de 72 rouleaux", "case",
         72, 38.0, "Rouleaux ouate pure cellulose 3 plis, douceur hôtellerie."),
        ("PT-JUMBO-380-C6", "Papier toilette maxi jumbo 2 plis 380 m — colis de 6", "case",
         6, 27.0, "Rouleaux grande capacité pour distributeurs maxi jumbo, mandrin 60 mm."),
        ("PT-MINI-180-C12", "Papier toilette mini jumbo 2 plis 180 m — colis de 12", "case",
         12, 24.5, "Rouleaux pour distributeurs mini jumbo, mandrin 60 mm."),
        ("EM-ZZ-2P-C3750", "Essuie-mains enchevêtrés 2 plis 21×24 — carton de 3750", "case",
         3750, 41.0, "Essuie-mains pliés enchevêtrés, ouate blanche 2 plis, pour distributeur."),
        ("EM-Z-1P-C4000", "Essuie-mains pliés en Z 1 pli 23×25 — carton de 4000", "case",
         4000, 29.0, "Essuie-mains pliés en Z, ouate recyclée 1 pli, usage intensif."),
        ("BOB-DC-450-C6", "Bobine d'essuyage dévidage central 450 formats — colis de 6",
         "case", 6, 23.0, "Bobines 2 plis gaufrées, dévidage central, 450 formats de 20×30 cm."),
        ("BOB-IND-1000-C2", "Bobine industrielle 1000 formats 2 plis — colis de 2", "case",
         2, 19.5, "Bobines d'essuyage industrielles pour ateliers et garages."),
        ("EM-RL-150-C6", "Essuie-mains en rouleau 150 m blanc — colis de 6", "case", 6, 21.0,
         "Rouleaux d'essuie-mains pour distributeurs à tirage, ouate blanche 2 plis."),
        ("DRAP-EX-50-C12", "Drap d'examen 50 cm × 38 m — colis de 12", "case", 12, 31.0,
         "Rouleaux de drap d'examen ouate 2 plis pour cabinets et infirmeries."),
        ("MOUCH-2P-C40", "Mouchoirs 2 plis boîte de 100 — carton de 40 boîtes", "case", 40,
         36.0, "Mouchoirs ouate blanche 2 plis en boîte distributrice cubique."),
        ("DIST-PT-JUMBO", "Distributeur papier toilette maxi jumbo ABS blanc", "piece", 1,
         24.9, "Distributeur verrouillable à clé, fenêtre de contrôle, pour rouleaux 380 m."),
        ("DIST-EM-ZZ", "Distributeur essuie-mains pliés ABS blanc", "piece", 1, 21.9,
         "Distributeur mural verrouillable pour essuie-mains enchevêtrés ou pliés en Z."),
        ("DIST-BOB-DC", "Distributeur bobine dévidage central ABS blanc", "piece", 1, 26.5,
         "Distributeur mural pour bobines à dévidage central, feuille à feuille."),
    ]  # fmt: skip
    for sku, name, unit, pack, price, text in papers:
        cat.add(sku, name, "papier", unit, pack, jitter(rng, price), text)
    for scent, code in (("amande", "AM"), ("citron", "CI"), ("sans parfum", "SP")):
        cat.add(
            f"SAV-LIQ-5L-{code}",
            f"Savon liquide mains {scent} — bidon 5 L",
            "savons",
            "piece",
            1,
            jitter(rng, 11.5),
            "Savon liquide doux pour lavage fréquent des mains, pH neutre, bidon 5 litres "
            "pour remplir les distributeurs.",
        )
    for scent, code in (("amande", "AM"), ("citron", "CI")):
        cat.add(
            f"SAV-LIQ-1L-{code}",
            f"Savon liquide mains {scent} — flacon pompe 1 L",
            "savons",
            "piece",
            1,
            jitter(rng, 3.9),
            "Savon liquide doux en flacon pompe pour sanitaires et cuisines. "
            "Vendu par carton de 12.",
            qty_step=12,
        )
    for litres, price in (("3", 19.0), ("4", 24.5)):
        cat.add(
            f"CREME-ATL-{litres}L",
            f"Crème lavante atelier microbilles — cartouche {litres} L",
            "savons",
            "piece",
            1,
            jitter(rng, price),
            "Crème lavante aux microbilles végétales pour salissures grasses (huiles, "
            "cambouis, encres), pour distributeur à cartouche.",
        )
    cat.add(
        "GEL-HA-500",
        "Gel hydroalcoolique 500 ml avec pompe",
        "savons",
        "piece",
        1,
        jitter(rng, 4.6),
        "Gel désinfectant pour les mains sans rinçage, EN 1500 et EN 14476. "
        "Vendu par carton de 12.",
        qty_step=12,
        min_qty=12,
        max_qty=600,
    )
    cat.add(
        "GEL-HA-100-C48",
        "Gel hydroalcoolique 100 ml flacon de poche — carton de 48",
        "savons",
        "case",
        48,
        jitter(rng, 52.0),
        "Flacons de poche 100 ml à capsule clapet, EN 1500 et EN 14476.",
    )
    cat.add(
        "GEL-HA-1L-C6",
        "Gel hydroalcoolique 1 L recharge airless — carton de 6",
        "savons",
        "case",
        6,
        jitter(rng, 44.0),
        "Recharges airless 1 litre pour distributeurs muraux de gel hydroalcoolique.",
    )
    cat.add(
        "SAV-MOUSSE-800-C6",
        "Savon mousse recharge 800 ml — carton de 6",
        "savons",
        "case",
        6,
        jitter(rng, 33.0),
        "Recharges de savon mousse pour distributeurs à cartouche, 800 ml.",
    )
    cat.add(
        "LING-DESINF-500",
        "Lingettes désinfectantes mains et surfaces — seau de 500",
        "savons",
        "piece",
        1,
        jitter(rng, 18.9),
        "Lingettes prédécoupées imprégnées, bactéricides et virucides, seau distributeur.",
    )
    cat.add(
        "DIST-SAV-1L",
        "Distributeur de savon 1 L inox brossé",
        "savons",
        "piece",
        1,
        jitter(rng, 34.0),
        "Distributeur mural à pompe pour savon liquide ou gel, réservoir 1 litre.",
    )
    protections = [
        ("SERV-HYG-C24", "Serviettes hygiéniques normales — carton de 24 sachets de 14", 24,
         46.0),
        ("TAMP-HYG-C24", "Tampons hygiéniques normal — carton de 24 boîtes de 16", 24, 52.0),
        ("PSLIP-C24", "Protège-slips — carton de 24 boîtes de 30", 24, 39.0),
        ("REC-DIST-PROT-C30", "Recharge distributeur de protections — carton de 30", 30,
         27.0),
    ]  # fmt: skip
    for sku, name, pack, price in protections:
        cat.add(
            sku,
            name,
            "protections",
            "case",
            pack,
            jitter(rng, price),
            "Protections hygiéniques pour sanitaires d'entreprise et distributeurs en "
            "libre-service (TVA à taux réduit).",
            tax_class="reduced",
        )


def add_emballage(cat: Catalog, rng: random.Random) -> None:
    single = [(30, 20, 15), (31, 21, 10), (40, 30, 20), (40, 30, 30), (50, 30, 25)]
    for length, width, height in single:
        cat.add(
            f"CRT-SC-{length}{width}{height}-L25",
            f"Carton simple cannelure {length}×{width}×{height} — lot de 25",
            "cartons",
            "pack",
            25,
            jitter(rng, 6 + length * width * height / 1500),
            "Caisse américaine kraft brun simple cannelure, livrée à plat. "
            "Dimensions intérieures en cm. 25 cartons par lot.",
        )
    double = [(40, 30, 30), (50, 40, 30), (60, 40, 40), (80, 60, 50), (120, 80, 60)]
    for length, width, height in double:
        cat.add(
            f"CRT-DC-{length}{width}{height}-L10",
            f"Carton double cannelure {length}×{width}×{height} — lot de 10",
            "cartons",
            "pack",
            10,
            jitter(rng, 8 + length * width * height / 3200),
            "Caisse américaine kraft brun double cannelure pour charges lourdes, livrée à "
            "plat. Dimensions intérieures en cm. 10 cartons par lot.",
        )
    others = [
        ("CRT-DEM-553535-L20", "Carton de déménagement 55×35×35 avec poignées — lot de 20",
         "pack", 20, 29.0, "Carton double cannelure renforcé avec poignées, charge 30 kg."),
        ("BPOST-A4-L50", "Boîte postale extra-plate A4 — lot de 50", "pack", 50, 27.0,
         "Étui d'expédition en carton micro-cannelure, fermeture adhésive."),
        ("POCH-BUL-C0-B100", "Pochette matelassée à bulles 15×21 cm — boîte de 100", "box",
         100, 14.5, "Enveloppe kraft doublée de film à bulles, fermeture autocollante."),
        ("POCH-BUL-E-B100", "Pochette matelassée à bulles 22×33 cm — boîte de 100", "box",
         100, 22.0, "Enveloppe kraft doublée de film à bulles, format A4."),
        ("ETUI-LIVRE-L50", "Étui livre carton 30×22×8 cm — lot de 50", "pack", 50, 31.0,
         "Emballage croisillon pour livres et documents, fermeture adhésive."),
        ("TUBE-EXP-60-L25", "Tube d'expédition carton Ø60 × 600 mm — lot de 25", "pack", 25,
         34.0, "Tube carton avec bouchons plastique pour plans et affiches."),
    ]  # fmt: skip
    for sku, name, unit, pack, price, text in others:
        cat.add(sku, name, "cartons", unit, pack, jitter(rng, price), text)
    tapes = [
        ("ADH-PP48-BR-C36", "Ruban adhésif PP silencieux brun 48 mm × 100 m — colis de 36",
         "case", 36, 52.0),
        ("ADH-PP48-TR-C36", "Ruban adhésif PP silencieux transparent 48 mm × 100 m — colis "
         "de 36", "case", 36, 52.0),
        ("ADH-PVC48-BR-C36", "Ruban adhésif PVC brun 48 mm × 100 m — colis de 36", "case",
         36, 79.0),
        ("ADH-PVC48-TR-C36", "Ruban adhésif PVC transparent 48 mm × 100 m — colis de 36",
         "case", 36, 79.0),
        ("ADH-FRAG48-C36", "Ruban adhésif imprimé « Fragile » 48 mm × 66 m — colis de 36",
         "case", 36, 64.0),
        ("ADH-PP75-BR-C24", "Ruban adhésif PP brun 75 mm × 100 m — colis de 24", "case", 24,
         58.0),
        ("ADH-MASQ19-L36", "Ruban de masquage 19 mm × 50 m — lot de 36", "pack", 36, 31.0),
        ("ADH-MASQ25-L36", "Ruban de masquage 25 mm × 50 m — lot de 36", "pack", 36, 38.0),
        ("ADH-MASQ38-L24", "Ruban de masquage 38 mm × 50 m — lot de 24", "pack", 24, 37.0),
        ("ADH-MASQ50-L24", "Ruban de masquage 50 mm × 50 m — lot de 24", "pack", 24, 46.0),
    ]  # fmt: skip
    for sku, name, unit, pack, price in tapes:
        cat.add(
            sku,
            name,
            "adhesifs",
            unit,
            pack,
            jitter(rng, price),
            "Adhésif de fermeture et de conditionnement pour dévidoir standard, mandrin 76 mm.",
        )
    cat.add(
        "ADH-TOILE-GR50",
        "Adhésif toilé gris 50 mm × 50 m",
        "adhesifs",
        "roll",
        1,
        jitter(rng, 6.4),
        "Adhésif toilé (« duct tape ») déchirable à la main, haute adhérence. "
        "Vendu par carton de 6 rouleaux.",
        qty_step=6,
    )
    cat.add(
        "ADH-DF19-25",
        "Adhésif double face 19 mm × 25 m",
        "adhesifs",
        "roll",
        1,
        jitter(rng, 4.2),
        "Adhésif double face papier pour collage permanent de papier, carton et PVC.",
    )
    cat.add(
        "DEV-ADH-50",
        "Dévidoir adhésif pistolet 50 mm avec frein",
        "adhesifs",
        "piece",
        1,
        jitter(rng, 9.9),
        "Dévidoir à poignée pour rubans jusqu'à 50 mm, lame protégée, frein réglable.",
    )
    films = [
        ("FILM-M17-450-C6", "Film étirable manuel 17 µm 450 mm × 300 m — colis de 6", "case",
         6, 39.0),
        ("FILM-M20-450-C6", "Film étirable manuel 20 µm 450 mm × 270 m — colis de 6", "case",
         6, 42.0),
        ("FILM-M23-450-C6", "Film étirable manuel 23 µm 450 mm × 250 m — colis de 6", "case",
         6, 45.0),
        ("FILM-M23N-450-C6", "Film étirable manuel noir opaque 23 µm 450 mm × 250 m — colis "
         "de 6", "case", 6, 51.0),
        ("FILM-MAC23-500", "Film étirable machine 23 µm 500 mm × 1500 m", "roll", 1, 32.0),
        ("BULLE-50-100", "Film à bulles 50 cm × 100 m", "roll", 1, 17.5),
        ("BULLE-100-50", "Film à bulles 100 cm × 50 m", "roll", 1, 18.5),
        ("HOUSSE-PAL-R50", "Housse de palette 120×80×150 cm — rouleau de 50", "roll", 50,
         49.0),
        ("KRAFT-70-50-300", "Papier kraft de calage 70 g 50 cm × 300 m", "roll", 1, 28.0),
        ("CHIPS-CALAGE-500L", "Chips de calage polystyrène — sac de 500 L", "piece", 1, 22.0),
    ]  # fmt: skip
    for sku, name, unit, pack, price in films:
        cat.add(
            sku,
            name,
            "films",
            unit,
            pack,
            jitter(rng, price),
            "Consommable de calage et de protection pour l'expédition et la palettisation.",
        )


def add_epi(cat: Catalog, rng: random.Random) -> None:
    sizes = ("S", "M", "L", "XL")
    disposables = [
        ("NIT", "Gants nitrile non poudrés", "bleus, 3,5 g, usage alimentaire et soins", 7.9),
        ("NITN", "Gants nitrile noirs renforcés", "noirs, 6 g, mécanique et ateliers", 11.9),
        ("LAT", "Gants latex légèrement poudrés", "naturels, 5 g, usage unique", 6.9),
        ("VIN", "Gants vinyle non poudrés", "transparents, usage court et alimentaire", 4.9),
    ]
    for code, label, text, price in disposables:
        for size in sizes:
            cat.add(
                f"GNT-{code}-{size}-B100",
                f"{label} taille {size} — boîte de 100",
                "gants",
                "box",
                100,
                jitter(rng, price, 0.02),
                f"Gants à usage unique {text}, ambidextres, EN ISO 374. 100 gants par boîte.",
            )
    for size in ("8", "9", "10"):
        cat.add(
            f"GNT-MANU-{size}-L12",
            f"Gants de manutention enduits nitrile taille {size} — lot de 12 paires",
            "gants",
            "pack",
            12,
            jitter(rng, 19.5, 0.02),
            "Gants tricotés polyester enduits nitrile sur la paume, bonne préhension en "
            "milieu sec et gras, EN 388. 12 paires par lot.",
        )
        cat.add(
            f"GNT-COUPE-C-{size}-L10",
            f"Gants anti-coupure niveau C taille {size} — lot de 10 paires",
            "gants",
            "pack",
            10,
            jitter(rng, 54.0, 0.02),
            "Gants anti-coupure enduits polyuréthane, niveau C (EN 388:2016), pour la "
            "manipulation de tôles et de verre. 10 paires par lot.",
        )
    for size in ("9", "10"):
        cat.add(
            f"GNT-HIVER-{size}-L12",
            f"Gants de travail hiver fourrés taille {size} — lot de 12 paires",
            "gants",
            "pack",
            12,
            jitter(rng, 42.0, 0.02),
            "Gants doublés polaire enduits latex, protection contre le froid (EN 511). "
            "12 paires par lot.",
        )
    masks = [
        ("MASQ-FFP2-B20", "Masque FFP2 sans valve — boîte de 20", "box", 20, 9.5,
         "Masque pliable FFP2 NR, EN 149+A1, emballage individuel.", 12, 240),
        ("MASQ-FFP2V-B10", "Masque FFP2 avec valve — boîte de 10", "box", 10, 12.9,
         "Masque coque FFP2 NR avec valve expiratoire, EN 149+A1.", 1, None),
        ("MASQ-FFP3V-B10", "Masque FFP3 avec valve — boîte de 10", "box", 10, 24.0,
         "Masque coque FFP3 NR avec valve expiratoire, poussières fines et amiante.", 1,
         None),
        ("MASQ-CHIR-IIR-B50", "Masque chirurgical type IIR — boîte de 50", "box", 50, 6.5,
         "Masque médical 3 plis type IIR, EN 14683, barrette nasale.", 12, 600),
        ("DEMI-MASQ-M", "Demi-masque réutilisable taille M", "piece", 1, 29.0,
         "Demi-masque silicone bi-filtre à baïonnette, EN 140, filtres non fournis.", 1,
         None),
        ("FILTRE-A2P3-L2", "Filtres A2P3 pour demi-masque — lot de 2", "pack", 2, 26.0,
         "Paire de filtres combinés gaz, vapeurs organiques et particules, EN 14387.", 1,
         None),
    ]  # fmt: skip
    for sku, name, unit, pack, price, text, step, maximum in masks:
        cat.add(
            sku,
            name,
            "masques",
            unit,
            pack,
            jitter(rng, price, 0.02),
            text,
            qty_step=step,
            max_qty=maximum,
        )
    eyes_ears = [
        ("LUN-INCOL-EN166", "Lunettes de protection incolores EN 166", "piece", 1, 3.9, 12),
        ("SURLUN-EN166", "Surlunettes de protection incolores EN 166", "piece", 1, 5.4, 12),
        ("BOUCH-SNR37-B200", "Bouchons d'oreilles mousse SNR 37 dB — boîte de 200 paires",
         "box", 200, 24.0, 1),
        ("CASQ-ANTIB-SNR30", "Casque antibruit SNR 30 dB", "piece", 1, 16.5, 1),
        ("CASQ-CHANT-BL", "Casque de chantier blanc avec serrage crémaillère", "piece", 1,
         8.9, 6),
        ("GILET-HV-JA-XL", "Gilet haute visibilité jaune taille XL", "piece", 1, 2.9, 12),
    ]  # fmt: skip
    for sku, name, unit, pack, price, step in eyes_ears:
        cat.add(
            sku,
            name,
            "autres-epi",
            unit,
            pack,
            jitter(rng, price, 0.02),
            "Équipement de protection individuelle certifié CE pour les ateliers et les chantiers.",
            qty_step=step,
        )


def add_bureau(cat: Catalog, rng: random.Random) -> None:
    reams = [
        ("RAM-A4-80-C5", "Ramette papier A4 80 g blanc — carton de 5 ramettes", 5, 24.5),
        ("RAM-A4-90-C5", "Ramette papier A4 90 g blanc extra — carton de 5 ramettes", 5,
         31.0),
        ("RAM-A3-80-C5", "Ramette papier A3 80 g blanc — carton de 5 ramettes", 5, 49.0),
        ("RAM-A4-REC-C5", "Ramette papier A4 80 g recyclé — carton de 5 ramettes", 5, 26.0),
    ]  # fmt: skip
    for sku, name, pack, price in reams:
        cat.add(
            sku,
            name,
            "papeterie",
            "case",
            pack,
            jitter(rng, price, 0.03),
            "Papier multifonction pour imprimantes laser et jet d'encre, 500 feuilles par "
            "ramette, certifié PEFC.",
        )
    for colour, code in (("jaune", "JA"), ("bleu", "BL"), ("rose", "RO"), ("vert", "VE")):
        cat.add(
            f"RAM-A4-80-{code}",
            f"Ramette papier A4 80 g {colour} pastel — 500 feuilles",
            "papeterie",
            "piece",
            1,
            jitter(rng, 8.9, 0.03),
            "Papier couleur pastel pour impressions et copies, 500 feuilles.",
        )
    envelopes = [
        ("ENV-DL-F-B500", "Enveloppes DL 110×220 blanches avec fenêtre — boîte de 500", 21.0),
        ("ENV-DL-B500", "Enveloppes DL 110×220 blanches sans fenêtre — boîte de 500", 18.0),
        ("ENV-C5-F-B500", "Enveloppes C5 162×229 blanches avec fenêtre — boîte de 500", 27.0),
        ("ENV-C5-B500", "Enveloppes C5 162×229 blanches sans fenêtre — boîte de 500", 24.0),
        ("ENV-C4-KR-B250", "Pochettes C4 229×324 kraft brun — boîte de 250", 29.0),
        ("ENV-C4-BL-B250", "Pochettes C4 229×324 blanches — boîte de 250", 31.0),
    ]
    for sku, name, price in envelopes:
        count = int(sku.rsplit("-B", 1)[1])
        cat.add(
            sku,
            name,
            "papeterie",
            "box",
            count,
            jitter(rng, price, 0.03),
            f"Enveloppes autocollantes à bande protectrice, 90 g. {count} par boîte.",
        )
    cat.add(
        "BLOC-A4-5X5-L10",
        "Bloc-notes A4 petits carreaux 80 feuilles — lot de 10",
        "papeterie",
        "pack",
        10,
        jitter(rng, 14.0),
        "Blocs agrafés en tête, papier 70 g, 5×5 mm, micro-perforés.",
    )
    cat.add(
        "NOTES-76-JA-L12",
        "Notes repositionnables 76×76 jaune — lot de 12 blocs",
        "papeterie",
        "pack",
        12,
        jitter(rng, 9.8),
        "Blocs de 100 feuilles repositionnables, jaune pastel.",
    )
    for colour, code in (("bleu", "BL"), ("noir", "NO"), ("rouge", "RO"), ("vert", "VE")):
        cat.add(
            f"STY-BILLE-{code}-B50",
            f"Stylo bille pointe moyenne {colour} — boîte de 50",
            "ecriture",
            "box",
            50,
            jitter(rng, 9.5, 0.03),
            "Stylo bille à capuchon, pointe 1 mm, encre à séchage rapide. 50 stylos par boîte.",
        )
    for colour, code in (("bleu", "BL"), ("noir", "NO")):
        cat.add(
            f"STY-GEL-{code}-B12",
            f"Stylo gel rétractable {colour} 0,7 mm — boîte de 12",
            "ecriture",
            "box",
            12,
            jitter(rng, 11.5, 0.03),
            "Stylo gel rétractable à grip caoutchouc, encre pigmentée. 12 stylos par boîte.",
        )
    for colour, code in (("jaune", "JA"), ("rose", "RO"), ("vert", "VE"), ("orange", "OR")):
        cat.add(
            f"SURL-{code}-B10",
            f"Surligneur fluo {colour} — boîte de 10",
            "ecriture",
            "box",
            10,
            jitter(rng, 6.9, 0.03),
            "Surligneur pointe biseautée 1 à 5 mm, encre à base d'eau.",
        )
    cat.add(
        "MARQ-PERM-NO-B12",
        "Marqueur permanent pointe ogive noir — boîte de 12",
        "ecriture",
        "box",
        12,
        jitter(rng, 10.9),
        "Marqueur indélébile pour tous supports (carton, plastique, métal).",
    )
    cat.add(
        "MARQ-TB-ASS-L4",
        "Marqueurs tableau blanc couleurs assorties — pochette de 4",
        "ecriture",
        "pack",
        4,
        jitter(rng, 4.9),
        "Marqueurs effaçables à sec, pointe ogive, noir, bleu, rouge et vert.",
    )
    cat.add(
        "CRAYON-HB",
        "Crayon graphite HB avec gomme",
        "ecriture",
        "piece",
        1,
        Decimal("0.3450"),
        "Crayon à papier HB en bois certifié FSC, embout gomme. Vendu par boîte de 12.",
        qty_step=12,
    )
    colours = (("bleu", "BL"), ("noir", "NO"), ("rouge", "RO"), ("vert", "VE"), ("jaune", "JA"))
    for back, price in (("50", 2.9), ("80", 3.2)):
        for colour, code in colours:
            cat.add(
                f"CLAS-LEV-{back}-{code}",
                f"Classeur à levier A4 dos {back} mm {colour}",
                "classement",
                "piece",
                1,
                jitter(rng, price, 0.03),
                "Classeur à levier carton recouvert polypropylène, porte-étiquette au dos, "
                "œillet de préhension.",
            )
    others = [
        ("POCH-PERF-STD-B100", "Pochettes perforées A4 lisses 5/100e — boîte de 100", "box",
         100, 3.9),
        ("POCH-PERF-EP-B100", "Pochettes perforées A4 grainées 9/100e — boîte de 100", "box",
         100, 6.9),
        ("CHEM-CART-L100", "Chemises cartonnées 220 g couleurs assorties — paquet de 100",
         "pack", 100, 11.5),
        ("BOITE-ARCH-100-L25", "Boîte d'archives dos 100 mm carton — lot de 25", "pack", 25,
         32.0),
        ("INTERC-12-L20", "Intercalaires A4 12 onglets carte — lot de 20", "pack", 20, 18.0),
    ]  # fmt: skip
    for sku, name, unit, pack, price in others:
        cat.add(
            sku,
            name,
            "classement",
            unit,
            pack,
            jitter(rng, price, 0.03),
            "Fourniture de classement et d'archivage au format A4.",
        )


def add_nettoyage(cat: Catalog, rng: random.Random) -> None:
    products = [
        ("DEGR-IND-5L", "Dégraissant industriel concentré — bidon 5 L", 18.5, 1),
        ("NETT-SOL-PIN-5L", "Nettoyant sols parfum pin — bidon 5 L", 9.9, 1),
        ("NETT-SOL-AGR-5L", "Nettoyant sols parfum agrumes — bidon 5 L", 9.9, 1),
        ("DESINF-SOL-5L", "Détergent désinfectant sols et surfaces — bidon 5 L", 16.9, 1),
        ("DESINF-SURF-750", "Nettoyant désinfectant surfaces pulvérisateur 750 ml", 3.6, 12),
        ("VAISS-MAIN-5L", "Liquide vaisselle main concentré — bidon 5 L", 10.5, 1),
        ("VITRES-750", "Nettoyant vitres et surfaces pulvérisateur 750 ml", 2.9, 12),
        ("DETART-SANIT-1L", "Détartrant sanitaires gel 1 L", 3.4, 12),
        ("JAVEL-26-C4", "Eau de Javel 2,6 % — carton de 4 bidons de 5 L", 17.0, 1),
        ("TABL-LV-S150", "Tablettes lave-vaisselle tout-en-un — seau de 150", 27.0, 1),
        ("DECAP-SOL-5L", "Décapant sols protégés — bidon 5 L", 21.0, 1),
        ("CREME-REC-750", "Crème à récurer 750 ml", 2.6, 12),
        ("NETT-INOX-500", "Nettoyant rénovateur inox aérosol 500 ml", 6.9, 6),
        ("DESOD-TEXT-500", "Désodorisant textiles et surfaces 500 ml", 4.4, 6),
    ]
    for sku, name, price, step in products:
        cat.add(
            sku,
            name,
            "produits-entretien",
            "case" if sku.endswith("-C4") else "piece",
            4 if sku.endswith("-C4") else 1,
            jitter(rng, price, 0.03),
            "Produit d'entretien professionnel pour collectivités, bureaux et ateliers. "
            "Fiche de données de sécurité sur demande."
            + (f" Vendu par carton de {step}." if step > 1 else ""),
            qty_step=step,
        )
    for colour, code in (("bleue", "BL"), ("rouge", "RO"), ("verte", "VE"), ("jaune", "JA")):
        cat.add(
            f"LAV-MF-{code}-L10",
            f"Lavette microfibre 40×40 {colour} — lot de 10",
            "materiel-entretien",
            "pack",
            10,
            jitter(rng, 12.9, 0.02),
            "Lavettes microfibre 300 g/m², lavables 300 fois à 90 °C; code couleur HACCP.",
        )
    tools = [
        ("SEAU-12L", "Seau plastique gradué 12 L", 3.5),
        ("SEAU-ESS-25L", "Seau essoreur à presse 25 L", 27.0),
        ("BALAI-FRANGE-400", "Balai frange coton 400 g", 5.9),
        ("BALAI-TRAP-60", "Balai trapèze 60 cm avec support", 15.9),
        ("MANCHE-ALU-140", "Manche aluminium 140 cm", 4.9),
        ("BALAI-BROSSE", "Balai-brosse de lavage fibres dures", 6.5),
        ("RACLETTE-SOL-45", "Raclette sol caoutchouc 45 cm", 8.9),
        ("FRANGE-MF-40-L5", "Frange microfibre lavage à plat 40 cm — lot de 5", 24.0),
        ("EPONGE-GRAT-L10", "Éponge grattoir verte — lot de 10", 4.5),
        ("CHIFFON-COTON-10KG", "Chiffons d'essuyage coton blanc — sac de 10 kg", 29.0),
    ]
    for sku, name, price in tools:
        lot = sku.endswith(("-L5", "-L10"))
        cat.add(
            sku,
            name,
            "materiel-entretien",
            "pack" if lot else "piece",
            int(sku.rsplit("-L", 1)[1]) if lot else 1,
            jitter(rng, price, 0.03),
            "Matériel d'entretien professionnel, robuste et facile à nettoyer.",
        )
    bags = [
        ("SAC-30L-BL-C500", "Sac poubelle 30 L blanc 20 µm — carton de 500", 500, 19.0),
        ("SAC-50L-NO-C500", "Sac poubelle 50 L noir 25 µm — carton de 500", 500, 27.0),
        ("SAC-100L-NO-C200", "Sac poubelle 100 L noir 30 µm — carton de 200", 200, 24.0),
        ("SAC-100L-TR-C200", "Sac poubelle 100 L transparent 30 µm — carton de 200", 200,
         26.0),
        ("SAC-110L-GR-C200", "Sac poubelle 110 L gris 40 µm — carton de 200", 200, 31.0),
        ("SAC-130L-RENF-C100", "Sac poubelle 130 L renforcé 50 µm — carton de 100", 100,
         27.0),
        ("SAC-50L-BIO-C500", "Sac compostable 50 L — carton de 500", 500, 46.0),
        ("SAC-GRAVATS-L20", "Sac à gravats tissé 55×95 cm — lot de 20", 20, 12.0),
    ]  # fmt: skip
    for sku, name, pack, price in bags:
        cat.add(
            sku,
            name,
            "sacs-dechets",
            "pack" if sku.endswith("-L20") else "case",
            pack,
            jitter(rng, price, 0.03),
            "Sacs à déchets en rouleaux prédécoupés, soudure fond étoile anti-fuite.",
        )


def add_outillage(cat: Catalog, rng: random.Random) -> None:
    for d, length in [("6", "110"), ("6", "160"), ("8", "110"), ("8", "160"), ("10", "160"),
                      ("12", "210")]:  # fmt: skip
        cat.add(
            f"FORET-SDS-{int(d):02d}{length}",
            f"Foret béton SDS-Plus Ø{d}×{length} mm",
            "forets",
            "piece",
            1,
            jitter(rng, 2.2 + int(d) * int(length) / 400),
            "Foret béton 4 taillants carbure pour perforateur SDS-Plus.",
        )
    for d in ("3", "4", "5", "6", "8", "10"):
        cat.add(
            f"FORET-HSSCO-{int(d):02d}-B10",
            f"Foret métal HSS-Co 5 % Ø{d} mm — boîte de 10",
            "forets",
            "box",
            10,
            jitter(rng, 9 + int(d) ** 2 * 0.55),
            "Foret métal au cobalt, affûtage 135° à amincissement d'âme, pour acier "
            "inoxydable. 10 forets par boîte.",
        )
    cat.add(
        "COFF-FORET-BOIS-8",
        "Coffret de 8 forets à bois Ø3 à 10 mm",
        "forets",
        "piece",
        1,
        jitter(rng, 14.9),
        "Forets à bois à pointe de centrage, coffret plastique.",
    )
    cat.add(
        "COFF-FORET-HSS-19",
        "Coffret de 19 forets métal HSS Ø1 à 10 mm",
        "forets",
        "piece",
        1,
        jitter(rng, 24.9),
        "Forets métal HSS rectifiés, coffret métallique.",
    )
    for size, price in (("125x1.0", 18.0), ("125x1.6", 17.0), ("230x1.9", 39.0)):
        diameter, thickness = size.split("x")
        cat.add(
            f"DISQ-TRONC-{diameter}-{thickness}-B25",
            f"Disque à tronçonner métal {diameter}×{thickness.replace('.', ',')} mm — boîte de 25",
            "abrasifs",
            "box",
            25,
            jitter(rng, price),
            "Disque à tronçonner l'acier et l'inox pour meuleuse, alésage 22,23 mm.",
        )
    for diameter, price in (("125", 19.9), ("230", 39.0)):
        cat.add(
            f"DISQ-DIAM-{diameter}",
            f"Disque diamant universel Ø{diameter} mm",
            "abrasifs",
            "piece",
            1,
            jitter(rng, price),
            "Disque diamant segmenté pour béton, brique et pierre, alésage 22,23 mm.",
        )
    for grit in ("40", "60", "80"):
        cat.add(
            f"DISQ-LAM-125-G{grit}-B10",
            f"Disque à lamelles zircon Ø125 grain {grit} — boîte de 10",
            "abrasifs",
            "box",
            10,
            jitter(rng, 21.0),
            "Disque à lamelles pour ébavurage et finition de l'acier et de l'inox.",
        )
    for grit in ("80", "120"):
        cat.add(
            f"ABRAS-RL-115-G{grit}",
            f"Papier abrasif en rouleau 115 mm × 50 m grain {grit}",
            "abrasifs",
            "roll",
            1,
            jitter(rng, 27.0),
            "Abrasif corindon sur toile souple pour ponçage manuel du bois et des métaux.",
        )
    hand_tools = [
        ("CUTTER-18", "Cutter professionnel lame 18 mm", 5.9, 6),
        ("LAME-CUT-18-B10", "Lames de cutter sécables 18 mm — étui de 10", 1.9, 12),
        ("METRE-5M", "Mètre ruban 5 m × 25 mm", 7.9, 1),
        ("NIVEAU-60", "Niveau à bulle aluminium 60 cm", 12.9, 1),
        ("MARTEAU-500", "Marteau de menuisier 500 g manche fibre", 13.5, 1),
        ("TOURNEV-COFF-6", "Jeu de 6 tournevis isolés 1000 V", 21.0, 1),
        ("PINCE-MULTI-250", "Pince multiprise 250 mm", 14.9, 1),
        ("CRAYON-CHARP-B12", "Crayon de charpentier 24 cm — boîte de 12", 6.9, 1),
        ("AGRAFEUSE-MUR", "Agrafeuse murale à agrafes type 53", 19.9, 1),
        ("AGRAFES-53-8-B5000", "Agrafes type 53 de 8 mm — boîte de 5000", 3.9, 1),
    ]
    for sku, name, price, step in hand_tools:
        boxed = "-B" in sku
        cat.add(
            sku,
            name,
            "outils-main",
            "box" if boxed else "piece",
            int(sku.rsplit("-B", 1)[1]) if boxed else 1,
            jitter(rng, price, 0.03),
            "Outillage à main professionnel pour l'atelier et le chantier."
            + (f" Vendu par {step}." if step > 1 else ""),
            qty_step=step,
        )


def add_electricite(cat: Catalog, rng: random.Random) -> None:
    colours = (("bleu", "BL"), ("rouge", "RO"), ("vert/jaune", "VJ"), ("noir", "NO"),
               ("marron", "MA"))  # fmt: skip
    for section, price in (("1,5", 24.0), ("2,5", 37.0)):
        for colour, code in colours:
            cat.add(
                f"CAB-H07VU-{tenths(section)}-{code}-100M",
                f"Câble H07V-U {section} mm² {colour} — couronne de 100 m",
                "cables",
                "roll",
                1,
                jitter(rng, price, 0.02),
                "Conducteur cuivre rigide isolé PVC, pour installations sous conduit, "
                "NF C 32-201. Couronne de 100 mètres.",
            )
    for spec, price in (("3G1,5", 42.0), ("3G2,5", 64.0), ("5G2,5", 99.0)):
        cat.add(
            f"CAB-R2V-{spec.replace(',', '')}-50M",
            f"Câble R2V {spec} mm² — couronne de 50 m",
            "cables",
            "roll",
            1,
            jitter(rng, price, 0.03),
            "Câble d'installation rigide à gaine PVC noire, pose apparente ou enterrée "
            "sous fourreau. Couronne de 50 mètres.",
        )
    for diameter, price in (("20", 19.0), ("25", 26.0)):
        cat.add(
            f"GAINE-ICTA-{diameter}-100M",
            f"Gaine ICTA Ø{diameter} mm avec tire-fil — couronne de 100 m",
            "cables",
            "roll",
            1,
            jitter(rng, price, 0.03),
            "Conduit annelé souple pour encastrement, avec tire-fil. Couronne de 100 mètres.",
        )
    batteries = [
        ("PILE-AA-LR6-B24", "Piles alcalines AA LR6 — boîte de 24", "box", 24, 11.9),
        ("PILE-AAA-LR03-B24", "Piles alcalines AAA LR03 — boîte de 24", "box", 24, 11.9),
        ("PILE-9V-6LR61-B12", "Piles alcalines 9 V 6LR61 — boîte de 12", "box", 12, 21.0),
        ("PILE-C-LR14-B12", "Piles alcalines C LR14 — boîte de 12", "box", 12, 17.5),
        ("PILE-D-LR20-B12", "Piles alcalines D LR20 — boîte de 12", "box", 12, 19.5),
        ("PILE-CR2032-L5", "Piles lithium bouton CR2032 — blister de 5", "pack", 5, 4.2),
    ]
    for sku, name, unit, pack, price in batteries:
        cat.add(
            sku,
            name,
            "piles",
            unit,
            pack,
            jitter(rng, price, 0.03),
            "Piles longue durée pour télécommandes, détecteurs, lampes et appareils de mesure.",
        )
    connection = [
        ("BORNE-3E-B100", "Bornes de connexion automatiques 3 entrées — boîte de 100", "box",
         100, 21.0),
        ("BORNE-5E-B50", "Bornes de connexion automatiques 5 entrées — boîte de 50", "box",
         50, 17.0),
        ("DOMINO-6-B10", "Barrettes de dominos 6 mm² — boîte de 10", "box", 10, 6.9),
        ("RALL-10M-3G15", "Rallonge électrique 10 m 3G1,5 mm²", "piece", 1, 14.9),
        ("RALL-25M-3G15", "Rallonge électrique 25 m 3G1,5 mm²", "piece", 1, 27.0),
        ("ENROUL-25M", "Enrouleur de chantier 25 m 4 prises IP44", "piece", 1, 39.0),
        ("ENROUL-40M", "Enrouleur de chantier 40 m 4 prises IP44", "piece", 1, 54.0),
        ("MULTIP-5P", "Multiprise 5 prises avec interrupteur 1,5 m", "piece", 1, 8.9),
        ("COLLIER-200-L100", "Colliers de serrage 200×4,8 mm noirs — sachet de 100", "pack",
         100, 3.2),
        ("COLLIER-300-L100", "Colliers de serrage 300×4,8 mm noirs — sachet de 100", "pack",
         100, 4.6),
    ]  # fmt: skip
    for sku, name, unit, pack, price in connection:
        cat.add(
            sku,
            name,
            "raccordement",
            unit,
            pack,
            jitter(rng, price, 0.03),
            "Matériel de raccordement et de distribution électrique conforme NF.",
        )


def add_eclairage(cat: Catalog, rng: random.Random) -> None:
    bulbs = [
        ("E27", "806", "8,5", "2700"), ("E27", "806", "8,5", "4000"),
        ("E27", "1055", "10,5", "2700"), ("E27", "1521", "13", "4000"),
        ("E14", "470", "4,9", "2700"), ("E14", "470", "4,9", "4000"),
        ("GU10", "345", "4,7", "2700"), ("GU10", "345", "4,7", "4000"),
    ]  # fmt: skip
    for base, lumens, watts, kelvin in bulbs:
        cat.add(
            f"LED-{base}-{lumens}-{kelvin[:2]}K",
            f"Ampoule LED {base} {watts} W {lumens} lm {kelvin} K",
            "ampoules",
            "piece",
            1,
            jitter(rng, 1.6 + int(lumens) / 330, 0.03),
            "Ampoule LED à durée de vie 15 000 h, non gradable, classe énergétique F. "
            "Vendue par carton de 6.",
            qty_step=6,
        )
    for length, watts, price in (("60", "9", 4.9), ("120", "18", 6.5), ("150", "24", 8.9)):
        for kelvin in ("4000", "6500"):
            cat.add(
                f"TUBE-T8-{length}-{kelvin[:2]}K",
                f"Tube LED T8 {length} cm {watts} W {kelvin} K",
                "tubes-projecteurs",
                "piece",
                1,
                jitter(rng, price, 0.03),
                "Tube LED de remplacement pour réglettes T8, starter fusible fourni.",
            )
    for watts, price in (("20", 14.9), ("50", 27.0), ("100", 49.0), ("150", 72.0)):
        cat.add(
            f"PROJ-LED-{watts}W",
            f"Projecteur LED extra-plat {watts} W IP65 4000 K",
            "tubes-projecteurs",
            "piece",
            1,
            jitter(rng, price, 0.03),
            "Projecteur LED aluminium pour l'extérieur, étanche IP65, étrier orientable.",
        )
    cat.add(
        "HUBLOT-LED-15W",
        "Hublot LED 15 W IP65 avec détecteur",
        "tubes-projecteurs",
        "piece",
        1,
        jitter(rng, 24.0),
        "Hublot rond pour couloirs et extérieurs, détecteur de mouvement hyperfréquence.",
    )
    cat.add(
        "REGL-ETANCHE-2X120",
        "Réglette étanche LED 2 × 120 cm IP65",
        "tubes-projecteurs",
        "piece",
        1,
        jitter(rng, 29.0),
        "Boîtier étanche pour deux tubes LED T8 de 120 cm (non fournis), parkings et ateliers.",
    )


def add_signalisation(cat: Catalog, rng: random.Random) -> None:
    signs = [
        ("SORTIE", "Sortie de secours"), ("EXTINCT", "Extincteur"),
        ("FUMER", "Défense de fumer"), ("EPI-OBLIG", "Port des EPI obligatoire"),
        ("DANGER-ELEC", "Danger électrique"), ("ISSUE-D", "Issue de secours flèche à droite"),
        ("ISSUE-G", "Issue de secours flèche à gauche"), ("SECOURS", "Premiers secours"),
        ("RASSEMBL", "Point de rassemblement"), ("CHARIOT", "Danger chariots élévateurs"),
    ]  # fmt: skip
    for code, label in signs:
        cat.add(
            f"PAN-{code}-200",
            f"Panneau « {label} » PVC 200×200 mm",
            "panneaux",
            "piece",
            1,
            jitter(rng, 4.9, 0.03),
            "Panneau de sécurité conforme ISO 7010, PVC rigide 1,5 mm, angles arrondis.",
        )
    cat.add(
        "PAN-SORTIE-PHOTO-300",
        "Panneau « Sortie de secours » photoluminescent 300×150 mm",
        "panneaux",
        "piece",
        1,
        jitter(rng, 9.9),
        "Panneau photoluminescent classe C, visible en cas de coupure d'éclairage.",
    )
    tapes = [
        ("RUBALISE-RB-100", "Rubalise rouge et blanche 50 mm × 100 m", "roll", 3.9, 12),
        ("RUBALISE-JN-100", "Rubalise jaune et noire 50 mm × 100 m", "roll", 3.9, 12),
        ("MARQ-SOL-JA-33", "Ruban de marquage au sol jaune 50 mm × 33 m", "roll", 8.9, 1),
        ("MARQ-SOL-BL-33", "Ruban de marquage au sol blanc 50 mm × 33 m", "roll", 8.9, 1),
        ("MARQ-SOL-RO-33", "Ruban de marquage au sol rouge 50 mm × 33 m", "roll", 8.9, 1),
        ("MARQ-SOL-VE-33", "Ruban de marquage au sol vert 50 mm × 33 m", "roll", 8.9, 1),
        ("MARQ-SOL-JN-33", "Ruban de marquage au sol jaune et noir 50 mm × 33 m", "roll",
         9.9, 1),
        ("CONE-50", "Cône de signalisation 50 cm 2 bandes réfléchissantes", "piece", 7.9, 1),
        ("CONE-75", "Cône de signalisation 75 cm 2 bandes réfléchissantes", "piece", 14.9, 1),
        ("CHAINE-RB-25M", "Chaîne plastique rouge et blanche Ø6 mm — 25 m", "piece", 12.9,
         1),
        ("POTEAU-RB-L6", "Poteaux de balisage rouges et blancs — lot de 6", "pack", 59.0, 1),
        ("BARRIERE-PLIANTE", "Barrière de chantier pliante 1,5 m rouge et blanche", "piece",
         44.0, 1),
    ]  # fmt: skip
    for sku, name, unit, price, step in tapes:
        cat.add(
            sku,
            name,
            "balisage",
            unit,
            6 if sku.endswith("-L6") else 1,
            jitter(rng, price, 0.03),
            "Matériel de balisage pour la délimitation des zones de travail et des "
            "allées de circulation." + (f" Vendu par carton de {step}." if step > 1 else ""),
            qty_step=step,
        )


def add_restauration(cat: Catalog, rng: random.Random) -> None:
    for cl, price in (("10", 19.0), ("18", 24.0), ("25", 31.0), ("30", 36.0)):
        cat.add(
            f"GOB-CART-{cl}-C1000",
            f"Gobelet carton blanc {cl} cl — carton de 1000",
            "gobelets",
            "case",
            1000,
            jitter(rng, price, 0.03),
            "Gobelet carton pour boissons chaudes et froides, revêtement aqueux sans "
            "plastique ajouté. 1000 gobelets par carton.",
        )
    cat.add(
        "GOB-DP-35-C500",
        "Gobelet carton double paroi kraft 35 cl — carton de 500",
        "gobelets",
        "case",
        500,
        jitter(rng, 49.0),
        "Gobelet double paroi isolant pour la vente à emporter.",
    )
    cat.add(
        "COUV-GOB-25-C1000",
        "Couvercle carton pour gobelet 25 et 30 cl — carton de 1000",
        "gobelets",
        "case",
        1000,
        jitter(rng, 44.0),
        "Couvercle en fibres moulées avec bec verseur.",
    )
    cat.add(
        "AGIT-BOIS-B1000",
        "Agitateur bois 14 cm — boîte de 1000",
        "gobelets",
        "box",
        1000,
        jitter(rng, 4.9),
        "Agitateurs en bouleau non traité, emballage vrac.",
    )
    tableware = [
        ("ASS-PULPE-23-C500", "Assiette ronde pulpe 23 cm — carton de 500", 500, 38.0),
        ("ASS-CART-18-C1000", "Assiette carton blanche 18 cm — carton de 1000", 1000, 29.0),
        ("BOL-PULPE-50-C500", "Bol pulpe 50 cl — carton de 500", 500, 41.0),
        ("BARQ-KRAFT-750-C300", "Barquette kraft 750 ml avec couvercle — carton de 300", 300,
         62.0),
        ("FOURCH-BOIS-C1000", "Fourchette bois 16 cm — carton de 1000", 1000, 21.0),
        ("COUT-BOIS-C1000", "Couteau bois 16 cm — carton de 1000", 1000, 21.0),
        ("CUIL-BOIS-C1000", "Cuillère bois 16 cm — carton de 1000", 1000, 21.0),
        ("KIT-COUV-4-C250", "Kit couverts bois 4 en 1 sous sachet — carton de 250", 250,
         29.0),
        ("SERV-33-BL-C2000", "Serviettes papier 2 plis 33×33 blanches — carton de 2000",
         2000, 34.0),
        ("BOITE-BURGER-C200", "Boîte burger carton kraft — carton de 200", 200, 31.0),
    ]  # fmt: skip
    for sku, name, pack, price in tableware:
        cat.add(
            sku,
            name,
            "vaisselle-jetable",
            "case",
            pack,
            jitter(rng, price, 0.03),
            "Vaisselle jetable compostable pour la restauration collective et la vente à emporter.",
        )
    cat.add(
        "NAPPE-120-25M",
        "Nappe papier blanche en rouleau 1,20 × 25 m",
        "vaisselle-jetable",
        "roll",
        1,
        jitter(rng, 9.9),
        "Nappe en papier damassé 48 g pour tables de réception.",
    )
    grocery = [
        ("SUCRE-BUCH-B500", "Sucre en bûchettes 4 g — boîte de 500", "box", 500, 9.9, 1),
        ("CAFE-GRAINS-1KG", "Café en grains pur arabica 1 kg", "piece", 1, 17.9, 6),
        ("CAFE-MOULU-250", "Café moulu pur arabica 250 g", "piece", 1, 4.3, 12),
        ("THE-ASS-B100", "Thés en sachets assortis — boîte de 100", "box", 100, 11.5, 1),
        ("EAU-50CL-P24", "Eau minérale naturelle 50 cl — pack de 24", "pack", 24, 7.9, 1),
        ("CHOCO-POUDRE-1KG", "Chocolat en poudre pour distributeur 1 kg", "piece", 1, 8.9, 1),
        ("LAIT-DOSES-B200", "Lait concentré en micro-doses — boîte de 200", "box", 200, 14.9,
         1),
        ("BISC-IND-C300", "Biscuits emballés individuellement — carton de 300", "case", 300,
         27.0, 1),
    ]  # fmt: skip
    for sku, name, unit, pack, price, step in grocery:
        cat.add(
            sku,
            name,
            "epicerie",
            unit,
            pack,
            jitter(rng, price, 0.03),
            "Produit alimentaire pour les espaces de pause et les salles de réunion "
            "(TVA à taux réduit)." + (f" Vendu par carton de {step}." if step > 1 else ""),
            tax_class="reduced",
            qty_step=step,
        )


def add_stockage(cat: Catalog, rng: random.Random) -> None:
    for size, price in (("1", 1.4), ("2", 1.9), ("3", 2.9), ("4", 5.9), ("5", 8.9)):
        cat.add(
            f"BAC-BEC-T{size}-BL",
            f"Bac à bec bleu taille {size}",
            "bacs",
            "piece",
            1,
            jitter(rng, price, 0.03),
            "Bac de rangement gerbable en polypropylène, porte-étiquette frontal. "
            "Vendu par carton de 12.",
            qty_step=12,
        )
    crates = [
        ("CAISSE-NAV-604032", "Caisse navette 60×40×32 cm avec couvercle", 19.9),
        ("CAISSE-EURO-604022", "Caisse norme Europe 60×40×22 cm", 11.9),
        ("CAISSE-EURO-604042", "Caisse norme Europe 60×40×42 cm", 17.9),
        ("BOITE-RANG-10C", "Boîte de rangement 10 compartiments amovibles", 9.9),
    ]
    for sku, name, price in crates:
        cat.add(
            sku,
            name,
            "bacs",
            "piece",
            1,
            jitter(rng, price, 0.03),
            "Caisse plastique alimentaire en polypropylène, gerbable.",
        )
    cat.add(
        "PAL-EPAL-OCC",
        "Palette Europe EPAL 1200×800 d'occasion 1er choix",
        "palettes",
        "piece",
        1,
        jitter(rng, 11.5),
        "Palette bois EPAL réparée et contrôlée, charge 1500 kg.",
        qty_step=6,
    )
    cat.add(
        "PAL-PERDUE-1208",
        "Palette perdue légère 1200×800",
        "palettes",
        "piece",
        1,
        jitter(rng, 6.9),
        "Palette bois à usage unique pour l'expédition, charge 500 kg.",
        qty_step=6,
    )
    deposits = [
        ("CONSIGNE-EPAL", "Consigne palette Europe EPAL", 12.0),
        ("CONSIGNE-NAVETTE", "Consigne caisse navette", 8.0),
        ("CONSIGNE-BAC-GERB", "Consigne bac gerbable de livraison", 5.0),
    ]
    for sku, name, price in deposits:
        cat.add(
            sku,
            name,
            "palettes",
            "piece",
            1,
            Decimal(str(price)).quantize(CENT),
            "Consigne remboursée au retour du support en bon état (hors champ de la TVA).",
            tax_class="zero",
        )


def add_special(cat: Catalog, rng: random.Random) -> None:
    """Pallets for wholesalers, ACME's own printed items, and made-to-order items."""
    pallets = [
        ("PAL-RAM-A4-80", "Palette ramettes A4 80 g blanc — 240 ramettes", "papeterie", 240,
         1020.0, "Palette complète de 48 cartons de 5 ramettes A4 80 g."),
        ("PAL-PT-2P-C96", "Palette papier toilette 2 plis — 40 colis de 96 rouleaux",
         "papier", 40, 1190.0, "Palette complète de papier toilette 2 plis 200 formats."),
        ("PAL-FILM-M17", "Palette film étirable manuel 17 µm — 60 colis de 6 rouleaux",
         "films", 60, 2050.0, "Palette complète de film étirable 450 mm × 300 m."),
    ]  # fmt: skip
    for sku, name, category, pack, price, text in pallets:
        cat.add(
            sku,
            name,
            category,
            "pallet",
            pack,
            jitter(rng, price, 0.02),
            text + " Livraison sur quai par transporteur, réservé aux grossistes.",
            max_qty=10,
            visibility="groups",
            groups=["WHOLESALE"],
        )
    exclusives = [
        ("SAC-KRAFT-ACME-L250", "Sac kraft imprimé logo ACME 32×12×41 — lot de 250", "pack",
         250, "emballage", 118.0),
        ("CRT-DC-604040-ACME-L10", "Carton double cannelure 60×40×40 marquage ACME — lot de "
         "10", "pack", 10, "cartons", 27.0),
        ("ADH-PP48-ACME-C36", "Ruban adhésif PP imprimé logo ACME 48 mm × 100 m — colis de "
         "36", "case", 36, "adhesifs", 88.0),
    ]  # fmt: skip
    for sku, name, unit, pack, category, price in exclusives:
        cat.add(
            sku,
            name,
            category,
            unit,
            pack,
            jitter(rng, price, 0.02),
            "Article personnalisé aux couleurs d'ACME Industrie, fabriqué à la commande "
            "et réservé à ce client.",
            visibility="companies",
            companies=["ACME"],
        )
    on_quotation = [
        ("RAYON-SUR-MESURE", "Rayonnage métallique sur mesure (sur devis)", "bacs"),
        ("ARMOIRE-SECU-PROD", "Armoire de sécurité pour produits inflammables (sur devis)",
         "bacs"),
        ("TRANSPAL-2500", "Transpalette manuel 2500 kg (sur devis)", "palettes"),
        ("PAN-PERSO-LOGO", "Panneau de signalisation personnalisé (sur devis)", "panneaux"),
        ("GOB-PERSO-LOGO", "Gobelet carton imprimé à votre logo (sur devis)", "gobelets"),
    ]  # fmt: skip
    for sku, name, category in on_quotation:
        cat.add(
            sku,
            name,
            category,
            "piece",
            1,
            None,
            "Prix sur demande: contactez notre service commercial pour un devis.",
        )


def add_families(cat: Catalog, rng: random.Random) -> None:
    """Articles ordered from a grid of sizes × colours (issue 20): each cell its own SKU,
    price and stock; a cell that is not made is left out."""
    colours = {"NO": "Noir", "BL": "Bleu"}
    english_colours = {"NO": "Black", "BL": "Blue"}
    gloves = {
        "code": "GNT-ENDUIT",
        "name": "Gants de manutention enduits nitrile — lot de 12 paires",
        "description": "Gants tricotés polyester enduits nitrile sur la paume, EN 388. "
        "Choisissez taille et couleur dans la grille.",
        "category": "gants",
        "axes": [
            {"name": "Taille", "values": ["7", "8", "9", "10"]},
            {"name": "Couleur", "values": list(colours.values())},
        ],
        "variants": [],
        "translations": {
            "en": {
                "name": "Nitrile-coated handling gloves — pack of 12 pairs",
                "description": "Knitted polyester gloves with a nitrile-coated palm, EN 388. "
                "Choose the size and colour in the grid.",
                "row_axis": "Size",
                "column_axis": "Colour",
                # the sizes read alike in English; the colours are labels of the French values
                "column_values": list(english_colours.values()),
            }
        },
    }
    for size in ("7", "8", "9", "10"):
        for code, colour in colours.items():
            if (size, code) == ("7", "NO"):
                continue  # the black coating is not made in size 7
            sku = f"GNT-ENDUIT-{size}-{code}"
            cat.add(
                sku,
                f"Gants enduits nitrile {colour.lower()} taille {size} — lot de 12 paires",
                "gants",
                "pack",
                12,
                jitter(rng, 21.5 if code == "BL" else 22.9, 0.01),
                "Gants tricotés polyester enduits nitrile sur la paume, bonne préhension en "
                "milieu sec et gras, EN 388. 12 paires par lot.",
            )
            gloves["variants"].append({"sku": sku, "values": [size, colour]})
    shirt_colours = {"MAR": "Bleu marine", "GRI": "Gris"}
    english_shirt_colours = {"MAR": "Navy blue", "GRI": "Grey"}
    shirts = {
        "code": "CHEM-LOGO",
        "name": "Chemise de travail brodée à votre logo",
        "description": "Chemise manches longues polycoton 245 g, brodée de votre logo sur la "
        "poitrine (fichier fourni à la commande). À partir de 10 pièces par taille et couleur.",
        "category": "vetements",
        "axes": [
            {"name": "Taille", "values": ["S", "M", "L", "XL", "XXL"]},
            {"name": "Couleur", "values": list(shirt_colours.values())},
        ],
        "variants": [],
        "translations": {
            "en": {
                "name": "Work shirt embroidered with your logo",
                "description": "Long-sleeved 245 g polycotton shirt, embroidered with your logo "
                "on the chest (file supplied with the order). From 10 pieces per size and "
                "colour.",
                "row_axis": "Size",
                "column_axis": "Colour",
                "column_values": list(english_shirt_colours.values()),
            }
        },
    }
    for size in ("S", "M", "L", "XL", "XXL"):
        for code, colour in shirt_colours.items():
            sku = f"CHEM-LOGO-{size}-{code}"
            cat.add(
                sku,
                f"Chemise de travail brodée logo {colour.lower()} taille {size}",
                "vetements",
                "piece",
                1,
                jitter(rng, 34.0 if size != "XXL" else 37.5, 0.01),
                "Chemise polycoton brodée de votre logo, fabriquée à la commande.",
                min_qty=10,
            )
            shirts["variants"].append({"sku": sku, "values": [size, colour]})
    cat.families += [gloves, shirts]


def assign_stock(cat: Catalog, rng: random.Random) -> None:
    ranges = {
        "pallet": (4, 30),
        "roll": (20, 600),
        "case": (20, 900),
        "box": (50, 2500),
        "pack": (40, 1500),
        "piece": (20, 1500),
    }
    for product in cat.products:
        if cat.base_price[product["sku"]] is None:
            product["stock"], product["backorder"] = 0, True
            continue
        draw = rng.random()
        if draw < 0.05:
            product["stock"], product["backorder"] = 0, True
        elif draw < 0.08:
            product["stock"], product["backorder"] = 0, False
        else:
            low, high = ranges[product["unit"]]
            price = cat.base_price[product["sku"]]
            if price >= 50:  # fewer dear items on the shelves
                low, high = max(2, low // 10), max(10, high // 10)
            elif price >= 15:
                low, high = low // 3 or 1, high // 3
            product["stock"] = (
                rng.randrange(low, high) // product["qty_step"] * product["qty_step"]
                or product["qty_step"]
            )
            product["backorder"] = rng.random() < 0.3


def build_catalog(rng: random.Random) -> Catalog:
    cat = Catalog()
    for add in (
        add_fixations,
        add_hygiene,
        add_emballage,
        add_epi,
        add_bureau,
        add_nettoyage,
        add_outillage,
        add_electricite,
        add_eclairage,
        add_signalisation,
        add_restauration,
        add_stockage,
        add_special,
        add_families,
    ):
        add(cat, rng)
    assign_stock(cat, rng)
    return cat


# --- price lists --------------------------------------------------------------------------


def list_price(value: Decimal) -> Decimal:
    """A list price: to the cent from 2 euros, to a hundredth of a cent below."""
    return round2(value) if value >= 2 else round4(value)


def tiers(base: Decimal, steps: list[tuple[int, str]]) -> list[tuple[int, Decimal]]:
    """(min_qty, price) for each (min_qty, factor of the base price)."""
    return [(min_qty, list_price(base * Decimal(factor))) for min_qty, factor in steps]


def entries(sku: str, tier_list: list[tuple[int, Decimal]]) -> list[dict]:
    return [{"sku": sku, "min_qty": q, "price": price_text(p)} for q, p in tier_list]


class Prices:
    """The price lists, with the BASE tiers kept for pricing the order history."""

    def __init__(self, cat: Catalog, rng: random.Random):
        self.cat = cat
        self.rng = rng
        self.base_tiers: dict[str, list[tuple[int, Decimal]]] = {}
        self.lists: list[dict] = []

    def priced_skus(self, predicate=lambda product: True) -> list[str]:
        return [
            p["sku"]
            for p in self.cat.products
            if self.cat.base_price[p["sku"]] is not None and predicate(p)
        ]

    def build(self) -> list[dict]:
        rng = self.rng
        base_entries = []
        for sku in self.priced_skus():
            base = self.cat.base_price[sku]
            product = next(p for p in self.cat.products if p["sku"] == sku)
            draw = rng.random()
            if product["unit"] == "pallet" or product["tax_class"] == "zero" or draw < 0.35:
                steps = [(1, "1")]
            elif draw < 0.55:
                steps = [(1, "1"), (10, "0.95")]
            elif draw < 0.72:
                steps = [(1, "1"), (10, "0.95"), (50, "0.90")]
            else:
                steps = [(1, "1"), (10, "0.95"), (50, "0.90"), (100, "0.85")]
            self.base_tiers[sku] = tiers(base, steps)
            base_entries += entries(sku, self.base_tiers[sku])
        self.add("BASE", "Tarif général", base_entries)

        pro_skus = rng.sample(self.priced_skus(lambda p: p["visibility"] == "all"), 8)
        self.add(
            "PRO",
            "Tarif professionnels",
            self.derived(pro_skus, [(1, "0.85"), (50, "0.78"), (100, "0.74")]),
            priority=2,
            parent="BASE",
            adjustment_percent="-8",
        )
        pallets = self.priced_skus(lambda p: p["unit"] == "pallet")
        wholesale = pallets + rng.sample(
            self.priced_skus(lambda p: p["visibility"] == "all" and p["tax_class"] != "zero"),
            97,
        )
        wholesale_entries = []
        for sku in wholesale:
            if sku in pallets:
                wholesale_entries += self.derived([sku], [(1, "0.88"), (5, "0.85")])
            else:
                wholesale_entries += self.derived([sku], [(1, "0.84"), (50, "0.79"), (200, "0.75")])
        self.add("WHOLESALE", "Tarif grossistes", wholesale_entries)

        winter = self.priced_skus(
            lambda p: (
                p["category"] in {"gants", "savons", "papier", "ampoules", "epicerie"}
                and p["visibility"] == "all"
            )
        )
        self.add(
            "SOLDES-HIVER",
            "Soldes d'hiver 2026-2027",
            self.derived(sorted(rng.sample(winter, 24), key=winter.index),
                         [(1, "0.80"), (50, "0.72")]),
            priority=1,
            valid_from="2026-12-01",
            valid_until="2027-02-28",
        )  # fmt: skip

        acme = self.priced_skus(lambda p: p["companies"] == ["ACME"])
        packaging = self.priced_skus(
            lambda p: top_category(p["category"]) == "emballage" and p["visibility"] == "all"
        )
        self.add(
            "ACME-CONTRACT",
            "Contrat ACME Industrie 2026",
            self.derived(acme, [(1, "0.82")])
            + self.derived(rng.sample(packaging, 14), [(1, "0.76"), (100, "0.72")]),
        )
        fixings = self.priced_skus(lambda p: top_category(p["category"]) == "fixations")
        self.add(
            "BATIPRO-CONTRACT",
            "Contrat Bâti Pro Rénovation",
            self.derived(rng.sample(fixings, 12), [(1, "0.80"), (20, "0.76")]),
        )
        care = self.priced_skus(
            lambda p: p["category"] in {"gants", "masques", "savons"} and p["visibility"] == "all"
        )
        self.add(
            "SANTE-CONTRACT",
            "Contrat établissements de santé",
            self.derived(rng.sample(care, 12), [(1, "0.78")]),
            valid_from="2026-01-01",
            valid_until="2026-12-31",
        )
        return self.lists

    def derived(self, skus: list[str], steps: list[tuple[int, str]]) -> list[dict]:
        result = []
        for sku in skus:
            result += entries(sku, tiers(self.cat.base_price[sku], steps))
        return result

    def add(self, code, name, entry_list, *, priority=0, parent=None, adjustment_percent=None,
            valid_from=None, valid_until=None):  # fmt: skip
        self.lists.append(
            {
                "code": code,
                "name": name,
                "currency": "EUR",
                "priority": priority,
                "parent": parent,
                "adjustment_percent": adjustment_percent,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "entries": entry_list,
            }
        )

    def base_unit_price(self, sku: str, qty: int) -> Decimal:
        """The BASE list's price for `qty`: the tier with the largest min_qty <= qty."""
        return [price for min_qty, price in self.base_tiers[sku] if min_qty <= qty][-1]


# --- groups and promotions ----------------------------------------------------------------

NONPROFIT_CATEGORIES = ["hygiene", "nettoyage", "restauration-jetable", "bureau"]

# Wholesalers buy some references by the carton: (sku, min_qty, max_qty, qty_step); a null
# value keeps the product's own rule.
WHOLESALE_RULES = [
    ("GNT-NIT-M-B100", 20, None, 10),
    ("GNT-NIT-L-B100", 20, None, 10),
    ("RAM-A4-80-C5", 24, 480, 12),
    ("SCEL-300-PE", 48, None, 24),
    ("GEL-HA-500", 48, None, 24),
]


def build_groups() -> list[dict]:
    return [
        {
            "code": "RETAIL",
            "name": "Détaillants",
            "price_lists": ["SOLDES-HIVER"],
            "min_order_amount": None,
            "tax_exempt": False,
            "catalog_categories": None,
            "volume_discounts": [],
            "order_rules": [],
        },
        {
            "code": "PRO",
            "name": "Professionnels",
            "price_lists": ["PRO", "SOLDES-HIVER"],
            "min_order_amount": None,
            "tax_exempt": False,
            "catalog_categories": None,
            "volume_discounts": [
                {"min_total_qty": 200, "percent": "2"},
                {"min_total_qty": 500, "percent": "3"},
            ],
            "order_rules": [],
        },
        {
            "code": "WHOLESALE",
            "name": "Grossistes",
            "price_lists": ["WHOLESALE"],
            "min_order_amount": "500.00",
            "tax_exempt": False,
            "catalog_categories": None,
            "volume_discounts": [
                {"min_total_qty": 500, "percent": "2"},
                {"min_total_qty": 1000, "percent": "3.5"},
                {"min_total_qty": 2500, "percent": "5"},
            ],
            "order_rules": [
                {"sku": sku, "min_qty": low, "max_qty": high, "qty_step": step}
                for sku, low, high, step in WHOLESALE_RULES
            ],
        },
        {
            "code": "NONPROFIT",
            "name": "Associations",
            "price_lists": [],
            "min_order_amount": None,
            "tax_exempt": True,
            "catalog_categories": NONPROFIT_CATEGORIES,
            "volume_discounts": [],
            "order_rules": [],
        },
    ]


def build_promotions() -> list[dict]:
    return [
        {
            "code": "GANTS-HIVER-2025",
            "name": "Gants d'hiver",
            "translations": {"en": {"name": "Winter gloves"}},
            "groups": ["RETAIL", "PRO"],
            "percent": "10",
            "skus": [],
            "categories": ["gants"],
            "valid_from": "2025-11-01",
            "valid_until": "2025-12-31",
        },
        {
            "code": "HYGIENE-PRO-2026",
            "name": "Hygiène 2026 pour les professionnels",
            "translations": {"en": {"name": "Hygiene 2026 for professionals"}},
            "groups": ["PRO", "WHOLESALE"],
            "percent": "5",
            "skus": ["GEL-HA-500", "LING-DESINF-500"],
            "categories": ["hygiene"],
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
        },
        {
            "code": "NETTOYAGE-PRINTEMPS-2027",
            "name": "Grand nettoyage de printemps",
            "translations": {"en": {"name": "Big spring clean"}},
            "groups": ["RETAIL", "PRO", "WHOLESALE"],
            "percent": "7.5",
            "skus": [],
            "categories": ["nettoyage"],
            "valid_from": "2027-01-01",
            "valid_until": "2027-03-31",
        },
        {
            "code": "ASSO-PAUSE",
            "name": "Associations: la pause café",
            "translations": {"en": {"name": "Non-profits: the coffee break"}},
            "groups": ["NONPROFIT"],
            "percent": "8",
            "skus": ["CAFE-GRAINS-1KG", "THE-ASS-B100", "SUCRE-BUCH-B500"],
            "categories": [],
            "valid_from": None,
            "valid_until": None,
        },
    ]


# --- companies ----------------------------------------------------------------------------

# code, name, group, status, country, region, credit limit, contract lists, buyer's first
# and last name, addresses (code, line1, line2, city, postal code), order count, the
# categories (top-level or leaf) the company usually buys.
COMPANIES = [
    ("ACME", "ACME Industrie SAS", "WHOLESALE", "approved", "FR", None, "25000.00",
     ["ACME-CONTRACT"], ("Nathalie", "Perrin"),
     [("HQ", "12 rue des Frères Lumière", "", "Lyon", "69008"),
      ("ENTREPOT", "4 allée des Forges", "ZI Lyon Sud-Est", "Saint-Priest", "69800")],
     40, ["emballage", "epi", "hygiene", "nettoyage", "stockage"]),
    ("LOGINORD", "Logistique du Nord SAS", "WHOLESALE", "approved", "FR", None, "25000.00", [],
     ("Julien", "Vandamme"),
     [("HQ", "145 avenue Jean Jaurès", "", "Roubaix", "59100"),
      ("ENTREPOT", "8 rue de la Martinoire", "Parc d'activités du Sapin Vert", "Wattrelos",
       "59150")],
     25, ["emballage", "stockage", "epi", "signalisation"]),
    ("ANTWERPPACK", "Antwerp Pack NV", "WHOLESALE", "approved", "BE", None, "25000.00", [],
     ("Pieter", "Janssens"), [("HQ", "Noorderlaan 112", "", "Antwerpen", "2030")],
     18, ["emballage", "stockage", "epi"]),
    ("BATIPRO", "Bâti Pro Rénovation SARL", "PRO", "approved", "FR", None, "10000.00",
     ["BATIPRO-CONTRACT"], ("Thomas", "Guérin"),
     [("HQ", "27 boulevard des Poilus", "", "Nantes", "44300"),
      ("ENTREPOT", "3 rue Lavoisier", "ZA de la Chantrerie", "Carquefou", "44470")],
     24, ["fixations", "outillage", "electricite", "epi", "signalisation"]),
    ("STROCH", "Clinique Saint-Roch", "PRO", "approved", "FR", None, "10000.00",
     ["SANTE-CONTRACT"], ("Claire", "Fabre"),
     [("HQ", "560 avenue du Père Soulas", "", "Montpellier", "34090")],
     15, ["hygiene", "epi", "nettoyage", "bureau"]),
    ("BUREAUPLUS", "Bureau Plus Gironde SARL", "PRO", "approved", "FR", None, None, [],
     ("Sophie", "Lacoste"), [("HQ", "43 cours de l'Intendance", "", "Bordeaux", "33000")],
     15, ["bureau", "eclairage", "piles"]),
    ("BXLCLEAN", "Brussels Clean Services SRL", "PRO", "approved", "BE", None, None, [],
     ("Amélie", "Dubois"),
     [("HQ", "Chaussée de Louvain 312", "", "Schaerbeek", "1030"),
      ("ENTREPOT", "Rue du Charroi 45", "", "Anderlecht", "1070")],
     12, ["nettoyage", "hygiene", "epi"]),
    ("KOELNTECH", "Köln Haustechnik GmbH", "PRO", "approved", "DE", None, "10000.00", [],
     ("Markus", "Becker"), [("HQ", "Venloer Straße 241", "", "Köln", "50823")],
     10, ["electricite", "eclairage", "fixations", "outillage"]),
    ("HUDSON", "Hudson Office Supply Inc.", "PRO", "approved", "US", "NY", "10000.00", [],
     ("Emily", "Carter"),
     [("HQ", "350 Fifth Avenue", "Suite 4100", "New York", "10118"),
      ("ENTREPOT", "55-20 48th Street", "", "Maspeth", "11378")],
     10, ["bureau", "piles", "eclairage"]),
    ("BKLYNDELI", "Brooklyn Deli Group LLC", "PRO", "approved", "US", "NY", None, [],
     ("Michael", "Russo"), [("HQ", "210 Court Street", "", "Brooklyn", "11201")],
     8, ["gobelets", "vaisselle-jetable", "papier", "nettoyage"]),
    ("PACIFAB", "Pacific Fabrication Corp.", "RETAIL", "approved", "US", "CA", None, [],
     ("Daniel", "Kim"), [("HQ", "1200 Harbour Way South", "", "Richmond", "94804")],
     0, []),
    ("HOTELMER", "Hôtel de la Mer SAS", "RETAIL", "approved", "FR", None, None, [],
     ("Isabelle", "Etcheverry"),
     [("HQ", "3 promenade de la Grande Plage", "", "Biarritz", "64200")],
     4, ["hygiene", "nettoyage", "restauration-jetable", "eclairage"]),
    ("BOUCHONS", "Les Bouchons Lyonnais SARL", "RETAIL", "approved", "FR", None, None, [],
     ("Paul", "Mercier"), [("HQ", "14 rue Mercière", "", "Lyon", "69002")],
     5, ["restauration-jetable", "nettoyage", "hygiene"]),
    ("GARAGEDUVAL", "Garage Duval & Fils", "RETAIL", "approved", "FR", None, None, [],
     ("Michel", "Duval"), [("HQ", "82 route de Darnétal", "", "Rouen", "76000")],
     1, ["outillage", "epi", "savons"]),
    ("CAMPINGPINS", "Camping Les Pins SARL", "RETAIL", "approved", "FR", None, None, [],
     ("Karine", "Moreau"), [("HQ", "Route de la Plage", "Lieu-dit Le Moutchic", "Lacanau",
                             "33680")],
     3, ["hygiene", "nettoyage", "eclairage", "signalisation"]),
    ("SOLIPARTAGE", "Association Solidarité Partage", "NONPROFIT", "approved", "FR", None,
     None, [], ("Fatima", "Benali"), [("HQ", "9 rue de Wazemmes", "", "Lille", "59000")],
     8, ["hygiene", "restauration-jetable", "nettoyage", "bureau"]),
    ("MONTESSORI", "École Montessori des Tilleuls", "RETAIL", "pending", "FR", None, None, [],
     ("Hélène", "Roux"), [("HQ", "21 avenue des Tilleuls", "", "Annecy", "74000")],
     0, []),
    ("IMPRIDUPUIS", "Imprimerie Dupuis SARL", "PRO", "suspended", "FR", None, None, [],
     ("Bernard", "Dupuis"), [("HQ", "6 rue Nationale", "", "Tours", "37000")],
     0, []),
]  # fmt: skip
PINNED = {"SOLIPARTAGE"}  # its buyers would otherwise be moved to PRO by their order count
CERTIFICATES = {
    "HUDSON": {
        "number": "NY-EX-2026-0412",
        "country": "US",
        "region": "NY",
        "issued_on": "2026-01-15",
        "expires_on": "2027-01-15",
        "status": "approved",
        "rejection_reason": "",
    },
    "PACIFAB": {
        "number": "CA-RS-2026-1187",
        "country": "US",
        "region": "CA",
        "issued_on": "2026-10-05",
        "expires_on": "2027-10-05",
        "status": "pending",
        "rejection_reason": "",
    },
}


# ACME buys as a team (issue 15): two sites, and colleagues with other roles than the
# administrator's, some of them limited to the warehouse.
STORE_ROLES = [
    {
        "code": "MAGASINIER",
        "name": "Magasinier",
        "permissions": ["see_prices", "manage_lists", "request_quotes"],
    },
]
TEAMS = {
    "ACME": {
        "locations": [
            {"code": "LYON", "name": "Siège Lyon", "addresses": ["HQ"], "billing_address": "HQ"},
            {"code": "STPRIEST", "name": "Entrepôt Saint-Priest", "addresses": ["ENTREPOT"]},
        ],
        "users": [
            ("approbation", "approver", "Karim", "Haddad", None),
            ("demandes", "requester", "Léa", "Marchal", ["STPRIEST"]),
            ("magasin", "MAGASINIER", "Hugo", "Perret", ["STPRIEST"]),
            ("compta", "viewer", "Odile", "Besson", None),
        ],
        # Approvals (issue 16): Léa's big orders wait for Karim; the warehouse spends at most
        # 5,000 EUR a month, beyond which an order goes to the administrator.
        "approval_rules": [
            {
                "name": "Demandes de plus de 2 000 €",
                "level": 1,
                "approver_roles": ["approver"],
                "approvers": [],
                "active": True,
                "conditions": [
                    {"kind": "total_above", "values": [], "amount": "2000.00"},
                    {"kind": "requester_role", "values": ["requester"], "amount": None},
                ],
            },
            {
                "name": "Dépassement de budget",
                "level": 2,
                "approver_roles": ["admin"],
                "approvers": [],
                "active": True,
                "conditions": [{"kind": "budget_exceeded", "values": [], "amount": None}],
            },
        ],
        "budgets": [
            {
                "location": "STPRIEST",
                "user": None,
                "period": "month",
                "amount": "5000.00",
                "over_budget": "approval",
                "active": True,
            },
        ],
    },
}


def build_companies(rng: random.Random) -> list[dict]:
    result = []
    for (
        code, name, group, status, country, region, credit, lists, (first, last), addresses,
        _orders, _categories,
    ) in COMPANIES:  # fmt: skip
        vat_number = VAT_MAKERS[country](rng) if country in VAT_MAKERS else ""
        result.append(
            {
                "code": code,
                "name": name,
                "group": group,
                "status": status,
                "country": country,
                "region": region,
                "vat_number": vat_number,
                "pinned_group": code in PINNED,
                "price_lists": lists,
                "credit_limit": credit,
                "addresses": [
                    {
                        "code": address_code,
                        "line1": line1,
                        "line2": line2,
                        "city": city,
                        "postal_code": postal_code,
                        "country": country,
                        "region": region,
                    }
                    for address_code, line1, line2, city, postal_code in addresses
                ],
                "tax_certificates": [CERTIFICATES[code]] if code in CERTIFICATES else [],
                "users": [
                    {
                        "email": f"acheteur@{code.lower()}.example",
                        "password": USER_PASSWORD,
                        "role": "admin",
                        "first_name": first,
                        "last_name": last,
                    }
                ],
            }
        )
        team = TEAMS.get(code)
        if team:
            result[-1]["locations"] = team["locations"]
            result[-1]["users"] += [
                {
                    "email": f"{login}@{code.lower()}.example",
                    "password": USER_PASSWORD,
                    "role": role,
                    "first_name": first_name,
                    "last_name": last_name,
                    "locations": locations,
                }
                for login, role, first_name, last_name, locations in team["users"]
            ]
            result[-1]["approval_rules"] = team["approval_rules"]
            result[-1]["budgets"] = team["budgets"]
    return result


# --- payment, shipping, segmentation ------------------------------------------------------


METHODS_EN = {
    "VIREMENT": {
        "name": "Bank transfer",
        "instructions": "Transfer to Comptoir Martin & Fils — IBAN FR76 3000 6000 0112 3456 "
        "7890 189 — BIC AGRIFRPP. Give the order number as reference; the order ships when "
        "the funds arrive.",
    },
    "CHEQUE": {"name": "Cheque"},
    "FACTURE30": {
        "name": "Invoice, 30 days",
        "instructions": "Payment 30 days from the invoice date, within your credit limit.",
    },
    "FACTURE60": {"name": "Invoice, 60 days"},
    "CONTRE-REMBOURSEMENT": {
        "name": "Cash on delivery",
        "instructions": "Pay the carrier on delivery (cheque or card).",
    },
    "STANDARD": {"name": "Standard delivery (48-72 h)"},
    "EXPRESS": {"name": "Express delivery (24 h)"},
    "PALETTE": {"name": "Pallet delivery by carrier"},
    "RETRAIT": {"name": "Collection from the Vénissieux depot"},
}


def in_english(methods: list[dict]) -> list[dict]:
    """The methods with their English text (those already named in English have none)."""
    for method in methods:
        if method["code"] in METHODS_EN:
            method["translations"] = {"en": METHODS_EN[method["code"]]}
    return methods


def build_payment_methods() -> list[dict]:
    return [
        {
            "code": "VIREMENT",
            "type": "bank_transfer",
            "name": "Virement bancaire",
            "net_days": None,
            "active": True,
            "position": 1,
            "instructions": "Virement à l'ordre de Comptoir Martin & Fils — IBAN FR76 3000 "
            "6000 0112 3456 7890 189 — BIC AGRIFRPP. Indiquez le numéro de commande en "
            "référence; la commande est expédiée à réception des fonds.",
            "conditions": conditions(),
        },
        {
            "code": "CHEQUE",
            "type": "cheque",
            "name": "Chèque",
            "net_days": None,
            "active": True,
            "position": 2,
            "instructions": "Chèque à l'ordre de Comptoir Martin & Fils, à envoyer au 18 rue "
            "de l'Industrie, 69200 Vénissieux, avec le numéro de commande au dos.",
            "conditions": conditions(countries=["FR"]),
        },
        {
            "code": "FACTURE30",
            "type": "invoice",
            "name": "Facture à 30 jours",
            "net_days": 30,
            "active": True,
            "position": 3,
            "instructions": "Paiement à 30 jours date de facture, dans la limite de votre "
            "encours autorisé.",
            "conditions": conditions(groups=["PRO", "WHOLESALE"]),
        },
        {
            "code": "FACTURE60",
            "type": "invoice",
            "name": "Facture à 60 jours",
            "net_days": 60,
            "active": True,
            "position": 4,
            "instructions": "Paiement à 60 jours date de facture pour les commandes de plus "
            "de 1 000 €, dans la limite de votre encours autorisé.",
            "conditions": conditions(groups=["WHOLESALE"], min_total="1000.00"),
        },
        {
            "code": "BON-COMMANDE",
            "type": "purchase_order",
            "name": "Purchase order",
            "net_days": None,
            "active": True,
            "position": 5,
            "instructions": "Enter your purchase order number; we invoice against it.",
            "conditions": conditions(countries=["US"]),
        },
        {
            "code": "CONTRE-REMBOURSEMENT",
            "type": "cash_on_delivery",
            "name": "Paiement à la livraison",
            "net_days": None,
            "active": True,
            "position": 6,
            "instructions": "Réglez le transporteur à la livraison (chèque ou carte).",
            "conditions": conditions(countries=["FR", "BE"], max_total="2000.00"),
        },
    ]


def build_shipping_methods() -> list[dict]:
    return [
        {
            "code": "STANDARD",
            "name": "Livraison standard (48-72 h)",
            "price": "15.00",
            "free_above": "500.00",
            "active": True,
            "position": 1,
            "conditions": conditions(),
        },
        {
            "code": "EXPRESS",
            "name": "Livraison express (24 h)",
            "price": "29.00",
            "free_above": None,
            "active": True,
            "position": 2,
            "conditions": conditions(),
        },
        {
            "code": "PALETTE",
            "name": "Livraison sur palette par transporteur",
            "price": "95.00",
            "free_above": None,
            "active": True,
            "position": 3,
            "conditions": conditions(groups=["WHOLESALE"], min_total="1000.00"),
        },
        {
            "code": "RETRAIT",
            "name": "Retrait au dépôt de Vénissieux",
            "price": "0.00",
            "free_above": None,
            "active": True,
            "position": 4,
            "conditions": conditions(countries=["FR"]),
        },
        {
            "code": "INTERNATIONAL",
            "name": "International shipping",
            "price": "45.00",
            "free_above": None,
            "active": True,
            "position": 5,
            "conditions": conditions(countries=["US"]),
        },
    ]


def build_segmentation_rules() -> list[dict]:
    return [
        {
            "position": 1,
            "group": "WHOLESALE",
            "active": True,
            "conditions": [{"field": "order_volume_12m", "op": ">=", "value": "50000"}],
        },
        {
            "position": 2,
            "group": "PRO",
            "active": True,
            "conditions": [{"field": "order_count_12m", "op": ">=", "value": "6"}],
        },
        {
            "position": 3,
            "group": "NONPROFIT",
            "active": False,
            "conditions": [
                {"field": "country", "op": "in", "value": ["FR", "BE"]},
                {
                    "field": "categories_bought",
                    "op": "in",
                    "value": ["hygiene", "restauration-jetable"],
                },
            ],
        },
    ]


def build_banners() -> list[dict]:
    """Home-page content: one for everyone in each language, one for the PRO group."""
    return [
        {
            "code": "NOEL-FR",
            "kind": "notice",
            "title": "Fermeture du dépôt du 24 au 26 décembre",
            "body": "Les commandes passées pendant la fermeture partent le 29 décembre.",
            "language": "fr",
            "valid_until": "2026-12-26",
        },
        {
            "code": "XMAS-EN",
            "kind": "notice",
            "title": "Warehouse closed from 24 to 26 December",
            "body": "Orders placed during the closure leave on 29 December.",
            "language": "en",
            "valid_until": "2026-12-26",
        },
        {
            "code": "PRO-OFFERS",
            "title": "Professionnels : vos offres du moment",
            "body": "Remises sur la quincaillerie et les consommables d'atelier.",
            "link_url": "/offers/",
            "groups": ["PRO"],
            "position": 1,
        },
    ]


# --- order history ------------------------------------------------------------------------

HISTORY_START = datetime.date(2025, 12, 1)
HISTORY_END = datetime.date(2026, 11, 20)
HOLIDAYS = {
    datetime.date(2025, 12, 25),
    datetime.date(2026, 1, 1),
    datetime.date(2026, 4, 6),
    datetime.date(2026, 5, 1),
    datetime.date(2026, 5, 8),
    datetime.date(2026, 5, 14),
    datetime.date(2026, 5, 25),
    datetime.date(2026, 7, 14),
    datetime.date(2026, 11, 11),
}
# Amount aimed at for one line, by group (euros, before rounding to the quantity rules).
LINE_TARGETS = {
    "RETAIL": (20, 180),
    "PRO": (60, 520),
    "WHOLESALE": (200, 1600),
    "NONPROFIT": (30, 220),
}
COMMENTS = [
    "Livraison au quai n°3, de 8 h à 16 h.",
    "Merci d'appeler avant la livraison.",
    "Livraison par l'entrée de service, rue arrière.",
    "Fermé le mercredi après-midi.",
    "Please deliver to the loading dock.",
]
EU_EXEMPT_COUNTRIES = {"BE", "DE"}  # member states other than the seller's (FR)


def business_days(rng: random.Random, count: int) -> list[datetime.date]:
    """`count` working days spread over the history, roughly evenly (a buying rhythm)."""
    span = (HISTORY_END - HISTORY_START).days
    days = []
    for index in range(count):
        start = span * index / count
        day = HISTORY_START + datetime.timedelta(days=int(start + rng.uniform(0, span / count)))
        while day.weekday() >= 5 or day in HOLIDAYS or day > HISTORY_END:
            day -= datetime.timedelta(days=1)
        days.append(day)
    return days


def placed_at(rng: random.Random, day: datetime.date) -> datetime.datetime:
    minutes = rng.randrange(7 * 60 + 30, 18 * 60 + 30)
    return datetime.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60,
                             tzinfo=PARIS)  # fmt: skip


class History:
    """The orders of the approved companies, priced at the BASE list without discounts."""

    def __init__(self, cat: Catalog, prices: Prices, groups: list[dict], companies: list[dict],
                 rng: random.Random):  # fmt: skip
        self.cat = cat
        self.prices = prices
        self.rng = rng
        self.products = {p["sku"]: p for p in cat.products}
        self.groups = {g["code"]: g for g in groups}
        self.companies = {c["code"]: c for c in companies}
        self.orders: list[dict] = []

    def rules(self, sku: str, group: str) -> tuple[int, int | None, int]:
        """(min_qty, max_qty, qty_step) for a group: its overrides, else the product's."""
        product = self.products[sku]
        rule = next((r for r in self.groups[group]["order_rules"] if r["sku"] == sku), {})
        min_qty = rule.get("min_qty") or product["min_qty"]
        step = rule.get("qty_step") or product["qty_step"]
        max_qty = rule["max_qty"] if rule.get("max_qty") is not None else product["max_qty"]
        return min_qty, max_qty, step

    def can_buy(self, company: dict, sku: str) -> bool:
        product = self.products[sku]
        group = self.groups[company["group"]]
        if self.cat.base_price[sku] is None or not product["active"]:
            return False
        if product["visibility"] == "groups" and company["group"] not in product["groups"]:
            return False
        if product["visibility"] == "companies" and company["code"] not in product["companies"]:
            return False
        allowed = group["catalog_categories"]
        if allowed is not None and top_category(product["category"]) not in allowed:
            return False
        # Only the standard class has a rate in the US states served.
        return company["country"] != "US" or product["tax_class"] == "standard"

    def basket(self, company: dict, categories: list[str]) -> list[str]:
        """The references a company buys again and again."""
        wanted = set(categories)
        candidates = [
            sku
            for sku, product in self.products.items()
            if self.can_buy(company, sku)
            and (product["category"] in wanted or top_category(product["category"]) in wanted)
            and product["visibility"] == "all"
        ]
        basket = self.rng.sample(candidates, min(len(candidates), self.rng.randrange(14, 30)))
        special = [
            sku
            for sku, product in self.products.items()
            if product["visibility"] != "all" and self.can_buy(company, sku)
        ]
        return basket + special

    def quantity(self, sku: str, group: str) -> int:
        min_qty, max_qty, step = self.rules(sku, group)
        if self.products[sku]["unit"] == "pallet":
            qty = self.rng.choice([1, 1, 2, 3])
        elif self.products[sku]["tax_class"] == "zero":  # deposits: a few supports
            qty = self.rng.randrange(1, 5) * step
        else:
            low, high = LINE_TARGETS[group]
            target = Decimal(self.rng.randrange(low, high))
            units = int(target / self.prices.base_unit_price(sku, 1)) or 1
            qty = max(min_qty, -(-units // step) * step)
        if max_qty is not None and qty > max_qty:
            qty = max_qty
        return qty

    def build(self) -> list[dict]:
        drafts = []
        for (code, *_rest, count, categories) in COMPANIES:  # fmt: skip
            company = self.companies[code]
            if company["status"] != "approved" or not count:
                continue
            basket = self.basket(company, categories)
            for day in business_days(self.rng, count):
                drafts.append((placed_at(self.rng, day), company, basket))
        drafts.sort(key=lambda draft: (draft[0], draft[1]["code"]))
        numbers = defaultdict(int)
        for moment, company, basket in drafts:
            numbers[moment.year] += 1
            number = f"CMD-{moment.year}-{numbers[moment.year]:06d}"
            self.orders.append(self.order(number, moment, company, basket))
        return self.orders

    def lines(self, company: dict, basket: list[str]) -> list[dict]:
        group = company["group"]
        count = min(len(basket), self.rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8]))
        result = []
        for sku in self.rng.sample(basket, count):
            product = self.products[sku]
            qty = self.quantity(sku, group)
            result.append(
                {
                    "sku": sku,
                    "name": product["name"],
                    "category": product["category"],
                    "qty": qty,
                    "unit_price": price_text(self.prices.base_unit_price(sku, qty)),
                    "promotion_percent": None,
                    "promotion": "0.00",
                    "volume_percent": None,
                    "volume": "0.00",
                    "tax_class": product["tax_class"],
                    "tax_rate": None,  # set with the tax lines
                }
            )
        if group == "WHOLESALE":
            # The group's minimum order amount: top up the first lines that can grow.
            while merchandise(result) < Decimal("500.00"):
                for line in result:
                    _min_qty, max_qty, step = self.rules(line["sku"], group)
                    if max_qty is None or line["qty"] + step <= max_qty:
                        line["qty"] += step
                        line["unit_price"] = price_text(
                            self.prices.base_unit_price(line["sku"], line["qty"])
                        )
                        break
                else:
                    raise AssertionError(f"cannot reach 500.00 for {company['code']}")
        return result

    def exemption(self, company: dict, moment: datetime.datetime) -> str | None:
        """DESIGN.md "Tax": the reason that exempts the whole order, if any."""
        address = company["addresses"][0]
        if address["country"] in EU_EXEMPT_COUNTRIES and eu_vat.is_valid(company["vat_number"]):
            return "reverse_charge"
        if self.groups[company["group"]]["tax_exempt"]:
            return "group_exempt"
        for certificate in company["tax_certificates"]:
            if (
                certificate["status"] == "approved"
                and certificate["country"] == address["country"]
                and certificate["region"] in (None, address["region"])
                and certificate["issued_on"]
                <= moment.date().isoformat()
                <= certificate["expires_on"]
            ):
                return f"certificate:{certificate['number']}"
        return None

    def priced_lines(self, company: dict, moment: datetime.datetime, basket) -> tuple:
        """Lines, shipping and tax lines of one order (DESIGN.md "Rounding" and "Tax")."""
        address = company["addresses"][0]
        lines = self.lines(company, basket)
        goods = merchandise(lines)
        shipping = Decimal("0.00") if goods >= Decimal("500.00") else Decimal("15.00")
        reason = self.exemption(company, moment)
        if reason is not None:
            for line in lines:
                line["tax_rate"] = "0.00"
            tax_lines = [
                {"rate": "0.00", "base": amount(goods + shipping), "amount": "0.00",
                 "reason": reason}
            ]  # fmt: skip
        else:
            bases = defaultdict(Decimal)
            standard = tax_rate(address["country"], address["region"], "standard")
            for line in lines:
                rate = tax_rate(address["country"], address["region"], line["tax_class"])
                line["tax_rate"] = rate_text(rate)
                bases[rate] += line_gross(line)
            bases[standard] += shipping
            tax_lines = [
                {
                    "rate": rate_text(rate),
                    "base": amount(base),
                    "amount": amount(base * rate / 100),
                    "reason": None,
                }
                for rate, base in sorted(bases.items(), reverse=True)
            ]
        return lines, goods, shipping, tax_lines

    def order(self, number: str, moment: datetime.datetime, company: dict, basket) -> dict:
        rng = self.rng
        address = company["addresses"][0]
        lines, goods, shipping, tax_lines = self.priced_lines(company, moment, basket)
        total = goods + shipping + sum(Decimal(t["amount"]) for t in tax_lines)
        status, payment_status = self.status(moment)
        method, po_number = self.payment(company, total)
        return {
            "number": number,
            "company": company["code"],
            "buyer": company["users"][0]["email"],
            "status": status,
            "payment_status": payment_status,
            "placed_at": moment.isoformat(),
            "currency": "EUR",
            "po_number": po_number,
            "comment": rng.choice(COMMENTS) if rng.random() < 0.08 else "",
            "payment_method": method,
            "shipping_method": "STANDARD",
            "shipping_address": {
                key: address[key]
                for key in ("line1", "line2", "city", "postal_code", "country", "region")
            },
            "billing_address": None,
            "lines": lines,
            "shipping_total": amount(shipping),
            "tax_lines": tax_lines,
        }

    def status(self, moment: datetime.datetime) -> tuple[str, str]:
        if moment.date() >= datetime.date(2026, 11, 12):
            return self.rng.choice([("placed", "unpaid"), ("confirmed", "unpaid")])
        if moment.date() >= datetime.date(2026, 11, 2):
            return "shipped", "unpaid"
        if self.rng.random() < 0.05:
            return "cancelled", "unpaid"
        return "delivered", "paid"

    def payment(self, company: dict, total: Decimal) -> tuple[str, str]:
        """An eligible payment method (payment_methods' conditions) and a PO number."""
        rng = self.rng
        country, group = company["country"], company["group"]
        if country == "US":
            if rng.random() < 0.8:
                return "BON-COMMANDE", f"PO-{rng.randrange(10_000, 99_999)}"
            return "VIREMENT", ""
        choices = ["VIREMENT"]
        if company["credit_limit"] and group in ("PRO", "WHOLESALE"):
            choices = ["FACTURE30"] * 4 + choices
            if group == "WHOLESALE" and total >= Decimal("1000.00"):
                choices += ["FACTURE60"] * 5
        else:
            if country == "FR":
                choices += ["CHEQUE"]
            if country in ("FR", "BE") and total <= Decimal("2000.00"):
                choices += ["CONTRE-REMBOURSEMENT"]
        method = rng.choice(choices)
        po_number = ""
        if company["code"] == "ACME":
            po_number = f"ACME-PO-{rng.randrange(2000, 9999)}"
        return method, po_number


# Invoices: one per order, issued the day it was placed (the store invoices on placement).
TERMS = {"FACTURE30": 30, "FACTURE60": 60}
PAID_BY = {"CHEQUE": "cheque", "CONTRE-REMBOURSEMENT": "cash_on_delivery"}
PARTLY_PAID = 3  # shipped orders whose buyer paid a first part


def order_total(order: dict) -> Decimal:
    """Σ net + shipping + tax (no discount in the history)."""
    tax = sum((Decimal(t["amount"]) for t in order["tax_lines"]), Decimal("0.00"))
    return merchandise(order["lines"]) + Decimal(order["shipping_total"]) + tax


def add_invoices(orders: list[dict]) -> None:
    """Gives every order its invoice, numbered FAC-<year>-000001... in placing order, and
    the payments its status says: paid ones in full before the history ends, a few shipped
    ones in part. Its own random generator, so the rest of the bundle stays as it was."""
    rng = random.Random(7)
    shipped = [o for o in orders if o["status"] == "shipped" and o["payment_method"] in TERMS]
    for order in rng.sample(shipped, min(PARTLY_PAID, len(shipped))):
        order["payment_status"] = "partly_paid"
    numbers = defaultdict(int)
    for order in orders:
        issued_on = datetime.datetime.fromisoformat(order["placed_at"]).date()
        numbers[issued_on.year] += 1
        number = f"FAC-{issued_on.year}-{numbers[issued_on.year]:06d}"
        due_on = issued_on + datetime.timedelta(days=TERMS.get(order["payment_method"], 0))
        method = PAID_BY.get(order["payment_method"], "bank_transfer")
        total = order_total(order)
        payments = []
        if order["payment_status"] == "paid":
            delay = rng.randrange(0, TERMS.get(order["payment_method"], 5) + 1)
            paid_on = min(issued_on + datetime.timedelta(days=delay), HISTORY_END)
            payments.append((total, paid_on))
        elif order["payment_status"] == "partly_paid":
            first = round2(total * Decimal(rng.choice(["0.3", "0.4", "0.5"])))
            payments.append((first, HISTORY_END))
        order["invoice"] = {
            "number": number,
            "issued_on": issued_on.isoformat(),
            "due_on": due_on.isoformat(),
            "payments": [
                {
                    "amount": amount(paid),
                    "paid_on": paid_on.isoformat(),
                    "method": method,
                    "reference": f"{'CHQ' if method == 'cheque' else 'VIR'} {number[-6:]}",
                }
                for paid, paid_on in payments
            ],
        }


def add_credit_and_return(orders: list[dict]) -> list[dict]:
    """One delivered, paid order taxed at 20 % gets a return of one unit of its first line,
    received and credited: its credit note takes that unit back (rules of
    comptoir/credits/rules.py: net in proportion, tax on it) and the merchant refunds it.
    Returns the bundle's `returns`."""
    order = next(
        o
        for o in orders
        if o["status"] == "delivered"
        and o["payment_status"] == "paid"
        and len(o["tax_lines"]) == 1
        and o["tax_lines"][0]["rate"] == "20.00"
        and not o["tax_lines"][0].get("reason")
        and o["lines"][0]["qty"] > 1
    )
    line = order["lines"][0]
    net = line_gross(line) - Decimal(line["promotion"]) - Decimal(line["volume"])
    taken = round2(net / line["qty"])
    tax = round2(taken * Decimal("20.00") / 100)
    placed = datetime.datetime.fromisoformat(order["placed_at"])
    credited_on = min(placed.date() + datetime.timedelta(days=12), HISTORY_END)
    number = f"AV-{credited_on.year}-000001"
    order["invoice"]["credit_notes"] = [
        {
            "number": number,
            "issued_on": credited_on.isoformat(),
            "kind": "lines",
            "reason": "Retour RMA-" + f"{credited_on.year}-000001",
            "lines": [
                {
                    "line": 0,
                    "sku": line["sku"],
                    "name": line["name"],
                    "quantity": 1,
                    "unit": "",
                    "unit_price": line["unit_price"],
                    "net": amount(taken),
                    "tax_rate": "20.00",
                }
            ],
            "tax_lines": [
                {"rate": "20.00", "base": amount(taken), "amount": amount(tax), "reason": None}
            ],
            "shipping": "0.00",
        }
    ]
    order["invoice"]["refunds"] = [
        {
            "amount": amount(taken + tax),
            "refunded_on": credited_on.isoformat(),
            "method": "bank_transfer",
            "reference": f"RBT {number}",
        }
    ]
    return [
        {
            "number": f"RMA-{credited_on.year}-000001",
            "order": order["number"],
            "state": "credited",
            "reason": "damaged",
            "comment": "Carton abîmé à la livraison.",
            "decision": "Merci de nous le renvoyer.",
            "restocked": False,
            "credit_note": number,
            "requested_at": (placed + datetime.timedelta(days=5)).isoformat(),
            "requested_by": order["buyer"],
            "lines": [{"sku": line["sku"], "quantity": 1}],
        }
    ]


def line_gross(line: dict) -> Decimal:
    return round2(Decimal(line["unit_price"]) * line["qty"])


def merchandise(lines: list[dict]) -> Decimal:
    """Σ net: no promotion and no volume discount in the history, so Σ gross."""
    return sum((line_gross(line) for line in lines), Decimal("0.00"))


def tax_rate(country: str, region: str | None, tax_class: str) -> Decimal:
    """The region's rate, else the country's (a gap is a bug of this script, not no_rate)."""
    for key in ((country, region, tax_class), (country, None, tax_class)):
        if key in TAX_RATES:
            return TAX_RATES[key]
    raise AssertionError(f"no {tax_class} rate for {country} {region}")


def build_quotes() -> list[dict]:
    """Two of ACME's quotes (issue 17): one sent and waiting for the buyer's answer, one the
    buyer asked to revise."""
    return [
        {
            "number": "DEV-2026-000001",
            "company": "ACME",
            "requester": "acheteur@acme.example",
            "location": "LYON",
            "state": "sent",
            "requested_at": "2026-11-20T09:12:00+01:00",
            "wished_delivery_date": "2027-01-15",
            "expires_on": "2027-01-31",
            "shipping_price": "0.00",
            "rounds": [
                {
                    "buyer_message": "Prix annuel pour 480 gants nitrile et 240 bacs à bec ?",
                    "merchant_message": "Notre prix pour 2027, livraison offerte.",
                    "opened_at": "2026-11-20T09:12:00+01:00",
                    "sent_at": "2026-11-21T14:30:00+01:00",
                    "expires_on": "2027-01-31",
                    "shipping_price": "0.00",
                    "lines": [
                        {
                            "sku": "GNT-NITN-S-B100",
                            "qty": 480,
                            "list_unit_price": "10.12",
                            "quoted_unit_price": "9.1234",
                            "unit_price": "9.1234",
                        },
                        {
                            "sku": "BAC-BEC-T4-BL",
                            "qty": 240,
                            "list_unit_price": "5.54",
                            "discount_percent": "8",
                            "unit_price": "5.0968",
                        },
                    ],
                }
            ],
        },
        {
            "number": "DEV-2026-000002",
            "company": "ACME",
            "requester": "acheteur@acme.example",
            "location": "STPRIEST",
            "state": "requested",
            "requested_at": "2026-11-25T16:05:00+01:00",
            "rounds": [
                {
                    "buyer_message": "Deux palettes par mois pour Saint-Priest : quel prix ?",
                    "opened_at": "2026-11-25T16:05:00+01:00",
                    "lines": [{"sku": "PAL-PT-2P-C96", "qty": 24, "list_unit_price": "1186.32"}],
                }
            ],
        },
    ]


def build_approval_requests(companies: list[dict], orders: list[dict]) -> list[dict]:
    """One order of Léa's waiting for Karim's approval (issue 16): the warehouse's repeat of
    ACME's last order above 2,000 EUR, at its prices, sent for approval by the rule above."""
    acme = next(company for company in companies if company["code"] == "ACME")
    rule = acme["approval_rules"][0]
    model = [o for o in orders if o["company"] == "ACME" and order_total(o) > Decimal("2000")][-1]
    address = next(a for a in acme["addresses"] if a["code"] == "ENTREPOT")
    submitted_at = datetime.datetime(2026, 11, 30, 14, 5, tzinfo=PARIS)
    return [
        {
            "number": "APR-2026-000001",
            "company": "ACME",
            "requester": "demandes@acme.example",
            "location": "STPRIEST",
            "status": "pending",
            "submitted_at": submitted_at.isoformat(),
            "valid_until": (submitted_at.date() + datetime.timedelta(days=14)).isoformat(),
            "decided_at": None,
            "rules": [
                {
                    "name": rule["name"],
                    "level": rule["level"],
                    "approver_roles": rule["approver_roles"],
                    "approvers": [],
                    "conditions": rule["conditions"],
                    "approved": False,
                }
            ],
            "requester_role": "requester",
            "budget_exceeded": False,
            "rejection_reason": "",
            "placement_problem": "",
            "order": None,
            "currency": "EUR",
            "customer_group": acme["group"],
            "po_number": "ACME-PO-2026-STP",
            "comment": "Réassort de l'entrepôt avant l'inventaire de décembre.",
            "payment_method": model["payment_method"],
            "shipping_method": model["shipping_method"],
            "shipping_address": {
                "line1": address["line1"],
                "line2": address["line2"],
                "city": address["city"],
                "postal_code": address["postal_code"],
                "country": address["country"],
                "region": address["region"],
            },
            "lines": [
                {key: line[key] for key in ("sku", "name", "qty", "unit_price", "tax_rate")}
                for line in model["lines"]
            ],
            "shipping_total": model["shipping_total"],
            "tax_lines": model["tax_lines"],
            "events": [
                {
                    "at": submitted_at.isoformat(),
                    "actor": "demandes@acme.example",
                    "action": "submitted",
                    "level": 1,
                }
            ],
        }
    ]


# Products also sold by the packaging (docs/units-of-measure.md): the base unit stays the
# piece, stock and price tiers count pieces.
PACKAGINGS = {
    "LUN-INCOL-EN166": [
        {"unit": "box", "factor": 12},
        {"unit": "carton", "factor": 240, "percent_off": "5"},
    ],
    "GILET-HV-JA-XL": [
        {"unit": "pack", "factor": 12},
        {"unit": "carton", "factor": 120, "percent_off": "4"},
        {"unit": "pallet", "factor": 2880, "percent_off": "8"},
    ],
}


def add_packagings(products: list[dict]) -> None:
    for product in products:
        if product["sku"] in PACKAGINGS:
            assert product["unit"] == "piece", product["sku"]
            product["packagings"] = PACKAGINGS[product["sku"]]


# --- pictures -----------------------------------------------------------------------------

# One colour per top category, so that the pictures of a family look alike.
PICTURE_COLOURS = [
    (37, 99, 235),
    (22, 163, 74),
    (217, 119, 6),
    (220, 38, 38),
    (124, 58, 237),
    (8, 145, 178),
    (190, 24, 93),
    (75, 85, 99),
    (101, 163, 13),
    (234, 88, 12),
    (13, 148, 136),
    (79, 70, 229),
    (161, 98, 7),
    (71, 85, 105),
    (157, 23, 77),
]


def add_pictures(products: list[dict]) -> None:
    """The first two products of each top category get a picture: a tile of the category's
    colour with the SKU, written to demo/images/ (and their `images` key). Pillow's built-in
    font has ASCII only, as SKUs are; the name is the picture's alternative text."""
    tops = [code for code, _name, parent in CATEGORIES if parent is None]
    seen: dict[str, int] = defaultdict(int)
    PICTURES.mkdir(exist_ok=True)
    for product in products:
        top = top_category(product["category"])
        if seen[top] == 2:
            continue
        seen[top] += 1
        colour = PICTURE_COLOURS[tops.index(top) % len(PICTURE_COLOURS)]
        name = f"{product['sku'].lower()}.png"
        draw_picture(PICTURES / name, colour, product["sku"])
        product["images"] = [{"path": f"images/{name}", "alt": product["name"]}]


def draw_picture(path: Path, colour: tuple[int, int, int], sku: str) -> None:
    tile = Image.new("RGB", (800, 600), colour)
    draw = ImageDraw.Draw(tile)
    draw.rounded_rectangle((40, 40, 760, 560), radius=32, outline=(255, 255, 255), width=6)
    font = ImageFont.load_default(size=64 if len(sku) <= 16 else 44)
    draw.text((400, 300), sku, fill=(255, 255, 255), anchor="mm", font=font)
    # Sixteen colours keep each file near 10 KB in the repository.
    tile.quantize(colors=16).save(path, format="PNG", optimize=True)


def draw_logo(path: Path) -> str:
    """The store's logo for the dark header: an amber mark and the name in white on a
    transparent ground (docs/bundle.md, `store.logo`)."""
    logo = Image.new("RGBA", (720, 144), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    draw.rounded_rectangle((0, 12, 120, 132), radius=24, fill=(255, 176, 32))
    draw.text((60, 72), "M", fill=(15, 29, 51), anchor="mm", font=ImageFont.load_default(size=84))
    draw.text(
        (150, 72), "MARTIN & FILS", fill="white", anchor="lm", font=ImageFont.load_default(size=68)
    )
    logo.save(path, format="PNG", optimize=True)
    return f"images/{path.name}"


# --- the bundle and its invariants --------------------------------------------------------


def build_bundle() -> dict:
    rng = RNG
    cat = build_catalog(rng)
    add_packagings(cat.products)
    add_pictures(cat.products)
    prices = Prices(cat, rng)
    price_lists = prices.build()
    groups = build_groups()
    companies = build_companies(rng)
    orders = History(cat, prices, groups, companies, rng).build()
    add_invoices(orders)
    returns = add_credit_and_return(orders)
    PICTURES.mkdir(exist_ok=True)
    return {
        "store": STORE | {"logo": draw_logo(PICTURES / "logo.png")},
        "tax_rates": [
            {"country": country, "region": region, "tax_class": tax_class, "rate": rate_text(rate)}
            for (country, region, tax_class), rate in TAX_RATES.items()
        ],
        "categories": build_categories(),
        "products": cat.products,
        "families": cat.families,
        "price_lists": price_lists,
        "groups": groups,
        "promotions": build_promotions(),
        "roles": STORE_ROLES,
        "companies": companies,
        "payment_methods": in_english(build_payment_methods()),
        "shipping_methods": in_english(build_shipping_methods()),
        "segmentation_rules": build_segmentation_rules(),
        "banners": build_banners(),
        "orders": orders,
        "approval_requests": build_approval_requests(companies, orders),
        "quotes": build_quotes(),
        "returns": returns,
    }


def unique(values, label: str) -> set:
    values = list(values)
    seen = set()
    for value in values:
        assert value not in seen, f"duplicate {label} {value!r}"
        seen.add(value)
    return seen


def decimals(text: str) -> int:
    assert isinstance(text, str), f"{text!r} is not a string"
    return -Decimal(text).as_tuple().exponent


def check_quantities(label: str, min_qty: int, max_qty: int | None, step: int) -> None:
    assert min_qty % step == 0, f"{label}: min_qty {min_qty} not a multiple of {step}"
    if max_qty is not None:
        assert max_qty >= min_qty, f"{label}: max_qty {max_qty} below min_qty {min_qty}"
        assert max_qty % step == 0, f"{label}: max_qty {max_qty} not a multiple of {step}"


def check_catalog(bundle: dict) -> dict:
    categories = unique((c["code"] for c in bundle["categories"]), "category")
    for category in bundle["categories"]:
        assert is_code(category["code"])
        assert category["parent"] is None or category["parent"] in categories
    assert sum(c["parent"] is None for c in bundle["categories"]) >= 12
    products = {}
    for product in bundle["products"]:
        sku = product["sku"]
        assert sku not in products, f"duplicate SKU {sku}"
        products[sku] = product
        assert is_code(sku), f"bad SKU {sku!r}"
        assert product["category"] in categories, sku
        assert product["unit"] in UNITS, sku
        assert product["pack_size"] >= 1 and product["stock"] >= 0, sku
        check_quantities(sku, product["min_qty"], product["max_qty"], product["qty_step"])
        for kind in ("groups", "companies"):
            assert bool(product[kind]) == (product["visibility"] == kind), sku
    assert len(products) >= 300
    assert sum(p["stock"] == 0 and p["backorder"] for p in products.values()) >= 3
    assert sum(p["stock"] == 0 and not p["backorder"] for p in products.values()) >= 3
    return products


def check_prices(bundle: dict, products: dict) -> None:
    lists = {}
    for price_list in bundle["price_lists"]:
        code = price_list["code"]
        assert code not in lists and is_code(code), code
        lists[code] = price_list
        assert price_list["parent"] in (None, *lists), code
        assert (price_list["adjustment_percent"] is None) or price_list["parent"], code
        by_sku = defaultdict(list)
        for entry in price_list["entries"]:
            assert entry["sku"] in products, (code, entry["sku"])
            assert 2 <= decimals(entry["price"]) <= 4, (code, entry)
            by_sku[entry["sku"]].append((entry["min_qty"], Decimal(entry["price"])))
        for sku, tier_list in by_sku.items():
            unique((q for q, _ in tier_list), f"tier of {code}/{sku}")
            tier_prices = [p for _, p in sorted(tier_list)]
            assert tier_prices == sorted(tier_prices, reverse=True), (code, sku, tier_prices)
    base = {e["sku"] for e in lists["BASE"]["entries"]}
    anywhere = {e["sku"] for pl in lists.values() for e in pl["entries"]}
    unpriced = set(products) - anywhere
    assert 4 <= len(unpriced) <= 6 and base | unpriced == set(products), unpriced
    assert len({e["sku"] for e in lists["WHOLESALE"]["entries"]}) >= 95


def check_customers(bundle: dict, products: dict) -> None:
    groups = {g["code"]: g for g in bundle["groups"]}
    lists = {pl["code"] for pl in bundle["price_lists"]}
    categories = {c["code"] for c in bundle["categories"]}
    assert bundle["store"]["default_group"] in groups
    for group in groups.values():
        assert set(group["price_lists"]) <= lists, group["code"]
        assert set(group["catalog_categories"] or []) <= categories, group["code"]
        unique((t["min_total_qty"] for t in group["volume_discounts"]), "volume tier")
        unique((r["sku"] for r in group["order_rules"]), "order rule")
        for rule in group["order_rules"]:
            product = products[rule["sku"]]
            step = rule["qty_step"] or product["qty_step"]
            high = rule["max_qty"] if rule["max_qty"] is not None else product["max_qty"]
            check_quantities(rule["sku"], rule["min_qty"] or product["min_qty"], high, step)
    for promotion in bundle["promotions"]:
        assert promotion["groups"] and set(promotion["groups"]) <= set(groups)
        assert promotion["skus"] or promotion["categories"], promotion["code"]
        assert set(promotion["skus"]) <= set(products), promotion["code"]
        assert set(promotion["categories"]) <= categories, promotion["code"]
    companies = unique((c["code"] for c in bundle["companies"]), "company")
    unique((u["email"] for c in bundle["companies"] for u in c["users"]), "e-mail")
    for company in bundle["companies"]:
        code, country, vat = company["code"], company["country"], company["vat_number"]
        assert is_code(code) and company["group"] in groups, code
        assert set(company["price_lists"]) <= lists, code
        if country == "US":
            assert vat == "" and company["region"] in ("NY", "CA"), code
        else:
            assert company["region"] is None, code
            assert vat.startswith(country) and eu_vat.is_valid(vat), (code, vat)
        for address in company["addresses"]:
            assert (address["country"], address["region"]) == (country, company["region"])
        unique((a["code"] for a in company["addresses"]), f"address of {code}")
    for product in products.values():
        assert set(product["groups"]) <= set(groups) and set(product["companies"]) <= companies
    for section in ("payment_methods", "shipping_methods"):
        unique((m["code"] for m in bundle[section]), section)
        for method in bundle[section]:
            for key in ("countries", "groups", "companies"):
                assert method["conditions"][key] != [], (method["code"], key)
            assert set(method["conditions"]["groups"] or []) <= set(groups)
    for rule in bundle["segmentation_rules"]:
        assert rule["group"] in groups
    statuses = [c["status"] for c in bundle["companies"]]
    assert statuses.count("pending") == 1 and statuses.count("suspended") == 1
    assert sum(c["pinned_group"] for c in bundle["companies"]) == 1


def check_orders(bundle: dict, products: dict) -> dict[str, tuple[int, Decimal]]:
    """Order invariants; returns each company's (order count, merchandise) over 12 months."""
    companies = {c["code"]: c for c in bundle["companies"]}
    base = defaultdict(list)
    for entry in next(pl for pl in bundle["price_lists"] if pl["code"] == "BASE")["entries"]:
        base[entry["sku"]].append((entry["min_qty"], entry["price"]))
    rules = History(Catalog(), None, bundle["groups"], bundle["companies"], RNG)
    rules.products = products
    expected_number = defaultdict(int)
    invoice_numbers = defaultdict(int)
    previous = None
    profile = defaultdict(lambda: (0, Decimal("0.00")))
    for order in bundle["orders"]:
        number, company = order["number"], companies[order["company"]]
        moment = datetime.datetime.fromisoformat(order["placed_at"])
        assert previous is None or moment >= previous, number
        previous = moment
        assert moment.utcoffset() == moment.astimezone(PARIS).utcoffset(), number
        assert HISTORY_START <= moment.date() <= HISTORY_END, number
        expected_number[moment.year] += 1
        assert number == f"CMD-{moment.year}-{expected_number[moment.year]:06d}", number
        assert company["status"] == "approved", number
        assert order["buyer"] in {u["email"] for u in company["users"]}, number
        address = {k: v for k, v in company["addresses"][0].items() if k != "code"}
        assert order["shipping_address"] == address, number
        assert 1 <= len(order["lines"]) <= 8, number
        unique((line["sku"] for line in order["lines"]), f"SKU in {number}")
        group = company["group"]
        for line in order["lines"]:
            sku, qty = line["sku"], line["qty"]
            rules.cat.base_price[sku] = Decimal(base[sku][0][1]) if base[sku] else None
            assert rules.can_buy(company, sku), (number, sku)
            min_qty, max_qty, step = rules.rules(sku, group)
            assert qty >= min_qty and qty % step == 0, (number, sku, qty)
            assert max_qty is None or qty <= max_qty, (number, sku, qty)
            tier = [price for min_qty, price in sorted(base[sku]) if min_qty <= qty][-1]
            assert line["unit_price"] == tier, (number, sku)
            assert line["name"] == products[sku]["name"], (number, sku)
        goods = merchandise(order["lines"])
        shipping = Decimal(order["shipping_total"])
        assert shipping == (Decimal("0.00") if goods >= 500 else Decimal("15.00")), number
        assert group != "WHOLESALE" or goods >= 500, number
        assert decimals(order["shipping_total"]) == 2, number
        tax_base = Decimal("0.00")
        for tax_line in order["tax_lines"]:
            assert decimals(tax_line["base"]) == decimals(tax_line["amount"]) == 2, number
            rate, line_base = Decimal(tax_line["rate"]), Decimal(tax_line["base"])
            assert Decimal(tax_line["amount"]) == round2(line_base * rate / 100), number
            tax_base += line_base
            if tax_line["reason"] is None:
                at_rate = sum(
                    (line_gross(line) for line in order["lines"]
                     if Decimal(line["tax_rate"]) == rate),
                    Decimal("0.00"),
                )  # fmt: skip
                expected = tax_rate(address["country"], address["region"], "standard")
                assert line_base == at_rate + (shipping if rate == expected else 0), number
            else:
                assert len(order["tax_lines"]) == 1 and tax_line["rate"] == "0.00", number
                assert all(line["tax_rate"] == "0.00" for line in order["lines"]), number
        assert tax_base == goods + shipping, number
        if group == "NONPROFIT":
            assert order["tax_lines"][0]["reason"] == "group_exempt", number
        assert (order["payment_method"] == "BON-COMMANDE") <= bool(order["po_number"]), number
        if order["status"] == "delivered":
            assert order["payment_status"] == "paid", number
        invoice = order["invoice"]
        invoice_numbers[moment.year] += 1
        assert invoice["number"] == f"FAC-{moment.year}-{invoice_numbers[moment.year]:06d}"
        assert invoice["issued_on"] == moment.date().isoformat(), number
        paid = sum((Decimal(p["amount"]) for p in invoice["payments"]), Decimal("0.00"))
        total = order_total(order)
        expected = "paid" if paid == total else "partly_paid" if paid else "unpaid"
        assert order["payment_status"] == expected, (number, paid, total)
        if order["status"] != "cancelled":
            count, volume = profile[company["code"]]
            profile[company["code"]] = (count + 1, volume + goods)
    counts = [profile[c["code"]][0] for c in bundle["companies"] if c["status"] == "approved"]
    assert 0 in counts and 1 in counts, counts
    assert 180 <= len(bundle["orders"]) <= 220
    return profile


def check_segmentation(bundle: dict, profile: dict) -> None:
    """The rules, run on the history, leave every company where the bundle puts it."""
    for company in bundle["companies"]:
        if company["status"] != "approved" or company["pinned_group"]:
            continue
        count, volume = profile[company["code"]]
        if volume >= 50000:
            expected = "WHOLESALE"
        elif count >= 6:
            expected = "PRO"
        else:
            expected = company["group"]
            assert expected not in ("WHOLESALE", "PRO"), company["code"]
        assert company["group"] == expected, (company["code"], count, volume)


def check(bundle: dict) -> dict:
    products = check_catalog(bundle)
    check_prices(bundle, products)
    check_customers(bundle, products)
    profile = check_orders(bundle, products)
    check_segmentation(bundle, profile)
    return profile


def main() -> None:
    bundle = build_bundle()
    profile = check(bundle)
    with OUTPUT.open("w", encoding="utf-8") as out:
        json.dump(bundle, out, indent=1, ensure_ascii=False)
        out.write("\n")
    sizes = ", ".join(
        f"{len(value)} {key}" for key, value in bundle.items() if isinstance(value, list)
    )
    print(f"Wrote {OUTPUT}: {sizes}.")
    for code, (count, volume) in sorted(profile.items()):
        print(f"  {code:<12} {count:>3} orders, {volume:>10} EUR of merchandise")


if __name__ == "__main__":
    main()
