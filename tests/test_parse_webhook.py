"""``parse_webhook``: the signature check (the raw secret or a hex HMAC-SHA256 of the body,
against any of several secrets, in constant time) and reading the event it carries."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from typing import Any

import pytest
from multidict import CIMultiDict

from mijnklantportaal_async import (
    MijnKlantportaalError,
    RequestValidationError,
    WebhookEvent,
    WebhookPayloadError,
    WebhookSignatureError,
    WebhookType,
    parse_webhook,
)

SECRET = "OUJX2prdBbJxR77BZlGz"
OLD_SECRET = "b5Yk0pQm2ZtR9wXc7LdA"
INVOICE = {"id": "inv_abc12345def678", "invoiceNumber": "2024-001", "amount": "121.00"}
BODY = json.dumps({"type": "invoice-paid", "data": INVOICE}).encode()


def hmac_hex(secret: str, body: bytes = BODY) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed(signature: str) -> dict[str, str]:
    return {"X-Webhook-Signature": signature}


@pytest.mark.parametrize(
    "signature",
    [SECRET, hmac_hex(SECRET), hmac_hex(SECRET).upper(), f" {SECRET} "],
    ids=["raw secret", "hmac-sha256 hex", "hmac-sha256 HEX", "padded"],
)
def test_either_signature_form_is_accepted(signature: str) -> None:
    event = parse_webhook(body=BODY, headers=signed(signature), secrets=[SECRET])
    expected = WebhookEvent(type=WebhookType.INVOICE_PAID, data=INVOICE, object_id=INVOICE["id"])
    assert event == expected
    assert event.type is WebhookType.INVOICE_PAID


@pytest.mark.parametrize("secret", [SECRET, OLD_SECRET])
@pytest.mark.parametrize("form", ["raw", "hmac"])
def test_any_of_several_secrets_verifies_the_call(secret: str, form: str) -> None:
    """One secret per webhook record, or the old and the new one during a rotation."""
    signature = secret if form == "raw" else hmac_hex(secret)
    event = parse_webhook(body=BODY, headers=signed(signature), secrets=[OLD_SECRET, None, SECRET])
    assert event.object_id == INVOICE["id"]


@pytest.mark.parametrize(
    "headers",
    [
        {"x-webhook-signature": SECRET},
        CIMultiDict({"X-WEBHOOK-SIGNATURE": SECRET}),
        CIMultiDict([("Content-Type", "application/json"), ("X-Webhook-Signature", SECRET)]),
    ],
    ids=["lower-case dict", "CIMultiDict", "among others"],
)
def test_the_header_name_is_matched_in_any_case(headers: Any) -> None:
    assert parse_webhook(body=BODY, headers=headers, secrets=[SECRET]).type == "invoice-paid"


@pytest.mark.parametrize(
    ("headers", "says"),
    [
        ({}, "has no X-Webhook-Signature header"),
        (signed(""), "matches none of the 1 webhook secret(s)"),
        (signed(OLD_SECRET), "matches none"),
        (signed(hmac_hex(OLD_SECRET)), "matches none"),
        (signed(hmac_hex(SECRET, BODY + b" ")), "matches none"),  # another body
        (signed(SECRET[:-1]), "matches none"),
        (signed(hmac_hex(SECRET)[:-1]), "matches none"),
        (
            CIMultiDict([("X-Webhook-Signature", SECRET), ("X-Webhook-Signature", "x")]),
            "more than one",
        ),
    ],
    ids=["missing", "empty", "other secret", "other hmac", "body changed", "cut secret",
         "cut hmac", "twice"],
)  # fmt: skip
def test_a_missing_or_wrong_signature_is_refused(headers: Any, says: str) -> None:
    with pytest.raises(WebhookSignatureError, match=re.escape(says)) as info:
        parse_webhook(body=BODY, headers=headers, secrets=[SECRET])
    assert isinstance(info.value, MijnKlantportaalError)


def test_a_signature_is_checked_before_the_body_is_read() -> None:
    with pytest.raises(WebhookSignatureError):
        parse_webhook(body=b"not json", headers=signed(OLD_SECRET), secrets=[SECRET])


def test_every_secret_and_both_forms_are_compared_in_constant_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No early exit: a match on the first secret costs the same comparisons as no match, and
    each is hmac.compare_digest."""
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def counting(a: Any, b: Any) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)
    parse_webhook(body=BODY, headers=signed(SECRET), secrets=[SECRET, OLD_SECRET, "third"])
    matched = len(compared)
    compared.clear()
    with pytest.raises(WebhookSignatureError):
        parse_webhook(body=BODY, headers=signed("wrong"), secrets=[SECRET, OLD_SECRET, "third"])
    assert matched == len(compared) == 6


