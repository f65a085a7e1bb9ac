"""Customer Subscriptions API models: requests (``<Thing>Create`` / ``<Thing>Update``) and
responses.

Operations: list-, create-, get-, change-customer-subscription.
"""

from __future__ import annotations

__all__ = []
