#!/usr/bin/env python3
"""Write the strength parity corpus, Tests/Fixtures/strength/corpus.jsonl, deterministically.

Usage: python3 scripts/zxcvbn-corpus.py [output]

Needs only the standard library and assets/zxcvbn/ranked_words.tsv (for real words). Each line
is {"password": ..., "user_inputs": [...], "kind": ...}. The same seed and data give the same
file, so the committed corpus can be checked by rerunning this script.
"""
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261127


def load_lists():
    lists = {name: [] for name in ["passwords", "english_wikipedia", "female_names", "surnames", "us_tv_and_film", "male_names"]}
    names = list(lists)
    with open(ROOT / "assets/zxcvbn/ranked_words.tsv", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            word, *pairs = line.rstrip("\n").split("\t")
            for index, rank in zip(pairs[0::2], pairs[1::2]):
                lists[names[int(index)]].append((int(rank), word))
    return {name: [w for _, w in sorted(entries)] for name, entries in lists.items()}


L33T = {"a": "4@", "b": "8", "e": "3", "g": "69", "i": "1!|", "l": "1|7", "o": "0", "s": "$5", "t": "+7", "x": "%", "z": "2", "c": "({[<"}
KEY_ROWS = ["`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
            "',.pyfgcrl/=", "aoeuidhtns-", ";qjkxbmwvz", "789456123", "7410852963", "147258369", "/*-+", "=/*"]
UNICODE_WORDS = ["café", "naïve", "Ünïcödé", "пароль", "привет", "москва", "σύνθημα", "αβγδε", "日本語", "パスワード",
                 "密码", "비밀번호", "ñandú", "straße", "Œuvre", "Ελλάδα", "ДРУГ", "žluťoučký", "façade", "😀🔒", "🐱🐶",
                 "çà", "ĳsland", "١٢٣٤٥", "٢٠١٩", "ꙮ"]


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "Tests/Fixtures/strength/corpus.jsonl"
    rng = random.Random(SEED)
    lists = load_lists()
    pw, en, tv = lists["passwords"], lists["english_wikipedia"], lists["us_tv_and_film"]
    names = lists["female_names"] + lists["male_names"]
    surnames = lists["surnames"]
    entries = []
    seen = set()

    def add(kind, password, user_inputs=()):
        key = (password, tuple(user_inputs))
        if password and key not in seen:
            seen.add(key)
            entries.append({"password": password, "user_inputs": list(user_inputs), "kind": kind})

    def l33t(word, p=0.7):
        return "".join(rng.choice(L33T[c]) if c in L33T and rng.random() < p else c for c in word)

    def case_variant(word):
        style = rng.randrange(5)
        if style == 0:
            return word.capitalize()
        if style == 1:
            return word.upper()
        if style == 2:
            return word[:-1] + word[-1:].upper()
        if style == 3:
            return "".join(c.upper() if rng.random() < 0.4 else c for c in word)
        return word

    def year():
        return str(rng.choice([rng.randint(1940, 2030), rng.randint(1990, 2025)]))

    def date():
        y, m, d = rng.randint(1950, 2030), rng.randint(1, 12), rng.randint(1, 28)
        sep = rng.choice(["", "", "/", "-", ".", "_", " "])
        yy = rng.choice([str(y), f"{y % 100:02d}"])
        dd = rng.choice([str(d), f"{d:02d}"])
        mm = rng.choice([str(m), f"{m:02d}"])
        order = rng.randrange(3)
        parts = [dd, mm, yy] if order == 0 else [mm, dd, yy] if order == 1 else [yy, mm, dd]
        return sep.join(parts)

    # Common passwords: the top of the list, then samples down the ranks.
    for word in pw[:150]:
        add("common", word)
    for word in rng.sample(pw[150:], 150):
        add("common", word)
    # Variants of common passwords and words.
    for _ in range(300):
        base = rng.choice(pw[:3000] + en[:3000])
        suffix = rng.choice(["", "1", "123", "!", "1!", "2024", "99", "?", "#1", "007", "."])
        add("variant", case_variant(base) + suffix)
    # l33t.
    for _ in range(250):
        base = rng.choice(pw[:5000] + en[:5000] + names[:500])
        add("l33t", case_variant(l33t(base)) + rng.choice(["", "", "1", "!"]))
    # Keyboard walks.
    for _ in range(200):
        row = rng.choice(KEY_ROWS)
        start = rng.randrange(len(row) - 2)
        length = rng.randint(3, min(12, len(row) - start))
        walk = row[start:start + length]
        if rng.random() < 0.3:
            walk = walk[::-1]
        if rng.random() < 0.3:
            walk = "".join(c.upper() if rng.random() < 0.5 else c for c in walk)
        if rng.random() < 0.3:
            walk += rng.choice(KEY_ROWS)[:rng.randint(3, 6)]
        add("keyboard", walk)
    # Dates and years.
    for _ in range(200):
        add("date", rng.choice(["", "", rng.choice(names[:300]), rng.choice(en[:500])]) + date())
    for _ in range(60):
        add("year", rng.choice(en[:2000] + pw[:2000]) + year())
    # Repeats and sequences.
    for _ in range(120):
        base = rng.choice(["a", "1", "ab", "abc", "123", "xyz", "!", "lol", "ha", "pass", "qwe", "0", "aab", "Zz", "ñ", "€"]
                          + [rng.choice(en[:1000])])
        add("repeat", base * rng.randint(2, 6) + rng.choice(["", "", "1", "!"]))
    for _ in range(120):
        alphabet = rng.choice(["abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789",
                               "αβγδεζηθικλμν", "абвгдежзийклмн"])
        step = rng.choice([1, 1, 1, 2, 3])
        start = rng.randrange(len(alphabet) - 3)
        seq = alphabet[start::step][: rng.randint(3, 10)]
        if rng.random() < 0.4:
            seq = seq[::-1]
        add("sequence", seq + rng.choice(["", "", "!", "x"]))
    # Passphrases.
    for _ in range(250):
        words = [rng.choice(en[:20000] + tv[:5000]) for _ in range(rng.randint(2, 5))]
        sep = rng.choice(["", " ", "-", ".", "_"])
        phrase = sep.join(case_variant(w) if rng.random() < 0.3 else w for w in words)
        add("passphrase", phrase[:72])
    # Names with years.
    for _ in range(200):
        name = case_variant(rng.choice(names + surnames[:2000]))
        add("name-year", name + rng.choice([year(), year()[2:], "!" + year(), "_" + year()]))
    # Random strings of several lengths.
    alphabets = ["abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
                 "0123456789", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_=+[]{};:,.<>/?"]
    for length in [4, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64, 72]:
        for _ in range(25):
            add("random", "".join(rng.choice(rng.choice(alphabets)) for _ in range(length)))
    # Non-ASCII.
    for _ in range(150):
        parts = [rng.choice(UNICODE_WORDS)]
        if rng.random() < 0.5:
            parts.append(rng.choice(en[:2000] + ["", "123", "2019", "!"]))
        rng.shuffle(parts)
        add("unicode", "".join(parts))
    # The caller's words: localpart, server name labels.
    for _ in range(120):
        local = rng.choice(names[:800] + surnames[:500] + ["admin", "matrix", "bot", "synapse"])
        if rng.random() < 0.3:
            local += rng.choice(["", str(rng.randint(1, 99))])
        server = rng.choice(["example.org", "matrix.example.com", "chat.acme.io", "home.lan", "kitchen-sink.net"])
        inputs = [local, server] + server.split(".")
        password = rng.choice([local, server.split(".")[0], local[::-1], l33t(local)]) + rng.choice(["", year(), "!", "123", date()])
        add("user-input", case_variant(password), inputs)
    # Longer than zxcvbn 4.5's 72-character limit: both sides score the first 100 characters.
    for _ in range(40):
        length = rng.choice([73, 80, 100, 101, 120, 150])
        if rng.random() < 0.5:
            text = " ".join(rng.choice(en[:5000]) for _ in range(40))[:length]
        else:
            text = "".join(rng.choice(alphabets[3]) for _ in range(length))
        add("long", text)

    # Unicode corner cases where zxcvbn's Python string handling shows: İ lowercases to two
    # characters, digits of other scripts count as \d, non-ASCII separators and caller words.
    edges = ["İstanbul", "İzmir1990", "Kİm2019", "şİfre", "ΣΟΦΙΑ", "١٩٩٠", "٢٠١٩", "۱۳۷۰", "१९८४",
             "13\u00a011\u00a01991", "01\u200307\u20031985", "ＰＡＳＳＷＯＲＤ", "ﬁnance", "café\u0301"]
    for _ in range(80):
        parts = [rng.choice(edges), rng.choice(["", "", rng.choice(en[:2000]), rng.choice(pw[:500]), year()])]
        rng.shuffle(parts)
        inputs = rng.choice([[], [], ["Σοφία", "İpek"], ["ΣΟΦΙΑ", "example.org", "example", "org"]])
        add("unicode-edge", "".join(parts), inputs)

    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for entry in entries:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
    print(f"wrote {len(entries)} passwords to {out}")


if __name__ == "__main__":
    main()
