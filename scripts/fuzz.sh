#!/usr/bin/env bash
# Coverage-guided fuzzing of the addon's pure decoders with libFuzzer + AddressSanitizer + UBSan.
# Not part of npm test or CI: run it by hand (see fuzz/README.md).
#
#   scripts/fuzz.sh [connector|taskstats|all] [RUNS]      default: all 10000000
#
# Installs clang and the compiler-rt runtimes (libFuzzer, ASan, UBSan) from Debian when missing,
# builds each target into fuzz/build/, runs it for RUNS inputs and prints execs, exec/s, coverage and
# wall time. Exits non-zero when any target finds something (crash, sanitizer report, broken
# invariant, timeout, OOM); the input that did it is kept under fuzz/build/artifacts/<target>/.
#
# Environment:
#   CLANG_VERSION   Debian clang to install/use when no working clang++ is found (default 14: Debian 12's)
#   FUZZ_ADDON_DIR  decoder sources to build (default: this checkout's addon/)
#   FUZZ_MAX_LEN    largest input libFuzzer generates, in bytes (default 4096)
#   FUZZ_TIMEOUT    seconds one input may take before it counts as a hang (default 5)
#   FUZZ_ARGS       extra libFuzzer flags, e.g. FUZZ_ARGS='-jobs=2 -workers=2' or '-seed=1'
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
which_targets=${1:-all}
runs=${2:-10000000}
addon_dir=${FUZZ_ADDON_DIR:-$root/addon}
build_dir=$root/fuzz/build
clang_version=${CLANG_VERSION:-14}
max_len=${FUZZ_MAX_LEN:-4096}
timeout_s=${FUZZ_TIMEOUT:-5}

usage() {
  echo "usage: $0 [connector|taskstats|all] [RUNS]   (RUNS defaults to 10000000)" >&2
  exit 2
}
case "$which_targets" in
  connector | taskstats) targets=("$which_targets") ;;
  all) targets=(connector taskstats) ;;
  -h | --help) usage ;;
  *) usage ;;
esac
[[ "$runs" =~ ^[0-9]+$ ]] || usage

# Target name -> the decoder source it fuzzes, in the addon directory (fuzz/<target>_decoder_fuzzer.cc drives it).
sources_of() {
  case "$1" in
    connector) echo "proc_event_decoder.cc" ;;
    taskstats) echo "taskstats_decoder.cc" ;;
  esac
}

# --- toolchain -------------------------------------------------------------------------------------

probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
printf '#include <cstddef>\n#include <cstdint>\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n' >"$probe_dir/probe.cc"

# True when $1 can build and link a libFuzzer binary with ASan and UBSan.
can_fuzz() {
  command -v "$1" >/dev/null 2>&1 &&
    "$1" -fsanitize=fuzzer,address,undefined -o "$probe_dir/probe" "$probe_dir/probe.cc" >/dev/null 2>&1
}

find_compiler() {
  local candidate
  for candidate in "${CXX_FUZZ:-}" "clang++-$clang_version" clang++; do
    [[ -n "$candidate" ]] && can_fuzz "$candidate" && { echo "$candidate"; return 0; }
  done
  return 1
}

if ! cxx=$(find_compiler); then
  # Debian 12: clang-14 only *recommends* libclang-rt-14-dev, which holds libFuzzer and the
  # sanitizer runtimes (libclang_rt.fuzzer-x86_64.a, asan, ubsan_standalone).
  packages=("clang-$clang_version" "libclang-rt-$clang_version-dev")
  echo "fuzz: installing ${packages[*]} from Debian" >&2
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "fuzz: need root (or sudo) to apt-get install ${packages[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  if ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${packages[@]}" >&2; then
    "${sudo[@]}" apt-get update >&2
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${packages[@]}" >&2
  fi
  cxx=$(find_compiler) || { echo "fuzz: clang++-$clang_version still cannot link -fsanitize=fuzzer,address,undefined" >&2; exit 1; }
fi
echo "fuzz: compiler $(command -v "$cxx") ($("$cxx" --version | head -1))"

cxxflags=(-std=c++17 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all)

# --- build and run ---------------------------------------------------------------------------------

# UBSan reports are already fatal (-fno-sanitize-recover=all); make them say where.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

summaries=()
status=0

stat_of() { sed -n "s/^stat::$1:[[:space:]]*//p" "$2" | tail -1; }

# CPU seconds (user + system) this shell's finished children have used so far: on a busy machine the
# fuzzer's CPU time says more than its wall time. `times` must run in this shell, not in $(...).
children_cpu() {
  times >"$probe_dir/times"
  tail -n 1 "$probe_dir/times" | awk '{
    total = 0
    for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); total += t[1] * 60 + t[2] }
    printf "%.1f", total
  }'
}

