"""`python -m publish` is the `publish` command."""

from __future__ import annotations

import sys

from publish.cli import main

sys.exit(main())