def test_the_log_says_which_form_matched_never_a_value(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="mijnklantportaal_async")
    parse_webhook(body=BODY, headers=signed(hmac_hex(SECRET)), secrets=[SECRET])
    parse_webhook(body=BODY, headers=signed(SECRET), secrets=[SECRET])
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "webhook signature verified (hmac-sha256)",
        "webhook signature verified (secret)",
    ]
    assert SECRET not in caplog.text
    assert hmac_hex(SECRET) not in caplog.text


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"type": "customer-created", "data": {"id": "cst_abc12345def678", "city": "Utrecht"}},
            WebhookEvent(
                type=WebhookType.CUSTOMER_CREATED,
                data={"id": "cst_abc12345def678", "city": "Utrecht"},
                object_id="cst_abc12345def678",
            ),
        ),
        (  # the object's fields at the top level, beside the type
            {"type": "ticket-created", "id": "tic_abc12345def678", "title": "Help"},
            WebhookEvent(
                type=WebhookType.TICKET_CREATED,
                data={"id": "tic_abc12345def678", "title": "Help"},
                object_id="tic_abc12345def678",
            ),
        ),
        (  # an object without a string id
            {"type": "invoice-deleted", "data": {"id": 12}},
            WebhookEvent(type=WebhookType.INVOICE_DELETED, data={"id": 12}, object_id=None),
        ),
    ],
    ids=["type and data", "flat", "no string id"],
)
def test_the_event_holds_the_type_the_object_and_its_id(
    payload: dict[str, Any], expected: WebhookEvent
) -> None:
    body = json.dumps(payload).encode()
    assert parse_webhook(body=body, headers=signed(SECRET), secrets=[SECRET]) == expected


def test_an_event_type_the_library_does_not_know_is_kept_as_its_string() -> None:
    """The API may add event types: a receiver gets them, to log or skip, instead of failing."""
    body = json.dumps({"type": "invoice-refunded", "data": {"id": "inv_1"}}).encode()
    event = parse_webhook(body=body, headers=signed(SECRET), secrets=[SECRET])
    assert event.type == "invoice-refunded"
    assert not isinstance(event.type, WebhookType)
    assert event.object_id == "inv_1"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"{not json", "is not JSON"),
        (b"\xff\xfe\xfa", "is not JSON"),
        (b"", "is not JSON"),
        (b"[1, 2]", "not a JSON object but a JSON array"),
        (b'"invoice-paid"', "not a JSON object but a JSON string"),
        (b'{"data": {"id": "inv_1"}}', 'no "type" string'),
        (b'{"type": 7, "data": {}}', 'no "type" string'),
        (b'{"type": " ", "data": {}}', 'no "type" string'),
        (b'{"type": "invoice-paid", "data": null}', '"data" is not a JSON object but a JSON null'),
        (b'{"type": "invoice-paid", "data": [1]}', '"data" is not a JSON object but a JSON array'),
    ],
)
def test_a_verified_body_that_is_no_event_is_a_payload_error(body: bytes, says: str) -> None:
    with pytest.raises(WebhookPayloadError, match=says) as info:
        parse_webhook(body=body, headers=signed(hmac_hex(SECRET, body)), secrets=[SECRET])
    assert isinstance(info.value, MijnKlantportaalError)
    assert isinstance(info.value, ValueError)
    assert info.value.__cause__ is None  # nothing of the body rides along


def test_the_body_may_be_a_bytearray_or_memoryview() -> None:
    for body in (bytearray(BODY), memoryview(BODY)):
        assert parse_webhook(body=body, headers=signed(SECRET), secrets=[SECRET]).object_id


@pytest.mark.parametrize(
    ("arguments", "error", "says"),
    [
        ({"body": BODY.decode()}, TypeError, "raw request body as bytes, not str"),
        ({"headers": [("X-Webhook-Signature", SECRET)]}, TypeError, "headers must be"),
        ({"secrets": SECRET}, TypeError, "list of webhook secrets, not str"),
        ({"secrets": [SECRET, 5]}, TypeError, r"secrets\[1\] must be a str"),
        ({"secrets": []}, RequestValidationError, "secrets: holds no secret"),
        ({"secrets": [None]}, RequestValidationError, "secrets: holds no secret"),
        ({"secrets": [SECRET, ""]}, RequestValidationError, r"secrets\[1\]: must not be empty"),
    ],
)
def test_wrong_arguments_are_refused_naming_them(
    arguments: dict[str, Any], error: type[Exception], says: str
) -> None:
    given: dict[str, Any] = {"body": BODY, "headers": signed(SECRET), "secrets": [SECRET]}
    with pytest.raises(error, match=says):
        parse_webhook(**(given | arguments))
