"""Punch Cards API models: requests (``<Thing>Create`` / ``<Thing>Update``) and responses.

Operations: list-, create-, get-, edit-punch-card, list-bought-punch-cards,
issue-new-punch-card, get-bought-punch-card, stamp-issued-punch-card.
"""

from __future__ import annotations

__all__ = []
