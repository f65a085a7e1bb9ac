"""`mkp.file_shares`: the File Share API."""

from __future__ import annotations

from mijnklantportaal_async.resources._base import Resource


class FileShares(Resource):
    """The File Share API; reached as ``mkp.file_shares``.

    Operations: list-, create-file-share.
    """

    area = "file_shares"
