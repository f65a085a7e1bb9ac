"""The Webhooks API's models: the create request's checks, the 23 event types and a read
webhook record, whose secret never shows in its repr."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from model_examples import refused
from operation_examples import WEBHOOK

from mijnklantportaal_async import Webhook, WebhookCreate, WebhookType
from mijnklantportaal_async._core.wire import from_wire, to_wire

SPEC = Path(__file__).resolve().parent.parent / "data" / "openapi.yaml"


def test_the_event_types_are_the_documented_23_in_the_spec_s_order() -> None:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    documented = spec["components"]["schemas"]["WebhookType"]["enum"]
    assert [member.value for member in WebhookType] == documented
    assert len(WebhookType) == 23
    assert str(WebhookType.INVOICE_PAID) == "invoice-paid"
    assert WebhookType("invoice-paid") is WebhookType.INVOICE_PAID


@pytest.mark.parametrize("kind", [WebhookType.INVOICE_PAID, "invoice-paid"])
def test_a_create_sends_the_url_and_the_type_s_wire_string(kind: Any) -> None:
    hook = WebhookCreate(url="https://example.org/hooks?source=mkp", type=kind)
    assert hook.type is WebhookType.INVOICE_PAID
    assert to_wire(hook) == {"url": "https://example.org/hooks?source=mkp", "type": "invoice-paid"}


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/hooks", "http://localhost/hooks", "http://[::1]:9000/h"]
)
def test_plain_http_is_taken_for_a_loopback_receiver(url: str) -> None:
    assert WebhookCreate(url=url, type="customer-created").url == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://example.org/hooks", "must be https"),
        ("ftp://example.org/hooks", "must be https"),
        ("/hooks", "absolute URL"),
        ("https://user:pw@example.org/hooks", "user name or password"),
        ("   ", "must not be empty"),
        (None, "is required"),
        (8080, "must be a string"),
    ],
)
def test_a_url_the_portal_should_not_call_is_refused(url: Any, reason: str) -> None:
    error = refused(WebhookCreate, url=url, type="invoice-paid")
    assert error.field == "url"
    assert reason in error.reason


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("invoice-sent", "must be one of the 23 WebhookType values"),
        ("INVOICE_PAID", "not 'INVOICE_PAID'"),
        (3, "must be a WebhookType or its string"),
        (None, "is required"),
    ],
)
def test_an_undocumented_event_type_is_refused(kind: Any, reason: str) -> None:
    error = refused(WebhookCreate, url="https://example.org/hooks", type=kind)
    assert error.field == "type"
    assert reason in error.reason


def test_a_missing_field_is_refused_naming_it() -> None:
    assert refused(WebhookCreate, url="https://example.org/hooks").field == "type"


def test_a_read_webhook_record_keeps_its_secret_out_of_the_repr() -> None:
    hook = from_wire(Webhook, WEBHOOK)
    assert hook.type is WebhookType.CUSTOMER_CREATED
    assert hook.secret == WEBHOOK["secret"]
    assert hook.created_at is not None
    assert hook.created_at.utcoffset() is not None
    for shown in (repr(hook), str(hook), f"{hook}", repr([hook])):
        assert WEBHOOK["secret"] not in shown
        assert "wbh_abc12345def678" in shown
