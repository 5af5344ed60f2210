"""Rank corpus articles by how many political relations they are likely to state.

Used once to choose the articles of `annotations/`: it reads `../shared/corpus/` and prints
candidates, densest first, as `path<TAB>score<TAB>cues`. It decides nothing about relations;
annotators read every chosen article in full. The cue words are deliberately broad and are
not the extractor's lexicon, so that the choice does not favour what the extractor already
finds.

    python scripts/select_articles.py --corpus ../shared/corpus --top 400 > candidates.tsv

A later round passes `--exclude annotations/splits.tsv`: articles already chosen are left out,
and so is any article whose text nearly duplicates one of them or one ranked above it (the wire
often re-sent a story), so that no story lands in two splits.
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
SHINGLE_WORDS = 5
NEAR_DUPLICATE = 0.5
"""Share of one text's five-word shingles found in another above which the two are one story."""


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


def shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def duplicates(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> bool:
    return bool(a and b) and len(a & b) / min(len(a), len(b)) > NEAR_DUPLICATE


def chosen_paths(table: Path) -> list[str]:
    """The article paths of a `splits.tsv` (first column, below its header)."""
    lines = table.read_text("utf-8").splitlines()[1:]
    return [line.split("\t", 1)[0] for line in lines if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description="Rank corpus articles by relation cues.")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--top", type=int, default=400, help="how many candidates to print")
    parser.add_argument(
        "--exclude",
        type=Path,
        help="a splits.tsv: leave out its articles and any near-duplicate of them",
    )
    args = parser.parse_args()
    excluded = chosen_paths(args.exclude) if args.exclude else []
    rows = []
    for folder in SPLITS:
        for path in sorted((args.corpus / folder).glob("*.txt")):
            name = str(path.relative_to(args.corpus))
            if name in excluded:
                continue
            total, counts = score(path.read_text("utf-8"))
            if total:
                cues = " ".join(f"{k}={n}" for k, n in counts.items())
                rows.append((total, name, cues))
    kept = [shingles((args.corpus / name).read_text("utf-8")) for name in excluded]
    printed = 0
    for total, name, cues in sorted(rows, key=lambda row: (-row[0], row[1])):
        if printed == args.top:
            break
        own = shingles((args.corpus / name).read_text("utf-8"))
        if args.exclude and any(duplicates(own, other) for other in kept):
            continue
        kept.append(own)
        printed += 1
        print(f"{name}\t{total:.1f}\t{cues}")


if __name__ == "__main__":
    main()
