// Sanity check of the generated vectors, with jose only (no Rust involved).
//
// Re-reads vectors.json and runs each token through a small validator built
// on jose: decrypt with the keys/secret its options name, verify the
// signature against the provider JWKS it names, then check the claims.
//   * every vector expected valid must pass;
//   * every vector expected invalid must fail, and the first problem jose
//     (or our few extra checks) hits must be one of the expected error codes;
//   * signature_invalid, signature_tampered, kid_unknown, jwe_wrong_key and
//     jwe_no_kid_wrong_key must fail in jose itself with the matching error.
// Run: node verify.mjs   (exit code 1 on any mismatch)

import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  compactDecrypt,
  compactVerify,
  decodeProtectedHeader,
  errors,
  jwtDecrypt,
  jwtVerify,
} from 'jose';

const here = (file) => new URL(file, import.meta.url);
const readJson = (file) => JSON.parse(readFileSync(here(file), 'utf8'));
const utf8 = (text) => new TextEncoder().encode(text);
const sha256 = (bytes) => createHash('sha256').update(bytes).digest();

const { constants, defaults, vectors } = readJson('vectors.json');
const NOW = new Date(constants.now);
const CLAIM = 'http://itsme.services/v2/claim/';

/** A validation failure carrying the itsme-cli error code it corresponds to. */
class Problem extends Error {
  constructor(code, cause) {
    super(code, { cause });
    this.code = code;
  }
}

/** Option value: true = the constant, a string = that string, false = not given. */
function optionValue(options, name, constantName = name) {
  const value = options[name];
  return value === true ? constants[constantName] : value === false || value == null ? undefined : value;
}

// ---------------------------------------------------------------------------
// Decryption.

/** Decryption candidates from key files: [{kid, key}], key a node KeyObject (no JWK "alg" check). */
function loadDecryptionKeys(files) {
  return files.flatMap((file) => {
    if (file.endsWith('.pem')) return [{ kid: undefined, key: createPrivateKey(readFileSync(here(file))) }];
    return readJson(file).keys
      .filter((jwk) => jwk.use === undefined || jwk.use === 'enc')
      .map((jwk) => ({ kid: jwk.kid, key: createPrivateKey({ key: jwk, format: 'jwk' }) }));
  });
}

