#!/usr/bin/env bash
# itsme-cli next to its peers and to the physical limit, in ONE run on ONE machine.
#
# Every tool does the same work on the same token, the `id_token_nested` vector of
# tests/vectors/vectors.json (a JWE RSA-OAEP-256/A128CBC-HS256 around a JWS RS256, 2048-bit keys):
# decrypt with the partner's private enc key (tests/vectors/partner-private.jwks.json), verify
# RS256 with the provider's public key (tests/vectors/provider.jwks.json), validate iss, aud
# (client_id), nonce, and exp/nbf/iat against the fixed "now" of vectors.json with a 60 s skew.
#
#   (a) itsme-cli decode-token: one process per token (median of RUNS) and --batch (N tokens);
#   (b) python jwcrypto (benches/peers/jwcrypto_peer.py, pins in benches/peers/requirements.txt):
#       one process per token, and an in-process loop over N tokens;
#   (c) node jose (benches/peers/jose_peer.mjs, pinned by benches/peers/package-lock.json):
#       the same two modes;
#   (d) the raw limit: one RSA-2048 private-key and one public-key operation, from
#       `openssl speed -seconds SECONDS_SPEED rsa2048` (single-threaded);
#   (e) process start-up: itsme-cli --version, node -e 0, python3 -c pass (venv), /bin/true;
#   (f) peak memory (max RSS) of each single-token and each batch run.
# Every result is checked (valid token, N valid outputs); any failure stops the script.
#
# Usage (from the repository root; the machine should be otherwise idle, nothing in parallel):
#
#     bash benches/peers.sh                      # N=2000 RUNS=30 SECONDS_SPEED=3
#     N=200 RUNS=5 SECONDS_SPEED=1 bash benches/peers.sh
#
# Knobs: N (tokens per batch / loop), RUNS (timed runs per single-process command),
# SECONDS_SPEED (duration of each openssl speed test). RSS_TOOL=getrusage forces the python
# fallback for peak memory (otherwise GNU /usr/bin/time -f %M when it works).
#
# Prints progress on stderr and, on stdout, a Markdown table ready for docs/benchmarks.md.
#
# Needs: cargo, bash >= 5 (EPOCHREALTIME: nothing but the measured process is forked inside a
# timed interval), python3 with venv + pip (installs the pins into target/bench-venv when that is
# missing or stale), node + npm (runs `npm ci --prefix benches/peers` when node_modules is
# missing or stale), openssl. Registries are used only to install the pinned peers.
set -euo pipefail
export LC_ALL=C # a '.' in EPOCHREALTIME, plain sort -n

N="${N:-2000}"
RUNS="${RUNS:-30}"
SECONDS_SPEED="${SECONDS_SPEED:-3}"
WARMUP=3 # untimed runs of each single-process command before the RUNS timed rounds
BATCH_WARMUP=50 # tokens in the untimed warm-up run of each batch command

VECTORS=tests/vectors
PEERS=benches/peers
BIN=target/release/itsme-cli
VENV=target/bench-venv

log() { printf '%s\n' "$*" >&2; }
die() {
    log "peers.sh: $*"
    exit 1
}

if [[ ! -f Cargo.toml || ! -f "$VECTORS/vectors.json" || ! -f "$PEERS/jose_peer.mjs" ]]; then
    log "run this from the repository root of itsme-cli: bash benches/peers.sh"
    exit 2
fi
if [[ -z "${EPOCHREALTIME:-}" ]]; then
    log "bash >= 5 is needed (EPOCHREALTIME)"
    exit 2
fi
for knob in N RUNS SECONDS_SPEED; do
    [[ "${!knob}" =~ ^[1-9][0-9]*$ ]] || { log "$knob must be a positive integer, not '${!knob}'"; exit 2; }
done
for tool in cargo python3 node npm openssl; do
    command -v "$tool" > /dev/null || { log "peers.sh needs $tool on PATH"; exit 2; }
done

# --- set-up (nothing here is timed) -------------------------------------------------------------
log "building itsme-cli (cargo build --release)…"
cargo build --release --quiet
[[ -x "$BIN" ]] || die "no $BIN after cargo build --release"

