"""Entry point for ``python -m akut_tui``."""

from __future__ import annotations

import sys

from akut_tui.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
