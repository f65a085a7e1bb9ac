"""Recipe: a FastAPI service that holds one MijnKlantportaal client.

The client is opened in the app's lifespan (so it lives in the event loop that serves the
requests, and its connection pool is shared by all of them) and handed to each route by a
dependency. Library errors become HTTP answers in one place. Run it with::

    MIJNKLANTPORTAAL_API_KEY=... uvicorn examples.fastapi_app:app

Tests: ``tests/recipes/test_fastapi_app.py`` (``TestClient`` and ``httpx.AsyncClient``, the
portal a FakePortal). See docs/services.md.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from mijnklantportaal_async import (
    CustomerCreate,
    MijnKlantportaal,
    MijnKlantportaalError,
    NotFoundError,
    RequestValidationError,
    UnprocessableEntityError,
)


class NewCustomer(BaseModel):
    """What the service's own API takes to register a customer."""

    company_name: str
    address: str
    zip_code: str
    city: str
    email: str


def create_app(**client_options: Any) -> FastAPI:
    """The app; ``client_options`` go to ``MijnKlantportaal(...)`` (default: the environment's
    ``MIJNKLANTPORTAAL_API_KEY`` and ``MIJNKLANTPORTAAL_BASE_URL``)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with MijnKlantportaal(**client_options) as mkp:  # one client per event loop
            app.state.mkp = mkp
            yield

    app = FastAPI(lifespan=lifespan)
    app.add_api_route("/customers", register_customer, methods=["POST"], status_code=201)
    app.add_api_route("/customers/{customer_id}", get_customer, methods=["GET"])
    app.add_exception_handler(MijnKlantportaalError, portal_error)  # type: ignore[arg-type]
    return app


def portal(request: Request) -> MijnKlantportaal:
    """The dependency: the app's client."""
    mkp: MijnKlantportaal = request.app.state.mkp
    return mkp


Portal = Annotated[MijnKlantportaal, Depends(portal)]


async def register_customer(body: NewCustomer, mkp: Portal) -> dict[str, str | None]:
    customer = await mkp.customers.create(
        CustomerCreate(
            company_name=body.company_name,
            address=body.address,
            zip_code=body.zip_code,
            city=body.city,
            primary_email=body.email,
        )
    )
    return {"id": customer.id, "company_name": customer.company_name}


async def get_customer(customer_id: str, mkp: Portal) -> dict[str, str | None]:
    customer = await mkp.customers.get(customer_id)
    return {
        "id": customer.id,
        "company_name": customer.company_name,
        "email": customer.primary_email,
    }


async def portal_error(request: Request, exc: MijnKlantportaalError) -> JSONResponse:
    """Every library error as an HTTP answer: the caller's mistakes as 4xx, the rest 502."""
    if isinstance(exc, RequestValidationError):  # refused before anything was sent
        return JSONResponse({"detail": str(exc), "field": exc.field}, status_code=422)
    if isinstance(exc, UnprocessableEntityError):  # the portal refused the data
        return JSONResponse({"detail": str(exc), "errors": exc.errors}, status_code=422)
    if isinstance(exc, NotFoundError):
        return JSONResponse({"detail": "no such customer"}, status_code=404)
    return JSONResponse({"detail": f"the portal failed: {type(exc).__name__}"}, status_code=502)


app = create_app()  # uvicorn examples.fastapi_app:app; the client is made at startup