# The python peer: a venv with the pins, made again when requirements.txt changed.
if [[ ! -x "$VENV/bin/python3" ]] || ! cmp -s "$PEERS/requirements.txt" "$VENV/.requirements.txt"; then
    log "installing $PEERS/requirements.txt into $VENV…"
    rm -rf "$VENV"
    python3 -m venv "$VENV" || die "python3 -m venv failed (is the venv module installed?)"
    "$VENV/bin/python3" -m pip install --quiet --disable-pip-version-check -r "$PEERS/requirements.txt" ||
        die "pip install -r $PEERS/requirements.txt failed"
    cp "$PEERS/requirements.txt" "$VENV/.requirements.txt"
fi
PY="$VENV/bin/python3"

# The node peer: exactly what package-lock.json says.
jose_pin="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["packages"]["node_modules/jose"]["version"])' "$PEERS/package-lock.json")"
jose_installed="$("$PY" -c 'import json,sys
try: print(json.load(open(sys.argv[1]))["version"])
except OSError: print("none")' "$PEERS/node_modules/jose/package.json")"
if [[ "$jose_installed" != "$jose_pin" ]]; then
    log "installing jose $jose_pin (npm ci --prefix $PEERS)…"
    npm ci --prefix "$PEERS" --no-audit --no-fund --loglevel=error >&2 || die "npm ci --prefix $PEERS failed"
fi

NODE="$(type -P node)"
TRUE="$(type -P true)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The token, N copies of it, and the constants it is validated against.
mapfile -t constants < <("$PY" - "$VECTORS/vectors.json" "$work" "$N" "$BATCH_WARMUP" <<'PY'
import json, sys
vectors_path, work, n, warm = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with open(vectors_path) as f:
    vectors = json.load(f)
token = next(v["token"] for v in vectors["vectors"] if v["name"] == "id_token_nested")
for name, count in (("token.txt", 1), ("tokens.txt", n), ("warmup.txt", warm)):
    with open(f"{work}/{name}", "w") as f:
        f.write((token + "\n") * count)
c = vectors["constants"]
for name in ("issuer", "client_id", "nonce", "now"):
    print(c[name])
PY
)
[[ "${#constants[@]}" -eq 4 ]] || die "could not read the vector and its constants from $VECTORS/vectors.json"
# itsme-cli rightly warns about a private key file readable by others (the checked-in vectors are
# mode 644); every tool gets the same mode-600 copy so that itsme-cli takes its normal silent path.
install -m 600 "$VECTORS/partner-private.jwks.json" "$work/partner-private.jwks.json"
flags=(
    --keys "$work/partner-private.jwks.json"
    --jwks "$VECTORS/provider.jwks.json"
    --issuer "${constants[0]}"
    --client-id "${constants[1]}"
    --nonce "${constants[2]}"
    --now "${constants[3]}"
)

# Peak memory: GNU time's %M (max RSS in KiB), else python's getrusage(RUSAGE_CHILDREN) in a
# wrapper; either way in runs of their own, never in a timed one. Result in $work/rss.txt.
if [[ "${RSS_TOOL:-}" != getrusage && -x /usr/bin/time ]] &&
    /usr/bin/time -f %M -o "$work/rss.txt" "$TRUE" 2> /dev/null &&
    [[ "$(tail -n 1 "$work/rss.txt")" =~ ^[0-9]+$ ]]; then
    rss_how="GNU time %M"
    rss_prefix=(/usr/bin/time -f %M -o "$work/rss.txt")
