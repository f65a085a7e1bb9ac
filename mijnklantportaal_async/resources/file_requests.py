"""`mkp.file_requests`: the File Request API."""

from __future__ import annotations

from mijnklantportaal_async.resources._base import Resource


class FileRequests(Resource):
    """The File Request API; reached as ``mkp.file_requests``.

    Operations: list-, create-, get-file-request.
    """

    area = "file_requests"
