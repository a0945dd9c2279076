#!/usr/bin/env python3
"""Regenerate assets/zxcvbn/ from the PyPI `zxcvbn` package (pinned below).

Usage:
    python3 -m venv .build/venv-zxcvbn
    .build/venv-zxcvbn/bin/pip install zxcvbn==4.5.0
    .build/venv-zxcvbn/bin/python scripts/zxcvbn-data.py [assets/zxcvbn]

Writes two files that Sources/Core/Strength/StrengthData.swift reads:

ranked_words.tsv
    One line per distinct word of the six frequency lists, sorted by UTF-8 bytes so that a
    prefix walk can narrow a range of lines by binary search without building any index.
    Each line is the word followed by six tab-separated ranks, one per list in the order
    given by the header comment; an empty field means the word is not in that list.
    A rank is the one zxcvbn itself computes (`build_ranked_dict`: the 1-based position,
    the last one if a word were listed twice).

adjacency_graphs.tsv
    `# graph NAME` opens each keyboard; then one line per key: the key, a tab, and its
    neighbours in zxcvbn's direction order, tab-separated, an empty field for no neighbour.
"""
import sys
from pathlib import Path

PINNED = "4.5.0"
LISTS = ["passwords", "english_wikipedia", "female_names", "surnames", "us_tv_and_film", "male_names"]
GRAPHS = ["qwerty", "dvorak", "keypad", "mac_keypad"]


def main() -> None:
    import zxcvbn
    from importlib.metadata import version
    from zxcvbn import matching
    from zxcvbn.adjacency_graphs import ADJACENCY_GRAPHS

    if version("zxcvbn") != PINNED:
        sys.exit(f"expected zxcvbn=={PINNED}, found {version('zxcvbn')}")
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "assets/zxcvbn")
    out.mkdir(parents=True, exist_ok=True)

    ranked = {name: matching.build_ranked_dict(matching.FREQUENCY_LISTS[name]) for name in LISTS}
    if list(matching.RANKED_DICTIONARIES)[: len(LISTS)] != LISTS:
        sys.exit(f"zxcvbn's list order changed: {list(matching.RANKED_DICTIONARIES)}")
    words = sorted(set().union(*ranked.values()), key=lambda w: w.encode())
    with open(out / "ranked_words.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# zxcvbn {PINNED} frequency lists: word, then (list, rank) pairs; lists: "
                + " ".join(f"{i}={n}" for i, n in enumerate(LISTS)) + "\n")
        for w in words:
            if not w or any(ord(c) < 0x21 for c in w) or w != w.lower():
                sys.exit(f"unexpected word {w!r}")
            pairs = [f"{i}\t{ranked[n][w]}" for i, n in enumerate(LISTS) if w in ranked[n]]
            f.write(w + "\t" + "\t".join(pairs) + "\n")

    with open(out / "adjacency_graphs.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# zxcvbn {PINNED} keyboard adjacency graphs\n")
        for name in GRAPHS:
            f.write(f"# graph {name}\n")
            for key, neighbours in ADJACENCY_GRAPHS[name].items():
                if "\t" in key or any(n and "\t" in n for n in neighbours):
                    sys.exit(f"tab in graph {name}")
                f.write(key + "\t" + "\t".join(n or "" for n in neighbours) + "\n")
    print(f"wrote {len(words)} words and {len(GRAPHS)} graphs to {out}")


if __name__ == "__main__":
    main()
