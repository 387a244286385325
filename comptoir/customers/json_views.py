"""A company as the API shows it (`GET /account`, and the webhook events about companies)."""

from comptoir.customers.models import Company


def company_json(company: Company) -> dict:
    """Reads `company.group`: select it with the company when there are many."""
    return {
        "code": company.code,
        "name": company.name,
        "group": company.group.code,
        "status": company.status,
        "country": company.country,
        "vat_number": company.vat_number,
    }
