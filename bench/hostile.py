#!/usr/bin/env python3
"""Pathological shapes, generated (never committed), read by `verbatim check` from the
release build: peak memory and time of each, against the targets of 1 GB, 10 s and
ten times the input (for runs that use more than 64 MiB).

    cargo build --release -p verbatim-cli && python3 bench/hostile.py
"""

import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "verbatim")
TEI = "http://www.tei-c.org/ns/1.0"


def shapes():
    yield "brackets.md", "**Q:** " + "[*" * 2_000_000 + "\n"
    yield "tiny-turns.md", "**Q:** a\n\n**A:** b\n\n" * 500_000
    yield "nested-quotes.md", "> - " * 20_000 + "**Q:** deep\n"
    yield "labels.md", "".join(f"**S{n}:** x\n\n" for n in range(1_000_000))
    head = (
        f'<TEI xmlns="{TEI}"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        "<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>"
        '<profileDesc><particDesc><listPerson><person xml:id="A"/></listPerson>'
        "</particDesc></profileDesc></teiHeader><text><body>\n"
    )
    yield "many-u.tei.xml", head + '<u who="#A">x</u>\n' * 1_000_000 + "</body></text></TEI>\n"
    yield "tiny-cues.vtt", "WEBVTT\n\n" + "".join(
        f"{t // 3600:02}:{t // 60 % 60:02}:{t % 60:02}.000 --> "
        f"{t // 3600:02}:{t // 60 % 60:02}:{t % 60:02}.500\n<v S{t % 2}>a\n\n"
        for t in range(300_000)
    )


def measure(path):
    """Peak RSS (bytes), seconds and exit status of one run, in a process of its own so
    that the peak is this run's."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.monotonic()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.monotonic() - t, r.returncode)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, BIN, "check", path, "-q"],
        capture_output=True,
        text=True,
        check=True,
    )
    kib, secs, code = out.stdout.split()
    return int(kib) * 1024, float(secs), int(code)


def main():
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} is missing: cargo build --release -p verbatim-cli")
    print("| input | size | peak RSS | RSS / input | time | within 1 GB, 10 s, 10× |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in shapes():
            path = os.path.join(tmp, name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            size = os.path.getsize(path)
            peak, took, code = measure(path)
            ratio = peak / size
            # The ratio matters once the memory does.
            ok = peak < 2**30 and took < 10 and (ratio <= 10 or peak < 64 * 2**20)
            status = "read" if code == 0 else "refused"
            peak_note = f"{peak / 2**20:.0f} MiB"
            print(
                f"| {name} ({status}) | {size / 1e6:.1f} MB | {peak_note} | {ratio:.0f}× | "
                f"{took:.2f} s | {'yes' if ok else 'no'} |"
            )


if __name__ == "__main__":
    main()
