"""Build `loaders/data/officials.json`: terms of office read from the Phoenix countries dictionary.

Run from the repository root: `python -m scripts.build_officials [--dictionaries DIR] [--verbose]`.

`Phoenix.Countries.actors.txt` (openeventdata/petrarch2, MIT License, Open Event Data Alliance)
gives thousands of officials date-restricted CAMEO codes, `[IRQGOV 20060520-20140908]`, but a
code names a sector (GOV, GOVMIL, GOVBUS, SPY), never the office: a president, a prime minister
and a minister of state all carry `IRQGOV`. The office is read from what the dictionary's
curators wrote around the codes, and only there:

1. section headings over runs of entries (`# U.S. Secretaries of State`), listed in SECTIONS
   below with the first and last entry each covers, as read by hand;
2. name variants that open with a title of `loaders/data/role_titles.yaml`, after a state
   name or adjective (`+PRIME_MINISTER_MALIKI`, `+US_PRESIDENT_BARACK_OBAMA`);
3. comments on code lines (`[IRNGOV >19890604] # Supreme Leader`), in COMMENT_OFFICES.

An entry's office applies to its dated codes of that office's sector (ROLE_SECTORS) and state.
A comment naming another office takes its code out (`# Assembly of Experts`); a code dated from
2003-01-01 in six digits is the converter's "already in office when the CIA lists began" and is
used only when nothing better is given. Where one entry has several codes for one office, those
overlapping another holder of that office who has a single term are dropped; where that leaves
several and the office comes from a title alone (Shimon Peres, "President", seven GOV codes),
the entry is left out, as is a code that two titles claim (Putin's GOV codes, for president and
prime minister). Output is deterministic and sorted.
"""

import argparse
import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from graph_schema.names import name_key
from graph_schema.vocabulary import ActorKind
from loaders.lexicon import ActorEntry, actor_table
from loaders.officials import (
    GENERATED_OFFICIALS,
    OfficialsTable,
    OfficialTerm,
    normalise_title,
    role_titles,
    roles_of_title,
)
from loaders.resolve import slug
from scripts.build_lexicons import (
    BRACKETED_CODE,
    COUNTRIES,
    DATA_DIR,
    DEFAULT_DICTIONARIES,
    title_case,
    words,
)

COUNTRY_ACTORS = "Phoenix.Countries.actors.txt"
SOURCE = (
    "openeventdata/petrarch2, petrarch2/data/dictionaries/Phoenix.Countries.actors.txt,"
    " commit 676801cd9cb2924bbbad09f86d15c9323e7097bf, MIT License,"
    " copyright (c) 2014 Open Event Data Alliance (see loaders/data/LICENSE.petrarch2)"
)

HEAD_OF_STATE = "head_of_state"
HEAD_OF_GOVERNMENT = "head_of_government"

# The CAMEO sectors (the code after the country) an office's holders carry.
ROLE_SECTORS: dict[str, frozenset[str]] = {
    HEAD_OF_STATE: frozenset({"GOV"}),
    HEAD_OF_GOVERNMENT: frozenset({"GOV"}),
    "vice_president": frozenset({"GOV"}),
    "supreme_leader": frozenset({"GOV"}),
    "foreign_minister": frozenset({"GOV"}),
    "justice_minister": frozenset({"GOV"}),
    "un_ambassador": frozenset({"GOV"}),
    "national_security_adviser": frozenset({"GOV"}),
    "defence_minister": frozenset({"GOVMIL"}),
    "finance_minister": frozenset({"GOVBUS"}),
    "central_bank_governor": frozenset({"GOVBUS"}),
    "intelligence_chief": frozenset({"SPY", "GOVSPY"}),
}
"""Roles absent here are never read from Phoenix. crown_prince in particular: the dictionary's
crown princes (`CROWN_PRINCE_HAAKON`) carry GOV codes for their regencies, not their title."""


@dataclass(frozen=True)
class Section:
    """A run of entries under a heading of the countries file, all holders of one office."""

    country: str
    heading: str
    role: str
    first: str
    last: str
    skip: tuple[str, ...] = ()
    """Entries of the run that never held the office."""


