"""`mkp.files`: the Files API."""

from __future__ import annotations

from mijnklantportaal_async.resources._base import Resource


class Files(Resource):
    """The Files API; reached as ``mkp.files``.

    Operations: post-files (upload a file or create a directory), get-file, download-file.
    """

    area = "files"