else
    rss_how="python resource.getrusage(RUSAGE_CHILDREN) wrapper"
    # -I -S: as small as python gets. Linux counts the RSS of the process that calls exec in the
    # child's max RSS, so no value can be below this wrapper's own (measured below on /bin/true).
    rss_prefix=("$PY" -I -S -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$work/rss.txt")
fi
declare -A rss_kib=() # name -> KiB
record_rss() { rss_kib[$1]="$(tail -n 1 "$work/rss.txt")"; }
rss_floor_kib=0 # values of the fallback at this floor only say "at most this much"
if [[ "$rss_how" != "GNU time %M" ]]; then
    "${rss_prefix[@]}" "$TRUE" || die "the peak-memory wrapper does not work"
    rss_floor_kib="$(tail -n 1 "$work/rss.txt")"
fi

# --- the commands --------------------------------------------------------------------------------
# Functions, so that calling one forks nothing but the measured process. `wrap` is empty, except
# in with_rss, which runs the same command under the peak-memory wrapper.
wrap=()
with_rss() {
    local wrap=("${rss_prefix[@]}")
    "$@"
}
cmd_itsme_single() { "${wrap[@]}" "$BIN" decode-token "@$work/token.txt" -o json "${flags[@]}"; }
cmd_jwcrypto_single() { "${wrap[@]}" "$PY" "$PEERS/jwcrypto_peer.py" single "$work/token.txt" "${flags[@]}"; }
cmd_jose_single() { "${wrap[@]}" "$NODE" "$PEERS/jose_peer.mjs" single "$work/token.txt" "${flags[@]}"; }
cmd_itsme_version() { "${wrap[@]}" "$BIN" --version; }
cmd_node_start() { "${wrap[@]}" "$NODE" -e 0; }
cmd_python_start() { "${wrap[@]}" "$PY" -c pass; }
cmd_true() { "${wrap[@]}" "$TRUE"; }
singles=(itsme_single jwcrypto_single jose_single itsme_version node_start python_start true)

# $1 = tokens file: the batch commands read it (itsme-cli on stdin, as --batch does).
cmd_itsme_batch1() { "${wrap[@]}" "$BIN" decode-token --batch --jobs 1 -o json "${flags[@]}" < "$1"; }
cmd_itsme_batch() { "${wrap[@]}" "$BIN" decode-token --batch -o json "${flags[@]}" < "$1"; }
cmd_jwcrypto_batch() { "${wrap[@]}" "$PY" "$PEERS/jwcrypto_peer.py" batch "$1" "${flags[@]}"; }
cmd_jose_batch() { "${wrap[@]}" "$NODE" "$PEERS/jose_peer.mjs" batch "$1" "${flags[@]}"; }
batches=(itsme_batch1 itsme_batch jwcrypto_batch jose_batch)

# What went wrong, from an output file: itsme-cli's "errors" (first report with any), else its start.
explain() {
    "$PY" - "$1" <<'PY' || head -c 2000 "$1"
import json, sys
text = open(sys.argv[1]).read()
for chunk in [text] + text.splitlines():
    try:
        report = json.loads(chunk)
    except ValueError:
        continue
    if isinstance(report, dict) and report.get("errors"):
        print(json.dumps(report["errors"], ensure_ascii=False))
        sys.exit(0)
print(text[:2000])
PY
}

# Exit 0 when the output file $2 of command $1 shows a valid decode (N valid ones for a batch).
check_output() {
    "$PY" - "$1" "$2" "$3" <<'PY'
import json, sys
name, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(path).read()
if name == "itsme_single":
    ok = json.loads(text).get("valid") is True
elif name in ("jwcrypto_single", "jose_single"):
    ok = json.loads(text).get("valid") is True
elif name in ("itsme_batch", "itsme_batch1"):
    lines = [json.loads(l) for l in text.splitlines() if l.strip()]
    ok = len(lines) == n and all(l.get("valid") is True for l in lines)
elif name in ("jwcrypto_batch", "jose_batch"):
    r = json.loads(text)
    ok = r["n"] == n and r["valid"] == n and r["seconds"] > 0
elif name == "itsme_version":
    ok = text.startswith("itsme-cli ")
else:
    ok = True
sys.exit(0 if ok else 1)
PY
}

read -r load_start _ < /proc/loadavg
if awk -v l="$load_start" -v c="$(nproc)" 'BEGIN { exit !(l > 0.25 * c) }'; then
    log "WARNING: load average $load_start on $(nproc) CPUs: the machine is not idle, the numbers will be noisy"
fi

# --- (d) the raw limit ----------------------------------------------------------------------------
log "openssl speed -seconds $SECONDS_SPEED rsa2048 (single-threaded)…"
openssl speed -seconds "$SECONDS_SPEED" rsa2048 > "$work/speed.txt" 2> "$work/speed.err" ||
    die "openssl speed failed: $(cat "$work/speed.err")"
# The header names the columns ("sign verify sign/s verify/s", more in OpenSSL >= 3.2); the row
# "rsa 2048 bits …" has the values. sign = one private-key operation, verify = one public.
read -r sign_rate verify_rate < <(awk '
    /sign\/s/ { for (i = 1; i <= NF; i++) col[$i] = i }
    $1 == "rsa" && $2 == "2048" && $3 == "bits" {
        for (i = 4; i <= NF; i++) v[i - 3] = $i
        print v[col["sign/s"]], v[col["verify/s"]]
    }' "$work/speed.txt")
[[ "${sign_rate:-}" =~ ^[0-9.]+$ && "${verify_rate:-}" =~ ^[0-9.]+$ ]] ||
    die "could not read sign/s and verify/s from openssl speed: $(cat "$work/speed.txt")"

# --- (a, b, c, e, f) one process per token, and start-up -----------------------------------------
log "checking every command once and measuring its peak RSS…"
for name in "${singles[@]}"; do
    with_rss "cmd_$name" > "$work/$name.out" < /dev/null || die "$name failed: $(explain "$work/$name.out")"
    record_rss "$name"
    check_output "$name" "$work/$name.out" 1 || die "$name: the result is not a valid decode: $(explain "$work/$name.out")"
done

log "single-process runs: $WARMUP untimed, then $RUNS timed rounds, the commands interleaved…"
for name in "${singles[@]}"; do
    for ((i = 0; i < WARMUP; i++)); do "cmd_$name" > /dev/null < /dev/null || die "$name failed"; done
done
declare -A times_us=() # name -> " us us us …"
for ((run = 1; run <= RUNS; run++)); do
    for name in "${singles[@]}"; do
        t0=$EPOCHREALTIME
        "cmd_$name" > /dev/null < /dev/null || die "$name failed in timed run $run"
        t1=$EPOCHREALTIME
        times_us[$name]+=" $((10#${t1/[.,]/} - 10#${t0/[.,]/}))"
    done
done

median_of() { # numbers as words -> their median
    # shellcheck disable=SC2086 # word splitting wanted
    printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
declare -A median_us=()
for name in "${singles[@]}"; do median_us[$name]="$(median_of "${times_us[$name]}")"; done

# --- (a, b, c, f) batches --------------------------------------------------------------------------
declare -A batch_wall_us=() batch_loop_s=()
for name in "${batches[@]}"; do
    log "$name: warm-up ($BATCH_WARMUP tokens), then $N tokens timed, then a run for its peak RSS…"
    "cmd_$name" "$work/warmup.txt" > "$work/$name.out" < /dev/null || die "$name warm-up failed"
    check_output "$name" "$work/$name.out" "$BATCH_WARMUP" || die "$name warm-up: not all valid: $(explain "$work/$name.out")"

    t0=$EPOCHREALTIME
    "cmd_$name" "$work/tokens.txt" > "$work/$name.out" < /dev/null || die "$name failed"
    t1=$EPOCHREALTIME
    batch_wall_us[$name]=$((10#${t1/[.,]/} - 10#${t0/[.,]/}))
    check_output "$name" "$work/$name.out" "$N" || die "$name: not all $N results are valid: $(explain "$work/$name.out")"
    if [[ "$name" != itsme_batch* ]]; then
        batch_loop_s[$name]="$("$PY" -c 'import json,sys; print(repr(json.load(open(sys.argv[1]))["seconds"]))' "$work/$name.out")"
    fi

    with_rss "cmd_$name" "$work/tokens.txt" > "$work/$name.out" < /dev/null || die "$name failed (RSS run)"
    record_rss "$name"
    check_output "$name" "$work/$name.out" "$N" || die "$name (RSS run): not all $N results are valid: $(explain "$work/$name.out")"
done
read -r load_end _ < /proc/loadavg

# --- versions and the table -------------------------------------------------------------------------
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)"
linked="$(ldd "$BIN" 2> /dev/null || true)" # (no `ldd | grep -q`: with pipefail, SIGPIPE fails it)
if [[ "$linked" == *libcrypto.so* ]]; then itsme_ssl="links the system libcrypto"; else itsme_ssl="OpenSSL linked statically"; fi
commit="$(git rev-parse --short HEAD 2> /dev/null || echo unknown)"
if [[ -n "$(git status --porcelain --untracked-files=no 2> /dev/null || true)" ]]; then commit+="+dirty"; fi

results="$work/results.txt"
{
    echo "N=$N"
    echo "RUNS=$RUNS"
    echo "WARMUP=$WARMUP"
    echo "SECONDS_SPEED=$SECONDS_SPEED"
    echo "sign_rate=$sign_rate"
    echo "verify_rate=$verify_rate"
    for name in "${singles[@]}"; do echo "median_us.$name=${median_us[$name]}"; done
    for name in "${!rss_kib[@]}"; do echo "rss_kib.$name=${rss_kib[$name]}"; done
    for name in "${batches[@]}"; do echo "wall_us.$name=${batch_wall_us[$name]}"; done
    for name in "${!batch_loop_s[@]}"; do echo "loop_s.$name=${batch_loop_s[$name]}"; done
    echo "itsme_version=$(cat "$work/itsme_version.out")"
    echo "itsme_ssl=$itsme_ssl"
    echo "node_version=$("$NODE" --version)"
    echo "node_openssl=$("$NODE" -p process.versions.openssl)"
    echo "jose_version=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$PEERS/node_modules/jose/package.json")"
    "$PY" -c 'import sys, platform
from importlib.metadata import version
from cryptography.hazmat.backends.openssl.backend import backend
print("python_version=" + platform.python_version())
print("jwcrypto_version=" + version("jwcrypto"))
print("cryptography_version=" + version("cryptography"))
print("cryptography_openssl=" + backend.openssl_version_text())'
    echo "openssl_version=$(openssl version)"
    echo "nproc=$(nproc)"
    echo "cpu=$cpu"
    echo "load_start=$load_start"
    echo "load_end=$load_end"
    echo "rss_how=$rss_how"
    echo "rss_floor_kib=$rss_floor_kib"
    echo "commit=$commit"
    echo "command=N=$N RUNS=$RUNS SECONDS_SPEED=$SECONDS_SPEED bash benches/peers.sh"
} > "$results"

"$PY" - "$results" <<'PY'
import os, sys

r = {}
for line in open(sys.argv[1], encoding="utf-8"):
    key, _, value = line.rstrip("\n").partition("=")
    r[key] = value
n, runs = int(r["N"]), int(r["RUNS"])
med = {k.split(".", 1)[1]: float(v) for k, v in r.items() if k.startswith("median_us.")}
rss = {k.split(".", 1)[1]: int(v) for k, v in r.items() if k.startswith("rss_kib.")}
wall = {k.split(".", 1)[1]: int(v) for k, v in r.items() if k.startswith("wall_us.")}
loop = {k.split(".", 1)[1]: float(v) for k, v in r.items() if k.startswith("loop_s.")}
sign_rate, verify_rate = float(r["sign_rate"]), float(r["verify_rate"])
priv_us, pub_us = 1e6 / sign_rate, 1e6 / verify_rate
floor_us = med["itsme_version"] + priv_us + pub_us


def dur(us):
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} µs" if us >= 100 else f"{us:.1f} µs"


rss_floor = int(r["rss_floor_kib"])


def mib(name):
    if name not in rss:
        return "—"
    at_floor = rss[name] <= rss_floor * 1.03  # the fallback wrapper cannot see below its own RSS
    return ("≤ " if at_floor else "") + f"{rss[name] / 1024:.1f}"


def rate(per_s):
    return f"{per_s:,.0f}"


itsme = r["itsme_version"]
jose = f"node jose {r['jose_version']}"
jwc = f"python jwcrypto {r['jwcrypto_version']}"
rows = []


def single(tool, name):
    us = med[name]
    rows.append((tool, f"one process per token (median of {runs})", dur(us), rate(1e6 / us),
                 f"{us / floor_us:.1f}× floor", mib(name)))


def batch(tool, name, mode, seconds):
    per_s = n / seconds
    rows.append((tool, mode, dur(1e6 / per_s), rate(per_s), f"{100 * per_s / sign_rate:.0f} % of private-op rate",
                 mib(name)))


single(itsme, "itsme_single")
batch(itsme, "itsme_batch1", f"`--batch --jobs 1` (one thread), {n} tokens, whole process¹", wall["itsme_batch1"] / 1e6)
batch(itsme, "itsme_batch", f"`--batch` (default: {os.cpu_count()} workers, one per CPU), {n} tokens, whole process¹", wall["itsme_batch"] / 1e6)
single(jwc, "jwcrypto_single")
batch(jwc, "jwcrypto_batch", f"in-process loop, {n} tokens²", loop["jwcrypto_batch"])
single(jose, "jose_single")
batch(jose, "jose_batch", f"in-process loop, {n} tokens²", loop["jose_batch"])
rows.append((f"raw: OpenSSL {r['openssl_version'].split()[1]}", "one RSA-2048 private-key op (`openssl speed` sign/s)",
             dur(priv_us), f"{rate(sign_rate)} ops/s", "= 100 % (batch limit)", "—"))
rows.append(("raw", "one RSA-2048 public-key op (`openssl speed` verify/s)", dur(pub_us),
             f"{rate(verify_rate)} ops/s", "—", "—"))
rows.append(("raw", "private + public op", dur(priv_us + pub_us), rate(1e6 / (priv_us + pub_us)), "—", "—"))
rows.append(("floor", "`itsme-cli --version` + private op + public op", dur(floor_us), rate(1e6 / floor_us),
             "= 1.0× floor", "—"))
for name, what in (("itsme_version", "`itsme-cli --version`"), ("node_start", "`node -e 0`"),
                   ("python_start", "`python3 -c pass` (venv)"), ("true", "`/bin/true`")):
    rows.append(("start-up", f"{what} (median of {runs})", dur(med[name]), "—", "—", mib(name)))

print("| tool | mode | time per token | tokens/s | vs raw limit | peak RSS (MiB) |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for row in rows:
    print("| " + " | ".join(row) + " |")
print()
peer_wall = ", ".join(
    f"{label} {wall[name] / 1e6:.2f} s ({rate(n / (wall[name] / 1e6))} tokens/s)"
    for name, label in (("jwcrypto_batch", "jwcrypto"), ("jose_batch", "jose")))
print(f"¹ Wall time of the whole `itsme-cli decode-token --batch -o json` process reading {n} tokens on stdin "
      "and writing {n} JSON reports: process start-up and key loading included, amortised over N "
      "(bash `EPOCHREALTIME` around the process, after an untimed warm-up run).".replace("{n}", str(n)))
print(f"² Timed inside the interpreter (python `time.perf_counter()`, node `performance.now()`) around the "
      "loop only: interpreter start-up, module loading, reading the file and key import are excluded, which "
      "favours the peers. The same runs timed as whole processes, like ¹: " + peer_wall + ".")
print(f"One process per token: bash `EPOCHREALTIME` around each run (nothing but the measured process is "
      f"forked inside the interval), {r['WARMUP']} untimed runs each, then {runs} rounds with the commands "
      "interleaved; the median. Start-up, key loading and the one token included.")
print(f"vs raw limit: one process per token = median / floor, the floor being `itsme-cli --version` start-up "
      f"+ one private + one public RSA-2048 op ({dur(floor_us)}); batch = tokens/s ÷ the raw private-op rate "
      f"({rate(sign_rate)}/s). Each token needs one private op (RSA-OAEP-256 unwrap) and one public op "
      "(RS256 verify), so a batch cannot reach 100 %. `openssl speed` counts CPU seconds of one thread.")
floor_note = (f" The wrapper's own RSS ({rss_floor / 1024:.1f} MiB) is counted in each value: ≤ marks values at "
              "that floor, which only bound the command's peak from above." if rss_floor else "")
print(f"Peak RSS: max resident set size ({r['rss_how']}) of a separate, untimed run of the same command "
      f"(batches: {n} tokens).{floor_note}")
print("Every run's result is checked: exit status, `\"valid\":true` (all N for a batch); the peers decrypt "
      "with the partner's enc key (RSA-OAEP-256/A128CBC-HS256 only), verify RS256 with the provider's key (by "
      "kid), and check iss, aud, nonce, sub, exp/nbf/iat against the vector's fixed now with a 60 s skew "
      "(jose: `currentDate` + `clockTolerance`; jwcrypto: its check_claims `exp` limit, nbf/iat by hand).")
print()
load_note = "" if float(r["load_start"]) <= 0.25 * int(r["nproc"]) else " — NOT IDLE, numbers are noisy"
print(f"Machine: {r['nproc']} CPUs, {r['cpu']}; load average {r['load_start']} at start, {r['load_end']} at end"
      f"{load_note} (it should be idle). "
      f"Versions: {itsme} ({r['itsme_ssl']}), node {r['node_version']} (OpenSSL {r['node_openssl']}), jose "
      f"{r['jose_version']}, python {r['python_version']}, jwcrypto {r['jwcrypto_version']}, cryptography "
      f"{r['cryptography_version']} ({r['cryptography_openssl']}), {r['openssl_version']}. "
      f"N={n}, RUNS={runs}, SECONDS_SPEED={r['SECONDS_SPEED']}, commit {r['commit']}. "
      f"Command: `{r['command']}`")
PY
