"""Relation patterns, read as specifications: each family on short sentences, with the real model.

The sentences are written for these tests, not taken from the seeds, so that they check the
pattern and not a memorised answer.
"""

import pytest

from graph_schema.models import Claim
from graph_schema.vocabulary import Modality, Polarity
from loaders.pipeline import Extractor
from loaders.read import article_from_text


@pytest.fixture(scope="module")
def extractor(extractor: Extractor) -> Extractor:
    """The hand-written patterns alone: these tests specify them, not the trained model."""
    return Extractor(nlp=extractor.nlp, model=None)


def claims(extractor: Extractor, text: str) -> list[Claim]:
    (extracted,) = extractor.extract([article_from_text("t", "Headline\n" + text)])
    return extracted.claims


def asserted(extractor: Extractor, text: str) -> set[tuple[str, str, str]]:
    return {
        (c.source.name, c.type.value, c.target.name)
        for c in claims(extractor, text)
        if c.is_asserted
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # verb with subject and object
        ("Washington killed Abu Mahdi al-Muhandis in January.",
         ("United States", "ATTACKS", "Abu Mahdi al-Muhandis")),
        ("Iran is pressuring Iraq to expel the foreign troops.",
         ("Iran", "PRESSURES", "Iraq")),
        # verb with a prepositional target
        ("The Iraqi government negotiated with Washington for months.",
         ("Iraq", "NEGOTIATES_WITH", "United States")),
        # passive with a by-agent
        ("Kataib Hezbollah was attacked by the United States on Sunday.",
         ("United States", "ATTACKS", "Kataib Hezbollah")),
        # a passive request with the infinitive that makes it a demand
        ("On Sunday Iraq was told by Washington to expel the militias.",
         ("United States", "PRESSURES", "Iraq")),
        # an object that counts only with an infinitive after it
        ("Baghdad asked Washington to withdraw its troops.",
         ("Iraq", "PRESSURES", "United States")),
        # nominal trigger with a compound source and a prepositional target
        ("The US air strikes against Kataib Hezbollah angered Baghdad.",
         ("United States", "ATTACKS", "Kataib Hezbollah")),
        # nominal trigger whose source is the subject of a light verb
        ("The Trump administration is exerting pressure on Tehran.",
         ("United States", "PRESSURES", "Iran")),
        # hyphenated compound: X-backed Y
        ("The Iran-backed Kataib Hezbollah denied the report.",
         ("Iran", "FUNDS", "Kataib Hezbollah")),
        # apposition carries the object to the name
        ("The US assassinated Iran's top general, Qassem Soleimani.",
         ("United States", "ATTACKS", "Qassem Soleimani")),
        # a noun that stands for its state
        ("Iranian missiles struck American troops in Iraq.",
         ("Iran", "ATTACKS", "United States")),
        # a demand whose clause names who must act
        ("Washington is demanding that Baghdad disband the militias.",
         ("United States", "PRESSURES", "Iraq")),
        # a relation inside attributed speech keeps its actors
        ("Two officials said Iran had threatened Kuwait.",
         ("Iran", "PRESSURES", "Kuwait")),
        # what an attack hits stands for its owner
        ("Syrian jets bombed a Turkish oil refinery near the border.",
         ("Syria", "ATTACKS", "Turkey")),
        # funding as a flow of money or weapons
        ("Jordan sold missiles to Syria last year.", ("Jordan", "FUNDS", "Syria")),
        ("Last year Jordan supplied Syria with rockets and ammunition.",
         ("Jordan", "FUNDS", "Syria")),
        ("Russian arms shipments to Syria grew.", ("Russia", "FUNDS", "Syria")),
        ("Russia has long been the main arms supplier to Syria.", ("Russia", "FUNDS", "Syria")),
        ("Cairo must halt the flow of dollars to Tripoli.", ("Egypt", "FUNDS", "Libya")),
        # talks between two sides, also at the start of a sentence
        ("Negotiations between Egypt and Sudan resumed.", ("Egypt", "NEGOTIATES_WITH", "Sudan")),
        ("Negotiations between Egypt and Sudan resumed.", ("Sudan", "NEGOTIATES_WITH", "Egypt")),
        # an "it" opening a sentence is the state the sentence before had as its subject
        ("Syria stayed neutral. It has also asked Jordan to close the border.",
         ("Syria", "PRESSURES", "Jordan")),
        # two coordinated verbs share the object written after the second
        ("Israeli warships attacked and sank an Egyptian tanker.",
         ("Israel", "ATTACKS", "Egypt")),
        # sides that talk with no partner named talk with each other, each way
        ("On Monday Egypt and Sudan negotiated for three days.",
         ("Egypt", "NEGOTIATES_WITH", "Sudan")),
        ("On Monday Egypt and Sudan negotiated for three days.",
         ("Sudan", "NEGOTIATES_WITH", "Egypt")),
        ("Last week Egypt and Sudan agreed to resume talks.",
         ("Egypt", "NEGOTIATES_WITH", "Sudan")),
        # an "it" in a clause a state reports is that state
        ("On Monday Egypt announced that it has opened talks with Sudan.",
         ("Egypt", "NEGOTIATES_WITH", "Sudan")),
        # the maker of weapons sold stands for the seller
        ("The sale of Russian missiles to Syria angered Israel.", ("Russia", "FUNDS", "Syria")),
        # wire copy's capital after a state ("U.S. Arms") is not an organisation's name
        ("The secret U.S. Arms sale to Syria angered Israel.",
         ("United States", "FUNDS", "Syria")),
        # whoever faces, comes under or gives in to pressure is its target
        ("On Monday Iraq faced mounting US pressure.", ("United States", "PRESSURES", "Iraq")),
        ("Last year Baghdad came under pressure from Washington.",
         ("United States", "PRESSURES", "Iraq")),
        ("Last year Egypt gave in to Saudi pressure.", ("Saudi Arabia", "PRESSURES", "Egypt")),
        # aid said to matter to someone goes to them
        ("Saudi aid is crucial to Egypt.", ("Saudi Arabia", "FUNDS", "Egypt")),
        # whoever speaks or acts for an actor stands for it
        ("On Monday a spokesman for Kataib Hezbollah threatened the United States.",
         ("Kataib Hezbollah", "PRESSURES", "United States")),
        ("On Tuesday Israel's envoy met the representative of Syria in Geneva.",
         ("Israel", "NEGOTIATES_WITH", "Syria")),
        ("On Monday Egypt held talks with Syrian ministers.",
         ("Egypt", "NEGOTIATES_WITH", "Syria")),
        # an "its" on the subject of a clause a state reports is that state
        ("On Monday Egypt said its warplanes attacked a Libyan oil platform.",
         ("Egypt", "ATTACKS", "Libya")),
        # military units stand for their owner
        ("On Monday two Syrian brigades attacked Israeli positions.",
         ("Syria", "ATTACKS", "Israel")),
        # a group called by its name is that name
        ("A group called Saraya Awliya al-Dam claimed responsibility for the rocket attack on "
         "the US base.", ("Saraya Awliya al-Dam", "ATTACKS", "United States")),
        # "the group" is the militia named just before
        ("Kataib Hezbollah denied the report. On Monday the group fired rockets at the US "
         "embassy.", ("Kataib Hezbollah", "ATTACKS", "United States")),
        # designating an actor a terrorist organisation is a sanction
        ("On Tuesday the US designated Asaib Ahl al-Haq a foreign terrorist organization.",
         ("United States", "PRESSURES", "Asaib Ahl al-Haq")),
        ("In 2009 Kataib Hezbollah was designated a terrorist group by Washington.",
         ("United States", "PRESSURES", "Kataib Hezbollah")),
        # a partner the parser hangs on the object of a verb of talks
        ("On Monday Egypt discussed the plan with Sudan during the summit.",
         ("Egypt", "NEGOTIATES_WITH", "Sudan")),
        # a warning of what would happen is a threat
        ("On Monday Egypt warned Syria that an attack would meet a strong response.",
         ("Egypt", "PRESSURES", "Syria")),
        # a plural demonym is its people, standing for the state
        ("On Monday Chadian troops killed 300 Libyans near the border.",
         ("Chad", "ATTACKS", "Libya")),
        # a collective demonym as a noun is the state too
        ("On Monday the British negotiated with Iran over the ship.",
         ("United Kingdom", "NEGOTIATES_WITH", "Iran")),
        # destroying an actor's asset attacks the actor
        ("On Monday the US navy ordered the destruction of an Egyptian oil platform.",
         ("United States", "ATTACKS", "Egypt")),
        # a bare "the government" is the state of the official named before it
        ("On Monday Foreign Secretary Jack Straw spoke in London. Later the group Amnesty "
         "International urged the government to close the camp.",
         ("Amnesty International", "PRESSURES", "United Kingdom")),
    ],
)  # fmt: skip
def test_each_pattern_family_finds_its_relation(
    extractor: Extractor, text: str, expected: tuple[str, str, str]
):
    assert expected in asserted(extractor, text)


