"""Payment Links API models: requests (``<Thing>Create`` / ``<Thing>Update``) and responses.

Operations: list-, create-, get-payment-link, close-payment-link, list-payment-link-payment.
"""

from __future__ import annotations

__all__ = []
