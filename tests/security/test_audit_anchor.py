"""Audit verification never crashes on a malformed row, and anchors catch a cut tail.

Issue 11 defects 1 and 2; docs/security.md row 26.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from akut_tui.cli.main import main
from akut_tui.core.config import Config
from akut_tui.services.audit import anchors
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.runtime import Runtime
from db.database import sqlite_path, write_transaction
from db.queries import AUDIT_COLUMNS
from tests.conftest import FakeClock

CHAIN = 30
K = 17


def _fill(rt: Runtime, clock: FakeClock, count: int = CHAIN) -> None:
    for number in range(count):
        clock.advance(seconds=7)
        with write_transaction():
            audit.record(rt, "test.event", username="ole", object_type="x", object_id=number)


def _db(config: Config) -> Path:
    path = sqlite_path(config.database_url())
    assert path is not None
    return path


def _sql(config: Config, sql: str, *params: object) -> None:
    con = sqlite3.connect(_db(config))
    try:
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def _cfg(config: Config, tmp_path: Path) -> str:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{_db(config)}"\n', encoding="utf-8")
    return str(cfg)


BAD_VALUES = ["tekst", 12345, 1.5, None, b"\x00blob", "2026-13-45 99:99:99", ""]


@pytest.mark.parametrize("column", AUDIT_COLUMNS)
def test_any_edit_of_any_column_names_the_row(
    rt: Runtime, clock: FakeClock, config: Config, column: str
) -> None:
    _fill(rt, clock)
    assert audit.verify_chain(rt.keys.audit).ok
    con = sqlite3.connect(_db(config))
    row_id, original = con.execute(
        f"SELECT id, {column} FROM audit_event WHERE seq = ?",  # noqa: S608
        (K,),
    ).fetchone()
    tried = 0
    for value in BAD_VALUES:
        if value == original:
            continue
        try:
            con.execute(f"UPDATE audit_event SET {column} = ? WHERE id = ?", (value, row_id))  # noqa: S608
            con.commit()
        except sqlite3.IntegrityError:
            con.rollback()  # NOT NULL: an attacker cannot store this either
            continue
        tried += 1
        report = audit.verify_chain(rt.keys.audit)
        assert not report.ok and report.first_bad_seq is not None, (column, value, report)
        if column == "seq":
            # A changed seq moves the row in seq order: the first position that does not
            # fit is named (K+1 after the hole, or where a 1.5 now sorts).
            assert report.first_bad_seq <= K + 1, (value, report)
        else:
            assert report.first_bad_seq == K, (column, value, report)
        assert report.problem
        con.execute(f"UPDATE audit_event SET {column} = ? WHERE id = ?", (original, row_id))  # noqa: S608
        con.commit()
        assert audit.verify_chain(rt.keys.audit).ok, (column, value)
    con.close()
    assert tried >= 4


def test_cli_names_a_malformed_timestamp(
    rt: Runtime,
    clock: FakeClock,
    config: Config,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _fill(rt, clock)
    _sql(config, "UPDATE audit_event SET at = 'igår' WHERE seq = ?", K)
    assert main(["--config", _cfg(config, tmp_path), "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"seq={K}" in err and "at" in err and "hændelse" not in err  # no incident id


@pytest.mark.parametrize("cut", [1, 10, CHAIN])
def test_cut_tail_is_caught_by_the_anchor(
    rt: Runtime,
    clock: FakeClock,
    config: Config,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    cut: int,
) -> None:
    _fill(rt, clock)
    cfg = _cfg(config, tmp_path)
    anchor_file = tmp_path / "anchors.log"
    assert main(["--config", cfg, "audit", "anchor", "--to", str(anchor_file)]) == 0
    assert "oprettet af denne konto" in capsys.readouterr().err  # a warning: see docs
    assert main(["--config", cfg, "audit", "verify", "--anchor", str(anchor_file)]) == 0
    assert "1 ankre passer" in capsys.readouterr().out

    _sql(config, "DELETE FROM audit_event WHERE seq > ?", CHAIN - cut)
    # Without the anchor the shorter chain still looks whole: that is the limit.
    assert audit.verify_chain(rt.keys.audit).ok
    assert main(["--config", cfg, "audit", "verify", "--anchor", str(anchor_file)]) == 1
    err = capsys.readouterr().err
    assert f"seq={CHAIN} mangler" in err and "kortere end et anker" in err


def test_new_events_chained_onto_a_cut_tail_differ_from_the_anchor(
    rt: Runtime, clock: FakeClock, config: Config, tmp_path: Path
) -> None:
    _fill(rt, clock)
    head = anchors.current_head()
    _sql(config, "DELETE FROM audit_event WHERE seq > ?", CHAIN - 3)
    _fill(rt, clock, 5)  # the chain grows past the anchor again
    report = audit.verify_chain(rt.keys.audit, anchors={head.seq: head.mac})
    assert not report.ok and report.first_bad_seq == CHAIN
    assert "anker" in report.problem


def test_anchor_lines_are_found_in_syslog_and_journal_output() -> None:
    line = anchors.Anchor(12, "ab" * 32).line(__import__("datetime").datetime.now().astimezone())
    text = f"Nov 20 02:00:01 host akut-audit[123]: {line}\nsome other line seq=5\n{line}\n"
    assert anchors.parse_anchors(text) == [anchors.Anchor(12, "ab" * 32)] * 2


def test_conflicting_anchors_are_reported(
    rt: Runtime,
    clock: FakeClock,
    config: Config,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _fill(rt, clock)
    anchor_file = tmp_path / "anchors.log"
    anchor_file.write_text(
        f"akut-audit-anchor v1 seq=3 mac={'a' * 64}\nakut-audit-anchor v1 seq=3 mac={'b' * 64}\n",
        encoding="utf-8",
    )
    assert (
        main(["--config", _cfg(config, tmp_path), "audit", "verify", "--anchor", str(anchor_file)])
        == 1
    )
    assert "forskellige" in capsys.readouterr().err


def test_syslog_missing_is_reported(tmp_path: Path) -> None:
    with pytest.raises(anchors.AnchorError, match="--to"):
        anchors.send_to_syslog("x", socket_path=tmp_path / "no-log-socket")


def test_anchor_refuses_a_broken_chain(
    rt: Runtime,
    clock: FakeClock,
    config: Config,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _fill(rt, clock)
    _sql(config, "UPDATE audit_event SET username = 'mallory' WHERE seq = ?", 5)
    anchor_file = tmp_path / "anchors.log"
    assert (
        main(["--config", _cfg(config, tmp_path), "audit", "anchor", "--to", str(anchor_file)]) == 1
    )
    assert "seq=5" in capsys.readouterr().err
    assert not anchor_file.exists()


def test_anchors_from_standard_input(
    rt: Runtime,
    clock: FakeClock,
    config: Config,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--anchor -`` reads e.g. ``journalctl -t akut-audit -o cat`` from a pipe."""
    import io

    _fill(rt, clock)
    line = anchors.current_head().line(clock.current)
    _sql(config, "DELETE FROM audit_event WHERE seq = ?", CHAIN)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"Nov 20 host akut-audit[1]: {line}\n"))
    assert main(["--config", _cfg(config, tmp_path), "audit", "verify", "--anchor", "-"]) == 1
    assert f"seq={CHAIN} mangler" in capsys.readouterr().err