def test_coordination_on_either_side_gives_every_pair(extractor: Extractor):
    found = asserted(extractor, "The United States and Britain sanctioned Iran and Syria.")
    assert {
        ("United States", "PRESSURES", "Iran"),
        ("United States", "PRESSURES", "Syria"),
        ("United Kingdom", "PRESSURES", "Iran"),
        ("United Kingdom", "PRESSURES", "Syria"),
    } <= found


def test_he_is_read_as_the_person_named_just_before(extractor: Extractor):
    text = "Mustafa al-Kadhimi arrived on Monday. He negotiated with Tehran all week."
    assert ("Mustafa al-Kadhimi", "NEGOTIATES_WITH", "Iran") in asserted(extractor, text)


def test_the_militia_is_read_as_the_militia_named_just_before(extractor: Extractor):
    text = "Kataib Hezbollah fired rockets at the base. On Sunday Iran funded the militia."
    assert ("Iran", "FUNDS", "Kataib Hezbollah") in asserted(extractor, text)


def test_the_group_is_no_actor_when_no_militia_was_named_before(extractor: Extractor):
    text = "Egypt sold the firm to the Acme Group. On Monday the group attacked Syria."
    assert not any(relation == "ATTACKS" for _, relation, _ in asserted(extractor, text))


def test_a_militia_described_further_is_not_read_as_the_one_named_before(extractor: Extractor):
    text = "Kataib Hezbollah fired rockets at the base. On Sunday Iran funded the Sunni militia."
    assert ("Iran", "FUNDS", "Kataib Hezbollah") not in asserted(extractor, text)


