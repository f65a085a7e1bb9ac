"""File Share API models: requests (``<Thing>Create`` / ``<Thing>Update``) and responses.

Operations: list-, create-file-share.
"""

from __future__ import annotations

__all__ = []
