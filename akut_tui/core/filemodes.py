"""Private files and folders: keys, error log and database readable by the service account only.

``akut init`` calls :func:`tighten` so a key file or log that someone widened
(``chmod 644``, a careless copy) is put back to 0600 with a warning, and every
folder Akut creates, parents included, is made with mode 0700.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def make_private_dir(path: Path) -> list[Path]:
    """Create ``path`` and any missing parents with mode 0700; return the folders created.

    ``Path.mkdir(parents=True, mode=...)`` applies ``mode`` to the last folder
    only; the parents get the process umask (often 0755). Existing folders are
    left as they are (they may be shared, like ``/var/lib``).
    """
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    created: list[Path] = []
    old_umask = os.umask(0o077)
    try:
        for folder in reversed(missing):
            try:
                os.mkdir(folder, PRIVATE_DIR)
            except FileExistsError:
                continue
            created.append(folder)
    finally:
        os.umask(old_umask)
    return created


def tighten(paths: Iterable[Path]) -> list[str]:
    """Set every existing file in ``paths`` that others may read or write to 0600.

    Returns one Danish warning per file changed (naming the old mode).
    """
    warnings: list[str] = []
    for path in paths:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            path.chmod(PRIVATE_FILE)
            warnings.append(
                f"advarsel: {path} havde rettighederne {mode:04o}; sat til 0600 "
                "(kun tjenestekontoen må læse den)"
            )
    return warnings