@pytest.mark.parametrize(
    ("text", "polarity", "modality"),
    [
        ("Iran did not attack the United States.", Polarity.NEGATED, Modality.FACTUAL),
        ("Iran denied attacking the United States.", Polarity.NEGATED, Modality.FACTUAL),
        ("Iran could attack the United States.", Polarity.ASSERTED, Modality.HYPOTHETICAL),
        ("If Iran attacks the United States, oil prices will rise.",
         Polarity.ASSERTED, Modality.HYPOTHETICAL),
        ("Iran wants to attack the United States.", Polarity.ASSERTED, Modality.HYPOTHETICAL),
        ("No sanctions on Iraq have been announced by Washington.",
         Polarity.NEGATED, Modality.FACTUAL),
        ("The Syrian army refused to attack Israel.", Polarity.NEGATED, Modality.FACTUAL),
        # a report that is denied is denied, even of an action said to go on
        ("Egypt denied a report that Washington was continuing to arm Libya.",
         Polarity.NEGATED, Modality.FACTUAL),
        ("The US has not designated Kataib Hezbollah a terrorist group.",
         Polarity.NEGATED, Modality.FACTUAL),
        # "any" names no event that took place
        ("Syria threatened reprisals for any Israeli strike on Syria.",
         Polarity.ASSERTED, Modality.HYPOTHETICAL),
    ],
)  # fmt: skip
def test_negated_and_hypothetical_statements_are_kept_as_claims_but_not_asserted(
    extractor: Extractor, text: str, polarity: Polarity, modality: Modality
):
    found = claims(extractor, text)
    assert found, "the claim is kept, marked"
    assert all((c.polarity, c.modality) == (polarity, modality) for c in found)
    assert not any(c.is_asserted for c in found)


