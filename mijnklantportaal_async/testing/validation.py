"""The documented input rules, checked the way Laravel's validator reports them.

A :class:`Validator` reads a parsed body (wire names, nested values addressed with dots:
``signers.0.email``), collects every failure as ``{"wireField": ["message", ...]}`` and
:meth:`Validator.check` raises :class:`ValidationFailed`, answered with 422 and
``{"message": "<first error> (and N more errors)", "errors": {...}}``. Messages follow Laravel's
English defaults (``The primary email field is required.``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import re
from decimal import Decimal
from typing import Any

from mijnklantportaal_async.models._validators import COUNTRY_CODES, VAT_RATES
from mijnklantportaal_async.testing.forms import UploadedFile, parse_bool
from mijnklantportaal_async.uploads import PNG_DATA_URI_PREFIX, PNG_SIGNATURE

__all__ = ["COUNTRY_CODES", "ValidationFailed", "Validator", "humanize"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_NUMBER = re.compile(r"^-?\d+(?:\.(\d+))?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)*$")
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")
_MISSING = object()


def humanize(field: str) -> str:
    """Laravel's displayable attribute: ``primaryEmail`` -> ``primary email``,
    ``signers.0.firstName`` -> ``signers.0.first name``."""
    return ".".join(_CAMEL.sub(r" \1", part).lower() for part in field.split("."))


class ValidationFailed(Exception):
    """One or more rules failed; ``errors`` maps wire field names to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """Laravel's summary: the first message, plus ``(and N more errors)``."""
        messages = [message for field in self.errors.values() for message in field]
        first = messages[0] if messages else "The given data was invalid."
        more = len(messages) - 1
        if more == 1:
            return f"{first} (and 1 more error)"
        if more > 1:
            return f"{first} (and {more} more errors)"
        return first

    def body(self) -> dict[str, Any]:
        """The 422 body: ``{"message": ..., "errors": {"wireField": ["..."]}}``."""
        return {"message": self.message, "errors": self.errors}


