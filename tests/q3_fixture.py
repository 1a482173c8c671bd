"""A synthetic Q3 2015 that reproduces the reference figures of docs/domain.md §5.

400 crisis contacts (Viborg had about 390 a quarter) plus 30 silent calls:
ministry channel 83 / 15 / 2 %, crisis level let 41 %, middel 20 %, alvorlig
6 % (the rest not crisis-related or not assessed), mean minutes per shift
dag 28, aften 19, nat 14. Written as an ``akut import`` file.
"""

from __future__ import annotations

from datetime import date, timedelta

HEADER = (
    "started_at;channel;caller;partner_type;contact_type;crisis_level;duration_min;"
    "pseudonym;cpr;gender;symptoms;actions;stabilisation;crisis_conversation"
)
SHIFTS = (("dag", 180, 8, (20, 36)), ("aften", 140, 17, (15, 23)), ("nat", 80, 1, (10, 18)))
"""(shift, contacts, first hour, two durations whose mean is the reference figure)."""
LEVELS = {
    # per shift: counts of let, middel, alvorlig, ikke_krise; the rest not assessed
    "dag": (60, 50, 18, 20),
    "aften": (64, 22, 4, 14),
    "nat": (40, 8, 2, 6),
}
START = date(2015, 7, 1)


def rows() -> list[str]:
    """The lines of the import file (header first)."""
    lines = [HEADER]
    index = 0
    for shift, count, hour, minutes in SHIFTS:
        let, middel, alvorlig, ikke = LEVELS[shift]
        levels = ["let"] * let + ["middel"] * middel + ["alvorlig"] * alvorlig
        levels += ["ikke_krise"] * ikke
        levels += [""] * (count - len(levels))
        for i in range(count):
            day = START + timedelta(days=(index * 7) % 92)
            at = f"{day.isoformat()} {(hour + i % 6) % 24:02d}:{(i * 7) % 60:02d}"
            channel, caller, partner = "telefon", "borger", ""
            if index % 50 in (3, 13, 23, 33, 43, 46) or index % 50 in (8, 18, 28):
                channel = "fremmoede"  # 9 in 50 ... adjusted below to exactly 60 of 400
            if index < 8:
                caller = "paaroerende" if index < 4 else "samarbejdspartner"
                partner = "politi" if caller == "samarbejdspartner" else ""
            person = f"Genganger{index % 5}" if index % 4 == 0 else ""
            cpr = "0101801234" if index % 97 == 5 else ""
            symptoms = "angst|nedtrykt" if index % 3 == 0 else "angst" if index % 3 == 1 else ""
            action = "ingen_tiltag" if index % 2 else "ny_samtale"
            lines.append(
                ";".join(
                    [
                        at,
                        channel,
                        caller,
                        partner,
                        "krise",
                        levels[i],
                        str(minutes[i % 2]),
                        person,
                        cpr,
                        "",
                        symptoms,
                        action,
                        "stabiliseret" if i % 3 else "delvist_stabiliseret",
                        "1",
                    ]
                )
            )
            index += 1
    for i in range(30):
        day = START + timedelta(days=i * 3)
        lines.append(f"{day.isoformat()} 03:{i:02d};telefon;borger;;stille_opkald;;;;;;;;;0")
    return lines


def text() -> str:
    """The whole file, with the channel counts fixed to exactly 332 / 60 / 8."""
    lines = rows()
    body = lines[1:401]
    fremmoede = [i for i, line in enumerate(body) if line.split(";")[1] == "fremmoede"]
    borger_fremmoede = [i for i in fremmoede if body[i].split(";")[2] == "borger"]
    want = 60
    fields = [line.split(";") for line in body]
    for i in borger_fremmoede[want:]:
        fields[i][1] = "telefon"
    extra = want - min(want, len(borger_fremmoede))
    for i in range(8, 400):
        if extra == 0:
            break
        if fields[i][1] == "telefon" and fields[i][2] == "borger":
            fields[i][1] = "fremmoede"
            extra -= 1
    return "\n".join([lines[0], *(";".join(f) for f in fields), *lines[401:]]) + "\n"
