"""``python -m eidos.cli``."""

import sys

from eidos.cli import main

sys.exit(main())
