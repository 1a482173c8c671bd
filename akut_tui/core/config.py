"""Typed, frozen configuration loaded from TOML and validated strictly.

The dataclass defaults below are the packaged defaults; ``config.toml`` at the
top of the repository documents every key. An unknown key, a wrong type or an
impossible value raises :class:`ConfigError` naming the file and the key.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from datetime import time
from functools import cached_property
from pathlib import Path
from typing import Any

from akut_tui.core.errors import os_error_text

ENV_CONFIG = "AKUT_CONFIG"


class ConfigError(Exception):
    """Raised when a configuration file cannot be used; the message names file and key."""


@dataclass(frozen=True)
class SiteConfig:
    """The service itself."""

    name: str = "Socialt Akuttilbud"
    """Name shown on screen and used as a context word for passwords."""
    municipality: str = "791"
    """Host municipality code (kommunekode); the default for home municipality."""
    timezone: str = "Europe/Copenhagen"
    """Time zone for display and shift boundaries; storage is always UTC."""


def clock_time(text: str) -> time:
    """The time of day ``HH:MM`` (midnight when malformed: :func:`load_config` refuses it)."""
    try:
        minutes = parse_hhmm(text)
    except ValueError:
        return time(0)
    return time(minutes // 60, minutes % 60)


@dataclass(frozen=True)
class ShiftConfig:
    """Shift start times as ``HH:MM`` on a 24-hour clock, parsed once into ``day`` etc."""

    day_start: str = "07:00"
    evening_start: str = "15:00"
    night_start: str = "23:00"
    day: time = field(init=False, repr=False, compare=False)
    """``day_start`` as a time of day (set when the configuration is made)."""
    evening: time = field(init=False, repr=False, compare=False)
    night: time = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Parse the start times once."""
        object.__setattr__(self, "day", clock_time(self.day_start))
        object.__setattr__(self, "evening", clock_time(self.evening_start))
        object.__setattr__(self, "night", clock_time(self.night_start))


@dataclass(frozen=True)
class BedConfig:
    """Overnight beds."""

    names: tuple[str, ...] = ("Seng 1", "Seng 2")
    """One entry per bed, in board order."""
    out_of_service: tuple[str, ...] = ()
    """Bed names that cannot be booked (e.g. until the fire alarm is approved)."""
    max_consecutive_nights: int = 3
    """Longest stay in nights; each night is a new recorded decision."""
    checkout_time: str = "10:00"
    """Expected check-out time on the last morning; a bed night runs until this time."""
    reservation_expiry: str = "22:00"
    """A reservation not taken up by this local time of its night is released."""
    checkout: time = field(init=False, repr=False, compare=False)
    """``checkout_time`` as a time of day (set when the configuration is made)."""
    expiry: time = field(init=False, repr=False, compare=False)
    """``reservation_expiry`` as a time of day."""

    def __post_init__(self) -> None:
        """Parse the times once."""
        object.__setattr__(self, "checkout", clock_time(self.checkout_time))
        object.__setattr__(self, "expiry", clock_time(self.reservation_expiry))


@dataclass(frozen=True)
class SecurityConfig:
    """Login, session and key settings."""

    idle_lock_minutes: int = 10
    lockout_failures: int = 5
    lockout_minutes: int = 15
    unlock_attempts: int = 3
    """Failed unlocks of the idle lock before the user is logged out."""
    absolute_session_hours: int = 12
    password_min_length: int = 15
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4
    max_parallel_hashes: int = 4
    """At most this many argon2 computations at once in one process."""
    key_dir: str = ""
    """Folder for the audit and pseudonym keys; empty means beside the SQLite file."""
    anchor_file: str = ""
    """Anchor file of the nightly job; purge and restore verify against it and append to it."""


@dataclass(frozen=True)
class RetentionConfig:
    """How long each kind of personal data is kept, in days."""

    free_text_days: int = 30
    handover_days: int = 14
    plain_cpr_days: int = 90
    audit_days: int = 365
    draft_days: int = 7


@dataclass(frozen=True)
class DatabaseConfig:
    """Where the data lives."""

    url: str = ""
    """``sqlite:////abs/path.db``, ``sqlite:///relative.db`` (to the config file),
    ``postgresql://user:pw@host/db``; empty means ``akut.db`` in the user's data directory."""


@dataclass(frozen=True)
class UiConfig:
    """Interface settings."""

    language: str = "da"