@pytest.mark.parametrize(
    "text",
    [
        # goods that are not money or weapons are trade
        "Jordan sold oil to Syria last year.",
        "Last year Norway agreed to supply Egypt with natural gas.",
        "Last year Norway supplied natural gas to Egypt.",
        "Egypt sent troops to Sudan.",
        # a business sold is no arms sale
        "On Monday Jordan sold its insurance arm to Egypt.",
        # whoever bans or judges a flow of arms does not send it
        "Egypt banned arms sales to Libya.",
        # an "it" that does not open its sentence, or whose sentence before has no actor
        # as subject, is left unread
        "The talks ended. It has asked Jordan to close the border.",
    ],
)
def test_what_is_not_funding_or_has_no_clear_source(extractor: Extractor, text: str):
    found = asserted(extractor, text)
    assert not any(relation in ("FUNDS", "PRESSURES") for _, relation, _ in found)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # "meet" with an object that is no actor is no meeting
        ("On Monday Egypt and Sudan met the deadline.", ("Egypt", "NEGOTIATES_WITH", "Sudan")),
        # coordinated sides with a partner named talk with the partner, not with each other
        ("On Monday Egypt and Sudan held talks with Libya.",
         ("Egypt", "NEGOTIATES_WITH", "Sudan")),
        # talks between three sides, one of them unnamed, are not talks of the two named
        ("Talks between Egypt, Sudan and the Prime Minister resumed.",
         ("Egypt", "NEGOTIATES_WITH", "Sudan")),
        # whoever judges pressure does not undergo it
        ("Last year Egypt criticised Saudi pressure.", ("Saudi Arabia", "PRESSURES", "Egypt")),
        # whoever complains about aid does not give it
        ("Egypt filed a complaint over Saudi aid to Sudan.", ("Egypt", "FUNDS", "Sudan")),
        # dollars are anyone's: their country does not send them
        ("Officials discussed the flow of Egyptian dollars to Syria.",
         ("Egypt", "FUNDS", "Syria")),
        # sides met by someone else talk with that one, not with each other
        ("On Monday Tony Blair met Egypt and Sudan to talk about trade.",
         ("Egypt", "NEGOTIATES_WITH", "Sudan")),
        # a "talks" two coordinated sides cannot take as a verb is a noun
        ("Egypt and Sudan in WTO talks", ("Egypt", "NEGOTIATES_WITH", "Sudan")),
        # other designations are no sanction
        ("On Monday Iran designated Ali Shamkhani its chief negotiator.",
         ("Iran", "PRESSURES", "Ali Shamkhani")),
        # an "its" a person reports is not that person's
        ("On Monday Mr Smith said its forces attacked Israel.", ("Smith", "ATTACKS", "Israel")),
        # an "it" a person reports is not that person
        ("On Monday Mr Smith said that it has opened talks with Sudan.",
         ("Smith", "NEGOTIATES_WITH", "Sudan")),
        # one individual attacking another attacks with words
        ("Mike Pompeo attacked Javad Zarif in a speech on Monday.",
         ("Mike Pompeo", "ATTACKS", "Javad Zarif")),
        ("Donald Trump attacked Joe Biden for his record on trade.",
         ("Donald Trump", "ATTACKS", "Joe Biden")),
        # two private persons who meet are not negotiating
        ("John Smith met his neighbour Mary Jones at the market.",
         ("John Smith", "NEGOTIATES_WITH", "Mary Jones")),
        # told by someone that something is so: a statement, not a demand
        ("On Sunday Javad Zarif said he had been told by Mike Pompeo there was no time left.",
         ("Mike Pompeo", "PRESSURES", "Javad Zarif")),
        # a minister "for" a place has a brief there, not a principal
        ("On Monday Syria held talks with the minister for the EU.",
         ("Syria", "NEGOTIATES_WITH", "European Union")),
        # a "with" that belongs to a relational noun names a topic, not a partner
        ("On Monday Egypt discussed the water dispute with Sudan during the summit.",
         ("Egypt", "NEGOTIATES_WITH", "Sudan")),
        # a warning of what could happen is advice, not pressure
        ("On Monday Egypt warned Syria that the plan could fail.", ("Egypt", "PRESSURES", "Syria")),
        # a singular demonym as a noun is one person, not the state
        ("On Monday the Chilean will meet Egypt's foreign minister in Cairo.",
         ("Chile", "NEGOTIATES_WITH", "Egypt")),
        ("On Tuesday the Iranian met Iraqi officials in Baghdad.",
         ("Iran", "NEGOTIATES_WITH", "Iraq")),
        # destroying weapons is disarmament, not an attack on their owner
        ("On Monday the United Nations ordered the destruction of Syria's "
         "chemical weapons.", ("United Nations", "ATTACKS", "Syria")),
        # asking for help is an appeal, not a demand
        ("On Monday the Kuwaitis asked Britain to lease tankers to them.",
         ("Kuwait", "PRESSURES", "United Kingdom")),
        # "the government" with no official named before it is nobody's
        ("On Monday the group Amnesty International urged the government to close the camp.",
         ("Amnesty International", "PRESSURES", "United Kingdom")),
        # an individual attacking anyone over something attacks with words
        ("On Monday Foreign Secretary Jack Straw spoke in London. Later the businessman "
         "Duncan Bannatyne attacked the government over its record on Iraq.",
         ("Duncan Bannatyne", "ATTACKS", "United Kingdom")),
        # a clause before the demanding verb is not what it demands
        ("Qatar and Oman want the fund to be frozen - the European Commission has urged an "
         "increase to 2%.", ("European Union", "PRESSURES", "Oman")),
    ],
)  # fmt: skip
def test_what_the_wider_patterns_leave_alone(
    extractor: Extractor, text: str, absent: tuple[str, str, str]
):
    assert absent not in asserted(extractor, text)


