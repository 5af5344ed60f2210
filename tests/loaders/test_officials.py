"""Officials' terms of office and the titles that name them: the data files and the lookup."""

import datetime as dt
import json
from importlib import resources
from pathlib import Path

import pytest

from graph_schema.names import name_key
from graph_schema.vocabulary import ActorKind
from loaders.lexicon import actor_table
from loaders.officials import (
    CuratedOfficials,
    OfficialsTable,
    OfficialTerm,
    curated_officials,
    generated_officials,
    merge_officials,
    official_terms,
    role_holder,
    role_titles,
    roles_of_title,
)
from loaders.resolve import slug
from scripts.build_officials import (
    Report,
    build_officials,
    petrarch_date,
    read_entries,
    render,
    split_title,
    vocabulary,
)
from tests.conftest import SHARED

DICTIONARIES = SHARED / "dictionaries"
DATA = Path(str(resources.files("loaders").joinpath("data")))


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def holder(title: str, state: str, on: str) -> str | None:
    term = role_holder(title, state, day(on))
    return term.actor_id if term else None


# ------------------------------------------------------------------------ the data files


def test_the_generated_table_validates_and_names_its_source():
    table = generated_officials()
    about = " ".join(table.about)
    assert "Phoenix.Countries.actors.txt" in about
    assert "MIT License" in about
    assert "Open Event Data Alliance" in about
    assert len(table.terms) > 100
    assert table.as_of == day("2015-02-17")
    assert (DATA / "officials.json").stat().st_size < 200_000
    keys = [(t.state, t.role, t.start, t.actor_id) for t in table.terms]
    assert keys == sorted(keys)


def test_the_curated_table_validates():
    curated = curated_officials()
    assert curated.terms
    assert all(term.end is None or term.end <= dt.date(2025, 1, 20) for term in curated.terms)


def test_every_term_names_a_known_role_and_a_state_of_the_actor_table():
    roles = role_titles().roles.keys()
    states = {a.id for a in actor_table().actors if a.kind is ActorKind.GOVERNMENT}
    for term in (*generated_officials().terms, *curated_officials().terms):
        assert term.role in roles, term
        assert term.state in states, term


def test_actor_ids_are_the_actor_tables_where_it_knows_the_person():
    officials: dict[str, set[str]] = {}
    ids = set()
    for actor in actor_table().actors:
        ids.add(actor.id)
        if actor.kind is ActorKind.OFFICIAL:
            for name in (actor.name, *actor.aliases):
                officials.setdefault(name_key(name), set()).add(actor.id)
    for term in (*generated_officials().terms, *curated_officials().terms):
        assert term.actor_id in ids or term.actor_id.startswith(slug(term.person)), term
    for term in curated_officials().terms:
        known = officials.get(name_key(term.person))
        assert not known or term.actor_id in known, (term.person, known)


def test_curated_terms_of_one_office_may_not_overlap():
    terms = [
        {"person": "A", "actor_id": "a", "state": "iraq", "role": "head_of_state",
         "start": "2000-01-01", "end": "2002-01-01"},
        {"person": "B", "actor_id": "b", "state": "iraq", "role": "head_of_state",
         "start": "2001-06-01"},
    ]  # fmt: skip
    with pytest.raises(ValueError, match="overlap"):
        CuratedOfficials.model_validate({"as_of": "2024-01-01", "terms": terms})


def test_a_term_may_not_end_before_it_starts():
    with pytest.raises(ValueError, match="before it starts"):
        OfficialTerm(
            person="A", actor_id="a", state="iraq", role="head_of_state",
            start=day("2001-01-01"), end=day("2000-01-01"),
        )  # fmt: skip


def test_the_title_file_validates_and_every_role_has_titles():
    titles = role_titles()
    states = {a.id for a in actor_table().actors if a.kind is ActorKind.GOVERNMENT}
    assert {"head_of_state", "head_of_government", "foreign_minister"} <= titles.roles.keys()
    assert all(entry.titles for entry in titles.roles.values())
    assert set(titles.state_titles) <= states
    assert {example.state for example in titles.examples} <= states


@pytest.mark.parametrize("example", role_titles().examples, ids=lambda e: e.text)
def test_every_example_of_the_title_file_holds(example):
    term = role_holder(example.title, example.state, example.date)
    assert (term.actor_id if term else None) == example.holder


