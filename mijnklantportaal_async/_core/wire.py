"""The one cattrs converter between the models (snake_case) and the wire (camelCase JSON or
form fields). Only this module knows wire names.

- ``to_wire(obj)``: an attrs model -> a dict with camelCase keys. ``Decimal`` -> ``"12.95"``
  (exactly 2 decimals); ``date`` -> ``"YYYY-mm-dd"``; ``datetime`` -> ``"YYYY-mm-dd HH:MM:SS"``
  in portal local time (aware datetimes are converted to Europe/Amsterdam first; naive ones
  are taken to be portal local time already), or ``"YYYY-mm-dd HH:MM"`` for a field declared
  with :data:`TO_THE_MINUTE` (the Appointments API's ``Y-m-d H:i``); bools stay bools
  (``multipart`` makes them ``1``/``0``); ``Upload`` objects pass through unchanged; nested
  models and tuples become dicts and lists. What is left out is one rule,
  :func:`unsent_value`: a create model's None fields are not sent (never null); an update
  model's UNSET fields are not sent, and its None fields are sent as null.
- ``split_query(obj)``: a JSON or multipart request model whose fields are partly query
  parameters (field metadata :data:`IN_QUERY`; post-files' ``?directory=fsd_...``) as its body
  and its query. ``to_query(obj)``: a ``Body.QUERY`` model, every field a query parameter.
- ``from_wire(cls, data)``: a decoded JSON object -> a response model. Unknown fields are
  ignored, missing optional ones take their defaults; ATOM timestamps become aware
  datetimes; ``"YYYY-mm-dd"`` becomes a date; money strings become ``Decimal``; a null or
  missing list becomes ``()``. What cannot be a real answer is refused (ValueError): an ``id``
  that is not a non-empty string, or lacks its kind's prefix (:func:`object_id`); a ``NaN`` or
  infinite amount; a timestamp that no clock can show in UTC (year 1 at +14:00).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from types import NoneType, UnionType
from typing import Any, TypeVar, Union, get_args, get_origin
from zoneinfo import ZoneInfo

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from mijnklantportaal_async.uploads import Upload

__all__ = [
    "ID_PREFIXES",
    "IN_QUERY",
    "PORTAL_TIMEZONE",
    "TO_THE_MINUTE",
    "WIRE_NAME",
    "WIRE_NAME_OVERRIDES",
    "converter",
    "from_wire",
    "object_id",
    "split_query",
    "to_query",
    "to_wire",
    "unsent_value",
    "wire_name",
]

T = TypeVar("T")

PORTAL_TIMEZONE = ZoneInfo("Europe/Amsterdam")
"""The portal's local time: request date-times are written in it; a response timestamp
without an offset is read in it."""

WIRE_NAME_OVERRIDES: dict[str, str] = {
    # A punch card answers its expiry unit as "expiryPeriode" (the docs' Dutch-ish spelling);
    # the create request's "expirePeriod" is PunchCardCreate.expire_period, no override.
    "expiry_period": "expiryPeriode",
}
"""snake_case field name -> wire name, only where the wire name is NOT the mechanical
camelCase of the field name. Global per Python name: a field whose wire names differ between
request and response gets a different Python name in each. Read when a class is first
converted (hooks are cached), so fill it at import time."""

WIRE_NAME = "mijnklantportaal.wire_name"
"""attrs field metadata key: the wire name of this one field, where it is not the camelCase of
its Python name and other fields of that name keep theirs (so not a :data:`WIRE_NAME_OVERRIDES`
entry): ``attrs.field(metadata={WIRE_NAME: "directory"})`` on a new directory's ``name``."""

IN_QUERY = "mijnklantportaal.in_query"
"""attrs field metadata key: this field of a JSON or multipart request model travels as the
query parameter named by the value, not in the body (:func:`split_query`):
``attrs.field(metadata={IN_QUERY: "directory"})`` for post-files' ``?directory=fsd_...``."""

ID_PREFIXES = "mijnklantportaal.id_prefixes"
"""attrs field metadata key: the ID prefixes (a tuple) an object's ``id`` must start with, as
the API documents them (``inv_`` for an invoice). Set by :func:`object_id`; read by
:func:`from_wire`, which refuses an ``id`` without one of them."""

_REQUEST_DATETIME = "%Y-%m-%d %H:%M:%S"
_WIRE_FORMAT = "mijnklantportaal_wire_format"

