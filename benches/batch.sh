#!/usr/bin/env bash
# End-to-end timing of the `itsme-cli` binary on the `id_token_nested` test vector
# (a JWE RSA-OAEP-256/A128CBC-HS256 around a JWS RS256, 2048-bit keys).
#
# Usage (from the repository root):
#
#     bash benches/batch.sh            # N=2000 tokens in one --batch run, 20 single-token runs
#     N=500 RUNS=10 bash benches/batch.sh
#
# What it prints:
#   1. --batch: N copies of the token, one per line, piped into
#        itsme-cli decode-token --batch -o json --keys … --jwks … --issuer … --client-id … --nonce … --now …
#      checks that every output line says "valid":true, and prints tokens/s and µs/token
#      (process start-up and key loading included, amortised over N).
#   2. one process per token (`decode-token @FILE -o json …`), RUNS times: the median wall time.
#   3. `itsme-cli --version`, RUNS times: the median start-up time of the binary, next to that of
#      /bin/true (the cost of starting any process from this script).
#   If `cargo bench --bench decode` has been run, the batch rate is also compared with its
#   raw RSA-2048 private-key operation (target/criterion/raw_rsa2048/...).
#
# Needs: cargo, python3 (to read tests/vectors/vectors.json), bash >= 5 (EPOCHREALTIME, so no
# process is forked inside a timed interval). Uses hyperfine for 2. and 3. when it is installed.
# The machine should be otherwise idle; nothing runs in parallel.
set -euo pipefail

N="${N:-2000}"
RUNS="${RUNS:-20}"
VECTORS=tests/vectors
BIN=target/release/itsme-cli

if [[ ! -f Cargo.toml || ! -f "$VECTORS/vectors.json" ]]; then
    echo "run this from the repository root: bash benches/batch.sh" >&2
    exit 2
fi
if [[ -z "${EPOCHREALTIME:-}" ]]; then
    echo "bash >= 5 is needed (EPOCHREALTIME)" >&2
    exit 2
fi

cargo build --release --quiet

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The token, N copies of it, and the constants it is validated against.
mapfile -t constants < <(python3 - "$VECTORS/vectors.json" "$work" "$N" <<'PY'
import json, sys
vectors_path, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(vectors_path) as f:
    vectors = json.load(f)
token = next(v["token"] for v in vectors["vectors"] if v["name"] == "id_token_nested")
with open(f"{work}/token.txt", "w") as f:
    f.write(token + "\n")
with open(f"{work}/tokens.txt", "w") as f:
    f.write((token + "\n") * n)
c = vectors["constants"]
for name in ("issuer", "client_id", "nonce", "now"):
    print(c[name])
PY
)
if [[ "${#constants[@]}" -ne 4 ]]; then
    echo "could not read the vector and its constants from $VECTORS/vectors.json" >&2
    exit 2
fi
# The tool rightly warns about a private key file readable by others (the checked-in vectors are
# mode 644); give it a mode-600 copy so that the timed runs take the normal, silent path.
install -m 600 "$VECTORS/partner-private.jwks.json" "$work/partner-private.jwks.json"
flags=(
    --keys "$work/partner-private.jwks.json"
    --jwks "$VECTORS/provider.jwks.json"
    --issuer "${constants[0]}"
    --client-id "${constants[1]}"
    --nonce "${constants[2]}"
    --now "${constants[3]}"
)

# Microseconds between two $EPOCHREALTIME readings (read them directly: `$(…)` would fork).
elapsed_us() {
    local a="${1/[.,]/}" b="${2/[.,]/}"
    echo "$((10#$b - 10#$a))"
}