SECTIONS: tuple[Section, ...] = (
    Section("HRV", "Presidents", HEAD_OF_STATE, "IVO_JOSIPOVIC", "IVO_JOSIPOVIC"),
    Section("HRV", "Prime Ministers", HEAD_OF_GOVERNMENT, "ZORAN_MILANOVIC", "ZORAN_MILANOVIC"),
    Section("EGY", "Presidents", HEAD_OF_STATE, "GAMAL_ABDEL_NASSER", "ABDEL_FATTAH_EL_SISI"),
    Section("EGY", "Prime Ministers", HEAD_OF_GOVERNMENT, "AZIZ_SEDKI", "IBARAHIM_MAHLAB"),
    # Friedrich Ebert's codes put his presidency (1919-25) in 1973: left out.
    Section("DEU", "Leaders", HEAD_OF_STATE, "GUSTAV_HEINEMANN", "CHRISTIAN_WULFF"),
    Section("DEU", "Chancellors", HEAD_OF_GOVERNMENT, "WILLY_BRANDT", "ANGELA_MERKEL"),
    Section("GBR", "Monarch[s]", HEAD_OF_STATE, "ELIZABETH_II", "ELIZABETH_II"),
    Section("GBR", "Prime Ministers", HEAD_OF_GOVERNMENT, "HAROLD_WILSON", "DAVID_CAMERON"),
    Section(
        "GRC",
        "Greek Prime Ministers",
        HEAD_OF_GOVERNMENT,
        "GEORGIOS_ANDREAS_PAPANDREOU",
        "ALEXIS_TSIPRAS",
    ),
    Section("MNE", "President", HEAD_OF_STATE, "FILIP_VUJANOVIC", "FILIP_VUJANOVIC"),
    Section("MNE", "Prime Minister", HEAD_OF_GOVERNMENT, "MILO_DUKANOVIC", "MILO_DUKANOVIC"),
    Section(
        "PAK",
        "Roughly following order of presidents",
        HEAD_OF_STATE,
        "ZULFIKAR_ALI_BHUTTO",
        "MAMNOON_HUSSAIN",
    ),
    Section(
        "PAK",
        "Roughly prime ministers in order",
        HEAD_OF_GOVERNMENT,
        "MOHAMMAD_KHAN_JUNEJO",
        "YOUSAF_RAZA_GILANI",
    ),
    Section("SSD", "President", HEAD_OF_STATE, "SALVA_KIIR_MAYARDIT", "SALVA_KIIR_MAYARDIT"),
    Section("USA", "U.S. Presidents", HEAD_OF_STATE, "FRANKLIN_D._ROOSEVELT", "BARACK_OBAMA"),
    Section(
        "USA",
        "Vice Presidents of the United States",
        "vice_president",
        "HENRY_A._WALLACE",
        "JOE_BIDEN",
    ),
    # Headed "???" in the file: Joseph Grew (acting) and James Byrnes, Secretaries of State 1945.
    Section("USA", "???", "foreign_minister", "JOSEPH_C._GREW", "JAMES_BYRNES"),
    # Strobe Talbott was Deputy Secretary (1994-2001), his one code says so without a comment.
    Section(
        "USA",
        "U.S. Secretaries of State",
        "foreign_minister",
        "GEORGE_C._MARSHALL",
        "JOHN_KERRY",
        skip=("STROBE_TALBOTT",),
    ),
    Section(
        "USA",
        "United States Secretaries of Defense",
        "defence_minister",
        "ROBERT_LOVETT",
        "ASHTON_CARTER",
    ),
    Section("USA", "U.S. Attorneys General", "justice_minister", "TOM_C._CLARK", "MARK_FILIP"),
    # Zalmay Khalilzad's one code (2005-09) also spans his embassy in Baghdad.
    Section(
        "USA",
        "U.S. Ambassadors to the UN",
        "un_ambassador",
        "EDWARD_STETTINIUS",
        "SUSAN_RICE",
        skip=("ZALMAY_KHALILZAD",),
    ),
    Section(
        "USA",
        "US National Security Advisors",
        "national_security_adviser",
        "ROBERT_CUTLER",
        "SUSAN_RICE",
    ),
    # The CIA's heads only: the Directors of National Intelligence listed after them are left out.
    Section(
        "USA",
        "US Directors of Central(National) Intelligence",
        "intelligence_chief",
        "SIDNEY_W._SOUERS",
        "DAVID_PETRAEUS",
    ),
    # Its chairs only: the Senate and House leaders listed after them are left out.
    Section(
        "USA",
        "Federal Reserve Board",
        "central_bank_governor",
        "MARRINER_S._ECCLES",
        "BEN_BERNANKE",
    ),
)

