"""The demo's distributions: crisis levels per shift, minutes, and the weighted value lists."""

from __future__ import annotations

LEVELS = {  # let, middel, alvorlig, ikke_krise; the rest not assessed
    "dag": (0.33, 0.28, 0.10, 0.11),
    "aften": (0.46, 0.16, 0.03, 0.10),
    "nat": (0.50, 0.10, 0.02, 0.08),
}
MINUTES = {"dag": 28, "aften": 19, "nat": 14}
SYMPTOMS = (
    ("angst", 45),
    ("nedtrykt", 35),
    ("ensomhed", 25),
    ("isolation", 10),
    ("uro", 15),
    ("panikanfald", 8),
    ("selvmordstanker", 6),
    ("soevnloeshed", 8),
    ("andet", 5),
)
EVENTS = (
    ("paaroerendeproblematik", 25),
    ("tab_sorg", 8),
    ("oekonomi_bolig", 10),
    ("udskrivelse_psykiatri", 5),
    ("ingen_ukendt", 30),
    ("andet", 5),
)
ESCALATIONS = ("112", "psykiatrisk_skadestue", "vagtlaege", "politi")
"""Escalations the demo picks for some severe contacts (admission stays an action only)."""
ACTIONS = (
    ("ingen_tiltag", 45),
    ("ny_samtale", 20),
    ("opfordret_netvaerk", 15),
    ("opfordret_fremmoede", 10),
    ("hjulpet_videre", 5),
    ("laege", 3),
    ("politi_112", 1),
    ("indlaeggelse", 1),
)
RESULTS = (
    ("forbedret", 45),
    ("uaendret", 25),
    ("forvaerret", 10),
    ("ikke_maalbar", 10),
    ("ikke_opnaaet", 10),
)