def test_the_object_of_a_request_does_what_is_asked(extractor: Extractor):
    found = asserted(extractor, "Egypt urged Jordan to stop attacking Syria.")
    assert ("Jordan", "ATTACKS", "Syria") in found
    assert ("Egypt", "ATTACKS", "Syria") not in found


def test_a_name_only_in_an_all_capitals_headline_is_no_actor(extractor: Extractor):
    text = "TALKS LINK SMITHERS TO EGYPT\n\nThe ministry said Smithers met Egypt's envoy."
    (extracted,) = extractor.extract([article_from_text("t", text)])
    assert "LINK SMITHERS" not in {actor.name for actor in extracted.actors}


def test_a_named_asset_is_not_an_actor(extractor: Extractor):
    text = "The frigates Walker and Dunmore shelled a Syrian radar site on Tuesday."
    assert asserted(extractor, text) == set()


def test_a_denial_does_not_reach_the_verb_coordinated_with_it(extractor: Extractor):
    text = "Syria denied the reports and warned Israel against any incursion."
    assert ("Syria", "PRESSURES", "Israel") in asserted(extractor, text)


def test_an_all_capitals_headline_is_read_in_its_bodys_case_and_shown_as_written(
    extractor: Extractor,
):
    (extracted,) = extractor.extract(
        [article_from_text("t", "EGYPT SAYS ISRAEL ATTACKED SYRIA\n\nPrices rose on Monday.")]
    )
    claims = {(c.source.name, c.type.value, c.target.name): c for c in extracted.claims}
    assert ("Israel", "ATTACKS", "Syria") in claims
    assert claims["Israel", "ATTACKS", "Syria"].evidence.sentence == (
        "EGYPT SAYS ISRAEL ATTACKED SYRIA"
    )


def test_a_hard_wrapped_wire_story_is_read_across_its_line_breaks(extractor: Extractor):
    body = (
        "DAMASCUS, May 3 - Officials in the capital said on Monday that\n"
        "Israeli aircraft bombed a Syrian radar site\n"
        "during the night in the second such raid this month.\n"
        "    The statement gave no figure for casualties and said\n"
        "the army was still assessing the damage to the site.\n"
        "    Diplomats said the raid was likely to raise tension\n"
        "along the border in the coming weeks.\n"
    )
    (extracted,) = extractor.extract([article_from_text("t", "SYRIA SAYS RADAR HIT\n\n" + body)])
    (claim,) = [c for c in extracted.claims if c.is_asserted]
    assert (claim.source.name, claim.type.value, claim.target.name) == (
        "Israel",
        "ATTACKS",
        "Syria",
    )
    assert claim.evidence.sentence.startswith("Officials in the capital")


@pytest.mark.parametrize(
    "text",
    [
        # whoever backs, condemns or studies an attack is not its author
        "Jordanian MPs backed the invasion of Iraq.",
        "Egypt condemned the attack on Iraq.",
        # a warning about what others would do names no one pressured
        "Iran warned that Iraqi members would not forgive the United States.",
    ],
)
def test_judging_or_foreseeing_an_action_is_not_doing_it(extractor: Extractor, text: str):
    assert asserted(extractor, text) == set()


def test_stopping_an_action_presupposes_it(extractor: Extractor):
    text = (
        "Mediators told Asaib Ahl al-Haq's commanders that they should stop attacking "
        "Turkish troops."
    )
    assert ("Asaib Ahl al-Haq", "ATTACKS", "Turkey") in asserted(extractor, text)


def test_every_claim_points_at_its_sentence_in_the_article(extractor: Extractor):
    text = (
        "Some context first.\u00a0Washington\u2019s envoy met Iraqi leaders. Iran attacked Israel."
    )
    article = article_from_text("t", "Headline\n" + text)
    (extracted,) = extractor.extract([article])
    claim = next(c for c in extracted.claims if c.target.name == "Israel")
    assert article.text[claim.evidence.start : claim.evidence.end] == "Iran attacked Israel."
    assert claim.evidence.sentence == "Iran attacked Israel."
    assert 0 < claim.confidence <= 1