# Every comment written on a code line that names an office, lower-cased: the role it names,
# or None for another office. Comments not listed ("check start date") say nothing.
COMMENT_OFFICES: dict[str, str | None] = {
    "acting pm": HEAD_OF_GOVERNMENT,
    "chancellor of germany": HEAD_OF_GOVERNMENT,
    "pm": HEAD_OF_GOVERNMENT,
    "pm pt. 1": HEAD_OF_GOVERNMENT,
    "pm pt. 2": HEAD_OF_GOVERNMENT,
    "prime minister": HEAD_OF_GOVERNMENT,
    "president of germany": HEAD_OF_STATE,
    "supreme leader": "supreme_leader",
    "brief acting sec state": "foreign_minister",
    "foreign minister": "foreign_minister",
    "sec state": "foreign_minister",
    "secretary of state": "foreign_minister",
    "sec def": "defence_minister",
    "min. of fin.": "finance_minister",
    "national security advisor": "national_security_adviser",
    "amb. to un": "un_ambassador",
    "dci": "intelligence_chief",
    "amb to philippines (need dates)": None,
    "amb. to japan (need dates)": None,
    "assembly of experts": None,
    "cmdr air force": None,
    "dep dci": None,
    "dep natsecad": None,
    "dep sec def": None,
    "dep sec state": None,
    "dep. pm": None,
    "entered foreign service": None,
    "general council to dod": None,
    "min of civil aviation": None,
    "min. of water resources": None,
    "president of the bundesrat": None,
    "prime minister of lower saxony": None,
    "sec of army": None,
    "senator from nebraska": None,
    "then chief of staff": None,
    "under secretary of state for political affairs": None,
    "various amb.ships (need start)": None,
}

# Words after a title that make the name a title's phrase, not a person's name.
NOT_A_NAME = frozenset({"elect", "designate", "of", "for", "and", "to"})
# Six-digit start the converter gave holders "in office before the reports began" (2003-01-01).
PRIOR_START = "030101"
# Days two holders' terms may share before they count as overlapping (handover days).
HANDOVER_DAYS = 1
RESTRICTION = re.compile(
    r"^(?:>\s*(?P<after>\d+)|<\s*(?P<before>\d+)|(?P<first>\d+)\s*-\s*(?P<last>\d+))$"
)
OFFICE_SECTOR = re.compile(r"^[A-Z]{3}(GOV|SPY|MIL)")


# ------------------------------------------------------------------------ reading the file


@dataclass(frozen=True)
class DatedCode:
    """A date-restricted code of one entry and the comment on its line."""

    country: str
    sector: str
    start: dt.date | None
    end: dt.date | None
    restriction: str
    comment: str
    line: int


@dataclass
class Entry:
    """A run of synonymous names and the codes they share (as PETRARCH reads them)."""

    names: list[str]
    line: int
    codes: list[DatedCode] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    """Restrictions that are not PETRARCH dates (`[USAGOV 19820101]`, a 31 June)."""

    @property
    def headline(self) -> str:
        return self.names[0].rstrip("_ ")


