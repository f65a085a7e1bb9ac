"""The response examples of the five seed documentation pages, as the API sends them."""

from __future__ import annotations

from typing import Any

CUSTOMER: dict[str, Any] = {
    "id": "cst_abc12345def678",
    "companyName": "Test Company BV",
    "address": "Teststreet 123",
    "zipCode": "1234AB",
    "city": "Amsterdam",
    "countryCode": "NL",
    "primaryEmail": "john.doe@test.com",
    "phone": "+312012345678",
    "integration": "acumulus",
    "integrationId": "123456789",
    "customerGroups": ["cug_123abc567"],
    "createdAt": "2024-04-28T21:00:00+02:00",
}

CUSTOMER_INVOICE: dict[str, Any] = {
    "id": "inv_abc12345def678",
    "customerId": "cst_abc12345def678",
    "invoiceNumber": "2024-001",
    "issuedAt": "2024-04-29",
    "dueAt": "2024-05-28",
    "currency": "EUR",
    "amount": "12.95",
    "paidAt": "2024-05-28T21:00:00+02:00",
    "createdAt": "2024-04-29T21:00:00+02:00",
    "links": {
        "customer": {
            "href": "https://api.mijnklantportaal.nl/v1/customers/cst_abc12345def678",
            "type": "application/json",
        },
        "onlinePaymentLink": {
            "href": "https://portal.mijnklantportaal.nl/public-invoice/inv_abc123/pay/123-abc",
            "type": "text/html",
        },
    },
}

CUSTOMER_OFFER: dict[str, Any] = {
    "id": "off_abc12345def678",
    "customerId": "cst_abc12345def678",
    "offerNumber": "2024-001",
    "issuedAt": "2024-04-29",
    "expiresAt": "2024-05-29",
    "currency": "EUR",
    "amount": "12.95",
    "acceptedAt": "2024-05-14T21:00:00+02:00",
    "acceptedViaIp": "123.456.7.8.9",
    "acceptedViaUserAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
    "acceptanceSignature": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABgAA...",
    "rejectedAt": "2024-05-14T21:00:00+02:00",
    "createdAt": "2024-04-29T21:00:00+02:00",
    "links": {
        "customer": {
            "href": "https://api.mijnklantportaal.nl/v1/customers/cst_abc12345def678",
            "type": "<string>",
        }
    },
}

AGREEMENT: dict[str, Any] = {
    "id": "agr_abc12346def678",
    "name": "Service contract",
    "status": "sent",
    "signerName": "John Doe",
    "signerSignature": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABgAA...",
    "signerSignatureHash": "PwZVOc2K5rqcpqljbM2xkzJub9FtmA307pvuoJXoiqHDuEyZB7NVqdKbb3SPXt1P",
    "signers": [
        {
            "id": "ags_abc12346def678",
            "firstName": "Dirk Jan",
            "lastName": "Bakker",
            "email": "dj.bakker@domain.com",
            "shouldIdentify": True,
            "signature": None,
            "signatureHash": None,
            "signedAt": None,
        }
    ],
    "documents": [
        {
            "id": "agd_abc12346def678",
            "documentName": "Contract version_2.pdf",
            "fileSize": 512,
            "fileHash": "PwZVOc2K5rqcpqljbM2xkzJub9FtmA307pvuoJXoiqHDuEyZB7NVqdKbb3SPXt1P",
        }
    ],
    "createdAt": "2025-09-13T17:23:14+02:00",
}
