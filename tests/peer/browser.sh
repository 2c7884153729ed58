#!/bin/sh
# BROWSER for tests/it/peer.rs: `xdg-open` (used by the `open` crate) runs `$BROWSER <url>` when there is no
# desktop. Start the real headless Chromium login in the background and return at once, as a real
# browser launcher does. PEER_BROWSER_LOG (if set) gets what the script did.
log="${PEER_BROWSER_LOG:-/dev/null}"
node "$(dirname "$0")/browser.mjs" "$1" >>"$log" 2>&1 &
exit 0