run_target() {
  local target=$1
  local fuzzer_src=$root/fuzz/${target}_decoder_fuzzer.cc
  local decoder_src
  decoder_src=$addon_dir/$(sources_of "$target")
  if [[ ! -f "$decoder_src" ]]; then
    if [[ "$which_targets" == all ]]; then
      summaries+=("$target: skipped: $decoder_src does not exist in this checkout")
      return 0
    fi
    echo "fuzz: $decoder_src does not exist" >&2
    return 1
  fi

  local bin=$build_dir/${target}_decoder_fuzzer
  local work_corpus=$build_dir/corpus/$target
  local artifacts=$build_dir/artifacts/$target/
  local log=$build_dir/$target.log
  mkdir -p "$build_dir" "$work_corpus" "$artifacts"

  echo "fuzz: building $target against $addon_dir"
  if ! "$cxx" "${cxxflags[@]}" -I "$addon_dir" -o "$bin" "$fuzzer_src" "$decoder_src"; then
    summaries+=("$target: BUILD FAILED")
    return 1
  fi

  local args=(-runs="$runs" -max_len="$max_len" -timeout="$timeout_s" -print_final_stats=1 -artifact_prefix="$artifacts")
  [[ -f "$root/fuzz/$target.dict" ]] && args+=(-dict="$root/fuzz/$target.dict")
  # shellcheck disable=SC2206 # FUZZ_ARGS is a list of flags on purpose
  args+=(${FUZZ_ARGS:-})
  # New inputs go to the first directory (fuzz/build, ignored); the committed seeds are only read.
  local corpora=("$work_corpus")
  [[ -d "$root/fuzz/corpus/$target" ]] && corpora+=("$root/fuzz/corpus/$target")

  echo "fuzz: running $target for $runs inputs (full log: ${log#"$root"/})"
  local start end rc=0 cpu_before cpu_after
  children_cpu >"$probe_dir/cpu" && cpu_before=$(<"$probe_dir/cpu")
  start=$(date +%s.%N)
  set +e
  "$bin" "${args[@]}" "${corpora[@]}" >"$log" 2>&1 &
  local pid=$!
  # Progress: libFuzzer's pulse lines (powers of two) as they come.
  tail -n +1 --pid="$pid" -f "$log" 2>/dev/null | grep --line-buffered -E '^#[0-9]+[[:space:]]+(INITED|pulse|DONE)' || true
  wait "$pid"
  rc=$?
  set -e
  end=$(date +%s.%N)
  children_cpu >"$probe_dir/cpu" && cpu_after=$(<"$probe_dir/cpu")

  local wall cpu execs per_sec new_units rss final cov ft corp
  wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
  cpu=$(awk -v a="$cpu_before" -v b="$cpu_after" 'BEGIN { printf "%.1f", b - a }')
  execs=$(stat_of number_of_executed_units "$log")
  # libFuzzer's own average divides by whole seconds; use the measured wall time instead.
  per_sec=$(awk -v n="${execs:-0}" -v s="$start" -v e="$end" 'BEGIN { printf "%d", (e > s) ? n / (e - s) : 0 }')
  new_units=$(stat_of new_units_added "$log")
  rss=$(stat_of peak_rss_mb "$log")
  final=$(grep -E '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse|INITED)' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$final")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$final")
  corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$final")

  local line="$target: execs ${execs:-?}, ${per_sec:-?} exec/s, cov ${cov:-?} ft ${ft:-?}, corpus ${corp:-?} (${new_units:-?} units added), peak RSS ${rss:-?} MB, wall ${wall}s, CPU ${cpu}s"
  if [[ $rc -ne 0 ]]; then
    local found
    found=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tr '\n' ' ')
    line+=", FINDING (exit $rc): ${found:-see $log}"
    echo "---- $target: what went wrong (full report: $log) ----" >&2
    grep -E 'invariant broken|==ERROR|runtime error:|SUMMARY:|Test unit written|^Base64:' "$log" >&2 || tail -n 40 "$log" >&2
    [[ -n "$found" ]] && echo "reproduce: $bin $found" >&2
    status=1
  else
    line+=", findings 0"
  fi
  summaries+=("$line")
}

for target in "${targets[@]}"; do
  run_target "$target" || status=1
done

echo
echo "==== fuzz summary ($runs runs per target) ===="
printf '%s\n' "${summaries[@]}"
exit "$status"
