"""A small but complete bundle: one of everything API.md §1 and docs/bundle.md describe."""

import copy

SAMPLE = {
    "store": {
        "name": "Comptoir Test",
        "currency": "EUR",
        "country": "FR",
        "region": None,
        "access_mode": "public",
        "min_order_amount": "150.00",
        "default_group": "RETAIL",
        "base_price_list": "BASE",
        "time_zone": "Europe/Paris",
    },
    "tax_rates": [
        {"country": "FR", "region": None, "tax_class": "standard", "rate": "20.00"},
        {"country": "FR", "region": None, "tax_class": "reduced", "rate": "5.5"},
        {"country": "US", "region": "NY", "tax_class": "standard", "rate": "8.875"},
    ],
    "categories": [
        {"code": "fixations", "name": "Fixations", "parent": None},
        {"code": "vis", "name": "Vis", "parent": "fixations", "position": 2},
    ],
    "products": [
        {
            "sku": "SCR-100",
            "name": "Vis agglo 4×40 — boîte de 200",
            "description": "Tête fraisée, zinguée.",
            "category": "vis",
            "unit": "box",
            "pack_size": 200,
            "min_qty": 12,
            "max_qty": 1200,
            "qty_step": 12,
            "stock": 1000,
        },
        {
            "sku": "SCR-200",
            "name": "Vis inox A2",
            "category": "vis",
            "stock": 50,
            "backorder": True,
        },
        {
            "sku": "BAG-ACME",
            "name": "Sac kraft logo ACME",
            "category": "fixations",
            "tax_class": "reduced",
            "visibility": "companies",
            "companies": ["ACME"],
        },
        {
            "sku": "PAL-1",
            "name": "Palette",
            "visibility": "groups",
            "groups": ["GOLD"],
            "active": False,
        },
    ],
    "families": [
        {
            "code": "VIS-BOIS",
            "name": "Vis à bois",
            "axes": [{"name": "Matière", "values": ["Acier", "Inox"]}],
            "variants": [
                {"sku": "SCR-100", "values": ["Acier"]},
                {"sku": "SCR-200", "values": ["Inox"]},
            ],
        }
    ],
    "price_lists": [
        {
            "code": "BASE",
            "currency": "EUR",
            "entries": [
                {"sku": "SCR-100", "min_qty": 1, "price": "10.00"},
                {"sku": "SCR-100", "min_qty": 100, "price": "8.00"},
                {"sku": "SCR-200", "price": "4.1234"},
            ],
        },
        {
            "code": "GOLD",
            "name": "Or",
            "priority": 1,
            "parent": "BASE",
            "adjustment_percent": "-10",
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
            "entries": [{"sku": "SCR-100", "min_qty": 50, "price": "8.50"}],
        },
        {"code": "ACME-CONTRACT", "entries": [{"sku": "BAG-ACME", "price": "0.35"}]},
    ],
    "groups": [
        {"code": "RETAIL", "name": "Détail"},
        {
            "code": "GOLD",
            "name": "Or",
            "price_lists": ["GOLD"],
            "min_order_amount": "500.00",
            "volume_discounts": [
                {"min_total_qty": 500, "percent": "3"},
                {"min_total_qty": 1000, "percent": "5"},
            ],
            "order_rules": [{"sku": "SCR-100", "min_qty": 48, "max_qty": None, "qty_step": 24}],
        },
        {
            "code": "NONPROFIT",
            "name": "Associations",
            "tax_exempt": True,
            "catalog_categories": ["fixations"],
        },
    ],
    "promotions": [
        {
            "code": "SPRING",
            "groups": ["GOLD"],
            "percent": "5",
            "skus": ["SCR-200"],
            "categories": ["fixations"],
            "valid_from": "2026-03-01",
            "valid_until": "2026-05-31",
        }
    ],
    "roles": [
        {
            "code": "STOREKEEPER",
            "name": "Storekeeper",
            "permissions": ["see_prices", "manage_lists"],
        }
    ],
    "companies": [
        {
            "code": "ACME",
            "name": "ACME Industrie",
            "group": "GOLD",
            "country": "FR",
            "vat_number": "FR40303265045",
            "price_lists": ["ACME-CONTRACT"],
            "credit_limit": "10000.00",
            "addresses": [
                {
                    "code": "HQ",
                    "line1": "1 rue de la Paix",
                    "city": "Paris",
                    "postal_code": "75002",
                    "country": "FR",
                },
                {
                    "code": "WAREHOUSE",
                    "line1": "Zone industrielle",
                    "line2": "Bât. C",
                    "city": "Lyon",
                    "postal_code": "69007",
                    "country": "FR",
                },
            ],
            "locations": [
                {
                    "code": "PARIS",
                    "name": "Head office",
                    "addresses": ["HQ"],
                    "billing_address": "HQ",
                },
                {"code": "LYON", "name": "Lyon warehouse", "addresses": ["WAREHOUSE"]},
            ],
            "users": [
                {"email": "buyer@acme.example", "password": "s3cret-acme", "role": "admin"},
                {
                    "email": "second@acme.example",
                    "password": "s3cret-two",
                    "first_name": "Lou",
                    "role": "STOREKEEPER",
                    "locations": ["LYON"],
                },
            ],
            "approval_rules": [
                {
                    "name": "Above 2,000",
                    "approver_roles": ["admin"],
                    "conditions": [
                        {"kind": "total_above", "amount": "2000.00"},
                        {"kind": "requester", "values": ["Second@acme.example"]},
                    ],
                },
                {
                    "name": "Pallets",
                    "level": 2,
                    "approvers": ["buyer@acme.example"],
                    "active": False,
                    "conditions": [
                        {"kind": "contains_product", "values": ["pal-1"]},
                        {"kind": "contains_category", "values": ["vis"]},
                        {"kind": "payment_method", "values": ["INVOICE30"]},
                        {"kind": "shipping_method", "values": ["PALLET"]},
                        {"kind": "requester_role", "values": ["STOREKEEPER"]},
                        {"kind": "location", "values": ["LYON"]},
                        {"kind": "budget_exceeded"},
                    ],
                },
            ],
            "budgets": [
                {"period": "year", "amount": "20000.00", "over_budget": "refuse"},
                {"location": "LYON", "amount": "5000.00"},
                {
                    "user": "second@acme.example",
                    "period": "quarter",
                    "amount": "1500.00",
                    "active": False,
                },
            ],
        },
        {
            "code": "NYC",
            "name": "New York Supplies",
            "status": "pending",
            "country": "US",
            "region": "NY",
            "pinned_group": True,
            "addresses": [
                {
                    "code": "HQ",
                    "line1": "5th Avenue",
                    "city": "New York",
                    "postal_code": "10001",
                    "country": "US",
                    "region": "NY",
                }
            ],
            "tax_certificates": [
                {
                    "number": "NY-123",
                    "country": "US",
                    "region": "NY",
                    "issued_on": "2026-01-15",
                    "status": "approved",
                }
            ],
            "users": [{"email": "ny@nys.example", "password": "s3cret-ny"}],
        },
    ],
    "payment_methods": [
        {
            "code": "INVOICE30",
            "type": "invoice",
            "name": "Facture à 30 jours",
            "net_days": 30,
            "term_rule": "end_of_month",
            "conditions": {
                "countries": ["FR", "BE"],
                "groups": ["GOLD"],
                "excluded_companies": ["ACME"],
                "min_total": "100.00",
            },
        },
        {
            "code": "TRANSFER",
            "type": "bank_transfer",
            "name": "Virement",
            "instructions": "IBAN FR76 3000 6000 0112 3456 7890 189",
        },
    ],
    "shipping_methods": [
        {"code": "STD", "name": "Standard", "price": "15.00", "free_above": "1000.00"},
        {
            "code": "PALLET",
            "name": "Palette",
            "price": "95.00",
            "conditions": {"companies": ["ACME"], "max_total": "50000.00"},
        },
    ],
    "segmentation_rules": [
        {
            "position": 1,
            "group": "GOLD",
            "conditions": [{"field": "order_volume_12m", "op": ">=", "value": "50000"}],
        },
        {
            "position": 2,
            "group": "NONPROFIT",
            "active": False,
            "conditions": [
                {"field": "country", "op": "in", "value": ["FR", "BE"]},
                {"field": "order_count_12m", "op": ">", "value": "3"},
            ],
        },
    ],
    "banners": [
        {
            "code": "WINTER",
            "kind": "notice",
            "title": "Fermeture du 24 au 26 décembre",
            "groups": ["GOLD"],
            "language": "fr",
            "valid_until": "2026-12-26",
        },
        {"code": "OFFERS", "title": "Our offers", "link_url": "/offers/"},
    ],
    "orders": [
        {
            "number": "CMD-2026-000001",
            "company": "ACME",
            "buyer": "buyer@acme.example",
            "location": "LYON",
            "status": "delivered",
            "payment_status": "paid",
            "placed_at": "2026-03-04T10:15:00+01:00",
            "payment_method": "INVOICE30",
            "shipping_method": "STD",
            "shipping_address": {
                "line1": "1 rue de la Paix",
                "city": "Paris",
                "postal_code": "75002",
                "country": "FR",
            },
            "lines": [
                {
                    "sku": "SCR-100",
                    "name": "Vis agglo 4×40",
                    "qty": 24,
                    "unit_price": "9.50",
                    "promotion_percent": "5",
                    "promotion": "11.40",
                    "tax_rate": "20.00",
                },
                {
                    "sku": "OLD-1",
                    "name": "Article retiré",
                    "qty": 1,
                    "unit_price": "3.3333",
                    "tax_rate": "20.00",
                },
            ],
            "shipping_total": "15.00",
            "tax_lines": [{"rate": "20.00", "base": "222.93", "amount": "44.59", "reason": None}],
        }
    ],
    "approval_requests": [
        {
            "number": "APR-2026-000003",
            "company": "ACME",
            "requester": "second@acme.example",
            "location": "LYON",
            "submitted_at": "2026-03-10T09:00:00+01:00",
            "valid_until": "2026-03-24",
            "rules": [
                {
                    "name": "Above 2,000",
                    "approver_roles": ["admin"],
                    "conditions": [{"kind": "total_above", "amount": "2000.00"}],
                }
            ],
            "requester_role": "requester",
            "categories": ["FASTENERS"],
            "budget_exceeded": True,
            "customer_group": "GOLD",
            "po_number": "PO-77",
            "comment": "Pour le chantier de Vénissieux",
            "payment_method": "INVOICE30",
            "shipping_method": "STD",
            "shipping_address": {
                "line1": "Zone industrielle",
                "line2": "Bât. C",
                "city": "Lyon",
                "postal_code": "69007",
                "country": "FR",
            },
            "lines": [
                {
                    "sku": "SCR-100",
                    "name": "Vis agglo 4×40",
                    "qty": 240,
                    "unit_price": "8.00",
                    "tax_rate": "20.00",
                }
            ],
            "tax_lines": [{"rate": "20.00", "base": "1920.00", "amount": "384.00"}],
            "events": [
                {
                    "at": "2026-03-10T09:00:00+01:00",
                    "actor": "second@acme.example",
                    "action": "submitted",
                    "level": 1,
                    "message": "Above 2,000: the total 2,304.00 EUR is above 2,000.00 EUR",
                }
            ],
        },
        {
            "number": "APR-2026-000001",
            "company": "ACME",
            "requester": "second@acme.example",
            "status": "ordered",
            "submitted_at": "2026-03-03T16:20:00+01:00",
            "valid_until": "2026-03-17",
            "decided_at": "2026-03-04T10:15:00+01:00",
            "rules": [
                {
                    "name": "Retired rule",
                    "level": 1,
                    "approvers": ["buyer@acme.example"],
                    "approved": True,
                }
            ],
            "order": "CMD-2026-000001",
            "currency": "EUR",
            "payment_method": "INVOICE30",
            "shipping_method": "STD",
            "shipping_address": {
                "line1": "1 rue de la Paix",
                "city": "Paris",
                "postal_code": "75002",
                "country": "FR",
                "region": None,
            },
            "lines": [
                {
                    "sku": "SCR-100",
                    "name": "Vis agglo 4×40",
                    "qty": 24,
                    "unit_price": "9.50",
                    "promotion_percent": "5",
                    "promotion": "11.40",
                    "volume_percent": None,
                    "volume": "0.00",
                    "tax_rate": "20.00",
                },
                {
                    "sku": "OLD-1",
                    "name": "Article retiré",
                    "qty": 1,
                    "unit_price": "3.3333",
                    "tax_rate": "20.00",
                },
            ],
            "shipping_total": "15.00",
            "tax_lines": [{"rate": "20.00", "base": "222.93", "amount": "44.59", "reason": None}],
            "events": [
                {
                    "at": "2026-03-03T16:20:00+01:00",
                    "actor": "second@acme.example",
                    "action": "submitted",
                    "level": 1,
                },
                {
                    "at": "2026-03-04T10:14:00+01:00",
                    "actor": "buyer@acme.example",
                    "action": "approved",
                    "level": 1,
                    "message": "OK",
                },
                {"at": "2026-03-04T10:15:00+01:00", "action": "ordered"},
            ],
        },
    ],
    "returns": [
        {
            "number": "RMA-2026-000001",
            "order": "CMD-2026-000001",
            "state": "requested",
            "reason": "damaged",
            "comment": "Two boxes arrived torn",
            "requested_at": "2026-03-22T10:00:00+01:00",
            "requested_by": "buyer@acme.example",
            "lines": [{"sku": "SCR-100", "quantity": 2}],
        }
    ],
    "quotes": [
        {
            "number": "DEV-2026-000001",
            "company": "ACME",
            "requester": "buyer@acme.example",
            "location": "LYON",
            "state": "sent",
            "requested_at": "2026-03-02T09:00:00+01:00",
            "wished_delivery_date": "2026-04-01",
            "expires_on": "2026-04-30",
            "shipping_price": "15.00",
            "rounds": [
                {
                    "buyer_message": "Yearly price for 37 boxes?",
                    "merchant_message": "Our price for the year.",
                    "opened_at": "2026-03-02T09:00:00+01:00",
                    "sent_at": "2026-03-03T11:30:00+01:00",
                    "expires_on": "2026-04-30",
                    "shipping_price": "15.00",
                    "lines": [
                        {
                            "sku": "SCR-100",
                            "qty": 37,
                            "list_unit_price": "9.50",
                            "quoted_unit_price": "7.1234",
                            "unit_price": "7.1234",
                        }
                    ],
                }
            ],
            "events": [
                {
                    "at": "2026-03-02T09:00:00+01:00",
                    "actor": "buyer@acme.example",
                    "action": "requested",
                    "to_state": "requested",
                    "detail": "Yearly price for 37 boxes?",
                },
                {
                    "at": "2026-03-03T11:30:00+01:00",
                    "action": "send",
                    "from_state": "requested",
                    "to_state": "sent",
                },
            ],
        }
    ],
}


def sample_bundle() -> dict:
    return copy.deepcopy(SAMPLE)