def petrarch_date(digits: str) -> dt.date | None:
    """A PETRARCH date: YYMMDD (00-30 read as 20YY) up to seven digits, else YYYYMMDD[...]."""
    if len(digits) <= 7:
        if len(digits) != 6:
            return None
        year = int(digits[:2]) + (2000 if int(digits[:2]) <= 30 else 1900)
        month_day = digits[2:]
    else:
        year, month_day = int(digits[:4]), digits[4:8]
    try:
        return dt.date(year, int(month_day[:2]), int(month_day[2:]))
    except ValueError:
        return None


def parse_code(text: str, comment: str, line: int) -> DatedCode | str:
    """`IRQGOV 050601-060531` as a DatedCode, or the text back when its dates are not dates."""
    code, _, restriction = text.strip().partition(" ")
    restriction = restriction.strip()
    start = end = None
    if restriction:
        match = RESTRICTION.match(restriction)
        if match is None:
            return text.strip()
        if match["after"]:
            start = petrarch_date(match["after"])
        elif match["before"]:
            end = petrarch_date(match["before"])
        else:
            start, end = petrarch_date(match["first"]), petrarch_date(match["last"])
        if start is None and end is None:
            return text.strip()
    return DatedCode(code[:3], code[3:], start, end, restriction, comment, line)


def read_entries(path: Path) -> list[Entry]:
    """The entries of a Phoenix actor dictionary, with line numbers and code-line comments.

    Runs of names are read as PETRARCH (and `scripts/build_lexicons.py`) read them:
    consecutive headlines without codes of their own share the codes that follow them.
    """
    entries: list[Entry] = []
    taking_headlines = False
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), start=1):
        text, _, comment = raw.partition("#")
        name = " ".join(BRACKETED_CODE.sub(" ", text).split())
        on_code_line = not name
        parsed = [
            parse_code(code, " ".join(comment.split()).lower() if on_code_line else "", number)
            for code in BRACKETED_CODE.findall(text)
        ]
        codes = [code for code in parsed if isinstance(code, DatedCode)]
        invalid = [code for code in parsed if isinstance(code, str)]
        if not raw.strip():
            taking_headlines = False
        elif raw[0].isspace() or not name:
            if entries and parsed:
                entries[-1].codes.extend(codes)
                entries[-1].invalid.extend(invalid)
                taking_headlines = False
        elif name.startswith("+"):
            if entries:
                entries[-1].names.append(name[1:])
                entries[-1].codes.extend(codes)
                entries[-1].invalid.extend(invalid)
        elif taking_headlines and not entries[-1].codes:
            entries[-1].names.append(name)
            entries[-1].codes.extend(codes)
            entries[-1].invalid.extend(invalid)
        else:
            entries.append(Entry([name], number, codes, invalid))
            taking_headlines = True
    return entries


def headings(path: Path) -> list[tuple[int, str]]:
    """The comment lines of a dictionary that stand alone: (line number, text after '#')."""
    return [
        (number, raw[1:].strip())
        for number, raw in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if raw.startswith("#")
    ]


def section_members(
    entries: Sequence[Entry], heading_lines: Sequence[tuple[int, str]]
) -> dict[int, Section]:
    """Index of each entry in a section -> its section; every section must be found whole.

    A section starts at its first entry after its heading, with no other heading between.
    """
    members: dict[int, Section] = {}
    for section in SECTIONS:
        first = None
        for line, text in heading_lines:
            if text != section.heading:
                continue
            index = next(
                (i for i, e in enumerate(entries) if e.line > line and e.headline == section.first),
                None,
            )
            if index is None:
                continue
            between = [t for other, t in heading_lines if line < other < entries[index].line]
            if all(t == section.heading for t in between):
                first = index
                break
        if first is None:
            raise ValueError(f"section {section.heading!r} not found before {section.first}")
        last = next(
            (i for i in range(first, len(entries)) if entries[i].headline == section.last), None
        )
        if last is None:
            raise ValueError(f"section {section.heading!r}: no entry {section.last} after it")
        for index in range(first, last + 1):
            if entries[index].headline not in section.skip:
                members[index] = section
    return members


# ------------------------------------------------------------------------ titles and names


