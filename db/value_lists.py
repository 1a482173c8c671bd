"""Value lists for coded fields, as pure data (docs/domain.md §1).

Each list maps a stable, lower-case ASCII snake_case code (stored in the
database and used in exports) to a Danish label (shown in the UI). Codes
must never change once data exists; labels may. Municipality codes are the
official three-digit kommunekoder of the 98 Danish municipalities.
"""

from __future__ import annotations

__all__ = ["REFERRAL_GROUPS", "VALUE_LISTS", "codes", "label", "referral_group"]

_MUNICIPALITIES: list[tuple[str, str]] = [
    # Region Hovedstaden (29)
    ("101", "København"),
    ("147", "Frederiksberg"),
    ("151", "Ballerup"),
    ("153", "Brøndby"),
    ("155", "Dragør"),
    ("157", "Gentofte"),
    ("159", "Gladsaxe"),
    ("161", "Glostrup"),
    ("163", "Herlev"),
    ("165", "Albertslund"),
    ("167", "Hvidovre"),
    ("169", "Høje-Taastrup"),
    ("173", "Lyngby-Taarbæk"),
    ("175", "Rødovre"),
    ("183", "Ishøj"),
    ("185", "Tårnby"),
    ("187", "Vallensbæk"),
    ("190", "Furesø"),
    ("201", "Allerød"),
    ("210", "Fredensborg"),
    ("217", "Helsingør"),
    ("219", "Hillerød"),
    ("223", "Hørsholm"),
    ("230", "Rudersdal"),
    ("240", "Egedal"),
    ("250", "Frederikssund"),
    ("260", "Halsnæs"),
    ("270", "Gribskov"),
    ("400", "Bornholm"),
    # Region Sjælland (17)
    ("253", "Greve"),
    ("259", "Køge"),
    ("265", "Roskilde"),
    ("269", "Solrød"),
    ("306", "Odsherred"),
    ("316", "Holbæk"),
    ("320", "Faxe"),
    ("326", "Kalundborg"),
    ("329", "Ringsted"),
    ("330", "Slagelse"),
    ("336", "Stevns"),
    ("340", "Sorø"),
    ("350", "Lejre"),
    ("360", "Lolland"),
    ("370", "Næstved"),
    ("376", "Guldborgsund"),
    ("390", "Vordingborg"),
    # Region Syddanmark (22)
    ("410", "Middelfart"),
    ("420", "Assens"),
    ("430", "Faaborg-Midtfyn"),
    ("440", "Kerteminde"),
    ("450", "Nyborg"),
    ("461", "Odense"),
    ("479", "Svendborg"),
    ("480", "Nordfyns"),
    ("482", "Langeland"),
    ("492", "Ærø"),
    ("510", "Haderslev"),
    ("530", "Billund"),
    ("540", "Sønderborg"),
    ("550", "Tønder"),
    ("561", "Esbjerg"),
    ("563", "Fanø"),
    ("573", "Varde"),
    ("575", "Vejen"),
    ("580", "Aabenraa"),
    ("607", "Fredericia"),
    ("621", "Kolding"),
    ("630", "Vejle"),
    # Region Midtjylland (19)
    ("615", "Horsens"),
    ("657", "Herning"),
    ("661", "Holstebro"),
    ("665", "Lemvig"),
    ("671", "Struer"),
    ("706", "Syddjurs"),
    ("707", "Norddjurs"),
    ("710", "Favrskov"),
    ("727", "Odder"),
    ("730", "Randers"),
    ("740", "Silkeborg"),
    ("741", "Samsø"),
    ("746", "Skanderborg"),
    ("751", "Aarhus"),
    ("756", "Ikast-Brande"),
    ("760", "Ringkøbing-Skjern"),
    ("766", "Hedensted"),
    ("779", "Skive"),
    ("791", "Viborg"),
    # Region Nordjylland (11)
    ("773", "Morsø"),
    ("787", "Thisted"),
    ("810", "Brønderslev"),
    ("813", "Frederikshavn"),
    ("820", "Vesthimmerlands"),
    ("825", "Læsø"),
    ("840", "Rebild"),
    ("846", "Mariagerfjord"),
    ("849", "Jammerbugt"),
    ("851", "Aalborg"),
    ("860", "Hjørring"),
]

REFERRAL_GROUPS: list[tuple[str, str]] = [
    ("myndighed", "Myndighed"),
    ("kommune", "Øvrige kommunale tilbud"),
    ("region", "Tilbud i regionen"),
    ("laege", "Vagtlæge/egen læge"),
    ("noed", "112/politi"),
    ("akut", "Andre kommuners akuttilbud"),
    ("frivillig", "Private og frivillige tilbud"),
    ("andet", "Andet"),
]
"""Groups of the referral directory; a target's code starts with its group's code."""

