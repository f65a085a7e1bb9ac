"""The error hierarchy: mapping by status, readable messages, headers, pickling."""

from __future__ import annotations

import pickle

import pytest

from mijnklantportaal_async.errors import (
    AmbiguousWriteError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ClientClosedError,
    InsufficientBalanceError,
    LicenseLimitError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnprocessableEntityError,
    error_for_status,
)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, AuthenticationError),
        (402, InsufficientBalanceError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (422, UnprocessableEntityError),
        (426, LicenseLimitError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (418, APIStatusError),
    ],
)
def test_each_documented_status_has_its_class(status: int, cls: type[APIStatusError]) -> None:
    error = error_for_status(status, {"message": "nope"})
    assert type(error) is cls
    assert (error.status, error.message) == (status, "nope")


def test_a_proxy_html_page_gives_a_readable_message() -> None:
    page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>"
    error = error_for_status(502, page, method="POST", path="/customer-invoices")
    assert isinstance(error, ServerError)
    assert "HTML body" in error.message
    assert "502 Bad Gateway" in error.message
    assert "POST /customer-invoices" in str(error)


def test_unprocessable_entity_exposes_field_errors() -> None:
    body = {"message": "The given data was invalid.", "errors": {"customerId": ["Unknown."]}}
    error = error_for_status(422, body)
    assert isinstance(error, UnprocessableEntityError)
    assert error.errors == {"customerId": ["Unknown."]}
    assert error_for_status(422, {"message": "x"}).errors == {}  # type: ignore[attr-defined]


def test_headers_are_case_insensitive() -> None:
    error = error_for_status(429, {"code": 429}, {"retry-after": "7"})
    assert isinstance(error, RateLimitError)
    assert error.headers["Retry-After"] == "7"
    assert error.retry_after == 7.0


@pytest.mark.parametrize(
    "error",
    [
        error_for_status(
            422, {"message": "bad", "errors": {"a": ["b"]}}, {"X-A": "1"}, method="POST"
        ),
        APITimeoutError("timed out", method="GET", path="/customers", sent=False),
        AmbiguousWriteError(
            "reset", natural_key={"invoice_number": "2024-001"}, method="POST", path="/x"
        ),
        ClientClosedError("this client is closed; make a new one"),
    ],
)
def test_errors_survive_pickling_whole(error: Exception) -> None:
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy).keys() == vars(error).keys()
    for name, value in vars(error).items():
        assert getattr(copy, name) == value or name == "headers"
    if isinstance(error, APIStatusError):
        assert isinstance(copy, APIStatusError)
        assert dict(copy.headers) == dict(error.headers)
