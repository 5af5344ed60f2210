"""Truecase step: wire copy's case errors undone the way the article itself writes each word,
so that the parser and NER read it as the text means it.

- A headline in capitals ("IMF APPROVES 125.9 MLN SDR'S FOR JAMAICA" is read as "IMF approves
  125.9 mln SDR's for Jamaica"). spaCy's model, trained on mixed case, tags nearly every word
  of it a proper noun, and the relation it states is lost, though it is often the clearest
  statement of it in the article.
- A word capitalised after an abbreviation ("the U.S. Said", "U.S. Officials", "U.S. And
  Japanese officials"): the Reuters corpus capitalises any word after "U.S.", and the parser
  then reads "U.S. Warships" as one organisation. Such a word takes the case its article gives
  it elsewhere, unless it opens a new sentence (`sentence_openers` in word_classes.yaml).

Only letters change case, so every offset into the re-cased text is an offset into the
article's own text, and the evidence shown stays as written.
"""

import re
from collections import Counter
from collections.abc import Callable
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS

from loaders.lexicon import ruled_actors
from loaders.word_classes import word_classes

_WORD = re.compile(r"[A-Za-z]+(?:[.'][A-Za-z]+)*\.?")
"""A word as the case table keys it: "U.S.", "SDR'S", "JAPAN" ("U.S.-JAPAN" is two words)."""


_AFTER_ABBREVIATION = re.compile(r"\b(?:[A-Z]\.){2,},?[ \n]+(?P<word>[A-Z][a-z]+)\b")
"""A capitalised word after a dotted abbreviation: "U.S. Said", "U.K. Firms", "U.S., In"."""
_OPENERS = word_classes().sentence_openers.words


def truecase(text: str) -> str:
    """`text` with a headline in capitals, and words capitalised after an abbreviation,
    written in the case the article's body gives them."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    if end < 0:
        return text  # a headline alone: no body to learn its case from
    headline, body = text[start:end], text[end:]
    shouted = _is_shouted(headline)
    if not shouted and not _AFTER_ABBREVIATION.search(body):
        return text  # nothing to re-case: most web articles
    forms = _body_forms(body)
    if shouted:
        headline = _recased_headline(headline, forms)
    body = _AFTER_ABBREVIATION.sub(lambda match: _after_abbreviation(match, forms), body)
    return text[:start] + headline + body


def _recased_headline(headline: str, forms: dict[str, str]) -> str:
    recased = _WORD.sub(lambda match: _recase(match.group(0), forms), headline)
    first = next((i for i, ch in enumerate(recased) if ch.isalpha()), None)
    if first is not None:  # a sentence starts with a capital
        recased = recased[:first] + recased[first].upper() + recased[first + 1 :]
    return recased


def _after_abbreviation(match: re.Match[str], forms: dict[str, str]) -> str:
    word = match["word"]
    key = word.lower()
    if key in _OPENERS or forms.get(key, word) != key:
        return match.group(0)
    cut = match.start("word") - match.start()
    return match.group(0)[:cut] + key


def _is_shouted(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and not any(ch.islower() for ch in letters)


def _body_forms(body: str) -> dict[str, str]:
    """Each word of the body, lower-cased, to the way the body writes it most often. A word
    that opens a sentence is capitalised for that reason alone, so it counts only where the
    word is met nowhere else, and then as lower case if it is a common word."""
    inside: dict[str, Counter[str]] = {}
    opening: dict[str, str] = {}
    after_abbreviation = {match.start("word") for match in _AFTER_ABBREVIATION.finditer(body)}
    for match in _WORD.finditer(body):
        word = _without_full_stop(match.group(0))
        if match.start() in after_abbreviation:
            continue  # capitalised after "U.S." whatever it is: says nothing of its case
        if len(word) > 1 and _is_shouted(word) and _in_shouted_line(body, match.start()):
            continue  # another line in capitals says nothing of case
        if _opens_sentence(body, match.start()):
            opening.setdefault(word.lower(), word)
        else:
            inside.setdefault(word.lower(), Counter())[word] += 1
    forms = {key: found.most_common(1)[0][0] for key, found in inside.items()}
    for key, word in opening.items():
        if key not in forms:
            forms[key] = key if key in STOP_WORDS else word
    return forms


@cache
def _capital_names() -> frozenset[str]:
    """Names of the actor table written in capitals ("US", "UK", "OPEC")."""
    return frozenset(
        name
        for actor in ruled_actors()
        for name in (actor.name, *actor.aliases)
        if name.isupper() and name.isalpha()
    )


def _without_full_stop(word: str) -> str:
    """ "Iran." ends a sentence; "U.S." is an abbreviation and keeps its last stop."""
    return word[:-1] if word.endswith(".") and "." not in word[:-1] else word


def _recase(word: str, forms: dict[str, str]) -> str:
    bare = _without_full_stop(word)
    stop = word[len(bare) :]
    if (key := bare.lower()) in forms:
        return forms[key] + stop
    if "." in bare or bare in _capital_names():
        return word  # an abbreviation the body does not use ("U.K.", "US"): capitals are its case
    return word.lower()


def _opens_sentence(text: str, at: int) -> bool:
    """Whether the word at `at` opens a sentence: after a full stop, or after a dateline's
    dash ("WASHINGTON, March 3 - The"); a line break alone does not (wire copy is wrapped)."""
    # Read back from `at` rather than slicing the text before it: this runs once per word.
    end = _back_over(text, at, str.isspace)
    end = _back_over(text, end, lambda ch: ch in "\"'(")
    end = _back_over(text, end, str.isspace)
    before = text[max(end - 3, 0) : end]
    return end == 0 or before[-1] in ".!?:" or before.endswith((" -", " --"))


def _back_over(text: str, end: int, skipped: Callable[[str], bool]) -> int:
    """Where a run of characters that `skipped` accepts, ending at `end`, starts."""
    while end > 0 and skipped(text[end - 1]):
        end -= 1
    return end


def _in_shouted_line(text: str, at: int) -> bool:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return _is_shouted(text[start : end if end >= 0 else len(text)])