_REFERRAL_TARGETS: list[tuple[str, str]] = [
    ("myndighed_voksen", "Myndighed voksen"),
    ("myndighed_boern_unge", "Myndighed børn/unge"),
    ("kommune_bostoette", "Bostøtte"),
    ("kommune_85", "§ 85-støtte"),
    ("kommune_misbrugscenter", "Misbrugscenter"),
    ("kommune_jobcenter", "Jobcenter"),
    ("kommune_sundhed", "Kommunal sundhed"),
    ("kommune_forsorgshjem", "Forsorgshjem/herberg"),
    ("region_psyk_akutmodtagelse", "Psyk. akutmodtagelse"),
    ("region_distriktspsykiatri", "Distriktspsykiatri"),
    ("region_akuttelefon", "Psykiatriens akuttelefon"),
    ("laege_vagtlaege", "Vagtlæge"),
    ("laege_egen_laege", "Egen læge"),
    ("noed_112", "112"),
    ("noed_politi", "Politi"),
    ("akut_anden_kommune", "Anden kommunes akuttilbud"),
    ("frivillig_livslinien", "Livslinien"),
    ("frivillig_headspace", "Headspace"),
    ("frivillig_sind", "SIND Rådgivning"),
    ("frivillig_psykiatrifonden", "Psykiatrifonden"),
    ("frivillig_andet", "Andet frivilligt tilbud"),
]
"""The default referral directory (issue 19 §1); codes are stable, labels editable."""

