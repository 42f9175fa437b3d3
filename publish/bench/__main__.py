"""`python -m publish.bench`: run the benchmark."""

from __future__ import annotations

import sys

from publish.bench import main

sys.exit(main())
