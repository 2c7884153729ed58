// Node peer of benches/peers.sh: panva's jose (pinned in package.json) does the work that
// `itsme-cli decode-token` does on a nested itsme® ID token:
//   1. decrypt the JWE (RSA-OAEP-256 / A128CBC-HS256 only) with the partner's private enc key
//      chosen by the header's kid;
//   2. verify the inner JWS (RS256 only) with the provider's public key chosen by its kid;
//   3. validate iss, aud (client_id), exp / nbf / iat against a fixed "now" (jose's currentDate)
//      with a 60 s clock tolerance (itsme-cli's default --clock-skew), sub present, and nonce.
// Any failure is fatal (exit 1): a benchmark of a failing decode is worthless.
//
// Usage (run by benches/peers.sh):
//   node jose_peer.mjs single TOKEN_FILE  --keys K --jwks P --issuer I --client-id C --nonce N --now T
//   node jose_peer.mjs batch  TOKENS_FILE --keys K --jwks P --issuer I --client-id C --nonce N --now T
// single: one token, key import included; prints {"valid":true,...}.
// batch:  one token per line; keys imported once, then the loop over all tokens is timed here
//         with performance.now() (interpreter start-up, module loading, file reading and key import
//         excluded); prints {"tool":"jose","n":…,"valid":…,"seconds":…}.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { compactDecrypt, importJWK, jwtVerify } from 'jose';

const CLOCK_SKEW = 60; // seconds, as itsme-cli's default --clock-skew

function fail(message) {
  process.stderr.write(`jose_peer: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const [mode, file, ...rest] = argv;
  if (mode !== 'single' && mode !== 'batch') fail('usage: jose_peer.mjs single|batch FILE --keys … --jwks … --issuer … --client-id … --nonce … --now …');
  const flags = {};
  for (let i = 0; i < rest.length; i += 2) {
    if (!rest[i].startsWith('--') || rest[i + 1] === undefined) fail(`bad argument ${rest[i]}`);
    flags[rest[i].slice(2)] = rest[i + 1];
  }
  for (const name of ['keys', 'jwks', 'issuer', 'client-id', 'nonce', 'now']) {
    if (flags[name] === undefined) fail(`--${name} is required`);
  }
  const now = new Date(flags.now);
  if (Number.isNaN(now.getTime())) fail(`--now: not a date: ${flags.now}`);
  return { mode, file, flags, now };
}

/** kid -> CryptoKey for the JWKs of `file` usable for `use` with algorithm `alg`. */
async function importKeys(file, use, alg) {
  const keys = new Map();
  for (const jwk of JSON.parse(readFileSync(file, 'utf8')).keys) {
    if (jwk.use !== undefined && jwk.use !== use) continue;
    if (jwk.alg !== undefined && jwk.alg !== alg) continue;
    if (jwk.kty !== 'RSA') continue;
    keys.set(jwk.kid, await importJWK(jwk, alg));
  }
  if (keys.size === 0) fail(`no ${use} key for ${alg} in ${file}`);
  return keys;
}

/** The key named by the header's kid (or the only key when there is no kid). */
function lookup(keys, what) {
  return (header) => {
    if (header.kid === undefined && keys.size === 1) return keys.values().next().value;
    const key = keys.get(header.kid);
    if (key === undefined) throw new Error(`no ${what} key with kid ${header.kid}`);
    return key;
  };
}

const utf8 = new TextDecoder();

async function decode(token, ctx) {
  const { plaintext, protectedHeader } = await compactDecrypt(token, ctx.decryptionKey, {
    keyManagementAlgorithms: ['RSA-OAEP-256'],
    contentEncryptionAlgorithms: ['A128CBC-HS256'],
  });
  if (String(protectedHeader.cty).toUpperCase() !== 'JWT') throw new Error('JWE cty is not JWT');
  const { payload } = await jwtVerify(utf8.decode(plaintext), ctx.verificationKey, {
    algorithms: ['RS256'],
    issuer: ctx.issuer,
    audience: ctx.clientId,
    currentDate: ctx.now, // exp and nbf are checked against this, with clockTolerance
    clockTolerance: CLOCK_SKEW,
    requiredClaims: ['iss', 'aud', 'exp', 'iat', 'sub', 'nonce'],
  });
  // jose checks iat only when maxTokenAge is set; like itsme-cli, refuse an iat in the future.
  if (payload.iat > ctx.nowSeconds + CLOCK_SKEW) throw new Error(`iat ${payload.iat} is in the future`);
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new Error('sub is missing');
  if (payload.nonce !== ctx.nonce) throw new Error(`nonce mismatch: ${payload.nonce}`);
  return payload;
}

const { mode, file, flags, now } = parseArgs(process.argv.slice(2));
const tokens = readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '');
if (tokens.length === 0) fail(`no token in ${file}`);
const ctx = {
  decryptionKey: lookup(await importKeys(flags.keys, 'enc', 'RSA-OAEP-256'), 'decryption'),
  verificationKey: lookup(await importKeys(flags.jwks, 'sig', 'RS256'), 'verification'),
  issuer: flags.issuer,
  clientId: flags['client-id'],
  nonce: flags.nonce,
  now,
  nowSeconds: Math.floor(now.getTime() / 1000),
};

try {
  if (mode === 'single') {
    const payload = await decode(tokens[0], ctx);
    process.stdout.write(`${JSON.stringify({ valid: true, sub: payload.sub, exp: payload.exp })}\n`);
  } else {
    let valid = 0;
    const t0 = performance.now();
    for (const token of tokens) {
      const payload = await decode(token, ctx); // throws on the first invalid token
      if (payload.nonce === ctx.nonce) valid += 1;
    }
    const t1 = performance.now();
    process.stdout.write(`${JSON.stringify({ tool: 'jose', n: tokens.length, valid, seconds: (t1 - t0) / 1000 })}\n`);
  }
} catch (error) {
  fail(`token INVALID: ${error?.code ?? ''} ${error?.message ?? error}`);
}
