"""Receiving webhook calls: :func:`parse_webhook` checks a call's ``X-Webhook-Signature``
header against your webhook secrets and returns the :class:`WebhookEvent` it carries.

The API's docs say only that the webhook record's ``secret`` "will be added to the
``X-Webhook-Signature`` header" (api/NOTES.md section 6); neither the signature algorithm nor
the payload is documented. :func:`signature_scheme` is the one place that decides what a valid
header is; :func:`parse_webhook` documents the payload we assume. See docs/webhooks.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from mijnklantportaal_async._core.log import logger
from mijnklantportaal_async.errors import (
    RequestValidationError,
    WebhookPayloadError,
    WebhookSignatureError,
)
from mijnklantportaal_async.models.webhooks import WebhookType

__all__ = ["SIGNATURE_HEADER", "WebhookEvent", "parse_webhook", "signature_scheme"]

SIGNATURE_HEADER = "X-Webhook-Signature"
"""The header a webhook call carries its signature in (matched case-insensitively)."""
_KNOWN = frozenset(member.value for member in WebhookType)


@attrs.frozen(kw_only=True)
class WebhookEvent:
    """One verified webhook call.

    Attributes:
        type: the event type: a :class:`WebhookType` for the 23 documented ones; an event type
            the library does not know yet (the API may add some) is kept as the plain string
            the portal sent, so a receiver can log or skip it rather than fail. Compare with
            ``event.type == WebhookType.INVOICE_PAID`` (equal to ``"invoice-paid"`` either way).
        data: the event's object as the portal sent it, with the API's camelCase field names
            (an invoice for ``invoice-paid``, a customer for ``customer-created``, ...).
        object_id: ``data["id"]`` (``inv_...``, ``cst_...``) when the object has a string ID,
            else None.
    """

    type: WebhookType | str
    data: Mapping[str, Any]
    object_id: str | None = None


def signature_scheme(body: bytes, signature: bytes, secret: bytes) -> str | None:
    """Which of the accepted signature forms ``signature`` (the header's value) is for
    ``secret`` and ``body``: ``"secret"`` (the header is the secret itself),
    ``"hmac-sha256"`` (the header is the hex HMAC-SHA256 of the raw body keyed with the
    secret, either case), or None (neither).

    The one place that decides what a valid signature is. Both forms are always compared, each
    with :func:`hmac.compare_digest`, so the time taken says nothing about the header.
    """
    digest = hmac.new(secret, body, hashlib.sha256).hexdigest().encode()
    is_secret = hmac.compare_digest(signature, secret)
    is_hmac = hmac.compare_digest(signature.lower(), digest)
    if is_secret:
        return "secret"
    return "hmac-sha256" if is_hmac else None


def parse_webhook(
    *,
    body: bytes | bytearray | memoryview,
    headers: Mapping[str, str],
    secrets: Iterable[str | None],
) -> WebhookEvent:
    """Verify a webhook call and return its event.

    ``event = parse_webhook(body=await request.read(), headers=request.headers,
    secrets=[hook.secret])`` (aiohttp; in FastAPI ``body=await request.body()``).

    Args:
        body: the request body exactly as received (bytes): read it raw, before any JSON
            parsing, since the signature may be computed over these bytes.
        headers: the request headers (any mapping: aiohttp's, Starlette's or a dict; the
            ``X-Webhook-Signature`` name is matched case-insensitively).
        secrets: the ``secret`` of each webhook record that may have sent the call (one per
            record; during a rotation, the old and the new secret). ``None`` items (a
            :class:`Webhook` without a secret) are skipped.

    The signature is accepted when, for one of the secrets, the header is EITHER the secret
    itself OR the hex HMAC-SHA256 of the raw body keyed with the secret: the API's docs leave
    the algorithm open (:func:`signature_scheme` decides; a DEBUG line on the
    ``mijnklantportaal_async`` logger says which form matched, never a value). Every
    comparison is constant-time. The payload is then read as we assume it (the docs do not
    show it): a JSON object ``{"type": "<event type>", "data": {<the object>}}``; without
    ``data``, the object's fields are taken to be the other top-level fields.

    Returns:
        the :class:`WebhookEvent`.

    Raises:
        WebhookSignatureError: the header is missing, given more than once, or matches none of
            the secrets (answer 401; never act on the call). Its message never shows the
            header or a secret.
        WebhookPayloadError: the call is verified but its body is not JSON, not a JSON object,
            has no ``type`` string, or a ``data`` that is not an object (answer 400).
        TypeError: ``body`` is not bytes (a ``str`` is refused: decoding may have changed the
            signed bytes), ``secrets`` is a single string or holds a non-string.
        RequestValidationError: ``secrets`` holds no secret, or an empty one (``.field`` names
            it: ``secrets`` or ``secrets[1]``).
    """
    # The checks run in a helper that returns the error instead of raising it, and the
    # arguments holding secrets are dropped before anything is raised here: no frame of a
    # traceback from this function holds a secret or the header's value in a local.
    outcome = _verify(body, headers, secrets)
    del headers, secrets
    if isinstance(outcome, Exception):
        raise outcome
    logger.debug("webhook signature verified (%s)", outcome)
    return _event(bytes(body))


def _verify(body: object, headers: object, secrets: object) -> str | Exception:
    """The matching signature form, or the exception :func:`parse_webhook` raises."""
    if not isinstance(body, bytes | bytearray | memoryview):
        hint = " (pass the raw bytes: decoding may change them)" if isinstance(body, str) else ""
        return TypeError(
            f"body must be the raw request body as bytes, not {type(body).__name__}{hint}"
        )
    if not isinstance(headers, Mapping):
        return TypeError(
            f"headers must be the request's headers mapping, not {type(headers).__name__}"
        )
    if isinstance(secrets, str | bytes) or not isinstance(secrets, Iterable):
        return TypeError(f"secrets must be a list of webhook secrets, not {type(secrets).__name__}")
    keys: list[bytes] = []
    for position, secret in enumerate(secrets):
        if secret is None:
            continue
        if not isinstance(secret, str):
            return TypeError(f"secrets[{position}] must be a str, not {type(secret).__name__}")
        if not secret:
            return RequestValidationError(f"secrets[{position}]", "must not be empty")
        keys.append(secret.encode("utf-8", "surrogatepass"))
    if not keys:
        return RequestValidationError("secrets", "holds no secret to check the signature with")
    values = [
        value for name, value in headers.items() if str(name).lower() == SIGNATURE_HEADER.lower()
    ]
    if not values:
        return WebhookSignatureError(f"the webhook call has no {SIGNATURE_HEADER} header")
    if len(values) > 1:
        return WebhookSignatureError(
            f"the webhook call has more than one {SIGNATURE_HEADER} header"
        )
    signature = str(values[0]).strip().encode("utf-8", "surrogatepass")
    raw = bytes(body)
    matched: str | None = None
    for key in keys:  # every secret is compared: no early exit
        scheme = signature_scheme(raw, signature, key)
        matched = matched or scheme
    if matched is None:
        count = len(keys)
        logger.debug("webhook signature matched none of %d secret(s)", count)
        return WebhookSignatureError(
            f"the {SIGNATURE_HEADER} header matches none of the {count} webhook secret(s) given"
        )
    return matched


def _event(body: bytes) -> WebhookEvent:
    """The event in a verified body (see :func:`parse_webhook` for the assumed payload)."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError included
        raise WebhookPayloadError("the webhook body is not JSON") from None
    if not isinstance(payload, dict):
        raise WebhookPayloadError(
            f"the webhook body is not a JSON object but a JSON {_json_kind(payload)}"
        )
    event_type = payload.get("type")
    if not isinstance(event_type, str) or not event_type.strip():
        raise WebhookPayloadError('the webhook body has no "type" string (the event type)')
    if "data" in payload:
        data = payload["data"]
        if not isinstance(data, dict):
            raise WebhookPayloadError(
                f'the webhook body\'s "data" is not a JSON object but a JSON {_json_kind(data)}'
            )
    else:
        data = {name: value for name, value in payload.items() if name != "type"}
    object_id = data.get("id")
    known: WebhookType | str = WebhookType(event_type) if event_type in _KNOWN else event_type
    return WebhookEvent(
        type=known, data=data, object_id=object_id if isinstance(object_id, str) else None
    )


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "null" if value is None else type(value).__name__
