"""The one form in which actor names are compared, by the loaders and by the API alike."""

import re
import unicodedata


def name_key(text: str) -> str:
    """No accents, case, apostrophes, hyphens, dots or leading 'the': "the U.S." -> "u s"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"['\u2019`\u2018]", "", text)
    text = re.sub(r"[-\u2010\u2011\u2013\u2014./_,]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.removeprefix("the ").strip()
