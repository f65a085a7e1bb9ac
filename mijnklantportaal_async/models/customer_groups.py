"""Customer Groups API models: requests (``<Thing>Create`` / ``<Thing>Update``) and responses.

Operations: list-, create-, get-, edit-customer-group, add-customers-to-customer-group.
"""

from __future__ import annotations

__all__ = []
