"""The /ask grammar on its own: which questions become which queries."""

import pytest

from graph_schema.vocabulary import ActorKind, RelationType
from service.ask import ParsedQuestion, QuestionNotUnderstood, parse_question

Q, R, K = ParsedQuestion, RelationType, ActorKind


@pytest.mark.parametrize(
    ("question", "parsed"),
    [
        ("who pressures Iraq?", Q(R.PRESSURES, target="Iraq")),
        ("Who is pressuring the Iraqi government", Q(R.PRESSURES, target="the Iraqi government")),
        ("who does Iran fund?", Q(R.FUNDS, source="Iran")),
        ("whom did Washington attack?", Q(R.ATTACKS, source="Washington")),
        ("who attacked the United States?", Q(R.ATTACKS, target="the United States")),
        ("who killed Soleimani?", Q(R.ATTACKS, target="Soleimani")),
        ("who funds Kataib Hezbollah?", Q(R.FUNDS, target="Kataib Hezbollah")),
        ("who negotiates with Kataib Hezbollah?", Q(R.NEGOTIATES_WITH, target="Kataib Hezbollah")),
        ("who held talks with Tehran?", Q(R.NEGOTIATES_WITH, target="Tehran")),
        ("how is Soleimani connected to the Trade Bank of Iraq?",
         Q(connect=("Soleimani", "the Trade Bank of Iraq"))),
        ("How are Iran and Kataib Hezbollah connected?", Q(connect=("Iran", "Kataib Hezbollah"))),
        # "which" asks for actors of one kind
        ("which militias does Iran fund?", Q(R.FUNDS, source="Iran", kind=K.MILITIA)),
        ("Which countries pressured Iraq?", Q(R.PRESSURES, target="Iraq", kind=K.GOVERNMENT)),
        ("which banks did Washington sanction?",
         Q(R.PRESSURES, source="Washington", kind=K.BANK)),
    ],
)  # fmt: skip
def test_questions_of_the_documented_forms_become_queries(question: str, parsed: ParsedQuestion):
    assert parse_question(question) == parsed


@pytest.mark.parametrize(
    "question",
    ["what is the weather?", "Iraq", "who?", "who likes Iran?", "which cats does Iran fund?"],
)
def test_other_questions_are_not_understood(question: str):
    with pytest.raises(QuestionNotUnderstood):
        parse_question(question)
