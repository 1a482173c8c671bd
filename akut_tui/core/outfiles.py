"""The one way a command writes a file the operator named (``export --out``, ``audit anchor --to``).

Rules (issue 15 §3):

* A file Akut owns is never written, not even with ``--force``: the database and its
  ``-wal``/``-shm``/``-journal`` files, the key files, the error log
  (:func:`owned_files` lists them from the resolved locations), any SQLite database
  (recognised by its header, so a backup or the database under another name is safe
  too) and any file holding audit anchors. The check follows symbolic links and hard
  links (same device and inode).
* Without ``force`` an existing file or a symbolic link is refused; a new file is
  written to a temporary file in the same folder and linked into place, which fails
  rather than overwrites if the name appeared meanwhile. With ``force`` the
  temporary file replaces the name by ``rename`` (a symbolic link is replaced, never
  followed), so a crash leaves the old file or the new one, never a mix.
* Files are created 0600: an export without suppression holds small counts.

Every message is Danish and says what to do.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from akut_tui.core.config import Locations
from akut_tui.core.incident import error_log_path
from akut_tui.core.key_files import KEY_FILES
from akut_tui.core.site_keys import BACKUP_KEY_FILE, SITE_ID_FILE

__all__ = [
    "OutputRefused",
    "akut_key_files",
    "append_line",
    "check_output",
    "check_target",
    "owned_files",
    "write_file",
]

PRIVATE_FILE = 0o600
_SQLITE_HEADER = b"SQLite format 3\x00"
_ANCHOR_LINE = re.compile(rb"akut-audit-anchor v\d+ seq=\d+ mac=[0-9a-f]{64}")
_SNIFF_BYTES = 65536


class OutputRefused(Exception):
    """The target file may not be written; ``str()`` is the Danish reason."""


def _identity(path: Path) -> tuple[int, int] | None:
    """Return (device, inode) of what ``path`` names after following links, or None."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _owned_by_akut(path: Path, protected: Iterable[Path]) -> bool:
    """Return True if ``path`` (links followed) is one of ``protected`` or looks like Akut data."""
    target = _identity(path)
    resolved = path.resolve()
    for other in protected:
        if other.resolve() == resolved:
            return True
        if target is not None and _identity(other) == target:
            return True
    if target is None:
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return False
    return head.startswith(_SQLITE_HEADER) or _ANCHOR_LINE.search(head) is not None


def akut_key_files(key_dir: Path) -> list[Path]:
    """Return every key file Akut keeps in ``key_dir`` (crypto keys and the site identity)."""
    return [key_dir / name for name in (*KEY_FILES, BACKUP_KEY_FILE, SITE_ID_FILE)]


def owned_files(places: Locations) -> list[Path]:
    """Return the files Akut owns and no command may write to as output.

    The SQLite database with its ``-wal``, ``-shm`` and ``-journal`` files, every
    ``*.key`` file in the key folder and the error log. (Any other SQLite database
    and any anchor file are recognised by their content.)
    """
    paths = [*akut_key_files(places.key_dir), error_log_path()]
    if places.key_dir.is_dir():
        paths += sorted(places.key_dir.glob("*.key"))
    db_file = places.database_file
    if db_file is not None:
        paths.append(db_file)
        paths += [db_file.with_name(db_file.name + s) for s in ("-wal", "-shm", "-journal")]
    return paths


def check_output(path: Path, places: Locations, *, force: bool, what: str) -> list[Path]:
    """Check ``path`` against the files Akut owns at ``places`` and the rules above
    (:class:`OutputRefused`); return those files for the :func:`write_file` that follows."""
    protected = owned_files(places)
    check_target(path, protected, force=force, what=what)
    return protected


def check_target(path: Path, protected: Iterable[Path], *, force: bool, what: str) -> None:
    """Raise :class:`OutputRefused` if ``path`` may not be written (``what``: its content)."""
    if _owned_by_akut(path, list(protected)):
        raise OutputRefused(
            f"{path} er en af Akuts egne filer (database, nøgle, log eller ankre) og "
            f"overskrives aldrig; vælg et andet navn til {what}"
        )
    if path.is_symlink():
        if not force:
            raise OutputRefused(
                f"{path} er et symbolsk link; vælg et andet navn eller brug --force "
                "(linket erstattes, filen det peger på røres ikke)"
            )
        return
    if path.exists():
        if path.is_dir():
            raise OutputRefused(f"{path} er en mappe; angiv et filnavn")
        if not force:
            raise OutputRefused(f"{path} findes allerede; vælg et andet navn eller brug --force")


def write_file(
    path: Path, data: bytes, *, protected: Iterable[Path], force: bool = False, what: str = "filen"
) -> None:
    """Write ``data`` to ``path`` (mode 0600) through a temporary file, by the rules above.

    Raises :class:`OutputRefused` for a refused target and ``OSError`` if the
    write itself fails (nothing is left behind then).
    """
    protected = list(protected)
    check_target(path, protected, force=force, what=what)
    folder = path.parent if str(path.parent) else Path(".")
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    temp = Path(temp_name)
    try:
        os.fchmod(fd, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            # Checked again just before the rename: a link may have been swapped in.
            check_target(path, protected, force=True, what=what)
            os.replace(temp, path)
        else:
            try:
                os.link(temp, path, follow_symlinks=False)
            except FileExistsError:
                raise OutputRefused(
                    f"{path} findes allerede; vælg et andet navn eller brug --force"
                ) from None
            temp.unlink()
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def append_line(path: Path, line: str, *, protected: Iterable[Path]) -> bool:
    """Append ``line`` and a newline to ``path``, fsynced; return True if the file was created.

    A new file is created 0600. A symbolic link is refused (``O_NOFOLLOW``), and so
    is any file Akut owns other than an anchor file (which is what this appends to).
    """
    protected = list(protected)
    if path.is_symlink():
        raise OutputRefused(f"{path} er et symbolsk link; angiv selve filen")
    target = _identity(path)
    if any(other.resolve() == path.resolve() for other in protected) or (
        target is not None and any(_identity(other) == target for other in protected)
    ):
        raise OutputRefused(f"{path} er en af Akuts egne filer og skrives aldrig i")
    if target is not None:
        with open(path, "rb") as handle:
            if handle.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER:
                raise OutputRefused(f"{path} er en database og skrives aldrig i")
    created = target is None
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, PRIVATE_FILE)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OutputRefused(f"{path} er ikke en almindelig fil")
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return created
