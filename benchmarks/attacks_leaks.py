"""Benchmark: the leak attacks of issue 15 (§3, §5, §6, §7, §8), replayed on SQLite and PostgreSQL.

Each attack is carried out against a fresh installation, once on an SQLite file
and once on a throwaway PostgreSQL server (started as ``tests/pg.py`` does; the
column says "n/a" when no server binaries are installed). The table prints
``held`` when Akut refused or contained the attack and ``failed`` when the attack
worked. Each backend runs in its own process.

    python benchmarks/attacks_leaks.py
    python benchmarks/attacks_leaks.py --backend sqlite     # one column only
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "korrekt hest batteri klips"
CPR = "210190-1234"
MISSED_SPELLINGS = [
    *(f"210190{mark}1234" for mark in "\u200e\u200f\u061c\u2063\u2064\u034f\ufe0f\u180e\u3164"),
    "2101\U000e0041901234",
    "21.01.1990-1234",
    "210190 -- 1234",
    "21    01    90    1234",
    "21+01+90+1234",
    "21*01*90*1234",
    "21=01=90=1234",
    "21|01|90|1234",
    "21~01~90~1234",
    "21#01#90#1234",
    "[21][01][90][1234]",
    "210190-12 34",
    "2 1 0 1 9 0 1 2 3 4",
]


class Clock:
    """A settable clock (the night-limit attacks need tomorrow evening)."""

    def __init__(self) -> None:
        self.current = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current


# --- one backend, in a child process --------------------------------------------------------


class Site:
    """A fresh installation: config file, runtime, a member of staff and a leader."""

    def __init__(self, folder: Path, url: str) -> None:
        from argon2 import PasswordHasher

        from akut_tui.core.config import load_config
        from akut_tui.services.accounts import auth
        from akut_tui.services.accounts import users as accounts
        from akut_tui.services.startup.opening import open_runtime

        self.folder = folder
        self.cfg = folder / "config.toml"
        self.cfg.write_text(
            f'[database]\nurl = "{url}"\n[security]\nkey_dir = "{folder}"\n'
            "argon2_time_cost = 1\nargon2_memory_kib = 1024\nargon2_parallelism = 1\n",
            encoding="utf-8",
        )
        os.environ["AKUT_ERROR_LOG"] = str(folder / "errors.log")
        self.config = load_config(self.cfg)
        self.clock = Clock()
        hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        self.rt = open_runtime(self.config, create=True, now=self.clock, hasher=hasher)
        accounts.create_user(self.rt, "mette", PASSWORD, "medarbejder", actor=None)
        accounts.create_user(self.rt, "lea", PASSWORD, "leder", actor=None)
        self.staff = auth.login(self.rt, "mette", PASSWORD)
        self.leader = auth.login(self.rt, "lea", PASSWORD)
        self.sqlite = url.startswith("sqlite")

    def akut(self, *argv: str, stdin: str = "") -> tuple[int, str]:
        """Run ``akut`` in this process; return (exit code, stderr)."""
        from akut_tui.cli.main import main

        err = io.StringIO()
        old_in = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                try:
                    code = main(["--config", str(self.cfg), *argv])
                except SystemExit as exc:
                    code = int(exc.code or 0)
        finally:
            sys.stdin = old_in
        return code, err.getvalue()

    def text_of_every_table(self) -> str:
        """All text of every table except the columns that hold a CPR or digest by design."""
        from db.database import connection, database
        from db.models import ALL_MODELS, UNCHECKED_TEXT_COLUMNS

        parts: list[str] = []
        with connection():
            for model in ALL_MODELS:
                table = model._meta.table_name
                fields = [
                    f
                    for f in model._meta.sorted_fields
                    if f"{table}.{f.column_name}" not in UNCHECKED_TEXT_COLUMNS
                ]
                for row in model.select(*fields).tuples():
                    parts.append(" ".join(str(v) for v in row if isinstance(v, str)))
        database.close()
        return "\n".join(parts)

    def bed(self) -> int:
        from db.database import connection
        from db.models import Bed

        with connection():
            return int(Bed.select().order_by(Bed.sort_order).first().id)


def _check_in_form(bed: int, cpr: str, **extra: object) -> object:
    from akut_tui.services.night.stays import CheckInInput

    values: dict[str, object] = {"intoxicated": False, "threatening": False, "disturbing": False}
    values.update(extra)
    return CheckInInput(bed_id=bed, cpr_text=cpr, **values)  # type: ignore[arg-type]


def _refused(action: Callable[[], object]) -> bool:
    """True if ``action`` raised a Danish refusal (an AkutError)."""
    from akut_tui.core.errors import AkutError

    try:
        action()
    except AkutError:
        return True
    return False


def _no_cpr_stored(site: Site) -> bool:
    from akut_tui.core.cprscan import contains_cpr

    return not contains_cpr(site.text_of_every_table())


def attack_export_symlink(site: Site) -> bool | None:
    target = site.folder / ("akut.db" if site.sqlite else "audit.key")
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    link = site.folder / "stats.csv"
    link.symlink_to(target)
    code, _ = site.akut("export", "--period", "all", "--format", "csv", "--out", str(link))
    forced, _ = site.akut(
        "export", "--period", "all", "--format", "csv", "--out", str(link), "--force"
    )
    return code == 1 and forced == 1 and hashlib.sha256(target.read_bytes()).hexdigest() == before


def attack_export_owned_files(site: Site) -> bool | None:
    names = ["audit.key", "pseudonym.key", "errors.log"]
    if site.sqlite:
        names += ["akut.db", "akut.db-wal"]
    held = True
    for name in names:
        path = site.folder / name
        if not path.exists():
            path.write_text("--- incident\n", encoding="utf-8")
        before = path.read_bytes()
        code, _ = site.akut("export", "--period", "all", "--out", str(path), "--force")
        held &= code == 1 and (not path.exists() or path.read_bytes()[:64] == before[:64])
    return held


def attack_export_existing_and_mode(site: Site) -> bool | None:
    out = site.folder / "q.csv"
    out.write_text("old", encoding="utf-8")
    refused = site.akut("export", "--period", "all", "--out", str(out))[0] == 1
    kept = out.read_text(encoding="utf-8") == "old"
    fresh = site.folder / "new.csv"
    old_umask = os.umask(0o022)
    try:
        made = site.akut("export", "--period", "all", "--out", str(fresh), "--no-suppress")[0] == 0
        anchors = site.folder / "anchors.log"
        anchored = site.akut("audit", "anchor", "--to", str(anchors))[0] == 0
    finally:
        os.umask(old_umask)
    private = all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in (fresh, anchors))
    return refused and kept and made and anchored and private


def attack_out_of_service_reason(site: Site) -> bool | None:
    from akut_tui.services.night import beds

    refused = _refused(
        lambda: beds.set_out_of_service(site.rt, site.leader, site.bed(), f"Ib {CPR} kastede op")
    )
    return refused and _no_cpr_stored(site)


def attack_referred_to(site: Site) -> bool | None:
    from akut_tui.services.night import nights, stays

    stay = stays.check_in(site.rt, site.staff, _check_in_form(site.bed(), "010180-1235")).stay_id
    refused = _refused(
        lambda: nights.decide_night(site.rt, site.staff, stay, "henvist", referred_to=f"Ib {CPR}")
    )
    return refused and _no_cpr_stored(site)


def attack_override_reason(site: Site) -> bool | None:
    from akut_tui.services.night import nights, stays

    bed = site.bed()
    first = stays.check_in(site.rt, site.staff, _check_in_form(bed, "020285-2346")).stay_id
    nights.decide_night(site.rt, site.staff, first, "afslut")
    site.clock.current += timedelta(hours=13)
    nights.check_out(site.rt, site.staff, first)
    site.clock.current += timedelta(hours=11)
    form = _check_in_form(bed, "020285-2346", override_reason=f"Ingen anden plads, {CPR}")
    refused = _refused(lambda: stays.check_in(site.rt, site.leader, form))
    return refused and _no_cpr_stored(site)


def attack_check_in_nickname(site: Site) -> bool | None:
    from akut_tui.services.night import stays

    form = _check_in_form(site.bed(), "030390-3457", nickname=f"Ib {CPR}")
    refused = _refused(lambda: stays.check_in(site.rt, site.staff, form))
    return refused and _no_cpr_stored(site)


def attack_user_add_name(site: Site) -> bool | None:
    code, err = site.akut(
        "user",
        "add",
        "ulla",
        "--role",
        "medarbejder",
        "--name",
        "Ulla 250190-1234",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    return code == 2 and "CPR" in err and _no_cpr_stored(site)  # 2: input refused


def attack_missed_spellings(site: Site) -> bool | None:
    from akut_tui.services.contacts import records as contacts
    from akut_tui.services.contacts.form import ContactInput

    held = True
    for text in MISSED_SPELLINGS:
        for form in (
            ContactInput(note=f"oplyst {text}"),
            ContactInput(identity="pseudonym", nickname=text[:40]),
        ):
            held &= _refused(lambda f=form: contacts.save_contact(site.rt, site.staff, f))
    return held and _no_cpr_stored(site)


def attack_login_name_spellings(site: Site) -> bool | None:
    from akut_tui.services.accounts import auth

    for text in MISSED_SPELLINGS:
        _refused(lambda t=text: auth.login(site.rt, f"ib{t}", PASSWORD))
    return _no_cpr_stored(site)


def attack_login_timing(site: Site) -> bool | None:
    """After start-up preparation, the first attempt for an unknown name hashes nothing extra."""
    from akut_tui.services.accounts import auth

    auth._dummy_hashes.clear()  # a fresh process
    auth.prepare_login(site.rt)
    calls: list[str] = []
    real = auth._hash

    def counting(rt: object, password: str) -> str:
        calls.append(password)
        return real(rt, password)  # type: ignore[arg-type]

    auth._hash = counting  # type: ignore[assignment]
    try:
        for name in ("findesikke", "mette"):
            _refused(lambda n=name: auth.login(site.rt, n, "forkert gæt"))
    finally:
        auth._hash = real  # type: ignore[assignment]
    return calls == []


def _import(site: Site, text: str) -> tuple[int, str]:
    path = site.folder / "in.csv"
    path.write_text(text, encoding="utf-8")
    return site.akut("import", str(path))


def attack_import_big_field(site: Site) -> bool | None:
    text = "started_at;channel;note\n2015-08-01 10:00;telefon;" + "x" * 131_073 + "\n"
    code, err = _import(site, text)
    return code == 1 and "linje 2, kolonne note" in err and "131.072" in err


def attack_import_duplicate_header(site: Site) -> bool | None:
    code, err = _import(site, "started_at;channel;note;note\n2015-08-01 10:00;telefon;a;b\n")
    return code == 1 and "mere end én gang" in err


def attack_import_quotes_cpr(site: Site) -> bool | None:
    code, err = _import(site, f"started_at;channel\n{CPR};telefon\n")
    return code == 1 and "1234" not in err and "XXXXXX-XXXX" in err


def attack_wal_after_delete(site: Site) -> bool | None:
    if not site.sqlite:
        return None  # PostgreSQL has no -wal file beside the database
    import sqlite3

    from akut_tui.services.night import handover, handover_items

    db_file = site.folder / "akut.db"
    other = sqlite3.connect(db_file)  # another session's connection
    try:
        other.execute("SELECT count(*) FROM handover_note").fetchone()
        marker = "MARKOER-SLETTET-PLUGH"
        target = handover.current_shift(site.rt)
        item = handover_items.add_item(site.rt, site.staff, target, "hvis_saa", marker)
        handover_items.delete_item(site.rt, site.staff, item)
        files = [db_file, db_file.with_name("akut.db-wal")]
        return not any(p.exists() and marker.encode() in p.read_bytes() for p in files)
    finally:
        other.close()


def attack_csv_hidden_formula(site: Site) -> bool | None:
    from akut_tui.services.exporting.formats import neutralise

    cells = [" =1+2", '\n=HYPERLINK("x")', "\u200b=1+2", "\ufeff@SUM(A1)", "\u00a0-3"]
    return all(neutralise(c).startswith("'") for c in cells)


def attack_one_time_password_kept(site: Site) -> bool | None:
    from akut_tui.services.accounts import auth
    from akut_tui.services.accounts import users as accounts

    accounts.create_user(site.rt, "ole", PASSWORD, "medarbejder", actor=None, one_time=True)
    session = auth.login(site.rt, "ole", PASSWORD)
    refused = _refused(lambda: auth.change_own_password(site.rt, session, PASSWORD, PASSWORD))
    return refused and auth.login(site.rt, "ole", PASSWORD).must_change_password


ATTACKS: dict[str, Callable[[Site], bool | None]] = {
    "§3 export --out onto a symlink to the database/key (with and without --force)": (
        attack_export_symlink
    ),
    "§3 export --out --force onto keys, error log, database, -wal": attack_export_owned_files,
    "§3 export over an existing file without --force; export/anchor files 0600": (
        attack_export_existing_and_mode
    ),
    "§5 CPR in the out-of-service reason": attack_out_of_service_reason,
    "§5 CPR in stay_night.referred_to": attack_referred_to,
    "§5 CPR in a leader's override reason": attack_override_reason,
    "§5 CPR in a nickname given at check-in": attack_check_in_nickname,
    "§5 akut user add --name with a CPR": attack_user_add_name,
    "§6 22 missed spellings in a note and a nickname": attack_missed_spellings,
    "§6 missed spellings as login names (login_attempt, audit_event)": (
        attack_login_name_spellings
    ),
    "§7 first login for an unknown name costs an extra hash": attack_login_timing,
    "§8 import field over 131,072 characters": attack_import_big_field,
    "§8 import with duplicate header columns": attack_import_duplicate_header,
    "§8 import error quoting a refused CPR": attack_import_quotes_cpr,
    "§8 deleted text left in -wal with another session open": attack_wal_after_delete,
    "§8 CSV cell with space/newline/zero-width before = + - @": attack_csv_hidden_formula,
    "§8 one-time password 'changed' to itself": attack_one_time_password_kept,
}


def run_backend(url_factory: Callable[[str], str] | None) -> dict[str, str]:
    """Run every attack on a fresh installation each; return attack -> held/failed/n/a.

    ``url_factory`` makes a PostgreSQL database per attack; ``None`` means an
    SQLite file in the attack's own folder.
    """
    from db.database import database

    results: dict[str, str] = {}
    for number, (name, attack) in enumerate(ATTACKS.items()):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                folder = Path(tmp)
                url = (
                    url_factory(f"leaks{number}")
                    if url_factory
                    else f"sqlite:///{folder / 'akut.db'}"
                )
                site = Site(folder, url)
                outcome = attack(site)
                results[name] = "n/a" if outcome is None else ("held" if outcome else "failed")
            except Exception as exc:  # an incident is a failed attack, named in the table
                results[name] = f"failed ({type(exc).__name__})"
            finally:
                if not database.is_closed():
                    database.close()
    return results


@contextlib.contextmanager
def _pg() -> Iterator[Callable[[str], str] | None]:
    from tests.pg import PgUnavailable, start_server

    try:
        server = start_server()
    except PgUnavailable:
        yield None
        return
    try:
        yield lambda name: server.url(server.create_database(name))
    finally:
        server.stop()


def child(backend: str) -> None:
    """Run one backend's column and print it as JSON."""
    if backend == "sqlite":
        results = run_backend(None)
    else:
        with _pg() as factory:
            results = run_backend(factory) if factory else dict.fromkeys(ATTACKS, "n/a")
    print(json.dumps(results))


def main() -> int:
    """Run each backend in a child process and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    backends = args.backend or ["sqlite", "postgresql"]
    columns: dict[str, dict[str, str]] = {}
    for backend in backends:
        done = subprocess.run(
            [sys.executable, __file__, "--child", backend],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        lines = done.stdout.strip().splitlines()
        try:
            columns[backend] = json.loads(lines[-1])
        except (IndexError, json.JSONDecodeError):
            columns[backend] = dict.fromkeys(ATTACKS, "failed (no result)")
            sys.stderr.write(done.stderr[-2000:])
    from tabulate import tabulate

    rows = [[name, *(columns[b].get(name, "-") for b in backends)] for name in ATTACKS]
    print(tabulate(rows, headers=["attack", *backends]))
    failed = sum(1 for row in rows for cell in row[1:] if cell.startswith("failed"))
    print(f"{len(rows)} attacks, {failed} failed. command: python benchmarks/attacks_leaks.py")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