TO_THE_MINUTE: Mapping[str, str] = {_WIRE_FORMAT: "%Y-%m-%d %H:%M"}
"""Field metadata (``attrs.field(..., metadata=TO_THE_MINUTE)``) for a date-time the API
documents as ``Y-m-d H:i``: written ``"YYYY-mm-dd HH:MM"``, without seconds, in the body and
in the query alike (the appointments' ``startsAt``, ``endsAt`` and ``start_at``)."""
_SNAKE_PART = re.compile(r"_([a-z0-9])")


def wire_name(python_name: str) -> str:
    """The wire name of a field: ``"accepted_via_ip"`` -> ``"acceptedViaIp"`` (or its override)."""
    override_name = WIRE_NAME_OVERRIDES.get(python_name)
    if override_name is not None:
        return override_name
    return _SNAKE_PART.sub(lambda match: match.group(1).upper(), python_name)


def _field_wire_name(field: attrs.Attribute[Any]) -> str:
    """The wire name of one attrs field: its :data:`WIRE_NAME` metadata, else :func:`wire_name`."""
    own: str | None = field.metadata.get(WIRE_NAME)
    return own if own is not None else wire_name(field.name)


# -- scalars --------------------------------------------------------------------------------


def _money_out(value: Decimal) -> str:
    # format() does not round to the context's precision, so huge amounts stay exact;
    # validated request amounts have at most 2 decimals, so nothing is rounded either.
    return format(value if value else Decimal(0), ".2f")


def _datetime_out(value: datetime, layout: str = _REQUEST_DATETIME) -> str:
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.astimezone(PORTAL_TIMEZONE)
    # %Y is not zero-padded on every platform (glibc writes year 1 as "1"): pad it here
    return value.strftime(layout.replace("%Y", f"{value.year:04d}"))


def _field_override(field: attrs.Attribute[Any]) -> Any:
    """The field's wire name, and the date-time layout its metadata asks for (None and
    UNSET pass unchanged, so the rule of what is sent still applies)."""
    layout = field.metadata.get(_WIRE_FORMAT)
    if layout is None:
        return override(rename=_field_wire_name(field))

    def unstructure(value: Any) -> Any:
        return _datetime_out(value, layout) if isinstance(value, datetime) else value

    return override(rename=_field_wire_name(field), unstruct_hook=unstructure)


def object_id(*prefixes: str) -> Any:
    """The ``id`` field of a response model whose IDs start with one of ``prefixes``
    (``id: str = object_id("inv_")``): :func:`from_wire` refuses an answer whose ``id`` is
    missing, null, empty, not a string or without the prefix, as an answer that is not the
    object asked for. Declared once per response model, next to the field."""
    return attrs.field(metadata={ID_PREFIXES: prefixes})


def _id_in(value: Any, prefixes: tuple[str, ...]) -> str:
    if not isinstance(value, str) or not value.strip():
        shown = "null" if value is None else repr(value)[:40]
        raise ValueError(f"id must be a non-empty string, got {shown}")
    if prefixes and not value.startswith(prefixes):
        wanted = " or ".join(repr(p) for p in prefixes)
        raise ValueError(f"id {value[:40]!r} does not start with {wanted}")
    return value


def _money_in(value: Any, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError(f"expected a money string, got {type(value).__name__}")
    try:
        # A JSON number arrives as a float: str() gives its shortest form ("12.95").
        amount = Decimal(str(value) if isinstance(value, float) else value)
    except InvalidOperation:
        raise ValueError(f"not a decimal amount: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return amount


def _bool_in(value: Any, _: type) -> bool:
    # PHP may send 0/1 (or "0"/"1") where the docs say boolean; bool("0") would be True.
    if isinstance(value, bool):
        return value
    if value in (0, 1) or value in ("0", "1"):
        return bool(int(value))
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValueError(f"expected a boolean, got {value!r}")


def _datetime_in(value: Any, _: type) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"expected a timestamp string, got {type(value).__name__}")
    parsed = datetime.fromisoformat(value)  # ATOM "2024-04-28T21:00:00+02:00", also "Z"
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=PORTAL_TIMEZONE)
    if parsed.year in (1, 9999):  # only the first and last year can leave the range
        try:  # a moment that cannot be shown in UTC (year 1 at +14:00) breaks comparisons
            parsed.astimezone(UTC)
        except OverflowError:
            raise ValueError(f"timestamp out of range: {value!r}") from None
    return parsed


def _date_in(value: Any, _: type) -> date:
    if not isinstance(value, str):
        raise ValueError(f"expected a 'YYYY-mm-dd' string, got {type(value).__name__}")
    if len(value) > 10:  # a timestamp where a date was documented: keep its date
        return _datetime_in(value, datetime).date()
    return date.fromisoformat(value)


def _is_optional(cls: Any) -> bool:
    args = get_args(cls)
    return get_origin(cls) in (Union, UnionType) and len(args) == 2 and NoneType in args


