"""Customer Subscription Packages API models: requests (``<Thing>Create`` / ``<Thing>Update``)
and responses.

Operations: list-, create-, get-, change-customer-subscription-package,
sign-up-customer-subscription-package.
"""

from __future__ import annotations

__all__ = []
