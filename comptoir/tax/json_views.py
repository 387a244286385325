"""A tax-exemption certificate as the API shows it (`GET /account`, and webhook events)."""

from comptoir.tax.models import TaxCertificate


def certificate_json(certificate: TaxCertificate) -> dict:
    return {
        "number": certificate.number,
        "country": certificate.country,
        "region": certificate.region or None,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "status": certificate.status,
    }
