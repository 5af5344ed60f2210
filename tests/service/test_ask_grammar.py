"""The /ask grammar on its own (no graph): which words of a question become which parts of the
query, and what it says when it cannot read one."""

import datetime as dt

import pytest

from graph_schema.vocabulary import ActorKind, RelationType
from service.ask import ParsedQuestion, QuestionNotUnderstood, parse_question

Q, R, K = ParsedQuestion, RelationType, ActorKind
TODAY = dt.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("question", "parsed"),
    [
        ("who pressures Iraq?", Q((R.PRESSURES,), target="Iraq")),
        ("Who is pressuring the Iraqi government", Q((R.PRESSURES,), target="Iraqi government")),
        ("who does Iran fund?", Q((R.FUNDS,), source="Iran")),
        ("whom did Washington attack?", Q((R.ATTACKS,), source="Washington")),
        ("who killed Soleimani?", Q((R.ATTACKS,), target="Soleimani")),
        ("who held talks with Tehran?",
         Q((R.NEGOTIATES_WITH,), target="Tehran", either_direction=True)),
        # passive voice: the agent acts
        ("Who is pressured by the US?", Q((R.PRESSURES,), source="US")),
        ("which militias were attacked by the United States?",
         Q((R.ATTACKS,), source="United States", target_kind=K.MILITIA)),
        # yes/no
        ("did the US strike Kataib Hezbollah?",
         Q((R.ATTACKS,), source="US", target="Kataib Hezbollah", yes_no=True)),
        ("Was Iraq attacked by Iran?", Q((R.ATTACKS,), source="Iran", target="Iraq", yes_no=True)),
        # "which KIND" on the side asked for
        ("which militias does Iran fund?", Q((R.FUNDS,), source="Iran", target_kind=K.MILITIA)),
        ("Which countries pressured Iraq?",
         Q((R.PRESSURES,), target="Iraq", source_kind=K.GOVERNMENT)),
        ("who funds militias?", Q((R.FUNDS,), target_kind=K.MILITIA)),
        # nouns
        ("Show me all attacks on Iraq", Q((R.ATTACKS,), target="Iraq")),
        ("attacks by Kataib Hezbollah", Q((R.ATTACKS,), source="Kataib Hezbollah")),
        ("Who is putting pressure on Baghdad?", Q((R.PRESSURES,), target="Baghdad")),
        ("talks between the US and Iraq",
         Q((R.NEGOTIATES_WITH,), source="US", target="Iraq", either_direction=True)),
        ("who attacks whom?", Q((R.ATTACKS,))),
        ("who threatened or attacked the US?", Q((R.PRESSURES, R.ATTACKS), target="US")),
        ("Who urged al-Kadhimi to act?", Q((R.PRESSURES,), target="al-Kadhimi")),
        # several actors stay one phrase here; the service splits what is no single name
        ("Who pressures Iraq and Iran?", Q((R.PRESSURES,), target="Iraq and Iran")),
        # every relation, both ways; and connections
        ("what are the relations between Iran and Iraq?",
         Q(tuple(R), source="Iran", target="Iraq", either_direction=True)),
        ("how is Soleimani connected to the Trade Bank of Iraq?",
         Q(paths=True, source="Soleimani", target="Trade Bank of Iraq")),
        ("How are Iran and Kataib Hezbollah connected?",
         Q(paths=True, source="Iran", target="Kataib Hezbollah")),
        ("what is the connection between Iran and Hezbollah?",
         Q(paths=True, source="Iran", target="Hezbollah")),
    ],
)  # fmt: skip
def test_questions_become_queries(question: str, parsed: ParsedQuestion):
    assert parse_question(question, today=TODAY) == parsed


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("who attacked Iraq in 1987?", dt.date(1987, 1, 1), dt.date(1987, 12, 31)),
        ("who pressures Iraq since 2021?", dt.date(2021, 1, 1), None),
        ("who met Kadhimi in March 2020", dt.date(2020, 3, 1), dt.date(2020, 3, 31)),
        ("who funded Iraq before 2020?", None, dt.date(2019, 12, 31)),
        ("who funded Iraq after 2019?", dt.date(2020, 1, 1), None),
        ("who attacked Iraq between 2019 and 2021", dt.date(2019, 1, 1), dt.date(2021, 12, 31)),
        ("who attacked Iraq last year", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ],
)
def test_time_phrases_become_dates_and_leave_the_actor_alone(
    question: str, since: dt.date | None, until: dt.date | None
):
    parsed = parse_question(question, today=TODAY)
    assert (parsed.since, parsed.until) == (since, until)
    assert parsed.target in {"Iraq", "Kadhimi"}


def test_an_attribution_is_set_aside_and_said_so():
    parsed = parse_question("Who pressures Iraq, according to Reuters?")
    assert parsed.target == "Iraq"
    assert parsed.notes == ("'according to Reuters' set aside: /ask does not filter by source",)


def test_a_misspelt_verb_is_read_as_the_closest_and_said_so():
    parsed = parse_question("who presures Iraq?")
    assert parsed.types == (R.PRESSURES,)
    assert parsed.notes == ("'presures' read as 'pressures'",)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("what is the weather?", "names a relation"),
        ("who likes Iran?", "names a relation"),
        ("attacks", "no actor"),
    ],
)
def test_what_cannot_be_read_is_named_with_close_forms(question: str, says: str):
    with pytest.raises(QuestionNotUnderstood) as raised:
        parse_question(question)
    assert says in str(raised.value)
    assert raised.value.close