@dataclass(frozen=True)
class Vocabulary:
    """What the build recognises in names: state words, titles, and the actor table."""

    state_words: frozenset[tuple[str, ...]]
    titles: frozenset[tuple[str, ...]]
    given_names: frozenset[str]
    states: frozenset[str]
    people: dict[str, list[ActorEntry]]


def vocabulary() -> Vocabulary:
    table = actor_table()
    governments = [actor for actor in table.actors if actor.kind is ActorKind.GOVERNMENT]
    state_words = {
        tuple(name_key(name).split())
        for actor in governments
        for name in (actor.name, *actor.aliases, *actor.adjectives)
    }
    vocab = role_titles()
    titles = {normalise_title(t) for entry in vocab.roles.values() for t in entry.titles}
    titles |= {normalise_title(t) for local in vocab.state_titles.values() for t in local}
    people: dict[str, list[ActorEntry]] = defaultdict(list)
    for actor in table.actors:
        if actor.kind in (ActorKind.OFFICIAL, ActorKind.PERSON):
            for name in dict.fromkeys(name_key(n) for n in (actor.name, *actor.aliases)):
                people[name].append(actor)
    return Vocabulary(
        state_words=frozenset(phrase for phrase in state_words if phrase),
        titles=frozenset(tuple(title.split()) for title in titles),
        given_names=frozenset(normalise_title(t) for t in vocab.also_given_names),
        states=frozenset(actor.id for actor in governments),
        people=dict(people),
    )


def split_title(name: str, vocab: Vocabulary) -> tuple[str | None, list[str]]:
    """A name's leading title (after a state word) and the words after it: the person's name.

    `US_PRESIDENT_BARACK_OBAMA` -> ("president", ["barack", "obama"]); no title: (None, words).
    """
    tokens = name_key(name).split()
    for size in sorted({len(phrase) for phrase in vocab.state_words}, reverse=True):
        if tuple(tokens[:size]) in vocab.state_words and len(tokens) > size:
            tokens = tokens[size:]
            break
    for size in sorted({len(phrase) for phrase in vocab.titles}, reverse=True):
        title = tuple(tokens[:size])
        rest = tokens[size:]
        if title in vocab.titles and rest and rest[0] not in NOT_A_NAME:
            text = " ".join(title)
            return (None, name_key(name).split()) if text in vocab.given_names else (text, rest)
    return None, name_key(name).split()


def display_name(entry: Entry, vocab: Vocabulary) -> str:
    """The first untitled name of several words, title-cased; else a titled one less its title."""
    for name in entry.names:
        title, rest = split_title(name, vocab)
        if title is None and len(rest) > 1:
            return title_case(name.strip("_ "))
    for name in entry.names:
        title, rest = split_title(name, vocab)
        raw = words(name)
        for i in range(len(raw)):
            if name_key(" ".join(raw[i:])).split() == rest:
                return title_case("_".join(raw[i:]).strip("_ "))
    return title_case(entry.names[0].strip("_ "))


@dataclass(frozen=True)
class Person:
    """Who an entry is: display name and actor id, for one state."""

    name: str
    actor_id: str


def identify(
    entry: Entry, state: str, vocab: Vocabulary, ids: frozenset[str], cross_state: list[str]
) -> Person:
    """The actor table's official of that name (of that state when several), else a slug.

    A lone match affiliated elsewhere is taken too, and listed in `cross_state` for review.
    """
    keys = {" ".join(rest) for name in entry.names if len(rest := split_title(name, vocab)[1]) > 1}
    matches = {actor.id: actor for key in keys for actor in vocab.people.get(key, [])}
    local = [actor for actor in matches.values() if actor.affiliation == state]
    chosen = local or list(matches.values())
    if len(chosen) == 1:
        if not local:
            cross_state.append(f"{entry.headline} ({state}) -> {chosen[0].id}")
        return Person(chosen[0].name, chosen[0].id)
    name = display_name(entry, vocab)
    actor_id = slug(name)
    return Person(name, f"{actor_id}-{state}" if actor_id in ids else actor_id)


