#!/usr/bin/env bash
# The login pipeline's own overhead: from the redirect reaching `login`'s loopback listener to
# its final output, minus the time spent waiting on the provider (token, keys and userinfo
# requests). `login` measures both and reports them in its JSON (`timing`); this script runs RUNS
# logins against a sandbox that approves at once (`sandbox --approve`), with curl as the browser,
# and prints the medians.
#
# Usage (from the repository root, on an idle machine):
#
#     bash benches/login.sh            # RUNS=30
#     RUNS=10 bash benches/login.sh
#
# Needs: cargo, curl, python3.
set -euo pipefail

RUNS="${RUNS:-30}"
BIN=target/release/itsme-cli

if [[ ! -f Cargo.toml || ! -d benches ]]; then
    echo "run this from the repository root: bash benches/login.sh" >&2
    exit 2
fi
command -v curl > /dev/null || { echo "curl is needed (it plays the browser)" >&2; exit 2; }

cargo build --release --quiet

work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
    [[ -n "$sandbox_pid" ]] && kill "$sandbox_pid" 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$BIN" keys generate --out "$work/keys" > /dev/null
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
redirect="http://127.0.0.1:$port/callback"

"$BIN" sandbox -o json --port 0 --approve --client-id bench-client \
    --client-jwks "$work/keys/public.jwks.json" --redirect-uri "$redirect" > "$work/ready.json" &
sandbox_pid=$!
for _ in $(seq 100); do
    [[ -s "$work/ready.json" ]] && break
    sleep 0.05
done
issuer="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["issuer"])' "$work/ready.json")"

# The "browser": follow the authorization request's redirects to the listener, in the background
# as a real browser launcher returns at once.
cat > "$work/browser.sh" << 'EOF'
#!/bin/sh
curl -s -L -o /dev/null "$1" &
exit 0
EOF
chmod +x "$work/browser.sh"

for i in $(seq "$RUNS"); do
    BROWSER="$work/browser.sh" DISPLAY="" WAYLAND_DISPLAY="" "$BIN" login -o json \
        --issuer "$issuer" --client-id bench-client --redirect-uri "$redirect" \
        --keys "$work/keys/private.jwks.json" --scope profile --timeout 30 \
        > "$work/login-$i.json" 2> /dev/null
done

python3 - "$work" "$RUNS" << 'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
reports = [json.load(open(f"{work}/login-{i}.json")) for i in range(1, runs + 1)]
assert all(r["valid"] for r in reports), "a login was not valid"
def median(name):
    return statistics.median(r["timing"][name] for r in reports)
print(f"{runs} logins against `sandbox --approve` (private_key_jwt, request object, nested ID token and userinfo, scope profile)")
print(f"  after the redirect, to the output: median {median('after_redirect_ms'):.2f} ms")
print(f"  of which waiting on the provider:  median {median('provider_ms'):.2f} ms (token, keys, userinfo requests)")
print(f"  of which itsme-cli's own work:     median {median('own_ms'):.2f} ms (assertion, 2 decryptions, 2 verifications, checks, output)")
PY
