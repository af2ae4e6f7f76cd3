"""Test launcher: the real server process, with a recipe source that sleeps first.

Usage: python slow_server.py DELAY_SECONDS [eidos-api-server flags]; settings come from the
environment and flags exactly as for eidos-api-server.
"""

from __future__ import annotations

import os
import signal
import sys

from server_support import SlowSource

from eidos.server.listener import bind
from eidos.server.logs import configure_logging
from eidos.server.main import build_parser
from eidos.server.runner import SIGNALS, serve
from eidos.server.settings import ServerSettings
from eidos.server.source import EngineSource


def main() -> int:
    delay = float(sys.argv[1])
    args = build_parser().parse_args(sys.argv[2:])
    settings = ServerSettings.from_env(os.environ).with_flags(vars(args))
    signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)  # as eidos-api-server does
    configure_logging(settings.log_level)
    source = SlowSource(EngineSource.load(settings.data), delay)
    return serve(settings, source, bind(settings.host, settings.port))


if __name__ == "__main__":
    sys.exit(main())