VALUE_LISTS: dict[str, list[tuple[str, str]]] = {
    "channel": [
        ("telefon", "Telefon"),
        ("fremmoede", "Personligt fremmøde"),
        ("virtuel", "Virtuel"),
    ],
    "contact_type": [
        ("krise", "Krisehenvendelse"),
        ("stille_opkald", "Stille opkald"),
        ("fejlopkald", "Forkert nummer / lagt på"),
        ("testopkald", "Testopkald"),
    ],
    "caller": [
        ("borger", "Borgeren selv"),
        ("paaroerende", "Pårørende"),
        ("paaroerende_egen_stoette", "Pårørende, egen støtte"),
        ("samarbejdspartner", "Samarbejdspartner"),
        ("anden", "Anden"),
    ],
    "partner_type": [
        ("politi", "Politi"),
        ("regionspsykiatri", "Regionspsykiatri"),
        ("somatisk_akutmodtagelse", "Somatisk akutmodtagelse"),
        ("forsorgscenter", "Forsorgscenter"),
        ("rusmiddelcenter", "Rusmiddelcenter"),
        ("kriminalforsorg", "Kriminalforsorg"),
        ("bostoette_botilbud", "Bostøtte/botilbud"),
        ("egen_laege_vagtlaege", "Egen læge/vagtlæge"),
        ("anden_kommune", "Anden kommune"),
        ("tuba", "TUBA"),
        ("kvisten", "Kvisten"),
        ("andet", "Andet"),
    ],
    "cpr_status": [
        ("oplyst", "Oplyst"),
        ("anonym", "Anonym"),
        ("afvist", "Afvist"),
        ("ikke_relevant", "Ikke relevant"),
    ],
    "gender": [
        ("mand", "Mand"),
        ("kvinde", "Kvinde"),
        ("ikke_registreret", "Ikke registreret"),
    ],
    "age_band": [
        ("under_18", "Under 18"),
        ("18_24", "18–24 år"),
        ("25_34", "25–34 år"),
        ("35_44", "35–44 år"),
        ("45_54", "45–54 år"),
        ("55_64", "55–64 år"),
        ("65_plus", "65 år og derover"),
        ("ukendt", "Ukendt"),
    ],
    "housing": [
        ("egen_bolig", "Egen bolig"),
        ("botilbud_85", "§85-botilbud uden døgndækning"),
        ("andet", "Andet"),
        ("ukendt", "Ukendt"),
    ],
    "symptom": [
        ("angst", "Angst/nervøsitet"),
        ("nedtrykt", "Nedtrykt/ked af det (depression)"),
        ("ensomhed", "Ensomhed"),
        ("isolation", "Isolation"),
        ("panikanfald", "Panik-/angstanfald"),
        ("selvmordstanker", "Selvmordstanker"),
        ("selvskade", "Selvskade"),
        ("soevnloeshed", "Søvnløshed"),
        ("uro", "Uro"),
        ("rusmidler", "Rusmidler"),
        ("psykotiske_symptomer", "Psykotiske symptomer"),
        ("andet", "Andet"),
    ],
    "event": [
        ("paaroerendeproblematik", "Pårørendeproblematik"),
        ("udskrivelse_psykiatri", "Udskrivelse fra psykiatrien"),
        ("flytning_fra_botilbud", "Flytning fra botilbud til egen bolig"),
        ("overfald_ulykke", "Overfald/ulykke"),
        ("tab_sorg", "Tab/sorg"),
        ("oekonomi_bolig", "Økonomi/bolig"),
        ("ingen_ukendt", "Ingen/ukendt"),
        ("andet", "Andet"),
    ],
    "action": [
        ("ingen_tiltag", "Ingen yderligere tiltag"),
        ("ny_samtale", "Ny samtale aftalt"),
        ("opfordret_fremmoede", "Opfordret til personligt fremmøde"),
        ("opfordret_netvaerk", "Opfordret til at kontakte eget netværk"),
        ("overnatning", "Overnatning"),
        ("hjulpet_videre", "Hjulpet videre til andet tilbud"),
        ("laege", "Vagtlæge/egen læge"),
        ("indlaeggelse", "Indlæggelse i regionspsykiatrien"),
        ("politi_112", "Politi/112"),
        ("udkoerende_besoeg", "Udkørende besøg"),
        ("underretning", "Underretning"),
    ],
    "stabilisation": [
        ("stabiliseret", "Stabiliseret"),
        ("delvist_stabiliseret", "Delvist stabiliseret"),
        ("ikke_stabiliseret", "Ikke stabiliseret"),
    ],
    "crisis_level": [
        ("alvorlig", "Alvorlig"),
        ("middel", "Middelsvær"),
        ("let", "Let"),
        ("ikke_krise", "Ikke kriserelateret"),
    ],
    "turn_away": [
        ("rusmidler", "Påvirket af rusmidler/alkohol"),
        ("truende", "Truende/udadreagerende"),
    ],
    "followup_result": [
        ("forbedret", "Forbedret"),
        ("uaendret", "Uændret"),
        ("forvaerret", "Forværret"),
        ("ikke_maalbar", "Ikke målbar"),
        ("ikke_opnaaet", "Ikke opnået kontakt"),
    ],
    "shift": [
        ("dag", "Dag"),
        ("aften", "Aften"),
        ("nat", "Nat"),
    ],
    "night_decision": [
        ("forlaeng", "Forlæng"),
        ("afslut", "Afslut"),
        ("henvist", "Henvist videre"),
    ],
    "escalation": [
        ("112", "112"),
        ("psykiatrisk_skadestue", "Psykiatrisk skadestue"),
        ("vagtlaege", "Vagtlæge"),
        ("politi", "Politi"),
        ("indlaeggelse", "Indlæggelse"),
    ],
    "municipality": [*_MUNICIPALITIES, ("ukendt", "Ukendt")],
    "referral_target": _REFERRAL_TARGETS,
    "consent": [
        ("ja", "Ja"),
        ("nej", "Nej"),
        ("ikke_spurgt", "Ikke spurgt"),
    ],
    "referral_by": [
        ("personale", "Personalet kontaktede"),
        ("borger_raadet", "Borgeren rådet til det"),
    ],
    "referral_arrived": [
        ("ja", "Ja"),
        ("nej", "Nej"),
        ("ved_ikke", "Ved ikke"),
    ],
    "called_before": [
        ("ja", "Ja"),
        ("nej", "Nej"),
        ("ved_ikke", "Ved ikke"),
    ],
    # Issue 19 §3: the progression goal's kind (leader-editable), its attainment at the
    # 14-day follow-up (a fixed scale) and staff's assessment of what was avoided.
    "goal_kind": [
        ("soevn", "Søvn"),
        ("netvaerk", "Netværk"),
        ("daglig_struktur", "Daglig struktur"),
        ("kontakt_behandling", "Kontakt til behandling"),
        ("oekonomi_praktisk", "Økonomi/praktisk"),
        ("bolig", "Bolig"),
        ("rusmidler", "Rusmidler"),
        ("andet", "Andet"),
    ],
    "goal_attainment": [
        ("opnaaet", "Opnået"),
        ("delvist", "Delvist"),
        ("ikke_opnaaet", "Ikke opnået"),
        ("ikke_fulgt_op", "Ikke fulgt op"),
    ],
    "avoided": [
        ("indlaeggelse", "Indlæggelse"),
        ("psykiatrisk_akutmodtagelse", "Psyk. akutmodtagelse"),
        ("vagtlaege", "Vagtlæge"),
        ("112_politi", "112/politi"),
        ("skadestue", "Skadestue"),
        ("intet", "Intet"),
        ("ved_ikke", "Ved ikke"),
    ],
}


def referral_group(code: str) -> str:
    """The group of a referral target: its code's prefix, ``andet`` for a leader's own code."""
    prefix = code.split("_", 1)[0]
    return prefix if prefix in dict(REFERRAL_GROUPS) else "andet"


def codes(list_name: str) -> list[str]:
    """Return the codes of a value list in display order.

    Raises ``KeyError`` for an unknown list name.
    """
    return [code for code, _ in VALUE_LISTS[list_name]]


def label(list_name: str, code: str) -> str:
    """Return the Danish label for ``code`` in value list ``list_name``.

    Raises ``KeyError`` if the list or the code is unknown.
    """
    for item_code, item_label in VALUE_LISTS[list_name]:
        if item_code == code:
            return item_label
    raise KeyError(f"{list_name}: unknown code {code!r}")
