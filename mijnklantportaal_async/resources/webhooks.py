"""`mkp.webhooks`: the Webhooks API (create, list, get webhook records)."""

from __future__ import annotations

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import Webhook, WebhookCreate
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import Resource
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list


class Webhooks(Resource):
    """The Webhooks API; reached as ``mkp.webhooks``.

    Operations: create-webhook, list-webhooks, get-webhook. A webhook record has one event
    type (:class:`~mijnklantportaal_async.WebhookType`) and a ``secret``; receive its calls
    with :func:`~mijnklantportaal_async.parse_webhook`. The API documents no operation to
    delete one. See ``docs/webhooks.md``.
    """

    area = "webhooks"

    async def create(self, data: WebhookCreate) -> Webhook:
        """Register ``data.url`` to be called for events of ``data.type``; returns the stored
        :class:`Webhook` (ID ``wbh_...``) with the ``secret`` its calls carry in the
        ``X-Webhook-Signature`` header (keep it: :func:`~mijnklantportaal_async.parse_webhook`
        needs it).

        Operation ``create-webhook``: ``POST /webhooks`` (JSON ``{url, type}``).
        Docs: ``/api-reference/webhooks-api/create-webhook-record``.

        Raises:
            UnprocessableEntityError: the API rejected a field (``.errors`` names it).
            AmbiguousWriteError: the request was sent but its outcome is unknown; a webhook
                record has no natural key (its ``natural_key`` is empty), so look for the same
                ``url`` and ``type`` in :meth:`list` before creating it again.
            RateLimitError, APIConnectionError, AuthenticationError: as for every call.
            TypeError: ``data`` is not a WebhookCreate (nothing is sent).
        """
        return await self._call("create", ops.CREATE_WEBHOOK, data=data)

    def list(self) -> AsyncPaginator[Webhook]:
        """Every active webhook record, as an async iterator of :class:`Webhook`; pages of 15
        are fetched as iteration needs them.

        Operation ``list-webhooks``: ``GET /webhooks``.
        Docs: ``/api-reference/webhooks-api/list-webhook-records``.
        The order is the server's and is not documented.
        """
        return self._list("list", ops.LIST_WEBHOOKS)

    async def get(self, webhook_id: str) -> Webhook:
        """Get one webhook record by ID (``wbh_...``), with its ``secret``.

        Operation ``get-webhook``: ``GET /webhooks/{webhookId}``.
        Docs: ``/api-reference/webhooks-api/get-webhook-record``.

        Raises:
            NotFoundError: no webhook record with that ID.
            RequestValidationError: ``webhook_id`` is empty (nothing is sent).
        """
        return await self._call("get", ops.GET_WEBHOOK, webhook_id)

    @property
    def with_raw_response(self) -> WebhooksWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return WebhooksWithRawResponse(self)


class WebhooksWithRawResponse(RawResponses[Webhooks]):
    """``with_raw_response`` of :class:`Webhooks`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    create = raw(Webhooks.create)
    list = raw_list(Webhooks.list)
    get = raw(Webhooks.get)