/** Returns {plaintext, key}; tries the key with the header kid first, then the others. */
async function decrypt(token, options) {
  const header = decodeProtectedHeader(token);
  if (header.alg === 'dir') {
    const secret = optionValue(options, 'client_secret');
    if (secret === undefined) throw new Problem('no_decryption_key');
    return decryptWith(token, new Uint8Array(sha256(utf8(secret)))); // OIDC Core §10.2
  }
  const candidates = loadDecryptionKeys(options.keys);
  if (candidates.length === 0) throw new Problem('no_decryption_key');
  candidates.sort((a, b) => (b.kid === header.kid) - (a.kid === header.kid));
  let lastError;
  for (const { key } of candidates) {
    try {
      return await decryptWith(token, key);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function decryptWith(token, key) {
  try {
    return { plaintext: (await compactDecrypt(token, key)).plaintext, key };
  } catch (error) {
    throw new Problem(error instanceof errors.JWEDecryptionFailed ? 'decryption_failed' : `jose:${error.code}`, error);
  }
}

// ---------------------------------------------------------------------------
// Signature.

/** jose key resolver: HS* from the client secret, otherwise the provider JWKS entry with the header kid. */
function keyResolver(options) {
  return (header) => {
    if (header.alg.startsWith('HS')) return utf8(optionValue(options, 'client_secret'));
    const jwk = readJson(options.jwks).keys.find((candidate) => candidate.kid === header.kid);
    if (!jwk) throw new Problem('kid_unknown');
    return jwk; // the JWK itself, so that jose enforces its published "alg" as itsme-cli does
  };
}

/** HS256 only when a client secret is configured (OIDC Core §10.1); never "none". */
function allowedAlgorithms(options) {
  const asymmetric = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
  return optionValue(options, 'client_secret') === undefined ? asymmetric : [...asymmetric, 'HS256'];
}

/** jose's claim checks (iss, aud, sub, nbf, exp, required claims) mapped to itsme-cli codes. */
function joseClaimOptions(options) {
  return {
    currentDate: NOW,
    issuer: optionValue(options, 'issuer'),
    audience: optionValue(options, 'client_id'),
    subject: options.expect_sub ?? undefined,
    requiredClaims: options.userinfo ? ['sub'] : ['iss', 'sub', 'aud', 'exp', 'iat'],
  };
}

function mapJoseError(error) {
  if (error instanceof Problem) return error;
  if (error instanceof errors.JWSSignatureVerificationFailed) return new Problem('signature_invalid', error);
  // jose refuses a key whose published "alg" differs from the header's: itsme-cli reports that as signature_invalid.
  if (error instanceof TypeError && /its "alg" must be/.test(error.message)) return new Problem('signature_invalid', error);
  if (error instanceof errors.JOSEAlgNotAllowed) return new Problem('alg_not_allowed', error);
  if (error instanceof errors.JOSENotSupported && /Extension Header Parameter/.test(error.message)) {
    return new Problem('crit_unsupported', error);
  }
  if (error instanceof errors.JWTExpired) return new Problem('expired', error);
  if (error instanceof errors.JWTClaimValidationFailed) {
    const byClaim = { iss: 'issuer_mismatch', aud: 'audience_mismatch', sub: 'sub_mismatch', nbf: 'not_yet_valid' };
    if (error.reason === 'missing') return new Problem(`${error.claim}_missing`, error);
    if (byClaim[error.claim]) return new Problem(byClaim[error.claim], error);
  }
  return new Problem(`jose:${error.code ?? error.message}`, error);
}

// ---------------------------------------------------------------------------
// Whole validation, returning the claims or throwing a Problem.

async function validate(vector) {
  const options = { ...defaults, ...vector.options };
  const parts = vector.token.split('.').length;
  let claims;
  try {
    if (parts === 5 && !isSignedPlaintext(vector.token)) {
      // Encrypted-only: jose's jwtDecrypt validates a JWE whose plaintext is a claims set.
      if (!options.userinfo) throw new Problem('not_signed');
      const { key } = await decrypt(vector.token, options); // finds the key, with the same error mapping
      ({ payload: claims } = await jwtDecrypt(vector.token, key, joseClaimOptions(options)));
    } else {
      const jws = parts === 5 ? new TextDecoder().decode((await decrypt(vector.token, options)).plaintext) : vector.token;
      ({ payload: claims } = await jwtVerify(jws, keyResolver(options), {
        algorithms: allowedAlgorithms(options),
        ...joseClaimOptions(options),
      }));
    }
  } catch (error) {
    throw mapJoseError(error);
  }
  checkOidcExtras(claims, options);
  return claims;
}

/** Whether a compact JWE's header announces a nested JWT (cty JWT). */
function isSignedPlaintext(token) {
  return decodeProtectedHeader(token).cty?.toUpperCase() === 'JWT';
}

/** The OIDC checks jose does not do: azp, nonce, at_hash. */
function checkOidcExtras(claims, options) {
  if (options.userinfo) return;
  const clientId = optionValue(options, 'client_id');
  if (claims.azp !== undefined && claims.azp !== clientId) throw new Problem('azp_mismatch');
  const nonce = optionValue(options, 'nonce');
  if (nonce !== undefined && claims.nonce !== nonce) throw new Problem('nonce_mismatch');
  const accessToken = optionValue(options, 'access_token');
  if (accessToken !== undefined) {
    const expected = sha256(Buffer.from(accessToken, 'ascii')).subarray(0, 16).toString('base64url');
    if (claims.at_hash !== expected) throw new Problem('at_hash_mismatch');
  }
}

// ---------------------------------------------------------------------------
// Independent checks of the non-JOSE content (Belgian numbers, photo).

function nationalNumberOk(number, born2000s) {
  const base = Number(number.slice(0, 9)) + (born2000s ? 2_000_000_000 : 0);
  return 97 - (base % 97) === Number(number.slice(9));
}

function cardNumberOk(number) {
  return (Number(number.slice(0, 10)) % 97 || 97) === Number(number.slice(10));
}

/** Width and height from the first SOFn segment of a JPEG, or null if it is not one. */
function jpegSize(bytes) {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  for (let i = 2; i + 9 < bytes.length; ) {
    const marker = bytes[i + 1];
    const length = bytes.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    }
    i += 2 + length;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Run.

const mustFailInJose = {
  signature_invalid: 'signature_invalid',
  signature_tampered: 'signature_invalid',
  kid_unknown: 'kid_unknown',
  jwe_wrong_key: 'decryption_failed',
  jwe_no_kid_wrong_key: 'decryption_failed',
};

let passed = 0;
let failed = 0;
function report(ok, name, detail) {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}

const claimsByName = {};
for (const vector of vectors) {
  let outcome;
  try {
    claimsByName[vector.name] = await validate(vector);
    outcome = { valid: true };
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    outcome = { valid: false, code: error.code, message: error.cause?.message };
  }
  const { expect } = vector;
  if (expect.valid) {
    report(outcome.valid, vector.name, outcome.valid ? '' : `expected valid, got ${outcome.code} (${outcome.message})`);
  } else if (outcome.valid) {
    report(false, vector.name, `expected ${expect.errors.join(', ')}, but jose accepted it`);
  } else {
    const required = mustFailInJose[vector.name];
    const ok = expect.errors.includes(outcome.code) && (!required || outcome.code === required);
    report(ok, vector.name, `fails with ${outcome.code}${ok ? '' : ` (expected ${expect.errors.join(', ')})`}`);
  }
}

// key_rotated passes once the rotated JWKS is used.
{
  const vector = vectors.find((v) => v.name === 'key_rotated');
  const rotated = { ...vector, options: { ...vector.options, jwks: 'provider-rotated.jwks.json' } };
  let ok = true;
  try { await validate(rotated); } catch { ok = false; }
  report(ok, 'key_rotated with provider-rotated.jwks.json', ok ? 'valid' : 'still fails');
}

// Content checks on the decoded claims.
const nn = (name) => claimsByName[name][`${CLAIM}BENationalNumber`];
const card = (name, claim) => claimsByName[name][`${CLAIM}${claim}`];
report(nationalNumberOk(nn('id_token_nested'), false), 'default BENationalNumber passes the 1900s mod-97 rule');
report(cardNumberOk(card('id_token_nested', 'BEeidSn')), 'default BEeidSn passes its mod-97 rule');
report(!nationalNumberOk(nn('be_check_digits_wrong'), false) && !nationalNumberOk(nn('be_check_digits_wrong'), true),
  'be_check_digits_wrong BENationalNumber fails both rules');
report(!cardNumberOk(card('be_check_digits_wrong', 'BEeidSn')) && !cardNumberOk(card('be_check_digits_wrong', 'IDDocumentSN')),
  'be_check_digits_wrong BEeidSn and IDDocumentSN fail their rule');
report(nationalNumberOk(nn('be_born_2003'), true) && !nationalNumberOk(nn('be_born_2003'), false),
  'be_born_2003 BENationalNumber passes only the 2000s rule');
{
  const photo = Buffer.from(claimsByName.id_token_nested[`${CLAIM}physical_person_photo`].value, 'base64');
  const size = jpegSize(photo);
  report(size?.width === 140 && size?.height === 200 && photo.equals(readFileSync(here('photo.jpg'))),
    'default photo is photo.jpg, a 140x200 JPEG', JSON.stringify(size));
  const bad = Buffer.from(claimsByName.photo_not_jpeg[`${CLAIM}physical_person_photo`].value, 'base64');
  report(jpegSize(bad) === null, 'photo_not_jpeg is not a JPEG');
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
