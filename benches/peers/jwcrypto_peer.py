"""Python peer of benches/peers.sh: jwcrypto (pinned in requirements.txt) does the work that
`itsme-cli decode-token` does on a nested itsme(R) ID token:

  1. decrypt the JWE (RSA-OAEP-256 / A128CBC-HS256 only) with the partner's private enc key,
     chosen by the header's kid (a JWKSet);
  2. verify the inner JWS (RS256 only) with the provider's public key, chosen by its kid;
  3. validate iss, aud (client_id), nonce, sub present, and exp / nbf / iat against a fixed
     "now" with a 60 s clock skew (itsme-cli's default --clock-skew).

jwcrypto has no clock option: without check_claims it compares exp/nbf with time.time(). But a
value given for `exp` in check_claims is used as the time limit instead (expired when
exp < value, no leeway), so `"exp": NOW - 60` pins the exp check exactly as itsme-cli does it
(expired when now > exp + skew). `nbf` in check_claims would make nbf mandatory, which itsme-cli
does not require, and `iat` there only tests equality, so nbf (when present) and iat (not in the
future) are checked here against the same constant. Any failure is fatal (exit 1): a benchmark
of a failing decode is worthless.

Usage (run by benches/peers.sh, with the venv's python):
  python jwcrypto_peer.py single TOKEN_FILE  --keys K --jwks P --issuer I --client-id C --nonce N --now T
  python jwcrypto_peer.py batch  TOKENS_FILE --keys K --jwks P --issuer I --client-id C --nonce N --now T
single: one token, key import included; prints {"valid": true, ...}.
batch:  one token per line; keys imported once, then the loop over all tokens is timed here with
        time.perf_counter() (interpreter start-up, imports, file reading and key import
        excluded); prints {"tool": "jwcrypto", "n": ..., "valid": ..., "seconds": ...}.
"""

import json
import sys
import time
from datetime import datetime

from jwcrypto import jwk, jwt

CLOCK_SKEW = 60  # seconds, as itsme-cli's default --clock-skew


def fail(message):
    sys.stderr.write(f"jwcrypto_peer: {message}\n")
    sys.exit(1)


def parse_args(argv):
    if len(argv) < 2 or argv[0] not in ("single", "batch"):
        fail("usage: jwcrypto_peer.py single|batch FILE --keys ... --jwks ... --issuer ... "
             "--client-id ... --nonce ... --now ...")
    mode, path, rest = argv[0], argv[1], argv[2:]
    if len(rest) % 2:
        fail(f"bad arguments {rest}")
    flags = {}
    for name, value in zip(rest[::2], rest[1::2]):
        if not name.startswith("--"):
            fail(f"bad argument {name}")
        flags[name[2:]] = value
    for name in ("keys", "jwks", "issuer", "client-id", "nonce", "now"):
        if name not in flags:
            fail(f"--{name} is required")
    now = datetime.fromisoformat(flags["now"].replace("Z", "+00:00"))
    if now.tzinfo is None:
        fail(f"--now needs a time zone: {flags['now']}")
    return mode, path, flags, int(now.timestamp())


def load_keyset(path, use, alg):
    """A JWKSet of the RSA keys in `path` usable for `use` with `alg` (the lookup is by kid)."""
    with open(path, encoding="utf-8") as f:
        keys = json.load(f)["keys"]
    chosen = [k for k in keys
              if k.get("use", use) == use and k.get("alg", alg) == alg and k.get("kty") == "RSA"]
    if not chosen:
        fail(f"no {use} key for {alg} in {path}")
    return jwk.JWKSet.from_json(json.dumps({"keys": chosen}))


def decode(token, ctx):
    outer = jwt.JWT(
        jwt=token,
        key=ctx["partner"],
        algs=["RSA-OAEP-256", "A128CBC-HS256"],
        expected_type="JWE",
        check_claims=False,  # the plaintext is the inner JWS, not a claims set
        strict_serialization=True,
    )
    if str(outer.token.jose_header.get("cty", "")).upper() != "JWT":
        raise ValueError("JWE cty is not JWT")
    now = ctx["now"]
    inner = jwt.JWT(
        jwt=outer.claims,
        key=ctx["provider"],
        algs=["RS256"],
        expected_type="JWS",
        strict_serialization=True,
        check_claims={
            "iss": ctx["issuer"],
            "aud": ctx["client_id"],
            "nonce": ctx["nonce"],
            "sub": None,  # present
            "iat": None,  # present (its time is checked below)
            "exp": now - CLOCK_SKEW,  # pinned: expired when exp < now - skew
        },
    )
    claims = json.loads(inner.claims)
    nbf = claims.get("nbf")
    if nbf is not None and (not isinstance(nbf, (int, float)) or nbf > now + CLOCK_SKEW):
        raise ValueError(f"nbf {nbf!r} is after now")
    iat = claims["iat"]
    if not isinstance(iat, (int, float)) or iat > now + CLOCK_SKEW:
        raise ValueError(f"iat {iat!r} is in the future")
    if not isinstance(claims["sub"], str) or not claims["sub"]:
        raise ValueError("sub is empty")
    return claims


def main():
    mode, path, flags, now = parse_args(sys.argv[1:])
    with open(path, encoding="utf-8") as f:
        tokens = [line.strip() for line in f if line.strip()]
    if not tokens:
        fail(f"no token in {path}")
    ctx = {
        "partner": load_keyset(flags["keys"], "enc", "RSA-OAEP-256"),
        "provider": load_keyset(flags["jwks"], "sig", "RS256"),
        "issuer": flags["issuer"],
        "client_id": flags["client-id"],
        "nonce": flags["nonce"],
        "now": now,
    }
    try:
        if mode == "single":
            claims = decode(tokens[0], ctx)
            print(json.dumps({"valid": True, "sub": claims["sub"], "exp": claims["exp"]}))
        else:
            valid = 0
            t0 = time.perf_counter()
            for token in tokens:
                claims = decode(token, ctx)  # raises on the first invalid token
                if claims["nonce"] == ctx["nonce"]:
                    valid += 1
            t1 = time.perf_counter()
            print(json.dumps({"tool": "jwcrypto", "n": len(tokens), "valid": valid,
                              "seconds": t1 - t0}))
    except Exception as e:  # noqa: BLE001 - any failure makes the benchmark worthless
        fail(f"token INVALID: {type(e).__name__}: {e}")


if __name__ == "__main__":
    main()