# ------------------------------------------------------------------------ offices


@dataclass(frozen=True)
class Candidate:
    """A code read as a term of one office."""

    code: DatedCode
    state: str
    role: str
    confirmed: bool
    """Named by the comment on its own line."""
    from_section: bool

    @property
    def start(self) -> dt.date:
        assert self.code.start is not None
        return self.code.start

    def until(self, as_of: dt.date) -> dt.date:
        return self.code.end or as_of + dt.timedelta(days=1)


@dataclass
class Report:
    """What the build left out, for the log."""

    unmapped: Counter[str] = field(default_factory=Counter)
    invalid: list[str] = field(default_factory=list)
    contested: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    overlaps: list[str] = field(default_factory=list)
    cross_state: list[str] = field(default_factory=list)


def state_of(country: str, vocab: Vocabulary) -> str | None:
    """The actor id of a CAMEO country code's state, if the actor table has it."""
    if country not in COUNTRIES:
        return None
    state = slug(COUNTRIES[country][0])
    return state if state in vocab.states else None


def entry_candidates(
    entry: Entry, section: Section | None, vocab: Vocabulary, report: Report
) -> dict[str, list[Candidate]]:
    """Role -> the entry's codes read as terms of that office."""
    titles = {title for name in entry.names if (title := split_title(name, vocab)[0])}
    found: dict[str, list[Candidate]] = defaultdict(list)
    for code in entry.codes:
        if code.start is None or not OFFICE_SECTOR.match(code.country + code.sector):
            continue
        state = state_of(code.country, vocab)
        if state is None:
            if titles or section or code.comment in COMMENT_OFFICES:
                report.unmapped[code.country] += 1
            continue
        if code.comment in COMMENT_OFFICES:
            role = COMMENT_OFFICES[code.comment]
            if role is not None and code.sector in ROLE_SECTORS[role]:
                found[role].append(Candidate(code, state, role, True, False))
            continue
        roles: dict[str, bool] = {}
        if section and section.country == code.country and code.sector in _sectors(section.role):
            roles[section.role] = True
        for title in titles:
            for role in roles_of_title(title, state):
                if code.sector in _sectors(role):
                    roles.setdefault(role, False)
        if len(roles) > 1 and any(roles.values()):
            roles = {role: True for role, from_section in roles.items() if from_section}
        if len(roles) > 1:
            report.contested.append(f"{entry.headline} {code.restriction}: {sorted(roles)}")
            continue
        for role, from_section in roles.items():
            found[role].append(Candidate(code, state, role, False, from_section))
    return found


def _sectors(role: str) -> frozenset[str]:
    return ROLE_SECTORS.get(role, frozenset())


def choose(candidates: list[Candidate], entry: Entry, report: Report) -> list[Candidate]:
    """The codes that stand for one office of one entry.

    Those a comment confirms, if any; else all but the "prior" placeholders (unless nothing
    else is left). Several codes with nothing but a title to go on name no term: the title
    says the person held the office, not which of their codes was it.
    """
    candidates = list({(c.code.start, c.code.end): c for c in candidates}.values())
    confirmed = [c for c in candidates if c.confirmed]
    if confirmed:
        return confirmed
    dated = [c for c in candidates if not c.code.restriction.startswith(PRIOR_START)]
    chosen = dated or candidates
    if len(chosen) > 1 and not any(c.from_section for c in chosen):
        listed = ", ".join(c.code.restriction for c in chosen)
        report.ambiguous.append(f"{entry.headline} ({chosen[0].role}): {listed}")
        return []
    return chosen


def _overlap_days(a: Candidate, b: Candidate, as_of: dt.date) -> int:
    return (min(a.until(as_of), b.until(as_of)) - max(a.start, b.start)).days


