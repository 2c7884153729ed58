#!/bin/sh
# BROWSER for tests: `xdg-open` (used by the `open` crate) runs `$BROWSER <url>` when there is no
# desktop. Act in the background and return at once, as a real browser launcher does.
if ! command -v python3 >/dev/null 2>&1; then
  echo "tests/browser/browser.sh: python3 is missing (it plays the user in the login tests): apt-get install python3, or run .ci/run" >&2
  exit 1
fi
python3 "$(dirname "$0")/act.py" "$1" >/dev/null 2>&1 &
exit 0
