#!/usr/bin/env python3
"""Plays the user's browser in tests: loads the URL it is given and follows redirects; on the
sandbox's authorization page it picks a persona and clicks Approve or Deny. What it does is set by
environment variables:
  ITSME_TEST_DECISION  approve (default) or deny
  ITSME_TEST_PERSONA   the persona to pick (default: the page's first)
  ITSME_TEST_STATE     if set, replaces `state` in the redirect to the application (a forged response)
  ITSME_TEST_APPEND    if set, is appended to the query of that redirect, e.g. `code=x` (a malformed one)
  ITSME_TEST_LOG       a file to append what happened to (for failing tests)
  ITSME_TEST_FINAL_URL a file to write the redirect to, when it leaves loopback (paste mode)
Only loopback addresses are ever contacted."""
import os, re, sys, urllib.parse, urllib.request, urllib.error

def log(message):
    path = os.environ.get("ITSME_TEST_LOG")
    if path:
        with open(path, "a") as f:
            f.write(message + "\n")

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

opener = urllib.request.build_opener(NoRedirect)

def fetch(url, data=None):
    host = urllib.parse.urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        # The application is not on this machine: a real user would now copy the address.
        final = os.environ.get("ITSME_TEST_FINAL_URL")
        if final:
            with open(final + ".tmp", "w") as f:
                f.write(url)
            os.rename(final + ".tmp", final)
        log(f"stopped at {host} (not loopback)")
        raise SystemExit(0)
    try:
        # A browser's form POST carries the page's origin (the sandbox refuses it otherwise: CSRF).
        parts = urllib.parse.urlsplit(url)
        headers = {"Origin": f"{parts.scheme}://{parts.netloc}"} if data else {}
        response = opener.open(urllib.request.Request(url, data=data, headers=headers), timeout=20)
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", "replace")

def follow(url, data=None):
    for _ in range(10):
        status, headers, body = fetch(url, data)
        log(f"{'POST' if data else 'GET'} {url.split('?')[0]} -> {status}")
        data = None
        if status in (301, 302, 303, 307, 308):
            url = urllib.parse.urljoin(url, headers["Location"])
            forged = os.environ.get("ITSME_TEST_STATE")
            if forged and "state=" in url and "/v2/" not in url:
                parts = urllib.parse.urlsplit(url)
                query = [(k, forged if k == "state" else v) for k, v in urllib.parse.parse_qsl(parts.query)]
                url = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
            extra = os.environ.get("ITSME_TEST_APPEND")
            if extra and "state=" in url and "/v2/" not in url:
                url += "&" + extra
            continue
        form = re.search(r'name="request" value="([^"]+)"', body)
        if status == 200 and form:
            log("consent page: " + re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", body.split("</style>")[-1])))
            persona = os.environ.get("ITSME_TEST_PERSONA") or re.search(r'<option value="([^"]+)"', body).group(1)
            decision = os.environ.get("ITSME_TEST_DECISION", "approve")
            data = urllib.parse.urlencode({"request": form.group(1), "persona": persona, "decision": decision}).encode()
            url = urllib.parse.urljoin(url, "authorization/decision")
            continue
        log(f"final page: {re.sub('<[^>]+>', ' ', body)[:300]}")
        return

follow(sys.argv[1])