def close_open_terms(
    chosen: dict[tuple[int, str], list[Candidate]],
    people: dict[tuple[int, str], Person],
    report: Report,
) -> None:
    """End an open term (`>date`) where another person's term of the same office begins.

    An open code says "in office when this entry was last edited", which for many entries is
    years before the dictionary's last date (Yousaf Raza Gilani, prime minister `>080325`,
    left office in 2012): a successor's start is the better end.
    """
    starts: dict[tuple[str, str], list[tuple[dt.date, str]]] = defaultdict(list)
    for key, terms in chosen.items():
        for term in terms:
            starts[term.state, term.role].append((term.start, people[key].actor_id))
    for key, terms in chosen.items():
        actor_id = people[key].actor_id
        closed = []
        for term in terms:
            later = [
                start
                for start, other in starts[term.state, term.role]
                if other != actor_id and start > term.start
            ]
            if term.code.end is None and later:
                term = replace(term, code=replace(term.code, end=min(later)))
                report.closed.append(f"{people[key].name} ({term.role}): {term.code.end}")
            closed.append(term)
        chosen[key] = closed


def prune(
    chosen: dict[tuple[int, str], list[Candidate]],
    people: dict[tuple[int, str], Person],
    as_of: dt.date,
    report: Report,
) -> None:
    """Drop a multi-term holder's terms that overlap a single-term holder of the same office.

    Repeated until nothing changes; a holder's last term is never dropped.
    """
    changed = True
    while changed:
        changed = False
        settled: dict[tuple[str, str], list[tuple[str, Candidate]]] = defaultdict(list)
        for key, terms in chosen.items():
            if len(terms) == 1:
                settled[terms[0].state, terms[0].role].append((people[key].actor_id, terms[0]))
        for key, terms in chosen.items():
            if len(terms) < 2:
                continue
            actor_id = people[key].actor_id
            keep = [
                term
                for term in terms
                if not any(
                    other != actor_id and _overlap_days(term, single, as_of) > HANDOVER_DAYS
                    for other, single in settled[term.state, term.role]
                )
            ]
            if keep and len(keep) < len(terms):
                dropped = [t.code.restriction for t in terms if t not in keep]
                report.pruned.append(f"{people[key].name} ({terms[0].role}): {dropped}")
                chosen[key] = keep
                changed = True


def merge_spans(terms: Iterable[OfficialTerm]) -> list[OfficialTerm]:
    """One term for a person's overlapping or adjoining terms of the same office."""
    merged: list[OfficialTerm] = []
    for term in sorted(terms, key=lambda t: (t.actor_id, t.state, t.role, t.start)):
        last = merged[-1] if merged else None
        if (
            last is not None
            and (last.actor_id, last.state, last.role) == (term.actor_id, term.state, term.role)
            and (last.end is None or term.start <= last.end)
        ):
            end = None if last.end is None or term.end is None else max(last.end, term.end)
            merged[-1] = last.model_copy(update={"end": end})
        else:
            merged.append(term)
    return merged


def overlapping(terms: Sequence[OfficialTerm], as_of: dt.date) -> list[str]:
    """Pairs of different people holding one office on the same days (beyond a handover)."""
    found = []
    for i, term in enumerate(terms):
        for other in terms[i + 1 :]:
            if (other.state, other.role) != (term.state, term.role):
                break
            until = min(term.end or as_of, other.end or as_of)
            if other.actor_id != term.actor_id and (until - other.start).days > HANDOVER_DAYS:
                found.append(
                    f"{term.state} {term.role}: {term.person} {term.start}..{term.end}"
                    f" / {other.person} {other.start}..{other.end}"
                )
    return found


def dictionary_date(entries: Iterable[Entry]) -> dt.date:
    """The latest date any code of the dictionary gives: the day its knowledge ends."""
    dates = [d for entry in entries for code in entry.codes for d in (code.start, code.end) if d]
    return max(d for d in dates if d <= dt.date.today())


