// Test-vector generator for itsme-cli.
//
// Produces OpenID Connect ID tokens / userinfo responses shaped like those of
// the itsme® identity provider, using panva's `jose` (an implementation that
// has nothing in common with our Rust code), plus the keys needed to check
// them. Run from this directory:  npm ci && node generate.mjs
//
// Every file is rewritten on each run. Keys, IVs, the access token and the
// client secret are random each run; the structure of every file is not.

import { createHash, createHmac, createPrivateKey, createPublicKey, randomBytes, randomInt } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  calculateJwkThumbprint,
  CompactEncrypt,
  CompactSign,
  exportJWK,
  generateKeyPair,
} from 'jose';

const here = (file) => new URL(file, import.meta.url);
const JOSE_VERSION = JSON.parse(readFileSync(here('node_modules/jose/package.json'), 'utf8')).version;

// ---------------------------------------------------------------------------
// Constants shared with the Rust tests (written into vectors.json).

const T = 1767225600; // 2026-01-01T00:00:00Z; validation happens at T + 300.
const ISSUER = 'https://idp.e2e.itsme.services/v2';
const CLIENT_ID = 'my-partner-code';
const NONCE = 'n-0S6_WzA2Mj';
const SUB = '7c1f0e9a-3b2d-4e5f-8a6b-9c0d1e2f3a4b';
const ACCESS_TOKEN = 'SlAV32hkKG-fixed-access-token-for-vectors_4'; // fixed: at_hash appears in snapshots
const CLIENT_SECRET = randomAscii(48);
const CLAIM = 'http://itsme.services/v2/claim/'; // prefix of itsme-specific claims

// ---------------------------------------------------------------------------
// Small helpers.

function randomAscii(length) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

const utf8 = (text) => new TextEncoder().encode(text);
const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const b64uJson = (value) => b64u(utf8(JSON.stringify(value)));
const sha256 = (bytes) => createHash('sha256').update(bytes).digest();

