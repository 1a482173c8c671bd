"""One session for the WAL soak in ``security.py``: ``write`` saves a contact every 2 s,
``idle`` lists the shift's contacts every 30 s and otherwise holds its connection idle."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from akut_tui.core.config import load_config  # noqa: E402
from akut_tui.services.accounts import auth  # noqa: E402
from akut_tui.services.contacts import records as contacts  # noqa: E402
from akut_tui.services.contacts.form import ContactInput  # noqa: E402
from akut_tui.services.startup.opening import open_runtime  # noqa: E402


def main() -> None:
    """Run one session until killed."""
    rt = open_runtime(load_config(Path(sys.argv[1])), create=False)
    session = auth.login(rt, "bench", "korrekt hest batteri klips")
    while True:
        if sys.argv[2] == "write":
            contacts.save_contact(rt, session, ContactInput(note="soak " * 20, crisis_level="let"))
            time.sleep(2)
        else:
            contacts.shift_contacts(rt, session)
            time.sleep(30)


if __name__ == "__main__":
    main()
