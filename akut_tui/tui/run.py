"""Start the TUI in production mode (the only module on the CLI path that loads Textual)."""

from __future__ import annotations

import os
import sys
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from akut_tui.core.config import Config

if TYPE_CHECKING:  # the CLI path must not load Textual
    from textual.app import App

EXIT_TEXTUAL = 3
"""Exit code when the installed Textual lacks a private name Akut relies on."""


def scrub_environment() -> None:
    """Drop ``TEXTUAL_*`` variables (screenshots, key injection, logs) and fix safe ones."""
    for name in list(os.environ):
        if name.startswith("TEXTUAL_"):
            del os.environ[name]
    os.environ["TEXTUAL_ANIMATIONS"] = "none"


def textual_refusal(app: App[Any]) -> str:
    """The Danish refusal to start when Textual lacks a private name Akut needs, or "".

    The crash report that hides personal data (``overrides.QuietApp._fatal_error``)
    only works while Textual still calls it; rather than risk a traceback with
    local variables on a shared laptop, Akut does not start.
    """
    # Lazy: keeps the CLI from loading Textual (run.py is loaded before scrub_environment).
    from akut_tui.tui_kit.overrides import missing_private_names

    missing = missing_private_names(app)
    if not missing:
        return ""
    return (
        f"akut: kan ikke starte: den installerede Textual {version('textual')} mangler "
        f"{', '.join(missing)}, som Akut bruger (blandt andet til at skjule persondata "
        "ved et nedbrud). Installér den Textual-version, Akut er afprøvet med "
        "(pyproject.toml), og kontakt IT."
    )


def run_tui(config: Config, *, db_url: str | None = None) -> int:
    """Run the app until the user quits; return the process exit code.

    Without a terminal (``ssh host cmd``, a pipe, a cron job) the TUI cannot
    work and would wait forever, so it says so and exits with code 2.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print("akut: brugerfladen kræver en terminal (brug ssh -t)", file=sys.stderr)
        return 2
    scrub_environment()
    # Textual reads its TEXTUAL_* settings when it is imported: only after scrub_environment.
    # Lazy: keeps the CLI from loading Textual.
    from akut_tui.tui.app import AkutApp

    app = AkutApp(config, db_url=db_url, handle_signals=True)
    refusal = textual_refusal(app)
    if refusal:
        print(refusal, file=sys.stderr)
        return EXIT_TEXTUAL
    result = app.run(mouse=False)
    return int(app.return_code or 0) if result is None else int(result)
