"""Start the TUI in production mode (the only module on the CLI path that loads Textual)."""

from __future__ import annotations

import os
import sys

from akut_tui.config import Config


def scrub_environment() -> None:
    """Drop ``TEXTUAL_*`` variables (screenshots, key injection, logs) and fix safe ones."""
    for name in list(os.environ):
        if name.startswith("TEXTUAL_"):
            del os.environ[name]
    os.environ["TEXTUAL_ANIMATIONS"] = "none"


def run_tui(config: Config, *, db_url: str | None = None) -> int:
    """Run the app until the user quits; return the process exit code.

    Without a terminal (``ssh host cmd``, a pipe, a cron job) the TUI cannot
    work and would wait forever, so it says so and exits with code 2.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print("akut: brugerfladen kræver en terminal (brug ssh -t)", file=sys.stderr)
        return 2
    scrub_environment()
    # Lazy: keeps the CLI from loading Textual.
    from akut_tui.app import AkutApp

    app = AkutApp(config, db_url=db_url, handle_signals=True)
    result = app.run(mouse=False)
    return int(app.return_code or 0) if result is None else int(result)
