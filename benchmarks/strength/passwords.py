#!/usr/bin/env python3
"""Print the benchmark passwords: 20 per length of 8, 16, 32, 64 and 100 characters, one a line.

Half are built from common words, digits and keyboard runs (many overlapping matches, the costly
case), half are random printable ASCII. Deterministic: the same seed gives the same file.
"""
import random

rng = random.Random(72)
WORDS = ["password", "dragon", "monkey", "summer", "qwerty", "letmein", "correct", "horse", "battery",
         "staple", "alice", "matrix", "synapse", "2019", "1234", "asdf", "zxcvbn", "p@ssw0rd", "iloveyou", "2024"]
PRINTABLE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_=+[]{};:,.<>/?"

for length in [8, 16, 32, 64, 100]:
    for k in range(20):
        if k % 2 == 0:
            text = ""
            while len(text) < length:
                text += rng.choice(WORDS)
            print(text[:length])
        else:
            print("".join(rng.choice(PRINTABLE) for _ in range(length)))
