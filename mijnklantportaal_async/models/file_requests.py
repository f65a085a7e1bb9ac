"""File Request API models: requests (``<Thing>Create`` / ``<Thing>Update``) and responses.

Operations: list-, create-, get-file-request.
"""

from __future__ import annotations

__all__ = []
