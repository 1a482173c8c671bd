"""Configuration loading: defaults, the shipped file, and every kind of bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from akut_tui.cli.main import main
from akut_tui.core.config import Config, ConfigError, config_from_dict, load_config

REPO = Path(__file__).resolve().parents[2]


def test_shipped_config_equals_packaged_defaults() -> None:
    loaded = load_config(REPO / "config.toml")
    defaults = Config()
    for section in ("site", "shifts", "beds", "security", "retention", "database", "ui"):
        assert getattr(loaded, section) == getattr(defaults, section), section


def test_missing_file_returns_defaults_only_when_none() -> None:
    assert load_config(None) == Config()
    with pytest.raises(ConfigError, match="findes ikke"):
        load_config(Path("/nonexistent/akut.toml"))


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"sitee": {}}, "ukendt sektion [sitee]"),
        ({"site": {"nam": "x"}}, "ukendt nøgle site.nam"),
        (
            {"security": {"idle_lock_minutes": "10"}},
            "security.idle_lock_minutes skal være et heltal",
        ),
        (
            {"security": {"idle_lock_minutes": True}},
            "security.idle_lock_minutes skal være et heltal",
        ),
        ({"beds": {"names": "Seng 1"}}, "beds.names skal være en liste"),
        ({"beds": {"names": []}}, "beds.names: der skal være mindst én seng"),
        ({"beds": {"names": ["A", "A"]}}, "unikke"),
        ({"beds": {"out_of_service": ["Seng 9"]}}, "beds.out_of_service"),
        ({"beds": {"max_consecutive_nights": 0}}, "beds.max_consecutive_nights"),
        ({"beds": {"reservation_expiry": "24:00"}}, "beds.reservation_expiry"),
        ({"shifts": {"day_start": "15:00", "evening_start": "07:00"}}, "rækkefølgen"),
        ({"shifts": {"night_start": "25:00"}}, "shifts.night_start"),
        ({"retention": {"handover_days": -1}}, "retention.handover_days"),
        ({"site": {"timezone": "Europe/Atlantis"}}, "site.timezone"),
        ({"database": {"url": "mysql://x"}}, "database.url"),
        ({"security": {"password_min_length": 4}}, "security.password_min_length"),
        ({"ui": {"language": "en"}}, "ui.language"),
    ],
)
def test_bad_values_name_the_key(raw: dict[str, dict[str, object]], fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        config_from_dict(raw, source="test.toml")
    assert "test.toml" in str(info.value)
    assert fragment in str(info.value)


def test_relative_sqlite_url_resolves_next_to_config(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[database]\nurl = "sqlite:///data/akut.db"\n', encoding="utf-8")
    config = load_config(path)
    assert config.database_url() == f"sqlite:///{tmp_path / 'data' / 'akut.db'}"
    assert config.key_directory() == tmp_path / "data"


def test_cli_bad_config_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[beds]\nnames = []\n", encoding="utf-8")
    assert main(["--config", str(path), "init"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert str(path) in err and "beds.names" in err
    assert "Traceback" not in err


def test_cli_broken_toml_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[site\n", encoding="utf-8")
    assert main(["--config", str(path), "user", "list"]) == 2
    assert "ugyldig TOML" in capsys.readouterr().err


def test_env_variable_selects_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "env.toml"
    path.write_text("[site]\nbogus = 1\n", encoding="utf-8")
    monkeypatch.setenv("AKUT_CONFIG", str(path))
    assert main(["init"]) == 2
    assert "site.bogus" in capsys.readouterr().err
