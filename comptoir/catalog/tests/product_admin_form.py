"""The product's change form in the back office as a test posts it."""

INLINES = ("images", "documents", "attribute_values", "packagings", "price_entries")


def product_form_data(admin_client, url: str, one_row_in: str) -> dict:
    """The product's fields as the page shows them, every inline empty but `one_row_in`,
    which has one new row for the test to fill."""
    form = admin_client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in ("visible_groups", "visible_companies")
    }
    for prefix in INLINES:
        data |= {f"{prefix}-TOTAL_FORMS": "1" if prefix == one_row_in else "0"}
        data |= {f"{prefix}-INITIAL_FORMS": "0"}
    return data
