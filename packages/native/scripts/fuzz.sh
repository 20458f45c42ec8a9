#!/usr/bin/env sh
# Runs each libFuzzer target for FUZZ_SECONDS (default 60) from the committed seed corpus.
# A crash input is copied to csrc/test/regressions/<target>-<hash> (replayed by make test /
# make sanitize from then on) and the script fails. Needs clang with compiler-rt
# (scripts/install-fuzz-deps.sh).
set -eu
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
CLANG="${CLANG:-clang}"
if ! command -v "$CLANG" >/dev/null 2>&1; then
  echo "fuzz: $CLANG not found; run scripts/install-fuzz-deps.sh" >&2
  exit 1
fi
make -C csrc fuzz CLANG="$CLANG"
status=0
for target in decode roundtrip; do
  work="csrc-build/fuzz/$target"
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp csrc/fuzz/corpus/$target/* "$work/corpus/"
  echo "fuzz: $target for ${SECONDS_PER_TARGET}s"
  if ! "csrc-build/fuzz_$target" "$work/corpus" -max_total_time="$SECONDS_PER_TARGET" \
      -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/artifacts/" 2>"$work/log.txt"; then
    status=1
    tail -n 40 "$work/log.txt" >&2
    for crash in "$work"/artifacts/*; do
      [ -f "$crash" ] || continue
      name="$target-$(basename "$crash")"
      cp "$crash" "csrc/test/regressions/$name"
      echo "fuzz: kept $crash as csrc/test/regressions/$name" >&2
    done
  else
    grep -E "stat::number_of_executed_units|stat::new_units_added|Done [0-9]+ runs" "$work/log.txt" || true
  fi
done
exit $status
