"""Response pieces shared by several API areas: the ``Link`` objects under ``links``."""

from __future__ import annotations

import attrs

__all__ = ["Link"]


@attrs.frozen(kw_only=True)
class Link:
    """One entry of a response's ``links`` object.

    ``href`` is an absolute URL (an API endpoint, or a web page such as an invoice's payment
    page); ``type`` is the content type it returns (``"application/json"``, ``"text/html"``).
    Both may be missing.
    """

    href: str | None = None
    type: str | None = None
