"""Tickets API models: requests (``<Thing>Create`` / ``<Thing>Update``) and responses.

Operations: list-tickets, get-ticket, add-ticket-message, close-ticket.
"""

from __future__ import annotations

__all__ = []
