"""`mkp.payment_links`: the Payment Links API."""

from __future__ import annotations

from mijnklantportaal_async.resources._base import Resource


class PaymentLinks(Resource):
    """The Payment Links API; reached as ``mkp.payment_links``.

    Operations: list-, create-, get-payment-link, close-payment-link, list-payment-link-payment.
    """

    area = "payment_links"
