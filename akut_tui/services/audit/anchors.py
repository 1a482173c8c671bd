"""Audit anchors: the chain's head written where the database owner cannot rewrite it.

The HMAC chain catches any edit, insertion or reordering by someone without
the audit key, but not a cut tail (the last rows deleted), and not a chain
re-signed by someone who holds both the key and the database. An *anchor* is
one line naming the head's sequence number and MAC::

    akut-audit-anchor v1 seq=1234 mac=<64 hex> at=2026-11-20T02:00:00+00:00

written nightly to syslog/journald or appended to a file owned by another
account. :func:`akut_tui.services.audit.trail.verify_chain` compares the chain with
every anchor: a chain shorter than an anchor, or with a different MAC at an
anchored seq, fails.
"""

from __future__ import annotations

import re
import subprocess
import syslog
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from akut_tui.core.errors import os_error_text
from akut_tui.core.outfiles import OutputRefused, append_line
from akut_tui.services.audit.trail import GENESIS
from db.database import connection
from db.models import AuditEvent

MARKER = "akut-audit-anchor"
SYSLOG_IDENT = "akut-audit"
_LINE = re.compile(MARKER + r" v1 seq=(\d+) mac=([0-9a-f]{64})")


class AnchorError(Exception):
    """An anchor could not be written or read; the message is Danish."""


@dataclass(frozen=True)
class Anchor:
    """One recorded head of the chain."""

    seq: int
    mac: str

    def line(self, now: datetime) -> str:
        """Return the anchor as one text line (no newline)."""
        return f"{MARKER} v1 seq={self.seq} mac={self.mac} at={now.astimezone(UTC).isoformat()}"


def current_head() -> Anchor:
    """Return the last event's seq and MAC (seq 0 and the genesis hash when empty)."""
    with connection():
        last = (
            AuditEvent.select(AuditEvent.seq, AuditEvent.mac)
            .where(AuditEvent.seq > 0)  # seq 0 is the site identity, outside the chain
            .order_by(AuditEvent.seq.desc())
            .first()
        )
    if last is None:
        return Anchor(0, GENESIS)
    return Anchor(int(last.seq), str(last.mac))


def parse_anchors(text: str) -> list[Anchor]:
    """Return every anchor found in ``text``.

    Lines may carry any prefix (a syslog time stamp and host, a journal
    field), so a file, ``journalctl -t akut-audit -o cat`` or a syslog file
    can be read alike. Other lines are ignored.
    """
    return [Anchor(int(m.group(1)), m.group(2)) for m in _LINE.finditer(text)]


def anchor_map(anchors: list[Anchor]) -> dict[int, str]:
    """Return seq -> MAC; two anchors naming the same seq with different MACs raise."""
    result: dict[int, str] = {}
    for anchor in anchors:
        if result.setdefault(anchor.seq, anchor.mac) != anchor.mac:
            raise AnchorError(f"to ankre for seq={anchor.seq} har forskellige hashes")
    return result


def read_anchor_file(path: Path) -> list[Anchor]:
    """Read anchors from ``path`` (``-`` is not handled here)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise AnchorError(f"ankerfilen {path} findes ikke") from None
    except OSError as exc:
        raise AnchorError(f"ankerfilen {path} kan ikke læses ({os_error_text(exc)})") from None
    return parse_anchors(text)


def append_to_file(path: Path, line: str, protected: Iterable[Path] = ()) -> bool:
    """Append ``line`` to ``path`` and fsync it; return True if the file was created now.

    Goes through :func:`akut_tui.core.outfiles.append_line`: a new file is 0600, a symbolic
    link and Akut's own files (``protected``, any database) are refused.
    """

    try:
        return append_line(path, line, protected=protected)
    except OutputRefused as exc:
        raise AnchorError(str(exc)) from None
    except OSError as exc:
        raise AnchorError(f"kan ikke skrive til ankerfilen {path} ({os_error_text(exc)})") from None


def send_to_syslog(line: str, socket_path: Path = Path("/dev/log")) -> None:
    """Send ``line`` to the local syslog/journald (facility AUTHPRIV, ident akut-audit)."""
    if not socket_path.exists():
        raise AnchorError(
            f"ingen syslog på denne maskine ({socket_path} findes ikke); brug --to FIL"
        )

    syslog.openlog(SYSLOG_IDENT, 0, syslog.LOG_AUTHPRIV)
    try:
        syslog.syslog(syslog.LOG_NOTICE, line)
    finally:
        syslog.closelog()


def read_journal() -> str:
    """Return the anchor lines journald holds (``journalctl -t akut-audit -o cat``)."""

    try:
        done = subprocess.run(
            ["journalctl", "-t", SYSLOG_IDENT, "-o", "cat", "--no-pager"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AnchorError(f"kan ikke læse journalen ({exc})") from None
    if done.returncode != 0:
        raise AnchorError(f"journalctl fejlede: {done.stderr.strip()[:200]}")
    return done.stdout
