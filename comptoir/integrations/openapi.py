"""What the ERP routes answer, for the OpenAPI document (as api/openapi.py for the rest)."""

from typing import Any

from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from comptoir.api.openapi import COMPONENTS, REF, InvoiceOut, Order


class ErpProduct(BaseModel):
    sku: str
    name: str
    description: str
    category: str | None
    tax_class: str
    unit: str
    pack_size: int
    min_qty: int
    max_qty: int | None
    qty_step: int
    stock: int
    backorder: bool
    active: bool = Field(description="false: deactivated, no longer sold")
    visibility: str
    translations: dict[str, dict[str, str]] = Field(
        description="Name and description by language: the store's language (name and "
        "description above) and each language they are translated into (issue 20)"
    )
    updated_at: str


class ErpPriceList(BaseModel):
    code: str
    name: str
    currency: str
    priority: int
    parent: str | None
    adjustment_percent: str | None
    valid_from: str | None
    valid_until: str | None
    updated_at: str = Field(description="also moves when entries are written or deleted")


class ErpPriceEntry(BaseModel):
    price_list: str
    sku: str
    min_qty: int
    price: str
    updated_at: str


class ErpCompany(BaseModel):
    code: str
    name: str
    group: str
    status: str
    country: str
    region: str | None
    vat_number: str
    credit_limit: str | None
    updated_at: str


class ErpOrder(Order):
    company: str
    tax_mention: str
    updated_at: str


class ErpInvoice(InvoiceOut):
    company: str


class ErpDeletion(BaseModel):
    kind: str = Field(description="product, price_list or company")
    key: str = Field(description="the SKU or the code")
    deleted_at: str


def _page(name: str, item: type[BaseModel]) -> type[BaseModel]:
    """A sync page: the items in the order they changed, and where to go on from."""
    return type(
        name,
        (BaseModel,),
        {
            "__annotations__": {"items": list[item], "next_cursor": str, "has_more": bool},
            "__doc__": "Send `next_cursor` back as `cursor` for the next page.",
        },
    )


ErpProductPage = _page("ErpProductPage", ErpProduct)
ErpPriceListPage = _page("ErpPriceListPage", ErpPriceList)
ErpPriceEntryPage = _page("ErpPriceEntryPage", ErpPriceEntry)
ErpCompanyPage = _page("ErpCompanyPage", ErpCompany)
ErpOrderPage = _page("ErpOrderPage", ErpOrder)
ErpInvoicePage = _page("ErpInvoicePage", ErpInvoice)
ErpDeletionPage = _page("ErpDeletionPage", ErpDeletion)


class StockResult(BaseModel):
    received: int
    changed: int = Field(description="products whose stock differed")


class EntriesResult(BaseModel):
    created: int
    updated: int
    unchanged: int


MODELS = [
    ErpProductPage,
    ErpPriceListPage,
    ErpPriceEntryPage,
    ErpCompanyPage,
    ErpOrderPage,
    ErpInvoicePage,
    ErpInvoice,
    ErpDeletionPage,
    ErpCompany,
    StockResult,
    EntriesResult,
]
_, _definitions = models_json_schema(
    [(model, "serialization") for model in MODELS], ref_template=REF
)
_extra: dict[str, Any] = _definitions.get("$defs", {})
COMPONENTS.update({name: schema for name, schema in _extra.items() if name not in COMPONENTS})
