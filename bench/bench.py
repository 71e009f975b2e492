#!/usr/bin/env python3
"""Verbatim benchmarks, with pandoc side by side when it is installed.

  python3 bench/bench.py [--quick]

Builds the release binary, generates inputs under target/bench/ (never
committed) and prints a Markdown table:
  (a) the seed transcript to each format, one process per conversion;
  (b) a collection of 1,000 transcripts to each format: transcripts/s, peak RSS;
  (c) one large transcript (10 MB and 100 MB) to TEI and JSON, 10 MB to PDF: MB/s, peak RSS;
  (d) the dense shape speech-to-text writes (short diarized turns, `gen.py dense`):
      10 MB and 100 MB to TEI, JSON, text and PDF, 10 MB to EPUB;
  pandoc on the same work, and the ratio; for PDF in (a) and (b), pandoc through
  WeasyPrint when `weasyprint` is installed (in (b) the first 100 transcripts).
Peak RSS is the largest resident set of the measured process (from wait4).
--quick uses 200 transcripts and skips the 100 MB input.
"""
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
WORK = os.path.join(ROOT, "target", "bench")
BIN = os.path.join(ROOT, "target", "release", "verbatim")
SEED = os.path.join(ROOT, "fixtures", "gilead-interview", "gilead-interview.md")
QUICK = "--quick" in sys.argv
FORMATS = ["json", "txt", "tei", "epub", "pdf"]
PANDOC_FORMAT = {"json": "json", "txt": "plain", "tei": "tei", "epub": "epub3"}
EXT = {"json": "json", "txt": "txt", "tei": "tei.xml", "epub": "epub", "pdf": "pdf"}


