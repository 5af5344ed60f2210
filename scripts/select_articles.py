"""Rank corpus articles by how many political relations they are likely to state.

Used once to choose the articles of `annotations/`: it reads `../shared/corpus/` and prints
candidates, densest first, as `path<TAB>score<TAB>cues`. It decides nothing about relations;
annotators read every chosen article in full. The cue words are deliberately broad and are
not the extractor's lexicon, so that the choice does not favour what the extractor already
finds.

    python scripts/select_articles.py --corpus ../shared/corpus --top 400 > candidates.tsv
"""

import argparse
import re
from pathlib import Path

# Broad cues per relation type: enough to rank, never to annotate.
CUES = {
    "PRESSURES": r"urg\w*|demand\w*|sanction\w*|threat\w*|warn\w*|pressur\w*|call\w* on|"
    r"embargo\w*|retaliat\w*|ultimatum|press\w* (?:for|to)|insist\w*",
    "FUNDS": r"arms (?:sale|deal|shipment)\w*|sold arms|sell\w* arms|weapons? to|aid to|"
    r"aid for|fund\w*|financ\w*|loan\w*|credit\w*|grant\w*|back\w*|supplie\w*|subsid\w*",
    "ATTACKS": r"attack\w*|strik\w*|struck|bomb\w*|shell\w*|raid\w*|missile\w*|fired|kill\w*|"
    r"offensive|invad\w*|invasion|hit",
    "NEGOTIATES_WITH": r"talks|negotiat\w*|met |meet\w*|discuss\w*|summit|dialogue|mediat\w*",
}
# Political actors: a relation needs two of them.
ACTORS = (
    r"\b(?:Iran\w*|Iraq\w*|Kuwait\w*|Saudi\w*|U\.S\.|United States|Washington|America\w*|"
    r"Britain|British|Soviet\w*|Moscow|Israel\w*|Syria\w*|Lebanon|Libya\w*|Egypt\w*|Jordan|"
    r"Nicaragua\w*|Contras?|Japan\w*|Tokyo|China|Chinese|Beijing|France|French|Paris|"
    r"Germany|German|Bonn|EU|European Union|European Commission|EC|OPEC|NATO|UN|U\.N\.|"
    r"United Nations|IMF|World Bank|Brazil\w*|Mexico|Argentina|Reagan|Bush|Blair|Straw|"
    r"Khomeini|Hussein|Saddam|Gorbachev|Shultz|Weinberger|Baker|Congress|Pentagon|"
    r"White House|Tehran|Baghdad|Riyadh|Hezbollah|Hizbollah|Palestin\w*|PLO|Hamas|Kurd\w*)\b"
)
SPLITS = ("reuters-21578", "bbc-news/politics", "bbc-news/business")


def score(text: str) -> tuple[float, dict[str, int]]:
    """Relation cues found in sentences that name two political actors, per type."""
    counts = dict.fromkeys(CUES, 0)
    for sentence in re.split(r"(?<=[.!?])\s+", text.replace("\n", " ")):
        if len(set(re.findall(ACTORS, sentence))) < 2:
            continue
        for kind, cue in CUES.items():
            counts[kind] += len(re.findall(rf"\b(?:{cue})", sentence, re.IGNORECASE))
    # Rare types weigh more, so that the chosen set covers all four.
    weights = {"PRESSURES": 1.0, "FUNDS": 1.5, "ATTACKS": 1.0, "NEGOTIATES_WITH": 1.2}
    return sum(weights[k] * min(n, 6) for k, n in counts.items()), counts


def main() -> None:
    parser = argparse.ArgumentParser(description="Rank corpus articles by relation cues.")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--top", type=int, default=400, help="how many candidates to print")
    args = parser.parse_args()
    rows = []
    for folder in SPLITS:
        for path in sorted((args.corpus / folder).glob("*.txt")):
            total, counts = score(path.read_text("utf-8"))
            if total:
                cues = " ".join(f"{k}={n}" for k, n in counts.items())
                rows.append((total, str(path.relative_to(args.corpus)), cues))
    for total, name, cues in sorted(rows, key=lambda row: (-row[0], row[1]))[: args.top]:
        print(f"{name}\t{total:.1f}\t{cues}")


if __name__ == "__main__":
    main()
