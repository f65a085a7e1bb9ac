"""Pieces shared by several API areas: the ``Link`` objects under a response's ``links``, and
``UNSET``, the value of an update model's field that the caller did not set."""

from __future__ import annotations

import enum
from typing import Final

import attrs

__all__ = ["UNSET", "Link", "Unset"]


class Unset(enum.Enum):
    """The type of :data:`UNSET`, its only value (an enum, so it survives ``copy``,
    ``deepcopy`` and ``pickle`` as the same object, and ``x is UNSET`` narrows for mypy)."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Final = Unset.UNSET
"""An update model's field the caller did not set: it is not sent at all, so the portal keeps
its current value. Distinct from None, which an update sends as JSON ``null`` (where the API
allows clearing the field). Falsy; its repr is ``UNSET``; compare with ``is``."""


@attrs.frozen(kw_only=True)
class Link:
    """One entry of a response's ``links`` object.

    ``href`` is an absolute URL (an API endpoint, or a web page such as an invoice's payment
    page); ``type`` is the content type it returns (``"application/json"``, ``"text/html"``).
    Both may be missing.
    """

    href: str | None = None
    type: str | None = None
