"""Danish throughout, plurals right, labels never cut mid-word (issue 14 §7).

Two scans over the source keep it that way: no "{n} <plural noun>" f-string
(counts go through :func:`akut_tui.core.plural.count`) and no field label longer
than the label column.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from akut_tui.core.plural import count, fit_label, join_sentences
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night.rules import night_limit_text
from screens.widgets.fields import LABEL_WIDTH, _label
from tests.unit.test_import import akut, cfg, write  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parents[2]
PLURALS = (
    "nætter|henvendelser|overleveringer|kladder|kladde\\(r\\)|personer|rækker|hændelser|"
    "udkørsler|minutter|senge|brugere|dage|timer"
)
COUNTED = re.compile(r"\{[^{}]+\} (" + PLURALS + r")\b")
LABELS = re.compile(
    r"(?:text_field|choice_field|clock_field|FieldDef)\(\s*\"[^\"]*\",\s*\"([^\"]+)\"", re.S
)


def _sources() -> list[Path]:
    return sorted([*(ROOT / "akut_tui").rglob("*.py"), *(ROOT / "screens").rglob("*.py")])


def test_no_count_is_written_without_the_plural_helper() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in _sources()
        for match in COUNTED.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_every_field_label_fits_the_label_column() -> None:
    too_long = [
        f"{path.relative_to(ROOT)}: {label}"
        for path in _sources()
        for label in LABELS.findall(path.read_text(encoding="utf-8"))
        if len(label) > LABEL_WIDTH - 2
    ]
    assert too_long == []


def test_a_focused_label_keeps_every_letter() -> None:
    assert _label("Opfølgning 14 dage", focused=True).plain.startswith("▸Opfølgning 14 dage")
    assert _label("Kriseniveau", focused=True).plain.startswith("▸ Kriseniveau")


@pytest.mark.parametrize(
    ("number", "word", "text"),
    [
        (1, "nat", "1 nat"),
        (3, "nat", "3 nætter"),
        (1, "overlevering", "1 overlevering"),
        (2, "overlevering", "2 overleveringer"),
        (1, "henvendelse", "1 henvendelse"),
        (0, "henvendelse", "0 henvendelser"),
        (1, "kladde", "1 kladde"),
    ],
)
def test_counts(number: int, word: str, text: str) -> None:
    assert count(number, word) == text


def test_night_limit_with_a_maximum_of_one() -> None:
    assert "højst 1 nat i træk" in night_limit_text(2, 1)
    assert "1 nætter" not in night_limit_text(2, 1)


def test_labels_and_sentences() -> None:
    assert fit_label("Til gene for andre gæster", 17) == "Til gene for…"
    assert fit_label("Kort", 17) == "Kort"
    joined = join_sentences(
        "CPR må kun stå i CPR-feltet, hvor det er beskyttet.", "intet er indlæst"
    )
    assert joined.endswith("beskyttet. Intet er indlæst.") and ".;" not in joined


def test_os_errors_are_danish(
    rt: Runtime,
    cfg: Path,  # noqa: F811 - the imported fixture
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert akut(cfg, "import", str(tmp_path / "findes-ikke.csv")) != 0
    err = capsys.readouterr().err
    assert "findes ikke" in err and "No such file" not in err


def test_an_import_refusal_ends_in_whole_sentences(
    rt: Runtime,
    cfg: Path,  # noqa: F811 - the imported fixture
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    header = (
        "started_at;channel;caller;partner_type;crisis_level;duration_min;pseudonym;cpr;symptoms"
    )
    path = write(tmp_path, header + "\n2015-07-01 10:00;telefon;borger;;let;5;Ib 010190-1234;;\n")
    assert akut(cfg, "import", path) != 0
    err = capsys.readouterr().err
    assert ".;" not in err and "; intet" not in err


def test_no_english_os_error_text_reaches_a_message() -> None:
    """``exc.strerror`` is the system's English; messages use ``errors.os_error_text``."""
    found = [
        str(path.relative_to(ROOT))
        for path in _sources()
        if ".strerror" in path.read_text(encoding="utf-8")
    ]
    assert found == []