class Validator:
    """Checks fields of ``data`` (a normalised, nested body) and collects failures.

    Each check returns the parsed value, or None when the field is absent or failed (then
    the failure is recorded). Absent optional fields are not errors.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, list[str]] = {}

    def fail(self, field: str, message: str) -> None:
        """Record ``message`` (``:attribute`` replaced) for ``field``."""
        self.errors.setdefault(field, []).append(message.replace(":attribute", humanize(field)))

    def failed(self, field: str) -> bool:
        """True when ``field`` already has an error."""
        return field in self.errors

    def check(self) -> None:
        """Raise :class:`ValidationFailed` if anything failed."""
        if self.errors:
            raise ValidationFailed(self.errors)

    def value(self, field: str) -> Any:
        """The value at dotted ``field`` (None when absent)."""
        node: Any = self.data
        for part in field.split("."):
            if isinstance(node, dict):
                node = node.get(part, _MISSING)
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
            if node is _MISSING:
                return None
        return node

    def _present(self, field: str, required: bool) -> Any:
        value = self.value(field)
        if value is None or value == [] or value == {}:
            if required:
                self.fail(field, "The :attribute field is required.")
            return None
        return value

    def string(self, field: str, *, required: bool = False, max_length: int = 255) -> str | None:
        """A string of at most ``max_length`` characters."""
        value = self._present(field, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(field, "The :attribute field must be a string.")
            return None
        if len(value) > max_length:
            self.fail(
                field, f"The :attribute field must not be greater than {max_length} characters."
            )
            return None
        return value

    def date(self, field: str, *, required: bool = False) -> _dt.date | None:
        """A real calendar date written ``YYYY-mm-dd`` (``2024-04-31`` fails)."""
        value = self.string(field, required=required)
        if value is None:
            return None
        try:
            if not _DATE.match(value):
                raise ValueError(value)
            return _dt.date.fromisoformat(value)
        except ValueError:
            self.fail(field, "The :attribute field must match the format Y-m-d.")
            return None

    def datetime(self, field: str, *, required: bool = False) -> _dt.datetime | None:
        """A real local date-time written ``YYYY-mm-dd HH:mm:ss`` (naive, portal time)."""
        value = self.string(field, required=required)
        if value is None:
            return None
        try:
            if not _DATETIME.match(value):
                raise ValueError(value)
            return _dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            self.fail(field, "The :attribute field must match the format Y-m-d H:i:s.")
            return None

    def money(self, field: str, *, required: bool = False) -> Decimal | None:
        """An amount in EUR as a string: digits, optional minus, at most 2 decimals."""
        value = self._present(field, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(field, "The :attribute field must be a string.")
            return None
        match = _NUMBER.match(value)
        if match is None:
            self.fail(field, "The :attribute field must be a number.")
            return None
        if match.group(1) is not None and len(match.group(1)) > 2:
            self.fail(field, "The :attribute field must have 0-2 decimal places.")
            return None
        return Decimal(value)

    def vat_rate(self, field: str, *, required: bool = False) -> int | None:
        """One of 0, 9 or 21 (an integer, or its digits as a string)."""
        value = self._present(field, required)
        if value is None:
            return None
        if isinstance(value, bool) or str(value) not in {str(rate) for rate in VAT_RATES}:
            self.fail(field, "The selected :attribute is invalid.")
            return None
        return int(value)

    def boolean(self, field: str, *, required: bool = False) -> bool | None:
        """true/false, 1/0, "1"/"0", "true"/"false"."""
        value = self.value(field)
        if value is None:
            if required:
                self.fail(field, "The :attribute field is required.")
            return None
        parsed = parse_bool(value)
        if parsed is None:
            self.fail(field, "The :attribute field must be true or false.")
        return parsed

    def email(self, field: str, *, required: bool = False) -> str | None:
        """An e-mail address: ``local@domain`` without spaces."""
        value = self.string(field, required=required)
        if value is not None and not _EMAIL.match(value):
            self.fail(field, "The :attribute field must be a valid email address.")
            return None
        return value

    def country_code(self, field: str) -> str | None:
        """An ISO 3166-1 alpha-2 code (any case), returned upper case."""
        value = self.string(field)
        if value is None:
            return None
        if len(value) != 2:
            self.fail(field, "The :attribute field must be 2 characters.")
            return None
        if value.upper() not in COUNTRY_CODES:
            self.fail(field, "The selected :attribute is invalid.")
            return None
        return value.upper()

    def file(self, field: str, *, required: bool = False, pdf: bool = False) -> UploadedFile | None:
        """An uploaded file part; with ``pdf`` its content must start with ``%PDF-``."""
        value = self._present(field, required)
        if value is None:
            return None
        if not isinstance(value, UploadedFile):
            self.fail(field, "The :attribute field must be a file.")
            return None
        if pdf and not value.is_pdf:
            self.fail(field, "The :attribute field must be a file of type: pdf.")
            return None
        return value

    def array(
        self,
        field: str,
        *,
        required: bool = False,
        min_items: int = 0,
        max_items: int | None = None,
    ) -> list[Any] | None:
        """A list (PHP array) with ``min_items`` to ``max_items`` items."""
        value = self._present(field, required)
        if value is None:
            return None
        if not isinstance(value, list):
            self.fail(field, "The :attribute field must be an array.")
            return None
        if len(value) < min_items:
            self.fail(field, f"The :attribute field must have at least {min_items} items.")
            return None
        if max_items is not None and len(value) > max_items:
            self.fail(field, f"The :attribute field must not have more than {max_items} items.")
            return None
        return value

    def png_data_uri(self, field: str, *, required: bool = False) -> str | None:
        """A ``data:image/png;base64,...`` string whose payload decodes to a PNG image."""
        value = self.string(field, required=required, max_length=10 * 1024 * 1024)
        if value is None:
            return None
        payload = value.removeprefix(PNG_DATA_URI_PREFIX)
        try:
            if payload == value or not base64.b64decode(payload, validate=True).startswith(
                PNG_SIGNATURE
            ):
                raise ValueError(field)
        except (ValueError, binascii.Error):
            self.fail(field, "The :attribute field must be a base64 PNG data URI.")
            return None
        return value

    def after_or_equal(
        self, field: str, value: _dt.date | None, other: str, earliest: _dt.date | None
    ) -> None:
        """``value`` of ``field`` must not be before ``earliest`` (the value of ``other``)."""
        if value is not None and earliest is not None and value < earliest:
            self.fail(
                field, f"The :attribute field must be a date after or equal to {humanize(other)}."
            )