@dataclass(frozen=True)
class Locations:
    """Where the configured database and key folder are, resolved once (plain values).

    A command resolves them once and passes them down (:meth:`Config.locations`)
    instead of asking the configuration again at each step.
    """

    database_url: str
    key_dir: Path
    database_file: Path | None
    """The SQLite database file (``None`` for PostgreSQL)."""


@dataclass(frozen=True)
class Config:
    """The whole configuration."""

    site: SiteConfig = field(default_factory=SiteConfig)
    shifts: ShiftConfig = field(default_factory=ShiftConfig)
    beds: BedConfig = field(default_factory=BedConfig)
    security: SecurityConfig = field(default_factory=SecurityConfig)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    source: str = "<packaged defaults>"
    """The file this was read from (for messages)."""
    base_dir: str = ""
    """Folder that relative paths in the file are resolved against."""

    def database_url(self) -> str:
        """Return the effective database URL with relative SQLite paths resolved."""
        url = self.database.url
        if not url:
            return "sqlite:///" + str(default_data_dir() / "akut.db")
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            rel = url[len("sqlite:///") :]
            base = Path(self.base_dir) if self.base_dir else Path.cwd()
            return "sqlite:///" + str((base / rel).resolve())
        return url

    def anchor_path(self) -> Path | None:
        """Return the configured anchor file (relative to the config file), or None."""
        if not self.security.anchor_file:
            return None
        path = Path(self.security.anchor_file)
        if not path.is_absolute() and self.base_dir:
            path = Path(self.base_dir) / path
        return path

    @cached_property
    def locations(self) -> Locations:
        """The effective database URL and key folder, resolved together once
        (:func:`load_config` resolves them as the file loads)."""
        url = self.database_url()
        file = Path(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else None
        return Locations(database_url=url, key_dir=self._key_directory(url), database_file=file)

    def key_directory(self) -> Path:
        """Return the folder holding the audit and pseudonym keys."""
        return self._key_directory(None)

    def _key_directory(self, url: str | None) -> Path:
        """The key folder; ``url``: the effective database URL when already resolved."""
        if self.security.key_dir:
            path = Path(self.security.key_dir)
            if not path.is_absolute() and self.base_dir:
                path = Path(self.base_dir) / path
            return path
        if url is None:
            url = self.database_url()
        if url.startswith("sqlite:///"):
            return Path(url[len("sqlite:///") :]).parent
        return default_data_dir()


def default_data_dir() -> Path:
    """Return the per-user data folder (``$XDG_DATA_HOME/akut``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "akut"


_SECTIONS: dict[str, type[Any]] = {
    "site": SiteConfig,
    "shifts": ShiftConfig,
    "beds": BedConfig,
    "security": SecurityConfig,
    "retention": RetentionConfig,
    "database": DatabaseConfig,
    "ui": UiConfig,
}


def resolve_config_path(cli_path: str | None) -> Path | None:
    """Pick the config file: ``--config``, then ``$AKUT_CONFIG``, then ``./config.toml``."""
    if cli_path:
        return Path(cli_path)
    env = os.environ.get(ENV_CONFIG)
    if env:
        return Path(env)
    local = Path("config.toml")
    if local.is_file():
        return local
    return None


def load_config(path: Path | None) -> Config:
    """Read and validate ``path``; ``None`` gives the packaged defaults."""
    if path is None:
        return Config()
    name = str(path)
    try:
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{name}: filen findes ikke") from None
    except OSError as exc:
        raise ConfigError(f"{name}: kan ikke læses ({os_error_text(exc)})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: ugyldig TOML ({exc})") from None
    config = config_from_dict(raw, source=name, base_dir=str(path.resolve().parent))
    _ = config.locations  # resolved once, as the file loads: passed down as plain values
    return config


def config_from_dict(raw: dict[str, Any], *, source: str = "<dict>", base_dir: str = "") -> Config:
    """Build a validated :class:`Config` from parsed TOML."""
    sections: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _SECTIONS:
            raise ConfigError(f"{source}: ukendt sektion [{key}]; kendte: {', '.join(_SECTIONS)}")
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: [{key}] skal være en sektion")
        sections[key] = _build_section(_SECTIONS[key], key, value, source)
    config = Config(source=source, base_dir=base_dir, **sections)
    _check_values(config)
    return config


def _build_section(cls: type[Any], section: str, values: dict[str, Any], source: str) -> Any:
    defaults = cls()
    known = {f.name: f for f in dataclasses.fields(cls) if f.init}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{source}: ukendt nøgle {section}.{key}; kendte: {', '.join(known)}")
        expected = getattr(defaults, key)
        kwargs[key] = _coerce(value, expected, f"{section}.{key}", source)
    return cls(**kwargs)


def _coerce(value: Any, expected: Any, key: str, source: str) -> Any:
    if isinstance(expected, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{source}: {key} skal være true eller false")
        return value
    if isinstance(expected, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{source}: {key} skal være et heltal")
        return value
    if isinstance(expected, str):
        if not isinstance(value, str):
            raise ConfigError(f"{source}: {key} skal være en tekst i anførselstegn")
        return value
    if isinstance(expected, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{source}: {key} skal være en liste af tekster")
        return tuple(value)
    raise ConfigError(f"{source}: {key} har en ukendt type")  # pragma: no cover


def parse_hhmm(text: str) -> int:
    """Return minutes after midnight for ``HH:MM``; raise ``ValueError`` if malformed."""
    hours, sep, minutes = text.partition(":")
    if sep != ":" or len(hours) != 2 or len(minutes) != 2:
        raise ValueError(text)
    h, m = int(hours), int(minutes)
    if not (0 <= h < 24 and 0 <= m < 60):
        raise ValueError(text)
    return h * 60 + m


def _check_values(config: Config) -> None:
    src = config.source

    def fail(key: str, expected: str) -> None:
        raise ConfigError(f"{src}: {key}: {expected}")

    try:
        zoneinfo.ZoneInfo(config.site.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        fail("site.timezone", f"ukendt tidszone {config.site.timezone!r}")
    if not config.site.name.strip():
        fail("site.name", "må ikke være tom")
    starts: list[int] = []
    for key in ("day_start", "evening_start", "night_start"):
        text = getattr(config.shifts, key)
        try:
            starts.append(parse_hhmm(text))
        except ValueError:
            fail(f"shifts.{key}", f"skal være et klokkeslæt TT:MM, ikke {text!r}")
    if not starts[0] < starts[1] < starts[2]:
        fail("shifts", "vagterne skal starte i rækkefølgen dag < aften < nat")
    beds = config.beds
    if not beds.names:
        fail("beds.names", "der skal være mindst én seng")
    if len(set(beds.names)) != len(beds.names) or any(not n.strip() for n in beds.names):
        fail("beds.names", "sengenavne skal være unikke og ikke tomme")
    unknown = [n for n in beds.out_of_service if n not in beds.names]
    if unknown:
        fail("beds.out_of_service", f"ukendte senge {unknown}")
    if not 1 <= beds.max_consecutive_nights <= 60:
        fail("beds.max_consecutive_nights", "skal være mellem 1 og 60")
    for key in ("checkout_time", "reservation_expiry"):
        try:
            parse_hhmm(getattr(beds, key))
        except ValueError:
            fail(f"beds.{key}", "skal være et klokkeslæt TT:MM")
    sec = config.security
    positive = {
        "idle_lock_minutes": sec.idle_lock_minutes,
        "lockout_failures": sec.lockout_failures,
        "lockout_minutes": sec.lockout_minutes,
        "unlock_attempts": sec.unlock_attempts,
        "absolute_session_hours": sec.absolute_session_hours,
        "argon2_time_cost": sec.argon2_time_cost,
        "argon2_parallelism": sec.argon2_parallelism,
        "max_parallel_hashes": sec.max_parallel_hashes,
    }
    for key, value in positive.items():
        if value < 1:
            fail(f"security.{key}", "skal være mindst 1")
    if sec.password_min_length < 8 or sec.password_min_length > 128:
        fail("security.password_min_length", "skal være mellem 8 og 128")
    if sec.argon2_memory_kib < 8 * sec.argon2_parallelism:
        fail("security.argon2_memory_kib", "skal være mindst 8 × argon2_parallelism")
    for f in dataclasses.fields(RetentionConfig):
        if getattr(config.retention, f.name) < 1:
            fail(f"retention.{f.name}", "skal være et positivt antal dage")
    url = config.database.url
    if url and not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        fail("database.url", "skal begynde med sqlite:/// eller postgresql://")
    if config.ui.language != "da":
        fail("ui.language", "kun 'da' understøttes")