def build_officials(dictionaries: Path, report: Report) -> OfficialsTable:
    path = dictionaries / COUNTRY_ACTORS
    entries = read_entries(path)
    members = section_members(entries, headings(path))
    vocab = vocabulary()
    ids = frozenset(actor.id for actor in actor_table().actors)
    as_of = dictionary_date(entries)
    chosen: dict[tuple[int, str], list[Candidate]] = {}
    people: dict[tuple[int, str], Person] = {}
    for index, entry in enumerate(entries):
        for role, candidates in entry_candidates(entry, members.get(index), vocab, report).items():
            valid = [c for c in candidates if c.code.end is None or c.code.end > c.start]
            report.invalid.extend(
                f"{entry.headline}: {c.code.restriction}" for c in candidates if c not in valid
            )
            terms = choose(valid, entry, report)
            if terms:
                chosen[index, role] = terms
                state = terms[0].state
                people[index, role] = identify(entry, state, vocab, ids, report.cross_state)
        report.invalid.extend(f"{entry.headline}: {text}" for text in entry.invalid)
    close_open_terms(chosen, people, report)
    prune(chosen, people, as_of, report)
    terms = [
        OfficialTerm(
            person=people[key].name,
            actor_id=people[key].actor_id,
            state=term.state,
            role=term.role,
            start=term.start,
            end=term.code.end,
        )
        for key, candidates in chosen.items()
        for term in candidates
    ]
    ordered = sorted(merge_spans(terms), key=lambda t: (t.state, t.role, t.start, t.actor_id))
    report.overlaps.extend(overlapping(ordered, as_of))
    counts = Counter(term.role for term in ordered)
    about = [
        "Terms of office generated by scripts/build_officials.py from the Phoenix countries"
        " dictionary; do not edit. Hand-written terms belong in officials_curated.yaml, which"
        " wins over this file wherever its terms cover a date.",
        f"Source: {SOURCE}.",
        "The dictionary's codes give a sector (GOV, GOVMIL, GOVBUS, SPY), not an office: the"
        " office is read from its section headings, titled name variants and code-line"
        " comments (see the script). An end is the first day out of office; a null end means"
        " in office at as_of, the latest date the dictionary gives.",
        "Terms: " + ", ".join(f"{role} {n}" for role, n in sorted(counts.items())) + ".",
    ]
    return OfficialsTable(about=about, as_of=as_of, terms=ordered)


def render(table: OfficialsTable) -> str:
    """The JSON text of the table, one term a line."""
    lines = [
        json.dumps(term.model_dump(mode="json", exclude_none=True), ensure_ascii=False)
        for term in table.terms
    ]
    return (
        '{"about": '
        + json.dumps(table.about, ensure_ascii=False, indent=1)
        + f',\n"as_of": "{table.as_of.isoformat()}"'
        + ',\n"terms": [\n'
        + ",\n".join(lines)
        + "\n]}\n"
    )


def print_report(report: Report, verbose: bool) -> None:
    sections = (
        (
            "codes of states the actor table lacks",
            [f"{c} x{n}" for c, n in report.unmapped.items()],
        ),
        ("restrictions that are not dates, or end before they start", report.invalid),
        ("codes two titles claim (left out)", report.contested),
        ("several codes, the office from a title alone (left out)", report.ambiguous),
        ("open terms ended at a successor's start", report.closed),
        ("terms dropped for overlapping a single-term holder", report.pruned),
        ("different people holding one office at once (lookups give None)", report.overlaps),
        ("matched to an actor of another state", report.cross_state),
    )
    for heading, items in sections:
        print(f"{heading}: {len(items)}")
        if verbose:
            for item in sorted(items):
                print(f"  {item}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Build loaders/data/officials.json.")
    parser.add_argument(
        "--dictionaries",
        type=Path,
        default=DEFAULT_DICTIONARIES,
        help="folder holding Phoenix.Countries.actors.txt",
    )
    parser.add_argument("--verbose", action="store_true", help="list what was left out")
    args = parser.parse_args()
    report = Report()
    table = build_officials(args.dictionaries, report)
    (DATA_DIR / GENERATED_OFFICIALS).write_text(render(table), "utf-8")
    for role, count in sorted(Counter(term.role for term in table.terms).items()):
        print(f"{role}: {count} terms")
    print_report(report, args.verbose)


if __name__ == "__main__":
    main()