median() { # numbers on stdin -> their median
    sort -n | awk '{ v[NR] = $1 } END { printf "%.2f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "binary:  $BIN ($("$BIN" --version))"
echo "token:   id_token_nested, $(($(wc -c < "$work/token.txt") - 1)) bytes"
echo

# --- 1. batch -------------------------------------------------------------------------------
# Warm-up (page cache, CPU frequency), not timed.
head -n 50 "$work/tokens.txt" | "$BIN" decode-token --batch -o json "${flags[@]}" > /dev/null || true

status=0
t0=$EPOCHREALTIME
"$BIN" decode-token --batch -o json "${flags[@]}" < "$work/tokens.txt" > "$work/out.jsonl" || status=$?
t1=$EPOCHREALTIME
lines="$(wc -l < "$work/out.jsonl")"
# Each line is {"line":…,"valid":…,…}; count the ones whose top-level verdict is valid.
valid="$(grep -c '^{"line":[0-9]*,"valid":true,' "$work/out.jsonl" || true)"
if [[ "$status" -ne 0 || "$lines" -ne "$N" || "$valid" -ne "$N" ]]; then
    echo "batch FAILED: exit $status, $lines lines, $valid valid (expected $N)" >&2
    head -c 2000 "$work/out.jsonl" >&2
    exit 1
fi
batch_us="$(elapsed_us "$t0" "$t1")"
rate="$(awk -v n="$N" -v us="$batch_us" 'BEGIN { printf "%.0f", n / (us / 1e6) }')"
per_token="$(awk -v n="$N" -v us="$batch_us" 'BEGIN { printf "%.1f", us / n }')"
echo "batch:   $N tokens in $(awk -v us="$batch_us" 'BEGIN { printf "%.3f", us / 1e6 }') s, all $valid valid"
echo "         $rate tokens/s, $per_token µs/token"

raw="target/criterion/raw_rsa2048/private_decrypt_oaep256/new/estimates.json"
if [[ -f "$raw" ]]; then
    python3 - "$raw" "$per_token" <<'PY'
import json, sys
median_ns = json.load(open(sys.argv[1]))["median"]["point_estimate"]
per_token_us = float(sys.argv[2])
raw_rate = 1e9 / median_ns
print(f"         raw RSA-2048 private op (criterion median {median_ns / 1000:.1f} µs): {raw_rate:.0f} ops/s;"
      f" batch = {100 * (median_ns / 1000) / per_token_us:.1f}% of that rate")
PY
fi
echo

# --- 2. and 3. one process per run ----------------------------------------------------------
single=("$BIN" decode-token "@$work/token.txt" -o json "${flags[@]}")
version=("$BIN" --version)
floor=("$(type -P true)")

# Checks the single-token run once, outside the timing.
"${single[@]}" > "$work/single.json.out"
if ! grep -q '^  "valid": true,' "$work/single.json.out"; then
    echo "single-token run FAILED: the report is not valid" >&2
    exit 1
fi

if command -v hyperfine > /dev/null; then
    hyperfine --shell=none --warmup 3 --runs "$RUNS" --export-json "$work/single.json" \
        --output=null "${single[*]}" > /dev/null
    hyperfine --shell=none --warmup 3 --runs "$RUNS" --export-json "$work/version.json" \
        --output=null "${version[*]}" > /dev/null
    hyperfine --shell=none --warmup 3 --runs "$RUNS" --export-json "$work/floor.json" \
        --output=null "${floor[*]}" > /dev/null
    single_ms="$(python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1e3))' "$work/single.json")"
    version_ms="$(python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1e3))' "$work/version.json")"
    floor_ms="$(python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1e3))' "$work/floor.json")"
    how="hyperfine, $RUNS runs after 3 warm-up runs"
else
    time_runs() { # command... -> one wall time in ms per line, RUNS lines (after 3 untimed runs)
        local i t0 t1
        for i in 1 2 3; do "$@" > /dev/null; done
        for ((i = 0; i < RUNS; i++)); do
            t0=$EPOCHREALTIME
            "$@" > /dev/null
            t1=$EPOCHREALTIME
            awk -v us="$(elapsed_us "$t0" "$t1")" 'BEGIN { printf "%.3f\n", us / 1000 }'
        done
    }
    single_ms="$(time_runs "${single[@]}" | median)"
    version_ms="$(time_runs "${version[@]}" | median)"
    floor_ms="$(time_runs "${floor[@]}" | median)"
    how="bash EPOCHREALTIME, $RUNS runs after 3 untimed runs"
fi
echo "single:  decode-token @token.txt (one process per token): median $single_ms ms  ($how)"
echo "startup: itsme-cli --version: median $version_ms ms  (/bin/true: $floor_ms ms)"
