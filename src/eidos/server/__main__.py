"""``python -m eidos.server``: the API server (same as ``eidos-api-server``)."""

import sys

from eidos.server.main import main

sys.exit(main())