def run(cmd, cwd=None):
    """Runs a command; returns (wall seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss / 1024


def pandoc_cmd(pandoc, f, src, out):
    """pandoc writing format `f`; PDF through WeasyPrint, as pandoc has no PDF writer of its own."""
    if f == "pdf":
        # pandoc makes a PDF only for an output named .pdf.
        return [pandoc, "-s", src, "--pdf-engine=weasyprint", "-o", out + ".pdf"]
    return [pandoc, "-s", src, "-t", PANDOC_FORMAT[f], "-o", out]


def median_run(cmd, n):
    runs = [run(cmd) for _ in range(n)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def supported_formats():
    """The formats this build writes: each is tried once on the seed."""
    probe = os.path.join(WORK, "probe")
    return [f for f in FORMATS if subprocess.run(
        [BIN, "convert", SEED, "-t", f, "-o", os.path.join(probe, f"seed.{EXT[f]}"), "--force"],
        capture_output=True).returncode == 0]


def main():
    subprocess.run(["cargo", "build", "--release", "--locked", "-p", "verbatim-cli"], cwd=ROOT, check=True)
    # The previous run's files are removed only after this run's measurements: ext4 passes over
    # recently freed inodes when it allocates new ones, which slows creating files for a while
    # after a large delete.
    old = WORK + ".old"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(WORK):
        os.rename(WORK, old)
    os.makedirs(WORK)
    pandoc = shutil.which("pandoc")
    # pandoc's PDF needs an engine: WeasyPrint, the lightest (`pip install weasyprint`).
    compared = set(PANDOC_FORMAT) | ({"pdf"} if shutil.which("weasyprint") else set())
    formats = supported_formats()
    n_corpus = 200 if QUICK else 1000
    corpus = os.path.join(WORK, "corpus")
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), "corpus", corpus, str(n_corpus)], check=True)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs)
    corpus_bytes = sum(os.path.getsize(f) for f in files)
    seed_bytes = os.path.getsize(SEED)
    print(f"\nMachine: {os.cpu_count()} cores. Seed: {seed_bytes:,} bytes. "
          f"Collection: {len(files)} transcripts, {corpus_bytes:,} bytes.\n")

    print("(a) The seed transcript to one format, one process (median of 15 runs)\n")
    print("| format | verbatim | peak RSS | pandoc | pandoc RSS | ratio |")
    print("|---|---|---|---|---|---|")
    for f in formats:
        out = os.path.join(WORK, "a", f"seed.{EXT[f]}")
        wall, rss = median_run([BIN, "convert", SEED, "-t", f, "-o", out, "--force", "-q"], 15)
        p = "n/a"
        prss = ratio = ""
        if pandoc and f in compared:
            # PDF through WeasyPrint takes most of a second a run: 5 runs, not 15.
            pw, pr = median_run(pandoc_cmd(pandoc, f, SEED, out + ".pandoc"), 5 if f == "pdf" else 15)
            p, prss, ratio = f"{pw * 1000:.1f} ms", f"{pr:.1f} MiB", f"{pw / wall:.0f}×"
        print(f"| {f} | {wall * 1000:.1f} ms | {rss:.1f} MiB | {p} | {prss} | {ratio} |")

    print(f"\n(b) {len(files)} transcripts to one format (verbatim: one process, all cores; "
          "pandoc: one process per file, `xargs -P` on all cores)\n")
    print("| format | verbatim | transcripts/s | peak RSS | pandoc | transcripts/s | ratio |")
    print("|---|---|---|---|---|---|---|")
    for f in formats:
        outdir = os.path.join(WORK, "b", f)
        wall, rss = run([BIN, "convert", corpus, "-t", f, "-o", outdir, "-q"])
        rate = len(files) / wall
        p, prate, ratio = "n/a", "", ""
        if pandoc and f in compared:
            pout = os.path.join(WORK, "b-pandoc", f)
            os.makedirs(pout, exist_ok=True)
            how = "--pdf-engine=weasyprint" if f == "pdf" else f"-t {PANDOC_FORMAT[f]}"
            script = (f'for f; do {pandoc} -s "$f" {how} '
                      f'-o "{pout}/$(basename "$f").{EXT[f]}"; done')
            # WeasyPrint takes most of a second a transcript: its rate is that of the first 100.
            some = files[:100] if f == "pdf" else files
            cmd = ["sh", "-c", f"printf '%s\\n' \"$@\" | xargs -P {os.cpu_count()} -n 20 sh -c '{script}' sh",
                   "sh"] + some
            pw, _ = run(cmd)
            prate = len(some) / pw
            label = f"{pw:.2f} s ({len(some)})" if len(some) < len(files) else f"{pw:.2f} s"
            p, prate, ratio = label, f"{prate:.1f}" if prate < 10 else f"{prate:.0f}", f"{rate / prate:.0f}×"
        print(f"| {f} | {wall:.2f} s | {rate:.0f} | {rss:.1f} MiB | {p} | {prate} | {ratio} |")

    print("\n(c) One large transcript (verbatim: median of 3 runs; pandoc: 1 run, 10 MB only)\n")
    print("| input | format | verbatim | MB/s | peak RSS | RSS / input | pandoc | MB/s | pandoc RSS | ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for mb in ([10] if QUICK else [10, 100]):
        src = os.path.join(WORK, f"large-{mb}.md")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), "large", src, str(mb)], check=True)
        size = os.path.getsize(src)
        for f in ["tei", "json"] + (["pdf"] if mb == 10 else []):
            if f not in formats:
                continue
            out = os.path.join(WORK, "c", f"large-{mb}.{EXT[f]}")
            wall, rss = median_run([BIN, "convert", src, "-t", f, "-o", out, "--force", "-q"], 3)
            mbs = size / 1e6 / wall
            p, pmbs, prss, ratio = "n/a", "", "", ""
            if pandoc and mb == 10 and f in PANDOC_FORMAT:
                pw, pr = run([pandoc, "-s", src, "-t", PANDOC_FORMAT[f], "-o", out + ".pandoc"])
                p, pmbs, prss, ratio = f"{pw:.2f} s", f"{size / 1e6 / pw:.2f}", f"{pr:.0f} MiB", f"{pw / wall:.0f}×"
            print(f"| {size / 1e6:.0f} MB | {f} | {wall:.2f} s | {mbs:.0f} | {rss:.0f} MiB | "
                  f"{rss * 1048576 / size:.1f}× | {p} | {pmbs} | {prss} | {ratio} |")
    print("\n(d) The dense shape: short diarized turns with times, markers and notes "
          "(verbatim: median of 3 runs, 1 for the 100 MB PDF; pandoc: 1 run, 10 MB only)\n")
    print("| input | turns | format | verbatim | MB/s | peak RSS | RSS / input | pandoc | ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for mb in ([10] if QUICK else [10, 100]):
        src = os.path.join(WORK, f"dense-{mb}.md")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), "dense", src, str(mb)], check=True)
        size = os.path.getsize(src)
        turns = sum(1 for line in open(src, encoding="utf-8") if line.startswith("**"))
        for f in ["tei", "json", "txt", "pdf"] + (["epub"] if mb == 10 else []):
            if f not in formats:
                continue
            out = os.path.join(WORK, "d", f"dense-{mb}.{EXT[f]}")
            # The 100 MB PDF takes minutes: one run.
            n = 1 if (mb, f) == (100, "pdf") else 3
            wall, rss = median_run([BIN, "convert", src, "-t", f, "-o", out, "--force", "-q"], n)
            p, ratio = "n/a", ""
            if pandoc and mb == 10 and f in PANDOC_FORMAT:
                pw, _ = run([pandoc, "-s", src, "-t", PANDOC_FORMAT[f], "-o", out + ".pandoc"])
                p, ratio = f"{pw:.2f} s", f"{pw / wall:.0f}×"
            print(f"| {size / 1e6:.0f} MB | {turns:,} | {f} | {wall:.2f} s | {size / 1e6 / wall:.0f} | "
                  f"{rss:.0f} MiB | {rss * 1048576 / size:.1f}× | {p} | {ratio} |")
    if not pandoc:
        print("\npandoc is not installed (apt-get install pandoc): no comparison.")
    elif "pdf" not in compared:
        print("\nWeasyPrint is not installed (pip install weasyprint): no PDF comparison.")
    else:
        print("\npandoc's PDF is through WeasyPrint (--pdf-engine=weasyprint); in (b) its rate is "
              "that of the first 100 transcripts.")
    shutil.rmtree(old, ignore_errors=True)


if __name__ == "__main__":
    main()
