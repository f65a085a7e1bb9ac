"""`mkp.agreements`: the Agreements API (create with documents, get, list, bulk)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async.bulk import BulkKind
from mijnklantportaal_async.models import Agreement, AgreementCreate
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import BulkResource, checked_item, expect_model, path_id


class Agreements(BulkResource[AgreementCreate, Agreement]):
    """The Agreements API; reached as ``mkp.agreements``.

    Bulk creation (``create_many``) knows an agreement by its ``name`` and its signers'
    e-mails. The list endpoint returns agreements without their signers, so looking one up
    after an ambiguous failure also fetches the details of each listed agreement: one request
    per agreement in the portal, paced by the rate limit.
    """

    async def create(self, data: AgreementCreate) -> Agreement:
        """Create an agreement with 1–5 signers and 1–5 documents (5 MB in total).

        The documents are streamed as ``multipart/form-data`` with PHP bracket names
        (``signers[0][firstName]``, ``documents[0]``); returns the agreement with its signers
        (``ags_...``) and documents (``agd_...``).

        Operation ``create-agreement``: ``POST /agreements`` (multipart).
        Docs: ``/api-reference/agreements-api/create-agreement``.

        Raises:
            InsufficientBalanceError: not enough balance for signers who must identify (402).
            LicenseLimitError: agreements are not in the current license (426).
            UnprocessableEntityError: the API rejected a field.
            AmbiguousWriteError: sent, outcome unknown; carries the name and signer e-mails.
            RateLimitError, APIConnectionError, AuthenticationError: as for every call.
            TypeError: ``data`` is not an AgreementCreate (nothing is sent).
        """
        expect_model("mkp.agreements.create()", data, (AgreementCreate,))
        return await self._post(
            "/agreements",
            "create-agreement",
            Agreement,
            body=data,
            multipart=True,
            natural_key=data.natural_key(),
        )

    async def get(self, agreement_id: str) -> Agreement:
        """Get one agreement with its signers and documents by ID (``agr_...``).

        Operation ``get-agreement``: ``GET /agreements/{agreementId}``.
        Docs: ``/api-reference/agreements-api/get-agreement``.

        Raises:
            NotFoundError: no agreement with that ID.
        """
        return await self._get(
            f"/agreements/{path_id('agreement_id', agreement_id)}",
            "get-agreement",
            Agreement,
        )

    def list(self) -> AsyncPaginator[Agreement]:
        """Every agreement (without signers and documents), fetched page by page as needed.

        Operation ``list-agreements``: ``GET /agreements``.
        Docs: ``/api-reference/agreements-api/list-agreements``.
        """
        return self._list("/agreements", "list-agreements", Agreement)

    async def _scan_with_signers(self) -> AsyncIterator[Agreement]:
        async for agreement in self.list():
            yield agreement if agreement.signers else await self.get(agreement.id)

    def _kind(self) -> BulkKind[AgreementCreate, Agreement]:
        return BulkKind(
            name="agreements",
            create=self.create,
            scan=self._scan_with_signers,
            check_item=checked_item("mkp.agreements.create_many()", AgreementCreate),
            natural_key=natural_keys.AGREEMENT,
            id_of=lambda agreement: agreement.id,
        )
