"""``python -m eidos``."""

import sys

from eidos.cli import main

sys.exit(main())