# ------------------------------------------------------------------------ the lookup


def test_a_holder_answers_within_the_term_and_not_outside_it():
    assert holder("prime minister", "iraq", "2020-05-06") == "adel-abdul-mahdi"
    assert holder("prime minister", "iraq", "2020-05-07") == "mustafa-al-kadhimi"
    assert holder("prime minister", "iraq", "2022-10-26") == "mustafa-al-kadhimi"
    assert holder("prime minister", "iraq", "2022-10-27") == "mohammed-shia-al-sudani"
    assert holder("president", "iraq", "2003-04-08") == "saddam-hussein"
    assert holder("president", "iraq", "2003-04-09") is None  # no one until June 2004


def test_generated_terms_answer_where_no_curated_term_does():
    assert holder("prime minister", "united-kingdom", "1975-01-01") == "harold-wilson"
    assert holder("prime minister", "united-kingdom", "1979-05-03") == "james-callaghan"
    assert holder("prime minister", "united-kingdom", "1979-05-04") == "margaret-thatcher"
    assert holder("secretary of defense", "united-states", "1962-01-01") == "robert-s-mcnamara"
    kissinger = holder("national security adviser", "united-states", "1970-01-01")
    assert kissinger == "henry-kissinger"
    assert holder("the Prime Minister", "pakistan", "1989-06-01") == "benazir-bhutto"


def test_curated_terms_win_over_generated_ones():
    # Phoenix ends Gordon Brown's premiership on 2010-07-11 and starts Cameron's on 2010-05-01.
    assert holder("prime minister", "united-kingdom", "2010-06-01") == "david-cameron"
    # Its open term for Obama would run to 2015; the curated one ends in 2017.
    assert holder("president", "united-states", "2018-01-01") == "donald-trump"
    # Excluded: Phoenix codes Nicolas Maduro's years as foreign minister as a presidency.
    assert holder("president", "venezuela", "2010-01-01") is None


def test_open_terms_are_vouched_for_only_up_to_their_files_date():
    assert holder("chancellor", "germany", "2015-02-17") == "angela-merkel"
    assert holder("chancellor", "germany", "2016-01-01") is None
    as_of = curated_officials().as_of
    assert role_holder("supreme leader", "iran", as_of) is not None
    assert role_holder("supreme leader", "iran", as_of + dt.timedelta(days=1)) is None


def test_two_holders_on_one_day_give_none():
    # Hu Jintao's presidency and Xi Jinping's open term from his party office overlap.
    assert holder("president", "china", "2013-01-01") is None
    assert holder("president", "china", "2012-01-01") == "hu-jintao"


def test_unknown_titles_and_states_give_none():
    assert holder("grand vizier", "iraq", "2021-01-01") is None
    assert holder("prime minister", "atlantis", "2021-01-01") is None
    assert holder("prime minister", "united-states", "2021-01-01") is None
    # The state's adjective is not part of the title: the caller resolves it to the state.
    assert holder("Iraqi prime minister", "iraq", "2021-01-01") is None


def test_titles_are_matched_without_case_article_or_punctuation():
    assert roles_of_title("The Prime Minister") == ["head_of_government"]
    assert roles_of_title("the U.N. Ambassador") == ["un_ambassador"]
    assert roles_of_title("Vice-President") == ["vice_president"]
    assert roles_of_title("grand vizier") == []


def test_a_state_can_use_a_title_for_another_office():
    assert roles_of_title("chancellor") == ["head_of_government"]
    assert roles_of_title("chancellor", "united-kingdom") == ["finance_minister"]
    assert roles_of_title("chancellor", "germany") == ["head_of_government"]
    assert roles_of_title("secretary of state", "united-states") == ["foreign_minister"]
    assert roles_of_title("secretary of state", "united-kingdom") == []
    assert holder("secretary of state", "united-kingdom", "2005-01-01") is None
    assert holder("foreign secretary", "united-kingdom", "2005-01-01") == "jack-straw"


def test_official_terms_lists_an_office_in_order():
    terms = official_terms("iraq", "head_of_government")
    starts = [held.term.start for held in terms]
    assert starts == sorted(starts)
    assert {"nouri-al-maliki", "mustafa-al-kadhimi"} <= {held.term.actor_id for held in terms}
    assert all(held.term.end is None or held.until == held.term.end for held in terms)


