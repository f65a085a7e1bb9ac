"""Validation of request models: one converter per kind of value, and the glue naming fields.

Every request model is an ``@attrs.frozen(kw_only=True, field_transformer=name_errors)``
class decorated with :func:`request_model` (a create model) or :func:`update_model` (an
update model: its converters are the ``*_update`` ones, which let ``UNSET`` through). Its
fields use the converters below (``attrs.field(converter=money)``): each one checks and
normalises one value and raises :class:`Invalid` with a reason; :func:`name_errors` turns
that into ``RequestValidationError(<field>, <reason>)``. :func:`request_model` turns a missing or
unknown keyword argument into a ``RequestValidationError`` too, so bad input raises nothing
else. Cross-field rules live in each model's ``__attrs_post_init__``. The converters of file
fields (``pdf``, ``documents``) are in ``_file_fields.py``.
"""

from __future__ import annotations

import enum
import functools
import ipaddress
import os
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar, cast

import attrs

from mijnklantportaal_async._core.wire import PORTAL_TIMEZONE
from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.models.common import UNSET, Unset
from mijnklantportaal_async.uploads import Upload, decode_png_data_uri

T = TypeVar("T")

MoneyInput = Decimal | int | str
DateInput = date | str
DateTimeInput = datetime | str

VAT_RATES = (0, 9, 21)
"""The VAT percentages the API takes."""

# ISO 3166-1 alpha-2 codes officially assigned (249; ISO/TC 46 N1108, 2023-04-05, as in the
# tz database's iso3166.tab). User-assigned XK (Kosovo) and reserved codes are not in it.
COUNTRY_CODES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()  # noqa: SIM905 (a table, not code)
)
_COUNTRY_HINTS = {"UK": "GB", "EL": "GR"}  # reserved codes people often mean

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}", re.ASCII)
# An amount as text: ASCII digits, an optional sign and decimal part. No underscores ("12_95"
# would be 1295 to Decimal), no other scripts' digits, no exponent, no thousands separators.
_MONEY = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?", re.ASCII)
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+", re.ASCII)


