"""Files API models: requests (``<Thing>Create`` / ``<Thing>Update``) and responses.

Operations: post-files (upload a file or create a directory), get-file, download-file.
"""

from __future__ import annotations

__all__ = []