def test_a_datetime_is_read_as_its_day():
    term = role_holder("prime minister", "iraq", dt.datetime(2021, 4, 7, 12, 30))
    assert term is not None
    assert term.actor_id == "mustafa-al-kadhimi"


def test_merging_cuts_generated_terms_where_curated_ones_cover_and_drops_excluded_ones():
    generated = OfficialsTable.model_validate({
        "as_of": "2015-01-01",
        "terms": [
            {"person": "Old", "actor_id": "old", "state": "iraq", "role": "head_of_state",
             "start": "2000-01-01"},
            {"person": "Wrong", "actor_id": "wrong", "state": "iraq", "role": "oil_minister",
             "start": "2000-01-01"},
        ],
    })  # fmt: skip
    curated = CuratedOfficials.model_validate({
        "as_of": "2024-01-01",
        "terms": [
            {"person": "New", "actor_id": "new", "state": "iraq", "role": "head_of_state",
             "start": "2005-01-01", "end": "2010-01-01"},
        ],
        "exclude": [{"actor_id": "wrong", "state": "iraq", "role": "oil_minister",
                     "reason": "test"}],
    })  # fmt: skip
    spans = sorted(
        (held.term.actor_id, held.term.start, held.term.end, held.until)
        for held in merge_officials(generated, curated)
    )
    assert spans == [
        ("new", day("2005-01-01"), day("2010-01-01"), day("2010-01-01")),
        ("old", day("2000-01-01"), day("2005-01-01"), day("2005-01-01")),
        ("old", day("2010-01-01"), None, day("2015-01-02")),
    ]


# ------------------------------------------------------------------------ the build


def test_petrarch_dates():
    assert petrarch_date("790716") == day("1979-07-16")
    assert petrarch_date("030409") == day("2003-04-09")
    assert petrarch_date("20140908") == day("2014-09-08")
    assert petrarch_date("201005011") == day("2010-05-01")  # PETRARCH reads eight digits
    assert petrarch_date("19820101") == day("1982-01-01")
    assert petrarch_date("820631") is None
    assert petrarch_date("1982") is None


def test_titles_are_read_from_name_variants_after_a_state_word():
    vocab = vocabulary()
    assert split_title("PRIME_MINISTER_MALIKI", vocab) == ("prime minister", ["maliki"])
    assert split_title("US_PRESIDENT_BARACK_OBAMA", vocab) == ("president", ["barack", "obama"])
    assert split_title("PRESIDENT-ELECT_OBAMA", vocab)[0] is None
    assert split_title("FORMER_PRESIDENT_GERALD_R._FORD", vocab)[0] is None
    assert split_title("AMIR_PERETZ", vocab)[0] is None  # a given name, not the title
    assert split_title("PRESIDENT_OF_THE_UNITED_STATES", vocab)[0] is None


def test_entries_are_read_with_their_dates_and_code_comments(tmp_path: Path):
    dictionary = tmp_path / "Phoenix.Countries.actors.txt"
    dictionary.write_text(
        "IRAN_  [IRN]\n"
        "+IRANIAN_\n"
        "HOJATOLISLAM_SAYYED_ALI_KHAMENEI_  # CountryInfo.txt\n"
        "\t[IRNGOV 811013-890803]\n"
        "\t[IRNGOV >19890604] # Supreme Leader\n"
        "\t[IRNELI]\n",
        "utf-8",
    )
    iran, khamenei = read_entries(dictionary)
    assert iran.names == ["IRAN_", "IRANIAN_"]
    first, second = khamenei.codes[:2]
    assert (first.country, first.sector, first.start, first.end) == (
        "IRN", "GOV", day("1981-10-13"), day("1989-08-03"),
    )  # fmt: skip
    assert (second.start, second.end, second.comment) == (day("1989-06-04"), None, "supreme leader")


@pytest.mark.skipif(not DICTIONARIES.is_dir(), reason="the Phoenix dictionaries are not here")
def test_the_shipped_table_is_what_the_build_makes():
    built = render(build_officials(DICTIONARIES, Report()))
    shipped = (DATA / "officials.json").read_text("utf-8")
    assert json.loads(built) == json.loads(shipped), "run: python -m scripts.build_officials"