class Invalid(Exception):
    """A converter's refusal: ``reason``, and ``path`` to append to the field name for a
    nested value (``"[2].email"``). Never escapes a model's constructor."""

    def __init__(self, reason: str, path: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path


# -- the glue ---------------------------------------------------------------------------------


def _naming(name: str, convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def converter(value: Any) -> Any:
        try:
            return convert(value)
        except Invalid as exc:
            raise RequestValidationError(name + exc.path, exc.reason) from None

    return converter


def name_errors(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """attrs ``field_transformer``: make each field's converter name the field when it fails."""
    # The converters here are plain callables (never attrs.Converter objects).
    return [
        f.evolve(converter=_naming(f.name, cast(Callable[[Any], Any], f.converter)))
        if f.converter
        else f
        for f in fields
    ]


def request_model(cls: type[T]) -> type[T]:
    """Class decorator: a missing or unknown keyword argument raises RequestValidationError."""
    required = [
        a.alias for a in attrs.fields(cast(Any, cls)) if a.init and a.default is attrs.NOTHING
    ]

    def check(kwargs: dict[str, Any]) -> None:
        for name in required:
            if name not in kwargs:
                raise RequestValidationError(name, "is required")

    return _checking_arguments(cls, check)


def _checking_arguments(cls: type[T], check: Callable[[dict[str, Any]], None]) -> type[T]:
    """Wrap ``cls.__init__`` so that an unknown keyword, then ``check(kwargs)``, raise
    RequestValidationError before attrs converts any value."""
    known = {a.alias for a in attrs.fields(cast(Any, cls)) if a.init}
    attrs_init = cls.__init__

    @functools.wraps(attrs_init)
    def __init__(self: Any, **kwargs: Any) -> None:
        for name in kwargs:
            if name not in known:
                raise RequestValidationError(name, f"is not a field of {cls.__name__}")
        check(kwargs)
        attrs_init(self, **kwargs)

    cls.__init__ = __init__  # type: ignore[method-assign]
    return cls


UPDATE_NEEDS_A_FIELD = "an update needs at least one field"


def update_model(cls: type[T]) -> type[T]:
    """Class decorator for an update model (``<Thing>Update``), on top of
    ``@attrs.frozen(kw_only=True, field_transformer=name_errors)`` as for a create model.

    Declare every field ``name: <type> | Unset = attrs.field(default=UNSET, converter=...)``
    with a converter that lets UNSET through (the ``*_update`` ones below), or
    ``<type> | Unset | None`` with ``attrs.converters.optional(<that converter>)`` where the
    API lets the field be cleared. A field left UNSET is not sent; None is sent as null.

    Building one raises ``RequestValidationError``: naming a field for a bad value or an
    unknown keyword; with ``field="data"`` when no field is set (``"an update needs at least
    one field"``), checked before any converter runs. Raises ``TypeError`` when the class is
    defined with a field whose default is not UNSET. Marks the class with
    ``__wire_unsent__ = UNSET``, which tells ``_core.wire.to_wire`` what to leave out.
    """
    fields = [a for a in attrs.fields(cast(Any, cls)) if a.init]
    for a in fields:
        if a.default is not UNSET:
            raise TypeError(f"{cls.__name__}.{a.name} of an update model must default to UNSET")
    names = ", ".join(sorted(str(a.alias) for a in fields))

    def check(kwargs: dict[str, Any]) -> None:
        if all(value is UNSET for value in kwargs.values()):
            raise RequestValidationError("data", f"{UPDATE_NEEDS_A_FIELD} (one of: {names})")

    cls.__wire_unsent__ = UNSET  # type: ignore[attr-defined]
    return _checking_arguments(cls, check)


def unless_unset(convert: Callable[[Any], T], value: object) -> T | Unset:
    """``convert(value)``, except that UNSET passes unchanged (an update's field the caller
    did not set) and None is refused: only ``attrs.converters.optional(...)`` lets an update
    send null, where the API allows clearing the field."""
    if value is UNSET:
        return UNSET
    if value is None:
        raise Invalid(
            "cannot be cleared (None): the API needs a value here; leave the field out "
            "(UNSET) to keep the current one"
        )
    return convert(value)


def check_not_before(later: str, later_value: date, earlier: str, earlier_value: date) -> None:
    """Raise RequestValidationError(later) when ``later_value`` is before ``earlier_value``."""
    if later_value < earlier_value:
        raise RequestValidationError(later, f"{later_value} is before {earlier} {earlier_value}")


def type_name(value: object) -> str:
    return type(value).__name__


# -- scalar converters --------------------------------------------------------------------


def text(value: str) -> str:
    """A required string: stripped of surrounding whitespace, not empty."""
    if value is None:
        raise Invalid("is required")
    if not isinstance(value, str):
        raise Invalid(f"must be a string, not {type_name(value)}")
    stripped = value.strip()
    if not stripped:
        raise Invalid("must not be empty")
    return stripped


def email(value: str) -> str:
    """An e-mail address: one ``@``, a non-empty local part and a domain with a dot."""
    address = text(value)
    if not _EMAIL.fullmatch(address):
        raise Invalid(f"is not an e-mail address: {address!r}")
    return address


def country_code(value: str) -> str:
    """An assigned ISO 3166-1 alpha-2 code in upper case (``"NL"``); ``"nl"`` is refused."""
    code = text(value)
    if code.upper() in COUNTRY_CODES and code != code.upper():
        raise Invalid(f"must be upper case: {code.upper()!r}, not {code!r}")
    if code in _COUNTRY_HINTS:
        raise Invalid(f"{code!r} is not an ISO 3166-1 alpha-2 code; use {_COUNTRY_HINTS[code]!r}")
    if code not in COUNTRY_CODES:
        raise Invalid(f"is not an assigned ISO 3166-1 alpha-2 country code: {code!r}")
    return code


# -- the same checks for an update model's fields: UNSET passes, None is refused ----------------


def text_update(value: str | Unset) -> str | Unset:
    """:func:`text` for an update model's field."""
    return unless_unset(text, value)


def email_update(value: str | Unset) -> str | Unset:
    """:func:`email` for an update model's field."""
    return unless_unset(email, value)


def country_code_update(value: str | Unset) -> str | Unset:
    """:func:`country_code` for an update model's field."""
    return unless_unset(country_code, value)


def flag(value: bool) -> bool:
    """A real ``bool`` (not ``1``, not ``"yes"``)."""
    if value is None:
        raise Invalid("is required")
    if not isinstance(value, bool):
        raise Invalid(f"must be True or False, not {type_name(value)} {value!r}")
    return value


def vat_rate(value: int) -> int:
    """A VAT percentage: the int 0, 9 or 21."""
    if value is None:
        raise Invalid("is required")
    if isinstance(value, bool) or not isinstance(value, int) or value not in VAT_RATES:
        raise Invalid(f"must be 0, 9 or 21 (percent, an int), not {value!r}")
    return value


def ip_address(value: str) -> str:
    """An IPv4 or IPv6 address as a string, normalised (``"::FFFF:1.2.3.4"`` -> lower case)."""
    raw = text(value)
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        raise Invalid(f"is not a valid IPv4 or IPv6 address: {raw!r}") from None


def money(value: MoneyInput) -> Decimal:
    """An amount in EUR with at most 2 decimals, from a Decimal, an int or a string.

    A float is refused: it cannot hold most cents exactly. A string must be plain ASCII
    digits with an optional sign and a dot (``"12.95"``, ``"-5"``): no underscores, exponent,
    thousands separators or non-ASCII digits, which ``Decimal()`` alone would accept. Negative
    amounts are allowed here (credit invoices, discount lines); use
    :func:`non_negative_money` where they make no sense.
    """
    if value is None:
        raise Invalid("is required")
    if isinstance(value, float):
        raise Invalid(
            f"must not be a float ({value!r}): binary floats cannot represent cents exactly; "
            f'pass Decimal("12.95") or the string "12.95"'
        )
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise Invalid(f"must be a Decimal, an int or a decimal string, not {type_name(value)}")
    if isinstance(value, str) and not _MONEY.fullmatch(value.strip()):
        hint = " (use a dot as the decimal separator)" if "," in value else ""
        raise Invalid(
            f"is not a plain decimal number like '12.95' (ASCII digits, an optional sign and "
            f"dot; no exponent, separators or underscores): {value!r}{hint}"
        )
    amount = Decimal(value.strip() if isinstance(value, str) else value)  # the pattern fits
    if not amount.is_finite():
        raise Invalid(f"must be a finite amount, not {value!r}")
    _sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # finite
    extra = -2 - exponent  # digits beyond the cents; they must all be zeros
    if extra > 0 and any(digits[-extra:]):
        raise Invalid(f"has more than 2 decimals: {value!r} (amounts are in EUR cents)")
    return Decimal(0) if amount == 0 else amount


def non_negative_money(value: MoneyInput) -> Decimal:
    """Like :func:`money`, refusing amounts below zero."""
    amount = money(value)
    if amount < 0:
        raise Invalid(f"must not be negative: {amount}")
    return amount


def day(value: DateInput) -> date:
    """A real calendar date: a ``datetime.date`` (not a datetime) or ``"YYYY-mm-dd"``."""
    if value is None:
        raise Invalid("is required")
    if isinstance(value, datetime):
        raise Invalid("must be a date, not a datetime (use .date())")
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise Invalid(f"must be a datetime.date or a 'YYYY-mm-dd' string, not {type_name(value)}")
    if not _DATE.fullmatch(value.strip()):
        raise Invalid(f"must be a date in YYYY-mm-dd format, not {value!r}")
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise Invalid(f"is not a real date: {value!r} ({exc})") from None


def moment(value: DateTimeInput) -> datetime:
    """A date-time: a ``datetime.datetime`` (aware, or naive in portal local time,
    Europe/Amsterdam) or a ``"YYYY-mm-dd HH:MM:SS"`` string (portal local time).

    A local time the clocks skip when summer time starts (``2024-03-31 02:30``) is refused:
    the portal would store a moment that never happened. A time that occurs twice when summer
    time ends is taken as written (the portal stores local time)."""
    if value is None:
        raise Invalid("is required")
    if isinstance(value, datetime):
        return _existing(value)
    if not isinstance(value, str):
        raise Invalid(
            f"must be a datetime.datetime or a 'YYYY-mm-dd HH:MM:SS' string, not {type_name(value)}"
        )
    if not _DATETIME.fullmatch(value.strip()):
        raise Invalid(f"must be a date-time in 'YYYY-mm-dd HH:MM:SS' format, not {value!r}")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise Invalid(f"is not a real date-time: {value!r} ({exc})") from None
    return _existing(parsed)


def _existing(value: datetime) -> datetime:
    """``value``, unless it is a naive local time that Europe/Amsterdam skips (a DST gap), or
    a moment at the very edge of the calendar that portal time cannot show (year 1 at +05:00
    is year 0 in Amsterdam)."""
    try:
        if value.tzinfo is not None and value.utcoffset() is not None:
            value.astimezone(UTC).astimezone(PORTAL_TIMEZONE)  # converted so when sent
            return value
        there = value.replace(tzinfo=PORTAL_TIMEZONE)
        back = there.astimezone(UTC).astimezone(PORTAL_TIMEZONE).replace(tzinfo=None)
    except OverflowError:
        raise Invalid(
            f"{value.isoformat()} is out of range: it cannot be shown in portal time "
            "(Europe/Amsterdam)"
        ) from None
    if back != value:
        raise Invalid(
            f"{value:%Y-%m-%d %H:%M:%S} does not exist in portal time (Europe/Amsterdam): the "
            "clocks skip that hour when summer time starts; pass a time that exists or an "
            "aware datetime"
        )
    return value


def png_data_uri(value: str) -> str:
    """A ``data:image/png;base64,...`` URI whose payload is valid base64 of a PNG image."""
    uri = text(value)
    try:
        decode_png_data_uri(uri)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    return uri


def check_collection(value: object, what: str) -> None:
    if value is None:
        raise Invalid("is required")
    single = (str, bytes, bytearray, memoryview, os.PathLike, Upload, Mapping)
    if isinstance(value, single) or not isinstance(value, Iterable):
        raise Invalid(f"must be a list of {what}, not {type_name(value)}")


def nested(
    value: Iterable[T | Any], cls: type[T], what: str, *, minimum: int, maximum: int | None
) -> tuple[T, ...]:
    """A list of ``cls`` instances (or mappings of their fields, built here), counted.

    An error inside item ``i`` is reported as ``<field>[i].<its field>``."""
    check_collection(value, what)
    items = list(value)
    if len(items) < minimum or (maximum is not None and len(items) > maximum):
        bounds = f"{minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
        raise Invalid(f"must hold {bounds} {what}, not {len(items)}")
    out: list[T] = []
    for index, item in enumerate(items):
        if isinstance(item, Mapping):
            if not all(isinstance(key, str) for key in item):
                raise Invalid("must have string keys (field names)", f"[{index}]")
            try:
                item = cls(**item)
            except RequestValidationError as exc:
                raise Invalid(exc.reason, f"[{index}].{exc.field}") from None
        if not isinstance(item, cls):
            raise Invalid(f"must be a {cls.__name__} (or a mapping of its fields)", f"[{index}]")
        out.append(item)
    return tuple(out)


def flag_update(value: bool | Unset) -> bool | Unset:
    """:func:`flag` for an update model's field."""
    return unless_unset(flag, value)


def moment_update(value: DateTimeInput | Unset) -> datetime | Unset:
    """:func:`moment` for an update model's field."""
    return unless_unset(moment, value)


def non_negative_money_update(value: MoneyInput | Unset) -> Decimal | Unset:
    """:func:`non_negative_money` for an update model's field."""
    return unless_unset(non_negative_money, value)


def vat_rate_update(value: int | Unset) -> int | Unset:
    """:func:`vat_rate` for an update model's field."""
    return unless_unset(vat_rate, value)


def ip_address_update(value: str | Unset) -> str | Unset:
    """:func:`ip_address` for an update model's field."""
    return unless_unset(ip_address, value)


E = TypeVar("E", bound=enum.StrEnum)


def one_of(cls: type[E], value: E | str, example: str | None = None) -> E:
    """A member of the value set ``cls``, given as a member or its exact wire string.

    ``example`` shortens the message of a long set to ``one of the N <cls> values (such as
    'example')``; a short set lists its values.

    Raises:
        Invalid: None, not a string, or not one of the values.
    """
    if value is None:
        raise Invalid("is required")
    if isinstance(value, cls):
        return value
    if not isinstance(value, str):
        raise Invalid(f"must be a {cls.__name__} or its string, not {type_name(value)}")
    try:
        return cls(value)
    except ValueError:
        if example is not None:
            choices = f"the {len(cls)} {cls.__name__} values (such as {example!r})"
        else:
            choices = ", ".join(repr(member.value) for member in cls)
        raise Invalid(f"must be one of {choices}, not {value!r}") from None