/** Drops members whose value is `undefined` (our way of saying "omit this"). */
function compact(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

function writeJson(file, value) {
  writeFileSync(here(file), JSON.stringify(value, null, 2) + '\n');
}

/** OIDC Core §3.1.3.6: base64url of the left half of SHA-256 of the ASCII token. */
function atHash(accessToken) {
  return b64u(sha256(Buffer.from(accessToken, 'ascii')).subarray(0, 16));
}

/** OIDC Core §10.2: symmetric encryption key = SHA-256 of the UTF-8 client secret. */
function dirKeyFromSecret(secret) {
  return new Uint8Array(sha256(utf8(secret)));
}

// ---------------------------------------------------------------------------
// Keys.

/** A fresh RSA-2048 private JWK with use/alg/kid; kid defaults to the RFC 7638 thumbprint. */
async function newRsaJwk({ alg, use, kid }) {
  const { privateKey } = await generateKeyPair(alg, { modulusLength: 2048, extractable: true });
  const { kty, n, e, d, p, q, dp, dq, qi } = await exportJWK(privateKey);
  kid ??= await calculateJwkThumbprint({ kty, n, e }, 'sha256');
  return { kty, use, alg, kid, n, e, d, p, q, dp, dq, qi };
}

const publicJwk = ({ kty, use, alg, kid, n, e }) => ({ kty, use, alg, kid, n, e });
const jwks = (...keys) => ({ keys });

// jose checks that a JWK's "alg" matches the operation. We deliberately use
// keys with other algorithms than their JWK says (e.g. PS256 with the RS256
// provider key), so we hand jose node KeyObjects, which carry no "alg".
const privateKeyObject = (jwk) => createPrivateKey({ key: jwk, format: 'jwk' });
const publicKeyObject = (jwk) => createPublicKey({ key: publicJwk(jwk), format: 'jwk' });

// ---------------------------------------------------------------------------
// Token builders.

/** Compact JWS over the JSON of `claims`. Header: {alg, typ: JWT, kid} plus `header` (undefined = omit). */
async function signJws(claims, { key, alg = 'RS256', header = {}, crit } = {}) {
  const protectedHeader = compact({ alg, typ: 'JWT', kid: key.kid, ...header });
  const signingKey = key instanceof Uint8Array ? key : privateKeyObject(key);
  return new CompactSign(utf8(JSON.stringify(claims)))
    .setProtectedHeader(protectedHeader)
    .sign(signingKey, crit ? { crit } : undefined);
}

/** Compact JWE of `plaintext` (a string). `to` is a recipient JWK or, for alg "dir", the raw CEK. */
async function encryptJwe(plaintext, { to, alg = 'RSA-OAEP-256', enc = 'A128CBC-HS256', header = {} }) {
  const kid = to instanceof Uint8Array ? undefined : to.kid;
  const protectedHeader = compact({ alg, enc, kid, cty: 'JWT', ...header });
  const key = to instanceof Uint8Array ? to : publicKeyObject(to);
  return new CompactEncrypt(utf8(plaintext)).setProtectedHeader(protectedHeader).encrypt(key);
}

/** The itsme shape: a JWS signed by the provider, then encrypted to the partner. */
async function nested(claims, { sign = {}, encrypt = {} } = {}) {
  const jws = await signJws(claims, { key: keys.provSig1, ...sign });
  return encryptJwe(jws, { to: keys.partnerEnc, ...encrypt });
}

/** Compact JWS built by hand (for headers/signatures jose will not produce). */
function handmadeJws(header, claims, signature) {
  return `${b64uJson(header)}.${b64uJson(claims)}.${b64u(signature)}`;
}

// ---------------------------------------------------------------------------
// Belgian identifiers.

/** Rijksregisternummer: YYMMDD + xxx (odd = male, even = female) + 2 check digits (mod 97). */
function nationalNumber(birthdate, serial) {
  const [year, month, day] = birthdate.split('-');
  const base = `${year.slice(2)}${month}${day}${serial}`;
  const prefix = Number(year) >= 2000 ? 2_000_000_000 : 0; // people born 2000+ get a "2" prefixed
  const check = 97 - ((prefix + Number(base)) % 97);
  return base + String(check).padStart(2, '0');
}

/** eID card number: 10 digits + 2 check digits = (10 digits mod 97), 97 instead of 0. */
function cardNumber(first10) {
  const check = Number(first10) % 97 || 97;
  return first10 + String(check).padStart(2, '0');
}

/** Same number with its 2 check digits replaced by (check + 1) mod 100. */
function breakCheckDigits(number) {
  const check = (Number(number.slice(-2)) + 1) % 100;
  return number.slice(0, -2) + String(check).padStart(2, '0');
}

/** Whether a national number satisfies the mod-97 rule for the 1900s or for the 2000s. */
function nationalNumberRules(number) {
  const base = Number(number.slice(0, 9));
  const check = Number(number.slice(9));
  return { born1900s: 97 - (base % 97) === check, born2000s: 97 - ((2_000_000_000 + base) % 97) === check };
}

function assert(condition, message) {
  if (!condition) throw new Error(`generator self-check failed: ${message}`);
}

// ---------------------------------------------------------------------------
// Claims.

const NATIONAL_NUMBER = nationalNumber('1985-07-14', '102'); // even serial: female
const CARD_NUMBER = cardNumber('5920345678');
const PHOTO = readFileSync(here('photo.jpg')).toString('base64'); // standard base64, as itsme sends it

/** The full itsme® ID token; `overrides` replace claims, `undefined` removes one. */
function idTokenClaims(overrides = {}) {
  return compact({
    iss: ISSUER,
    aud: CLIENT_ID,
    sub: SUB,
    nonce: NONCE,
    iat: T,
    nbf: T,
    exp: T + 600,
    at_hash: atHash(ACCESS_TOKEN),
    acr: `${CLAIM}acr_basic`,
    name: 'Marie Dupont',
    given_name: 'Marie',
    family_name: 'Dupont',
    birthdate: '1985-07-14',
    gender: 'female',
    locale: 'FR',
    email: 'marie.dupont@example.com',
    email_verified: false,
    phone_number: '+32 485 12 34 56',
    phone_number_verified: true,
    address: {
      formatted: 'Rue de Fer 26\n5000 Namur',
      street_address: 'Rue de Fer 26',
      postal_code: '5000',
      locality: 'Namur',
    },
    [`${CLAIM}birthdate_as_string`]: '14 JUL 1985',
    [`${CLAIM}official_gender`]: 'F',
    [`${CLAIM}claim_citizenship`]: 'Belg',
    [`${CLAIM}claim_citizenship_as_iso`]: 'BEL',
    [`${CLAIM}place_of_birth`]: { formatted: 'Namur', city: 'Namur', country: 'BE' },
    [`${CLAIM}physical_person_photo`]: { format: 'image/jpeg', value: PHOTO },
    [`${CLAIM}BENationalNumber`]: NATIONAL_NUMBER,
    [`${CLAIM}BEeidSn`]: CARD_NUMBER,
    [`${CLAIM}IDDocumentSN`]: CARD_NUMBER,
    [`${CLAIM}IDDocumentType`]: 'ID',
    [`${CLAIM}validityTo`]: { [`${CLAIM}BEeidSn`]: '2030-05-01T00:00:00Z' },
    [`${CLAIM}validityFrom`]: { [`${CLAIM}BEeidSn`]: '2020-05-01T00:00:00Z' },
    [`${CLAIM}IDIssuingCountry`]: { [`${CLAIM}IDDocumentSN`]: 'BE' },
    [`${CLAIM}verificationDate`]: { [`${CLAIM}BENationalNumber`]: '2024-03-02T10:00:00Z' },
    [`${CLAIM}claim_device`]: {
      os: 'ANDROID',
      appName: 'itsme',
      appRelease: '4.2.1',
      deviceLabel: 'Pixel 8',
      debugEnabled: false,
      osRelease: '14',
      manufacturer: 'Google',
      hasSimEnabled: true,
      deviceLockLevel: 'pin',
      smsEnabled: true,
      rooted: false,
      imei: '',
      deviceMemory: '8GB',
      deviceProcessor: 'arm64',
    },
    [`${CLAIM}app`]: { appInstalledDate: '2022-01-10T09:00:00Z', appName: 'itsme', appRelease: '4.2.1' },
    [`${CLAIM}account`]: { activationDate: '2022-01-10T09:05:00Z', activationMechanism: 'CARD_READER' },
    [`${CLAIM}identification_mode`]: 'QR',
    [`${CLAIM}transaction_ip`]: '203.0.113.7',
    [`${CLAIM}ongoing_call`]: false,
    age_gte_18: true,
    ...overrides,
  });
}

/** A userinfo response: no exp/iat/nbf/nonce/at_hash. */
function userinfoClaims() {
  const all = idTokenClaims();
  const pick = ['sub', 'iss', 'aud', 'name', 'family_name', 'email', 'address', `${CLAIM}BENationalNumber`];
  return Object.fromEntries(pick.map((name) => [name, all[name]]));
}

// ---------------------------------------------------------------------------
// Generate keys and write key files.

const keys = {
  provSig1: await newRsaJwk({ alg: 'RS256', use: 'sig', kid: 'prov-sig-1' }),
  provSig2: await newRsaJwk({ alg: 'RS256', use: 'sig', kid: 'prov-sig-2' }),
  provSigPs: await newRsaJwk({ alg: 'PS256', use: 'sig', kid: 'prov-sig-ps' }),
  partnerSig: await newRsaJwk({ alg: 'RS256', use: 'sig' }),
  partnerEnc: await newRsaJwk({ alg: 'RSA-OAEP-256', use: 'enc' }),
  otherEnc: await newRsaJwk({ alg: 'RSA-OAEP-256', use: 'enc', kid: 'other-enc' }),
  otherSig: await newRsaJwk({ alg: 'RS256', use: 'sig', kid: 'other-sig' }),
};

writeJson('provider-private.jwks.json', jwks(keys.provSig1, keys.provSig2, keys.provSigPs));
writeJson('provider.jwks.json', jwks(publicJwk(keys.provSig1), publicJwk(keys.provSigPs)));
writeJson('provider-rotated.jwks.json', jwks(publicJwk(keys.provSig1), publicJwk(keys.provSigPs), publicJwk(keys.provSig2)));
writeJson('partner-private.jwks.json', jwks(keys.partnerSig, keys.partnerEnc));
writeJson('partner-public.jwks.json', jwks(publicJwk(keys.partnerSig), publicJwk(keys.partnerEnc)));
writeJson('other-private.jwks.json', jwks(keys.otherEnc, keys.otherSig));
for (const type of ['pkcs1', 'pkcs8']) {
  writeFileSync(here(`partner-enc.${type}.pem`), privateKeyObject(keys.partnerEnc).export({ type, format: 'pem' }));
}

// ---------------------------------------------------------------------------
// Vectors.

const vectors = [];
const ok = (warnings = []) => ({ valid: true, errors: [], warnings });
const fail = (errors, warnings = []) => ({ valid: false, errors, warnings });
const userinfoOptions = { userinfo: true, expect_sub: SUB, nonce: false, access_token: false };

function vector(name, description, token, options, expect) {
  vectors.push({ name, description, token, options, expect });
}

// Self-checks on the Belgian numbers the vectors rely on.
assert(nationalNumberRules(NATIONAL_NUMBER).born1900s, 'default national number');
const WRONG_NATIONAL_NUMBER = breakCheckDigits(NATIONAL_NUMBER);
const WRONG_CARD_NUMBER = breakCheckDigits(CARD_NUMBER);
assert(!Object.values(nationalNumberRules(WRONG_NATIONAL_NUMBER)).some(Boolean), 'wrong national number must fail both rules');
const NATIONAL_NUMBER_2003 = nationalNumber('2003-02-11', '037'); // odd serial: male
assert(nationalNumberRules(NATIONAL_NUMBER_2003).born2000s && !nationalNumberRules(NATIONAL_NUMBER_2003).born1900s,
  '2003 national number must pass only the 2000s rule');

// Proves: the default itsme shape (JWE RSA-OAEP-256/A128CBC-HS256 around a JWS RS256) validates cleanly.
const defaultNested = await nested(idTokenClaims());
vector('id_token_nested', 'Default nested itsme ID token: JWE RSA-OAEP-256/A128CBC-HS256 around a JWS RS256 by prov-sig-1.',
  defaultNested, {}, ok());

// Proves: other key-management / content-encryption / signature algorithms are supported.
// PS256 is made with prov-sig-ps, published with "alg":"PS256". RSA-OAEP goes to the partner enc key whose JWK
// says RSA-OAEP-256: the sender picks the key-management algorithm, so the partner's own key decrypts it anyway.
vector('id_token_oaep_a256gcm_ps256', 'Nested ID token with JWE RSA-OAEP/A256GCM and an inner PS256 signature by prov-sig-ps.',
  await nested(idTokenClaims(), { sign: { key: keys.provSigPs, alg: 'PS256' }, encrypt: { alg: 'RSA-OAEP', enc: 'A256GCM' } }), {}, ok());

// Proves: a published "alg" restricts the provider key (RFC 7517 §4.4): a PS256 signature by prov-sig-1,
// published for RS256, is refused even though the RSA maths would verify.
vector('alg_differs_from_key_alg', 'Nested ID token signed PS256 by prov-sig-1, whose published JWK says "alg":"RS256".',
  await nested(idTokenClaims(), { sign: { alg: 'PS256' } }), {}, fail(['signature_invalid']));

// Proves: symmetric "dir" encryption with the key derived from the client secret (OIDC Core §10.2), A256GCM.
vector('id_token_dir_a256gcm', 'Nested ID token with JWE dir/A256GCM, CEK = SHA-256(client_secret), no kid in the JWE header.',
  await nested(idTokenClaims(), { encrypt: { to: dirKeyFromSecret(CLIENT_SECRET), alg: 'dir', enc: 'A256GCM' } }),
  { keys: [], client_secret: true }, ok());

// Proves: "dir" with A128CBC-HS256, where the whole 32-byte SHA-256 is the composite MAC+AES key.
vector('id_token_dir_a128cbc_hs256', 'Nested ID token with JWE dir/A128CBC-HS256, CEK = SHA-256(client_secret).',
  await nested(idTokenClaims(), { encrypt: { to: dirKeyFromSecret(CLIENT_SECRET), alg: 'dir', enc: 'A128CBC-HS256' } }),
  { keys: [], client_secret: true }, ok());

// Proves: HS256 signatures keyed with the client secret (OIDC Core §10.1).
vector('id_token_hs256', 'Unencrypted JWS HS256 keyed with the UTF-8 bytes of the client secret, no kid.',
  await signJws(idTokenClaims(), { key: utf8(CLIENT_SECRET), alg: 'HS256' }), { keys: [], client_secret: true }, ok());

// Proves: a signed-only (not encrypted) ID token validates without any decryption key.
const plainRs256 = await signJws(idTokenClaims(), { key: keys.provSig1 });
vector('id_token_plain_rs256', 'Unencrypted JWS RS256 by prov-sig-1.', plainRs256, { keys: [] }, ok());

// Proves: userinfo mode does not require exp/iat/nbf/nonce/at_hash, and checks sub.
vector('userinfo_nested', 'Nested signed+encrypted userinfo response (no exp/iat/nbf/nonce/at_hash) with the expected sub.',
  await nested(userinfoClaims()), userinfoOptions, ok());

// Proves: userinfo sub must equal the ID token's sub (OIDC Core §5.3.2).
vector('userinfo_sub_mismatch', 'Nested userinfo response checked against a different expected sub.',
  await nested(userinfoClaims()), { ...userinfoOptions, expect_sub: 'another-sub' }, fail(['sub_mismatch']));

// Proves: an encrypted-but-unsigned userinfo is accepted, with a warning.
vector('userinfo_encrypted_only', 'JWE (no cty) whose plaintext is the userinfo JSON itself, not a JWS.',
  await encryptJwe(JSON.stringify(userinfoClaims()), { to: keys.partnerEnc, header: { cty: undefined } }),
  userinfoOptions, ok(['not_signed']));

// Proves: an ID token MUST be signed (OIDC Core §2), even when encrypted.
vector('id_token_encrypted_only', 'JWE (no cty) whose plaintext is the ID token claims JSON, not a JWS.',
  await encryptJwe(JSON.stringify(idTokenClaims()), { to: keys.partnerEnc, header: { cty: undefined } }),
  {}, fail(['not_signed']));

// Proves: exp in the past is rejected.
vector('expired', 'ID token whose exp (T-3000) is before now (T+300).',
  await nested(idTokenClaims({ iat: T - 3600, nbf: T - 3600, exp: T - 3000 })), {}, fail(['expired']));

// Proves: nbf in the future is rejected.
vector('not_yet_valid', 'ID token whose nbf (T+3600) is after now (T+300).',
  await nested(idTokenClaims({ iat: T + 300, nbf: T + 3600, exp: T + 7200 })), {}, fail(['not_yet_valid']));

// Proves: iat is required in an ID token.
vector('iat_missing', 'ID token without iat.', await nested(idTokenClaims({ iat: undefined })), {}, fail(['iat_missing']));

// Proves: an iat in the future is only a warning (clock skew), not an error.
vector('iat_in_future', 'ID token whose iat is a day after now, with no nbf and an exp after it.',
  await nested(idTokenClaims({ iat: T + 86400, nbf: undefined, exp: T + 90000 })), {}, ok(['iat_in_future']));

// Proves: exp is required in an ID token.
vector('exp_missing', 'ID token without exp.', await nested(idTokenClaims({ exp: undefined })), {}, fail(['exp_missing']));

// Proves: sub is required.
vector('sub_missing', 'ID token without sub.', await nested(idTokenClaims({ sub: undefined })), {}, fail(['sub_missing']));

// Proves: iss is compared exactly (a trailing slash is a different issuer).
vector('issuer_mismatch', 'ID token whose iss has a trailing slash.',
  await nested(idTokenClaims({ iss: `${ISSUER}/` })), {}, fail(['issuer_mismatch']));

// Proves: aud must contain our client_id.
vector('audience_mismatch', 'ID token for another client.',
  await nested(idTokenClaims({ aud: 'someone-else' })), {}, fail(['audience_mismatch']));

// Proves: when azp is present it must be our client_id.
vector('azp_mismatch', 'ID token with aud [client_id, other-client] and azp other-client.',
  await nested(idTokenClaims({ aud: [CLIENT_ID, 'other-client'], azp: 'other-client' })), {}, fail(['azp_mismatch']));

// Proves: several audiences without azp is accepted, with a warning.
vector('multiple_audiences', 'ID token with aud [client_id, other-client] and no azp.',
  await nested(idTokenClaims({ aud: [CLIENT_ID, 'other-client'] })), {}, ok(['multiple_audiences']));

// Proves: nonce is compared with the expected one.
vector('nonce_mismatch', 'ID token with a different nonce.',
  await nested(idTokenClaims({ nonce: 'another-nonce' })), {}, fail(['nonce_mismatch']));

// Proves: a missing nonce fails when one is expected.
vector('nonce_missing', 'ID token without nonce while the test expects one.',
  await nested(idTokenClaims({ nonce: undefined })), {}, fail(['nonce_mismatch']));

// Proves: at_hash binds the ID token to the access token.
vector('at_hash_mismatch', 'ID token whose at_hash is computed over another access token.',
  await nested(idTokenClaims({ at_hash: atHash(randomBytes(32).toString('base64url')) })), {}, fail(['at_hash_mismatch']));

// Proves: a signature by the wrong key under a published kid is rejected.
vector('signature_invalid', 'Nested token whose JWS header says kid prov-sig-1 but is signed with other-sig.',
  await nested(idTokenClaims(), { sign: { key: keys.otherSig, header: { kid: 'prov-sig-1' } } }), {}, fail(['signature_invalid']));

// Proves: changing the payload after signing is detected (header and signature kept).
const [plainHeader, , plainSignature] = plainRs256.split('.');
vector('signature_tampered', 'Plain JWS RS256 whose payload was replaced (name "Mallory"), header and signature unchanged.',
  `${plainHeader}.${b64uJson(idTokenClaims({ name: 'Mallory' }))}.${plainSignature}`, { keys: [] }, fail(['signature_invalid']));

// Proves: a kid that the provider JWKS does not publish is reported as such.
vector('kid_unknown', 'Nested token whose JWS kid "not-published" is not in the provider JWKS (signed with other-sig).',
  await nested(idTokenClaims(), { sign: { key: keys.otherSig, header: { kid: 'not-published' } } }), {}, fail(['kid_unknown']));

// Proves: a token signed by a newer provider key fails against the old JWKS (the Rust test then re-fetches/rotates).
vector('key_rotated', 'Nested token signed by prov-sig-2, which provider.jwks.json does not contain yet.',
  await nested(idTokenClaims(), { sign: { key: keys.provSig2 } }), {}, fail(['kid_unknown']));

// Proves: alg "none" is refused. Built by hand: jose's UnsecuredJWT would not add typ, and CompactSign refuses "none".
vector('alg_none', 'Plain JWS with header {"alg":"none","typ":"JWT"} and an empty signature.',
  handmadeJws({ alg: 'none', typ: 'JWT' }, idTokenClaims(), new Uint8Array()), { keys: [] }, fail(['alg_not_allowed']));

// Proves: the RS256->HS256 algorithm-confusion attack fails. The HMAC key is the exact bytes of prov-sig-1's
// public key as SPKI PEM (node's export, trailing "\n" included); computed with node:crypto, by hand.
{
  const spkiPem = publicKeyObject(keys.provSig1).export({ type: 'spki', format: 'pem' });
  const header = { alg: 'HS256', typ: 'JWT', kid: 'prov-sig-1' };
  const signingInput = `${b64uJson(header)}.${b64uJson(idTokenClaims())}`;
  const mac = createHmac('sha256', Buffer.from(spkiPem, 'utf8')).update(signingInput).digest();
  vector('alg_hs256_with_public_key', 'Plain JWS HS256 (kid prov-sig-1) keyed with the SPKI PEM bytes of the provider public key.',
    `${signingInput}.${b64u(mac)}`, { keys: [] }, fail(['alg_not_allowed']));
}

// Proves: an unknown critical header extension is refused (RFC 7515 §4.1.11).
// jose only signs it when told, via the `crit` option, that it "understands" the extension.
vector('crit_unknown', 'Plain JWS RS256 by prov-sig-1 with "crit":["http://example.com/must-understand"].',
  await signJws(idTokenClaims(), {
    key: keys.provSig1,
    header: { crit: ['http://example.com/must-understand'], 'http://example.com/must-understand': true },
    crit: { 'http://example.com/must-understand': true },
  }), { keys: [] }, fail(['crit_unsupported']));

// Proves: a JWE for another recipient fails to decrypt even when its header names our kid.
vector('jwe_wrong_key', 'Nested token encrypted to other-enc, but whose JWE header carries the partner enc kid.',
  await nested(idTokenClaims(), { encrypt: { to: keys.otherEnc, header: { kid: keys.partnerEnc.kid } } }),
  {}, fail(['decryption_failed']));

// Proves: without a kid, all keys are tried and all fail.
vector('jwe_no_kid_wrong_key', 'Nested token encrypted to other-enc with no kid in the JWE header.',
  await nested(idTokenClaims(), { encrypt: { to: keys.otherEnc, header: { kid: undefined } } }),
  {}, fail(['decryption_failed']));

// Proves: an encrypted token with no key given is a clear error.
vector('jwe_no_keys', 'The default nested token, with no decryption key given.', defaultNested, { keys: [] }, fail(['no_decryption_key']));

// Proves: a JWE kid we do not know falls back to trying our keys, with a warning.
vector('jwe_kid_not_in_keys', 'Nested token encrypted to the partner enc key but with the retired JWE kid "enc-key-2019".',
  await nested(idTokenClaims(), { encrypt: { header: { kid: 'enc-key-2019' } } }), {}, ok(['jwe_kid_unknown']));

// Proves: the decryption key can be a PKCS#1 PEM.
vector('jwe_pkcs1_pem', 'The default nested token, decrypted with the partner enc key as PKCS#1 PEM.',
  defaultNested, { keys: ['partner-enc.pkcs1.pem'] }, ok());

// Proves: the decryption key can be a PKCS#8 PEM.
vector('jwe_pkcs8_pem', 'The default nested token, decrypted with the partner enc key as PKCS#8 PEM.',
  defaultNested, { keys: ['partner-enc.pkcs8.pem'] }, ok());

// Proves: dir with a wrong client secret fails to decrypt.
vector('dir_wrong_secret', 'Nested dir/A256GCM token (CEK from the real secret) decrypted with a wrong client secret.',
  await nested(idTokenClaims(), { encrypt: { to: dirKeyFromSecret(CLIENT_SECRET), alg: 'dir', enc: 'A256GCM' } }),
  { keys: [], client_secret: 'not-the-secret' }, fail(['decryption_failed']));

// Proves: all claim errors are reported together, not just the first.
vector('many_problems', 'ID token with wrong iss, aud and nonce that is also expired.',
  await nested(idTokenClaims({ iss: 'https://evil.example/v2', aud: 'someone-else', nonce: 'x', iat: T - 3600, nbf: T - 3600, exp: T - 3000 })),
  {}, fail(['issuer_mismatch', 'audience_mismatch', 'nonce_mismatch', 'expired']));

// Proves: Belgian mod-97 check digits are checked (national number and eID card number), as warnings.
vector('be_check_digits_wrong', 'ID token whose BENationalNumber and BEeidSn/IDDocumentSN (issued in BE) have wrong check digits.',
  await nested(idTokenClaims({
    [`${CLAIM}BENationalNumber`]: WRONG_NATIONAL_NUMBER,
    [`${CLAIM}BEeidSn`]: WRONG_CARD_NUMBER,
    [`${CLAIM}IDDocumentSN`]: WRONG_CARD_NUMBER,
  })), {}, ok(['national_number_check_digits', 'card_number_check_digits']));

// Proves: the national-number check uses the "2" prefix for people born in 2000 or later.
vector('be_born_2003', 'ID token of a man born 2003-02-11 whose national number needs the 2000s mod-97 rule.',
  await nested(idTokenClaims({
    birthdate: '2003-02-11',
    gender: 'male',
    [`${CLAIM}birthdate_as_string`]: '11 FEB 2003',
    [`${CLAIM}official_gender`]: 'M',
    [`${CLAIM}BENationalNumber`]: NATIONAL_NUMBER_2003,
  })), {}, ok());

// Proves: a photo that is not a decodable JPEG is a warning, not an error.
vector('photo_not_jpeg', 'ID token whose physical_person_photo is the base64 of the text "not an image".',
  await nested(idTokenClaims({
    [`${CLAIM}physical_person_photo`]: { format: 'image/jpeg', value: Buffer.from('not an image', 'ascii').toString('base64') },
  })), {}, ok(['photo_unreadable']));

// ---------------------------------------------------------------------------
// vectors.json

writeJson('vectors.json', {
  generator: `node jose ${JOSE_VERSION}`,
  constants: {
    issuer: ISSUER,
    client_id: CLIENT_ID,
    nonce: NONCE,
    access_token: ACCESS_TOKEN,
    client_secret: CLIENT_SECRET,
    now: new Date((T + 300) * 1000).toISOString().replace('.000Z', 'Z'),
    sub: SUB,
  },
  defaults: {
    keys: ['partner-private.jwks.json'],
    jwks: 'provider.jwks.json',
    issuer: true,
    client_id: true,
    nonce: true,
    access_token: true,
    client_secret: false,
    userinfo: false,
    expect_sub: null,
  },
  vectors,
});

// The README quick start decodes the default token with these keys: keep docs/examples in step.
const examples = new URL('../../docs/examples/', import.meta.url);
mkdirSync(examples, { recursive: true });
writeFileSync(new URL('id-token.txt', examples), `${defaultNested}\n`);
copyFileSync(here('partner-private.jwks.json'), new URL('partner-private.jwks.json', examples));
copyFileSync(here('provider.jwks.json'), new URL('provider.jwks.json', examples));

console.log(`wrote ${vectors.length} vectors with node jose ${JOSE_VERSION}, and docs/examples/`);
