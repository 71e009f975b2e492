#!/usr/bin/env python3
"""How loose a PDF's lines are: the share of lines whose widest word gap is over
2x (and 3x) a normal space, read from the word boxes `pdftotext -bbox` gives.

A normal space is the median gap on lines that end short of the right edge (the
last lines of paragraphs and ragged lines, whose spaces were not stretched).

    python3 bench/gaps.py out/seed.pdf [--show]
"""

import argparse
import re
import statistics
import subprocess
import sys
from html import unescape

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)


def lines_of(pdf):
    html = subprocess.run(
        ["pdftotext", "-bbox", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    out = []
    for page_no, page in enumerate(PAGE.findall(html), 1):
        rows = {}
        for m in WORD.finditer(page):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            key = round(y1, 1)
            rows.setdefault(key, []).append((x0, x1, unescape(m.group(5))))
        for y, words in sorted(rows.items()):
            words.sort()
            out.append((page_no, y, words))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf")
    ap.add_argument("--show", action="store_true", help="print the loose lines")
    args = ap.parse_args()
    lines = [l for l in lines_of(args.pdf) if len(l[2]) >= 2]
    if not lines:
        sys.exit("no lines of two or more words")
    right = max(w[-1][1] for _, _, w in lines)
    gaps = lambda words: [b[0] - a[1] for a, b in zip(words, words[1:])]
    ragged = [g for _, _, w in lines if w[-1][1] < right - 5 for g in gaps(w) if g > 0]
    if not ragged:
        sys.exit("no ragged line to take a normal space from")
    space = statistics.median(ragged)
    over2 = over3 = 0
    for page, y, words in lines:
        widest = max(gaps(words))
        ratio = widest / space
        if ratio > 2:
            over2 += 1
        if ratio > 3:
            over3 += 1
        if args.show and ratio > 2:
            text = " ".join(w[2] for w in words)
            print(f"page {page} y {y:.0f}: {ratio:.1f}x  {text}")
    n = len(lines)
    print(f"lines: {n}  normal space: {space:.2f} pt")
    print(f"gaps over 2x: {over2} ({100 * over2 / n:.1f}%)  over 3x: {over3}")


if __name__ == "__main__":
    main()
