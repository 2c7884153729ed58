#!/usr/bin/env bash
# Measures `itsme-cli ciba` while it waits (issue 15): requests per interval and CPU used between
# polls, in a run against the built-in sandbox. Not a timed test: run it by hand,
#   bash benches/ciba_wait.sh [WAIT_SECONDS]
# `ciba --sandbox` opens the phone page through $BROWSER; here that is a script that waits
# WAIT_SECONDS, then lets the real headless Chromium (tests/peer/phone.mjs) scan and approve. The
# sandbox's interval is 5 s at the discovery session and at the token endpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
# Below 60 s: the phone opens the first QR code, whose token the sandbox honours 60 s.
WAIT="${1:-50}"
# A debug build is enough: what is measured is the waiting, not the work.
cargo build -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/browser.sh" <<SH
#!/bin/sh
( sleep $WAIT; node "$PWD/tests/peer/phone.mjs" "\$1" ) >>"$work/phone.log" 2>&1 &
exit 0
SH
chmod +x "$work/browser.sh"
env -u DISPLAY -u WAYLAND_DISPLAY -u XDG_CURRENT_DESKTOP BROWSER="$work/browser.sh" \
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" \
    target/debug/itsme-cli ciba --sandbox -o json >"$work/report.json" 2>"$work/stderr" \
    || { cat "$work/stderr" "$work/phone.log" >&2; }
python3 - "$work" "$WAIT" <<'PY'
import json, sys
work, wait = sys.argv[1], float(sys.argv[2])
report = json.load(open(f"{work}/report.json"))
elapsed, user, system, rss = open(f"{work}/time").read().split()
r = report["requests"]
print(f"valid={report['valid']}  phone scans after {wait:.0f} s; flow {r['waited_s']} s, process wall {elapsed} s")
print(f"discovery requests: {r['discovery']} (create + polls; at 5 s: at most {int(r['waited_s'] // 5) + 1} possible)")
print(f"backchannel: {r['backchannel']}, token requests: {r['token']}, QR codes shown: {report['discovery']['qr_codes']}")
print(f"CPU: user {user} s + system {system} s = {float(user) + float(system):.2f} s over {elapsed} s of wall time; peak RSS {int(rss) / 1024:.1f} MiB")
PY
