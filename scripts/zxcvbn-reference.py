#!/usr/bin/env python3
"""Score the strength corpus with the reference Python zxcvbn (pinned 4.5.0), as JSON lines.

Usage:
    python3 -m venv .build/venv-zxcvbn && .build/venv-zxcvbn/bin/pip install zxcvbn==4.5.0
    .build/venv-zxcvbn/bin/python scripts/zxcvbn-reference.py [corpus.jsonl] [output.jsonl]

Defaults: Tests/Fixtures/strength/corpus.jsonl -> Tests/Fixtures/strength/reference.jsonl.
zxcvbn 4.5.0 refuses passwords over 72 characters; like our estimator (and zxcvbn-rs), this
scores the first 100 characters of longer ones, with max_length raised to allow it.
"""
import json
import sys
from importlib.metadata import version
from pathlib import Path

from zxcvbn import zxcvbn

PINNED = "4.5.0"
SCORED_LENGTH = 100
ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    if version("zxcvbn") != PINNED:
        sys.exit(f"expected zxcvbn=={PINNED}, found {version('zxcvbn')}")
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "Tests/Fixtures/strength/corpus.jsonl"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "Tests/Fixtures/strength/reference.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(corpus, encoding="utf-8") as source, open(out, "w", encoding="utf-8", newline="\n") as sink:
        for line in source:
            entry = json.loads(line)
            password = entry["password"][:SCORED_LENGTH]
            result = zxcvbn(password, user_inputs=entry["user_inputs"], max_length=SCORED_LENGTH)
            sink.write(json.dumps({
                "password": entry["password"],
                "user_inputs": entry["user_inputs"],
                "score": result["score"],
                "guesses_log10": round(float(result["guesses_log10"]), 6),
                "sequence": [m["pattern"] for m in result["sequence"]],
                "warning": result["feedback"]["warning"],
                "suggestions": result["feedback"]["suggestions"],
            }, ensure_ascii=False) + "\n")
            count += 1
    print(f"scored {count} passwords into {out}")


if __name__ == "__main__":
    main()
