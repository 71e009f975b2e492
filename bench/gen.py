#!/usr/bin/env python3
"""Generate benchmark inputs from the seed fixture (never committed).

  gen.py corpus DIR N      N transcripts in DIR/NNN/, varied names, ids and lengths
  gen.py large FILE MB     one transcript of about MB megabytes (10^6 bytes)
  gen.py dense FILE MB     the shape speech-to-text writes: about MB megabytes of short
                           diarized turns (about 90 bytes each), each with its start time,
                           with markers, notes and a speaker who answers to two labels
"""
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, "..", "fixtures", "gilead-interview", "gilead-interview.md")

FIRST = ["Ada", "Bela", "Chidi", "Dana", "Emil", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kiri", "Lena"]
LAST = ["Okafor", "Novak", "Haddad", "Lindqvist", "Moreau", "Tanaka", "Ruiz", "Petrov", "Singh", "Walsh"]


def split_seed():
    text = open(SEED, encoding="utf-8").read()
    _, front, body = text.split("---\n", 2)
    return front, body


def person(rng):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return f"{first} {last}", (first[0] + last[0]).upper()


def variant(rng, i):
    front, body = split_seed()
    (ivr, ivr_id), (ive, ive_id) = person(rng), person(rng)
    if ive_id == ivr_id:
        ive_id += "2"
    body = body.replace("**Izabella Tabarovsky:**", f"**{ivr}:**").replace("**Amos Gilead:**", f"**{ive}:**")
    body = body.replace("**IT:**", f"**{ivr_id}:**").replace("**AG:**", f"**{ive_id}:**").replace("—IT]", f"—{ivr_id}]")
    # Vary the length: drop or repeat some paragraphs.
    paras = body.split("\n\n")
    keep = [p for p in paras if p.startswith("##") or rng.random() > 0.2]
    extra = [p for p in keep if p.startswith("**")][: rng.randint(0, 4)]
    body = "\n\n".join(keep + ["## Follow-up"] + extra) + "\n"
    front = re.sub(r"(?m)^title: .*$", f'title: "Interview {i:04d} with {ive}"', front)
    front = re.sub(r"(?ms)^participants:.*", "", front)
    front += (
        f"participants:\n  - id: {ivr_id}\n    name: {ivr}\n    role: interviewer\n"
        f"  - id: {ive_id}\n    name: {ive}\n    role: interviewee\n"
    )
    return "---\n" + front + "---\n" + body


def corpus(directory, n):
    rng = random.Random(42)
    for i in range(n):
        sub = os.path.join(directory, f"{i // 100:03d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"interview-{i:04d}.md"), "w", encoding="utf-8") as f:
            f.write(variant(rng, i))


def large(path, megabytes):
    front, body = split_seed()
    target = megabytes * 1_000_000
    # Body without the back matter, repeated as numbered parts.
    body = body.split("\n---\n")[0]
    with open(path, "w", encoding="utf-8") as f:
        f.write("---\n" + front + "---\n")
        written, part = 0, 0
        while written < target:
            part += 1
            chunk = f"\n## Part {part}\n\n" + body.replace("\n## ", "\n### ")
            f.write(chunk)
            written += len(chunk.encode("utf-8"))


WORDS = ("so the harbour was busy then and we worked the nets every morning before "
         "light came up over the water you know it was hard but we liked it").split()


def dense(path, megabytes):
    rng = random.Random(7)
    target = megabytes * 1_000_000
    with open(path, "w", encoding="utf-8") as f:
        f.write("---\ntitle: A diarized recording\nlang: en\ndate: 2024-03-05\nparticipants:\n"
                "  - id: S0\n    name: Speaker 0\n    role: interviewer\n"
                "  - id: S1\n    name: Speaker 1\n    role: interviewee\n    aliases: [SPK1]\n"
                "  - id: S2\n    name: Speaker 2\n---\n\n")
        written, n, ms = 0, 0, 0
        while written < target:
            n += 1
            ms += rng.randint(800, 6000)
            if n % 5000 == 1:
                chunk = f"## Segment {n // 5000 + 1}\n\n"
            else:
                chunk = ""
            who = rng.choice(["S0", "S1", "SPK1", "S2"])
            h, m, sec, milli = ms // 3_600_000, ms // 60_000 % 60, ms // 1000 % 60, ms % 1000
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
            extra = rng.random()
            if extra < 0.1:
                words += " [laughs]"
            elif extra < 0.15:
                words += " [inaudible]"
            elif extra < 0.18:
                words += " [the old pier—S0]"
            chunk += f"**{who}:** [{h:02d}:{m:02d}:{sec:02d}.{milli:03d}] {words.capitalize()}.\n\n"
            f.write(chunk)
            written += len(chunk.encode("utf-8"))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "corpus":
        corpus(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "large":
        large(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "dense":
        dense(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
