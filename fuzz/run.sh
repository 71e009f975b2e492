#!/usr/bin/env bash
# Fuzz every reader for SECONDS each (default 60), seeding each corpus from the
# fixtures and the hostile-input corpus. Crashes land in fuzz/artifacts/<target>/;
# copy each into tests/hostile/ so the hostile-input test keeps it fixed.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(cargo fuzz list)
fi
# cargo-fuzz passes nightly-only flags; this lets the stable toolchain accept them.
export RUSTC_BOOTSTRAP=1
declare -A ext=([markdown]="md" [json]="json" [tei]="xml" [text]="txt" [vtt]="vtt" [srt]="srt" [docx]="docx" [docx_xml]="document.xml" [ohms]="xml")
for t in "${targets[@]}"; do
  corpus="corpus/$t"
  mkdir -p "$corpus"
  find ../fixtures -name "*.${ext[$t]}" -exec cp {} "$corpus/" \;
  # Small hostile inputs only: big seeds slow every run down.
  find ../tests/hostile -type f -size -64k -exec cp {} "$corpus/" \;
  # Seeds written for one target (the Word reader's XML parts).
  [[ -d "seeds/$t" ]] && cp seeds/"$t"/* "$corpus/"
  echo "fuzzing $t for ${secs}s"
  cargo fuzz run "$t" "$corpus" -- -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1
done
