"""``python -m eidos.server``: the API server (same as ``eidos-api-server``)."""

import signal

# Before anything else is imported: a SIGTERM during start-up waits for the server's handlers.
signal.pthread_sigmask(signal.SIG_BLOCK, (signal.SIGINT, signal.SIGTERM))

import sys  # noqa: E402

from eidos.server.main import main  # noqa: E402

sys.exit(main())