def _is_homogeneous_tuple(cls: Any) -> bool:
    args = get_args(cls)
    return get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis


# -- the converter --------------------------------------------------------------------------


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(unstruct_collection_overrides={tuple: list})

    conv.register_unstructure_hook(Decimal, _money_out)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_unstructure_hook(datetime, _datetime_out)
    conv.register_unstructure_hook(Upload, lambda upload: upload)

    conv.register_structure_hook(bool, _bool_in)
    conv.register_structure_hook(Decimal, _money_in)
    conv.register_structure_hook(date, _date_in)
    conv.register_structure_hook(datetime, _datetime_in)

    # Hooks for `X | None` and `tuple[X, ...]` that find X's hook once, not per value
    def optional_factory(cls: Any) -> Callable[[Any, Any], Any]:
        inner = next(arg for arg in get_args(cls) if arg is not NoneType)
        hook = conv.get_structure_hook(inner)

        def optional_in(value: Any, _: Any) -> Any:
            return None if value is None else hook(value, inner)

        def optional_str_in(value: Any, _: Any) -> Any:  # most optional fields: text as it is
            return value if value is None or type(value) is str else hook(value, inner)

        return optional_str_in if inner is str else optional_in

    def tuple_factory(cls: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
        item_type = get_args(cls)[0]
        hook = conv.get_structure_hook(item_type)

        def tuple_in(value: Any, _: Any) -> tuple[Any, ...]:
            if value is None:  # the API's "nullable" lists
                return ()
            if not isinstance(value, list | tuple):
                raise ValueError(f"expected a list, got {type(value).__name__}")
            return tuple(hook(item, item_type) for item in value)

        return tuple_in

    conv.register_structure_hook_factory(_is_optional, optional_factory)
    conv.register_structure_hook_factory(_is_homogeneous_tuple, tuple_factory)

    def unstructure_factory(cls: type) -> Callable[[Any], dict[str, Any]]:
        renames: dict[str, Any] = {a.name: _field_override(a) for a in attrs.fields(cls)}
        unstructure: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
            cls, conv, **renames
        )
        names = [(a.name, _field_wire_name(a)) for a in attrs.fields(cls)]
        unsent = unsent_value(cls)

        def unstructure_object(obj: Any) -> dict[str, Any]:
            wire: dict[str, Any] = unstructure(obj)
            for name, key in names:
                if getattr(obj, name) is unsent:
                    del wire[key]
            return wire

        return unstructure_object

    def structure_factory(cls: type) -> Callable[[Any, type], Any]:
        renames: dict[str, Any] = {
            a.name: override(rename=_field_wire_name(a)) for a in attrs.fields(cls)
        }
        structure: Callable[[Mapping[str, Any], Any], Any] = make_dict_structure_fn(
            cls, conv, **renames
        )
        # (wire name, prefixes) of the fields declared with object_id(), and of a required
        # ``id: str`` without one: an answer's ID is never "None", "" or a number
        ids = [
            (_field_wire_name(a), tuple(a.metadata.get(ID_PREFIXES, ())))
            for a in attrs.fields(cls)
            if ID_PREFIXES in a.metadata or (a.name == "id" and a.default is attrs.NOTHING)
        ]

        def structure_object(value: Any, type_: type) -> Any:
            if type(value) is not dict:  # (exactly dict: the usual case, checked cheaply)
                if isinstance(value, list) and not value:
                    value = {}  # PHP encodes an empty object ({}) as []
                if not isinstance(value, Mapping):
                    raise ValueError(f"expected a JSON object, got {type(value).__name__}")
            for key, prefixes in ids:
                _id_in(value.get(key), prefixes)
            return structure(value, type_)

        return structure_object

    conv.register_unstructure_hook_factory(attrs.has, unstructure_factory)
    conv.register_structure_hook_factory(attrs.has, structure_factory)
    return conv


converter: cattrs.Converter = _make_converter()
"""The one converter. Use :func:`to_wire` and :func:`from_wire` rather than it directly."""

# Per model class, made on first use; as many as the package has models.
_FIELD_NAMES: dict[type, tuple[tuple[str, str, str | None], ...]] = {}
_QUERY_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}
_READERS: dict[type, Callable[[Any], Any]] = {}


