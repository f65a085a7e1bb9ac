"""Invoices API (the portal owner's own bills from MijnKlantportaal) models: requests
(``<Thing>Create`` / ``<Thing>Update``) and responses.

Operations: list-mijnklantportaal-invoices, get-mijnklantportaal-invoice.
"""

from __future__ import annotations

__all__ = []
