"""``python -m mijnklantportaal_async.cli``: the same as the ``mijnklantportaal`` command."""

import sys

from mijnklantportaal_async.cli.command import main

sys.exit(main())
