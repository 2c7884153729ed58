#!/bin/sh
# BROWSER for `itsme-cli ciba --sandbox` in tests/it/peer_ciba.rs: the tool opens the sandbox's phone
# page (what the QR code encodes) through `xdg-open`, which runs `$BROWSER <url>`. Note the URL, start
# the real headless Chromium playing the phone in the background, and return at once.
log="${PHONE_LOG:-/dev/null}"
echo "opened $1" >>"$log"
node "$(dirname "$0")/phone.mjs" "$1" >>"$log" 2>&1 &
exit 0