def to_wire(obj: Any) -> dict[str, Any]:
    """A request model (any attrs instance) as its wire dict (camelCase keys).

    ``to_wire(CustomerInvoiceCreate(...))`` -> ``{"customerId": ..., "amount": "12.95",
    "issuedAt": "2024-04-29", "pdf": <Upload>, ...}``; unset optional fields are absent.
    ``to_wire(CustomerUpdate(city="Utrecht"))`` -> ``{"city": "Utrecht"}``. Which fields are
    left out: :func:`unsent_value`.
    Raises ``TypeError`` when ``obj`` is not an attrs instance.
    """
    if not attrs.has(type(obj)):
        raise TypeError(f"to_wire() takes an attrs model instance, not {type(obj).__name__}")
    wire: dict[str, Any] = converter.unstructure(obj)
    return wire


def to_query(obj: Any) -> dict[str, str]:
    """A request model as query parameters (``Body.QUERY`` operations).

    The API's query names are snake_case (``start_at``, ``days``, ``directory``), so each
    field is named as it is in Python, not camelCase; values are formatted as on the wire
    (dates ``YYYY-mm-dd``, date-times ``YYYY-mm-dd HH:MM:SS``, or ``YYYY-mm-dd HH:MM`` for a
    field with :data:`TO_THE_MINUTE` such as ``start_at``) and as text, booleans ``1``/``0``.
    Fields left out of :func:`to_wire` are left out here too.
    """
    wire = to_wire(obj)
    query: dict[str, str] = {}
    for python_name, name, _ in _field_names(type(obj)):
        if name in wire:
            query[python_name] = _query_value(wire[name])
    return query


def split_query(obj: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """A JSON or multipart request model as ``(body, query)``: :func:`to_wire` without the
    fields marked :data:`IN_QUERY`, and those as query parameters under the names the marks
    give (values as :func:`to_query` writes them). A field left out of :func:`to_wire` is in
    neither. One route can take a body and a query at once: post-files uploads a file
    (multipart) into the directory named by ``?directory=fsd_...``.
    """
    wire = to_wire(obj)
    query: dict[str, str] = {}
    for name, query_name in _query_fields(type(obj)):
        if name in wire:
            query[query_name] = _query_value(wire.pop(name))
    return wire, query


def _query_fields(cls: type) -> tuple[tuple[str, str], ...]:
    """(wire name, query name) of each field of ``cls`` marked :data:`IN_QUERY` (mostly none)."""
    fields = _QUERY_FIELDS.get(cls)
    if fields is None:
        fields = _QUERY_FIELDS[cls] = tuple(
            (name, query_name)
            for _, name, query_name in _field_names(cls)
            if query_name is not None
        )
    return fields


def _field_names(cls: type) -> tuple[tuple[str, str, str | None], ...]:
    """Each field of ``cls`` as (Python name, wire name, :data:`IN_QUERY` name or None)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(
            (field.name, _field_wire_name(field), field.metadata.get(IN_QUERY))
            for field in attrs.fields(cls)
        )
    return names


def _query_value(value: Any) -> str:
    return ("1" if value else "0") if isinstance(value, bool) else str(value)


def unsent_value(cls: type) -> object:
    """The value that keeps a field of model class ``cls`` off the wire: THE rule of what is
    sent, applied to every model at every depth by :func:`to_wire`.

    None for a create model (and any other attrs class): an optional field left out is not
    sent, and null never reaches the wire. ``UNSET`` for an update model, whose class says so
    with ``__wire_unsent__`` (set by ``models._validators.update_model``): a field the caller
    did not set is not sent, and a None is sent as null, clearing the field.
    """
    unsent: object = getattr(cls, "__wire_unsent__", None)
    return unsent


def from_wire(cls: type[T], data: Any) -> T:
    """A response model built from decoded JSON (``from_wire(CustomerInvoice, body)``).

    Raises:
        ValueError: ``data`` does not fit ``cls`` (not an object, no ``id``, a malformed
            date, timestamp or amount); the message names the class and the problem.
    """
    return reader(cls)(data)


def reader(cls: type[T]) -> Callable[[Any], T]:
    """:func:`from_wire` for one class, as a function of the data (made once per class and
    kept: the request path reads every answer through one)."""
    read = _READERS.get(cls)
    if read is None:
        read = _READERS[cls] = _make_reader(cls)
    return read


def _make_reader(cls: type) -> Callable[[Any], Any]:
    hook = converter.get_structure_hook(cls)

    def read(data: Any) -> Any:
        try:
            return hook(data, cls)
        except Exception as exc:  # cattrs reports through ClassValidationError (a group)
            problem = _describe(exc)
            raise ValueError(f"cannot read {cls.__name__} from the response: {problem}") from exc

    return read


def _describe(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup):
        notes = [_describe(inner) for inner in exc.exceptions]
        return "; ".join(notes)
    notes = getattr(exc, "__notes__", None) or []
    where = f" ({notes[-1]})" if notes else ""
    return f"{type(exc).__name__}: {exc}{where}"
