#!/usr/bin/env bash
# Writes the synthetic citylots events the pattern benchmark reads, unless they are already there.
# Output: .build/bench/citylots-synth.json.gz (git-ignored), about 40 MB, about 20 s.
set -euo pipefail
cd "$(dirname "$0")/.."

out=.build/bench/citylots-synth.json.gz
if [ -f "$out" ]; then
  echo "$out is already there"
  exit 0
fi
mkdir -p "$(dirname "$out")"
# Write to a temporary name first, so an interrupted run leaves no half-written file behind.
python3 ../shared/bench/gen_citylots_synth.py "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out"
