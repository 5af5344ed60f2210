"""Resolving mentions to actors: aliases, titles, spelling variants, merges never to make."""

from graph_schema.models import ArticleActor
from graph_schema.vocabulary import ActorKind
from loaders.annotate import normalise
from loaders.pipeline import Extractor
from loaders.read import article_from_text
from loaders.resolve import resolve, skeleton


def actors(extractor: Extractor, text: str) -> dict[str, ArticleActor]:
    (extracted,) = extractor.extract([article_from_text("t", "Headline\n" + text)])
    return {actor.id: actor for actor in extracted.actors}


def test_capitals_adjectives_and_administrations_stand_for_their_state(extractor: Extractor):
    found = actors(
        extractor,
        "Washington and Tehran traded threats. The Trump administration warned the Iraqi "
        "government. Iranian officials met in Baghdad.",
    )
    assert {"united-states", "iran", "iraq"} <= found.keys()
    assert {"Washington", "Trump administration"} <= set(found["united-states"].mentions)


def test_brussels_acting_is_the_european_union(extractor: Extractor):
    found = actors(extractor, "On Monday Brussels warned London over the trade deal.")
    assert "Brussels" in found["european-union"].mentions
    assert "belgium" not in found


def test_titles_are_stripped_and_a_later_short_form_joins_the_full_name(extractor: Extractor):
    found = actors(
        extractor,
        "US secretary of state Mike Pompeo spoke on Friday. Later, Mr Pompeo said the talks "
        "would go on. Gen Qassem Suliemani was killed; Soleimani had led the Quds Force.",
    )
    assert "Mr Pompeo" in found["mike-pompeo"].mentions or "Pompeo" in found["mike-pompeo"].mentions
    assert len([a for a in found.values() if "Pompeo" in a.name]) == 1
    soleimani = [a for a in found.values() if a.kind is ActorKind.OFFICIAL and "ole" in a.name]
    assert len(soleimani) == 1


def resolved_actors(extractor: Extractor, text: str) -> dict[str, ArticleActor]:
    """Every actor resolution finds, also those no relation involves."""
    return resolve(extractor.nlp(normalise(text))).actors


def test_a_short_form_in_the_headline_joins_the_one_full_name_below_it(extractor: Extractor):
    found = resolved_actors(
        extractor, "Brown attacks Smith on trade\nOn Monday Gordon Brown met Egyptian ministers."
    )
    assert "brown" not in found
    assert "Brown" in found["gordon-brown"].mentions


def test_a_short_form_two_full_names_fit_joins_neither(extractor: Extractor):
    found = resolved_actors(
        extractor, "Brown attacks Smith on trade\nOn Monday Gordon Brown met Mary Brown in Cairo."
    )
    assert "Brown" in found["brown"].mentions
    assert "Brown" not in found["gordon-brown"].mentions + found["mary-brown"].mentions


def test_transliteration_variants_meet_but_near_names_do_not():
    assert skeleton("Soleimani") == skeleton("Suleimani") == skeleton("Suliemani")
    assert skeleton("Hezbollah") == skeleton("Hizbollah")
    assert skeleton("Kadhim") != skeleton("Kadhimi")


def test_abbas_kadhim_is_not_mustafa_al_kadhimi(extractor: Extractor):
    found = actors(
        extractor,
        "Mustafa al-Kadhimi visited Washington. Abbas Kadhim, an analyst, said Mr Kadhim "
        "doubted it. Al-Kadhimi left on Friday.",
    )
    kadhimi = found["mustafa-al-kadhimi"]
    assert not any("Abbas" in m or m == "Mr Kadhim" or m == "Kadhim" for m in kadhimi.mentions)
    assert any("Abbas Kadhim" in a.name for a in found.values() if a.id != kadhimi.id)


def test_mr_mahdi_is_adel_abdul_mahdi_not_abu_mahdi_al_muhandis(extractor: Extractor):
    found = actors(
        extractor,
        "Adel Abdul Mahdi met the envoy after Abu Mahdi al-Muhandis was killed. "
        "Mr Mahdi said Iraq would respond.",
    )
    muhandis = next(a for a in found.values() if "Muhandis" in a.name)
    assert "Mr Mahdi" not in muhandis.mentions
    assert "Mahdi" not in muhandis.mentions
    assert len([a for a in found.values() if "Mahdi" in a.name]) == 2


def test_the_washington_institute_is_not_the_united_states(extractor: Extractor):
    found = actors(
        extractor, "Michael Knights of the Washington Institute for Near East Policy said so."
    )
    assert "united-states" not in found
    assert any("Washington Institute" in a.name for a in found.values())


def test_militias_are_found_in_every_spelling(extractor: Extractor):
    found = actors(
        extractor,
        "Kata\u2019ib Hizbollah and Kataib Hezbollah are one group. The Hashed al-Shaabi and "
        "the Popular Mobilisation Forces are another.",
    )
    militias = [a for a in found.values() if a.kind is ActorKind.MILITIA]
    assert len(militias) == 2


def test_the_longest_name_the_table_knows_wins_over_title_stripping(extractor: Extractor):
    found = actors(extractor, "The State Department renewed its warning on Friday.")
    assert "State Department" in found["united-states"].mentions
    assert not [a for a in found.values() if a.name == "Department"]


def test_officials_and_states_of_earlier_decades_are_known(extractor: Extractor):
    found = actors(
        extractor,
        "The speaker of parliament, Hojatoleslam Akbar Hashemi Rafsanjani, spoke to reporters. "
        "The Soviets and Margaret Thatcher's government were silent.",
    )
    assert {"akbar-hashemi-rafsanjani", "soviet-union", "margaret-thatcher"} <= found.keys()
    assert found["akbar-hashemi-rafsanjani"].kind is ActorKind.OFFICIAL
