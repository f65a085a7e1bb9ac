"""Recipe: an aiohttp.web service that holds one MijnKlantportaal client.

The client is opened and closed by a ``cleanup_ctx`` generator, so it lives in the loop that
serves the requests and is closed when the app stops; handlers read it from the app. It can
share the app's own ``aiohttp.ClientSession`` (``session=``), which the client then never
closes. Run it with::

    MIJNKLANTPORTAAL_API_KEY=... python -m aiohttp.web -H 127.0.0.1 -P 8080 \\
        examples.aiohttp_app:create_app

Tests: ``tests/recipes/test_aiohttp_app.py``. See docs/services.md.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from aiohttp import web

from mijnklantportaal_async import (
    CustomerCreate,
    MijnKlantportaal,
    NotFoundError,
    RequestValidationError,
    UnprocessableEntityError,
)

MKP = web.AppKey("mkp", MijnKlantportaal)
OPTIONS = web.AppKey("mkp_options", dict)
routes = web.RouteTableDef()


async def portal_client(app: web.Application) -> AsyncIterator[None]:
    """The cleanup context: one client for the app's lifetime, in the app's event loop."""
    async with MijnKlantportaal(**app[OPTIONS]) as mkp:
        app[MKP] = mkp
        yield


@routes.post("/customers")
async def register_customer(request: web.Request) -> web.Response:
    body = await request.json()
    try:
        customer = await request.app[MKP].customers.create(
            CustomerCreate(
                company_name=body.get("company_name"),
                address=body.get("address"),
                zip_code=body.get("zip_code"),
                city=body.get("city"),
                primary_email=body.get("email"),
            )
        )
    except RequestValidationError as exc:  # refused before anything was sent
        return web.json_response({"detail": str(exc), "field": exc.field}, status=422)
    except UnprocessableEntityError as exc:  # the portal refused the data
        return web.json_response({"detail": str(exc), "errors": exc.errors}, status=422)
    return web.json_response({"id": customer.id}, status=201)


@routes.get("/customers/{customer_id}")
async def get_customer(request: web.Request) -> web.Response:
    try:
        customer = await request.app[MKP].customers.get(request.match_info["customer_id"])
    except NotFoundError:
        raise web.HTTPNotFound(text="no such customer") from None
    return web.json_response({"id": customer.id, "company_name": customer.company_name})


def create_app(argv: Sequence[str] | None = None, **client_options: Any) -> web.Application:
    """The app; ``client_options`` go to ``MijnKlantportaal(...)`` (default: the
    environment). ``argv`` is what ``python -m aiohttp.web`` passes; unused."""
    app = web.Application()
    app[OPTIONS] = client_options
    app.cleanup_ctx.append(portal_client)
    app.add_routes(routes)
    return app
