"""Request models refuse bad values when built, with a RequestValidationError naming the field."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from model_examples import (
    PNG,
    agreement,
    customer,
    invoice,
    line,
    manual,
    offer,
    refused,
    signer,
)

from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async._core.wire import to_wire
from mijnklantportaal_async.models import (
    AgreementCreate,
    AgreementSignerCreate,
    CustomerCreate,
    CustomerInvoiceCreate,
    CustomerOfferCreate,
    ManualCustomerOfferCreate,
    OfferLine,
)

MODELS: list[tuple[Callable[..., Any], Callable[..., dict[str, Any]], list[str]]] = [
    (CustomerCreate, customer, ["company_name", "address", "zip_code", "city", "primary_email"]),
    (
        CustomerInvoiceCreate,
        invoice,
        ["customer_id", "invoice_number", "issued_at", "amount", "pdf"],
    ),
    (
        CustomerOfferCreate,
        offer,
        ["customer_id", "offer_number", "issued_at", "expires_at", "amount", "pdf"],
    ),
    (ManualCustomerOfferCreate, manual, ["customer_id", "offer_number", "issued_at", "lines"]),
    (OfferLine, line, ["description", "amount_excl_vat", "vat_rate"]),
    (AgreementSignerCreate, signer, ["first_name", "last_name", "email", "should_identify"]),
    (
        AgreementCreate,
        agreement,
        ["name", "signer_name", "signer_signature_data", "signers", "documents"],
    ),
]
REQUIRED = [(cls, kwargs, name) for cls, kwargs, names in MODELS for name in names]
REQUIRED_IDS = [f"{cls.__name__}.{name}" for cls, _, name in REQUIRED]
STRINGS = [
    (cls, kwargs, name)
    for cls, kwargs, name in REQUIRED
    if isinstance(kwargs()[name], str) and name not in ("issued_at", "expires_at")
]


def test_the_valid_examples_build() -> None:
    for cls, kwargs, _ in MODELS:
        cls(**kwargs())


@pytest.mark.parametrize(("cls", "kwargs", "name"), REQUIRED, ids=REQUIRED_IDS)
def test_a_missing_required_field_is_named(
    cls: Callable[..., Any], kwargs: Callable[..., dict[str, Any]], name: str
) -> None:
    values = kwargs()
    del values[name]
    error = refused(cls, **values)
    assert (error.field, error.reason) == (name, "is required")


@pytest.mark.parametrize(("cls", "kwargs", "name"), REQUIRED, ids=REQUIRED_IDS)
def test_a_required_field_given_none_is_named(
    cls: Callable[..., Any], kwargs: Callable[..., dict[str, Any]], name: str
) -> None:
    error = refused(cls, **kwargs(**{name: None}))
    assert (error.field, error.reason) == (name, "is required")


@pytest.mark.parametrize(("cls", "kwargs", "name"), STRINGS)
def test_an_empty_or_blank_required_string_is_named(
    cls: Callable[..., Any], kwargs: Callable[..., dict[str, Any]], name: str
) -> None:
    for blank in ("", "   "):
        assert refused(cls, **kwargs(**{name: blank})).field == name


def test_strings_are_stripped() -> None:
    assert CustomerCreate(**customer(city="  Amsterdam \n")).city == "Amsterdam"


def test_an_int_for_a_string_field_is_refused() -> None:
    error = refused(CustomerCreate, **customer(zip_code=1234))
    assert (error.field, error.reason) == ("zip_code", "must be a string, not int")


def test_an_unknown_keyword_is_refused_by_name() -> None:
    error = refused(CustomerCreate, **customer(compnay_name="X"))
    assert error.field == "compnay_name"
    assert "not a field of CustomerCreate" in error.reason


def test_the_error_is_a_value_error_whose_str_names_the_field() -> None:
    error = refused(CustomerInvoiceCreate, **invoice(amount="twelve"))
    assert isinstance(error, ValueError)
    assert str(error).startswith("amount: ")


@pytest.mark.parametrize(
    ("build", "name"),
    [(lambda v: CustomerInvoiceCreate(**invoice(amount=v)), "amount"),
     (lambda v: OfferLine(**line(amount_excl_vat=v)), "amount_excl_vat")],
)  # fmt: skip
def test_float_money_is_refused_saying_why(build: Callable[[Any], Any], name: str) -> None:
    error = refused(build, v=12.95)
    assert error.field == name
    assert "binary floats cannot represent cents exactly" in error.reason
    assert 'Decimal("12.95")' in error.reason


@pytest.mark.parametrize("amount", ["12.955", Decimal("0.001"), Decimal("1E-3")])
def test_money_with_more_than_two_decimals_is_refused(amount: Any) -> None:
    error = refused(CustomerInvoiceCreate, **invoice(amount=amount))
    assert (error.field, "more than 2 decimals" in error.reason) == ("amount", True)


@pytest.mark.parametrize("amount", ["NaN", "Infinity", Decimal("-inf"), "12,95", "", True])
def test_money_that_is_not_a_finite_number_is_refused(amount: Any) -> None:
    assert refused(CustomerInvoiceCreate, **invoice(amount=amount)).field == "amount"


@pytest.mark.parametrize(
    "amount",
    ["12_95", "1_000.00", "\u0661\u0662.\u0669\u0665", "\uff11\uff12", "1e3", "1E-3", "12.",
     ".5", "1.234,56", "1,234.56", "+-1", "12.9 5"],
)  # fmt: skip
def test_money_strings_must_be_plain_ascii_decimals(amount: str) -> None:
    error = refused(CustomerInvoiceCreate, **invoice(amount=amount))
    assert error.field == "amount"
    assert "plain decimal number like '12.95'" in error.reason
    assert repr(amount) in error.reason


def test_money_accepts_decimal_int_and_strings_with_trailing_zeros() -> None:
    for given, expected in [
        (Decimal("12.95"), "12.95"), (12, "12"), (" 12.950 ", "12.95"), ("+7", "7"),
        ("-0.5", "-0.50"),
    ]:  # fmt: skip
        assert CustomerInvoiceCreate(**invoice(amount=given)).amount == Decimal(expected)


def test_negative_amounts_are_allowed_for_invoices_and_lines_but_not_offers() -> None:
    assert CustomerInvoiceCreate(**invoice(amount="-12.95")).amount == Decimal("-12.95")
    assert OfferLine(**line(amount_excl_vat="-5.00")).amount_excl_vat == Decimal("-5")
    error = refused(CustomerOfferCreate, **offer(amount="-1"))
    assert (error.field, error.reason) == ("amount", "must not be negative: -1")


def test_the_docs_impossible_date_is_refused_naming_the_field() -> None:
    error = refused(CustomerInvoiceCreate, **invoice(issued_at="2024-04-31"))
    assert error.field == "issued_at"
    assert "is not a real date: '2024-04-31'" in error.reason


@pytest.mark.parametrize("value", ["29-04-2024", "2024-4-29", "20240429", 20240429])
def test_a_date_in_another_format_is_refused(value: Any) -> None:
    assert refused(CustomerInvoiceCreate, **invoice(due_at=value)).field == "due_at"


def test_a_datetime_where_a_date_belongs_is_refused() -> None:
    error = refused(CustomerInvoiceCreate, **invoice(issued_at=datetime(2024, 4, 29, 12)))
    assert (error.field, error.reason) == (
        "issued_at",
        "must be a date, not a datetime (use .date())",
    )


def test_a_date_time_string_must_be_real_and_in_the_request_format() -> None:
    built = CustomerInvoiceCreate(**invoice(paid_at="2024-05-11 12:59:00"))
    assert built.paid_at == datetime(2024, 5, 11, 12, 59)
    for bad in ("2024-05-11T12:59:00", "2024-05-11 25:00:00", "2024-02-30 10:00:00"):
        assert refused(CustomerInvoiceCreate, **invoice(paid_at=bad)).field == "paid_at"


@pytest.mark.parametrize("skipped", [datetime(2024, 3, 31, 2, 30), "2024-03-31 02:30:00"])
def test_a_local_time_skipped_by_summer_time_is_refused(skipped: datetime | str) -> None:
    error = refused(CustomerInvoiceCreate, **invoice(paid_at=skipped))
    assert error.field == "paid_at"
    assert error.reason.startswith("2024-03-31 02:30:00 does not exist in portal time")
    accepted = {"accepted_at": skipped, "accepted_via_ip": "10.0.0.1"}
    assert refused(CustomerOfferCreate, **offer(**accepted)).field == "accepted_at"


def test_times_around_the_summer_time_changes_that_exist_are_taken() -> None:
    for moment in (
        datetime(2024, 3, 31, 1, 59, 59),  # just before the gap
        datetime(2024, 3, 31, 3, 0),  # just after it
        datetime(2024, 10, 27, 2, 30),  # occurs twice: taken as written
        datetime(2024, 3, 31, 2, 30, tzinfo=UTC),  # aware: a real instant (04:30 local)
    ):
        assert CustomerInvoiceCreate(**invoice(paid_at=moment)).paid_at == moment


@pytest.mark.parametrize("huge", [Decimal("1E+30"), 10**30, "1000000000000000000000000000000"])
def test_a_huge_amount_goes_on_the_wire_without_exponent_notation(huge: Any) -> None:
    digits = "1" + "0" * 30 + ".00"
    assert to_wire(CustomerInvoiceCreate(**invoice(amount=huge)))["amount"] == digits
    assert to_wire(OfferLine(**line(amount_excl_vat=huge)))["amountExclVat"] == digits


@pytest.mark.parametrize("value", ["yes", 1, 0, "true"])
def test_bool_fields_take_only_real_bools(value: Any) -> None:
    assert refused(CustomerInvoiceCreate, **invoice(send_notification=value)).field == (
        "send_notification"
    )
    assert refused(AgreementSignerCreate, **signer(should_identify=value)).field == (
        "should_identify"
    )


@pytest.mark.parametrize("rate", [10, 6, "21", 21.0, True, None])
def test_a_vat_rate_other_than_0_9_or_21_is_refused(rate: Any) -> None:
    assert refused(OfferLine, **line(vat_rate=rate)).field == "vat_rate"


def test_vat_rates_0_9_and_21_are_accepted() -> None:
    assert [OfferLine(**line(vat_rate=rate)).vat_rate for rate in (0, 9, 21)] == [0, 9, 21]


@pytest.mark.parametrize(
    ("code", "hint"),
    [("XX", "not an assigned"), ("NLD", "not an assigned"), ("nl", "upper case: 'NL'"),
     ("UK", "use 'GB'"), ("XK", "not an assigned")],
)  # fmt: skip
def test_a_country_code_must_be_an_assigned_upper_case_alpha_2_code(code: str, hint: str) -> None:
    error = refused(CustomerCreate, **customer(country_code=code))
    assert error.field == "country_code"
    assert hint in error.reason


def test_assigned_country_codes_are_accepted() -> None:
    for code in ("NL", "BE", "DE", "AQ", "SX", "CW"):
        assert CustomerCreate(**customer(country_code=code)).country_code == code


@pytest.mark.parametrize("address", ["john.doe", "john@", "@test.com", "john@test", "a@b@c.nl"])
def test_a_primary_email_must_look_like_an_email(address: str) -> None:
    assert refused(CustomerCreate, **customer(primary_email=address)).field == "primary_email"


@pytest.mark.parametrize(
    "uri",
    [
        "iVBORw0KGgo=",
        "data:image/jpeg;base64," + base64.b64encode(PNG).decode(),
        "data:image/png;base64,not base64!",
        "data:image/png;base64," + base64.b64encode(b"GIF89a....").decode(),
    ],
)
def test_a_bad_signature_data_uri_is_refused(uri: str) -> None:
    error = refused(AgreementCreate, **agreement(signer_signature_data=uri))
    assert error.field == "signer_signature_data"


def test_a_bad_nested_signer_or_line_is_named_by_index() -> None:
    signers = [signer(), signer(email="not-an-email")]
    assert refused(AgreementCreate, **agreement(signers=signers)).field == "signers[1].email"
    lines = [line(vat_rate=10)]
    assert refused(ManualCustomerOfferCreate, **manual(lines=lines)).field == "lines[0].vat_rate"
    assert refused(ManualCustomerOfferCreate, **manual(lines=["x"])).field == "lines[0]"


def test_nested_mappings_become_models_and_lists_become_tuples() -> None:
    built = ManualCustomerOfferCreate(**manual(lines=[line(), line(vat_rate=9)]))
    assert built.lines == (OfferLine(**line()), OfferLine(**line(vat_rate=9)))
    assert refused(ManualCustomerOfferCreate, **manual(lines=[])).field == "lines"


def test_accepted_via_fields_need_accepted_at() -> None:
    for name, value in [("accepted_via_ip", "1.2.3.4"), ("accepted_via_user_agent", "curl/8")]:
        error = refused(CustomerOfferCreate, **offer(**{name: value}))
        assert error.field == name
        assert "only allowed together with accepted_at" in error.reason


def test_accepted_via_ip_must_be_an_ip_address() -> None:
    error = refused(CustomerOfferCreate, **offer(accepted_at=datetime(2024, 5, 11, 12, 59),
                                                accepted_via_ip="123.456.7.8.9"))  # fmt: skip
    assert (error.field, "not a valid IPv4 or IPv6" in error.reason) == ("accepted_via_ip", True)
    built = CustomerOfferCreate(**offer(accepted_at="2024-05-11 12:59:00", accepted_via_ip="::1"))
    assert built.accepted_via_ip == "::1"


def test_an_offer_cannot_be_both_accepted_and_rejected() -> None:
    moment = datetime(2024, 5, 11, 12, 59)
    error = refused(CustomerOfferCreate, **offer(accepted_at=moment, rejected_at=moment))
    assert error.field == "rejected_at"


def test_expiry_and_due_dates_cannot_precede_the_issue_date() -> None:
    error = refused(CustomerOfferCreate, **offer(expires_at=date(2024, 4, 28)))
    assert (error.field, error.reason) == (
        "expires_at",
        "2024-04-28 is before issued_at 2024-04-29",
    )
    assert refused(ManualCustomerOfferCreate, **manual(expires_at="2025-04-13")).field == (
        "expires_at"
    )
    assert refused(CustomerInvoiceCreate, **invoice(due_at="2024-04-01")).field == "due_at"


def test_natural_keys() -> None:
    assert CustomerCreate(**customer()).natural_key() == {
        "primary_email": "john.doe@test.com",
        "company_name": "Test Company BV",
    }
    assert CustomerInvoiceCreate(**invoice()).natural_key() == {"invoice_number": "2024-001"}
    assert CustomerOfferCreate(**offer()).natural_key() == {"offer_number": "2024-001"}
    assert ManualCustomerOfferCreate(**manual()).natural_key() == {"offer_number": "2024-002"}
    signers = [signer(email="Zed@Domain.com"), signer(email="anna@domain.com")]
    key = AgreementCreate(**agreement(signers=signers)).natural_key()
    assert key == {
        "name": "Service contract",
        "signer_emails": ("Zed@Domain.com", "anna@domain.com"),
    }
    # matched case-insensitively and in any order
    assert natural_keys.AGREEMENT.normalize(key)["signer_emails"] == (
        "anna@domain.com",
        "zed@domain.com",
    )


def test_request_models_are_frozen() -> None:
    built = CustomerCreate(**customer())
    with pytest.raises(AttributeError):
        built.city = "Utrecht"  # type: ignore[misc]
