// One authorization-code login against `itsme-cli sandbox`, driven by panva's openid-client: an
// independent relying party, so the sandbox is checked by code nobody here wrote.
//
//   node flow.mjs <issuer> private_key_jwt <private-jwks-file> <client_id> <redirect_uri>
//   SANDBOX_CLIENT_SECRET=… node flow.mjs <issuer> client_secret <client_id> <redirect_uri>
//
// The sandbox must run with `--approve`, so the authorization endpoint answers the 302 at once.
// SANDBOX_ASSERTION_AUD=issuer keeps openid-client's default client-assertion `aud` (the issuer
// identifier) instead of the token endpoint URL itsme® asks for: to see what the sandbox says to it.
// Prints ONE JSON line on stdout: {"ok":true,"id_token_claims":…,"userinfo":…,"id_token_header":…,
// "notes":[…]} or {"ok":false,"error":"…"} (exit 1).
//
// Everything goes through openid-client's own API (discovery, PKCE, authorization URL, code grant,
// ID token validation, userinfo, signature checks against the jwks_uri). Where openid-client cannot
// do a step itself, the workaround is marked WORKAROUND and recorded in `notes`.

import { readFile } from 'node:fs/promises';
import * as client from 'openid-client';
import { compactDecrypt, decodeProtectedHeader, importJWK } from 'jose';

const notes = [];

function fail(error) {
  process.stdout.write(`${JSON.stringify({ ok: false, error, notes })}\n`);
  process.exit(1);
}

function describe(err) {
  const parts = [`${err?.name ?? 'Error'}: ${err?.message ?? String(err)}`];
  if (err?.code) parts.push(`code=${err.code}`);
  if (err?.error) parts.push(`error=${err.error}`);
  if (err?.error_description) parts.push(`error_description=${err.error_description}`);
  if (err?.status) parts.push(`status=${err.status}`);
  if (err?.cause && typeof err.cause === 'object') {
    try {
      parts.push(`cause=${JSON.stringify(err.cause)}`);
    } catch {
      parts.push(`cause=${String(err.cause)}`);
    }
  } else if (err?.cause) {
    parts.push(`cause=${String(err.cause)}`);
  }
  return parts.join('; ');
}

const USAGE =
  'usage: node flow.mjs <issuer> private_key_jwt <private-jwks-file> <client_id> <redirect_uri>\n' +
  '       SANDBOX_CLIENT_SECRET=… node flow.mjs <issuer> client_secret <client_id> <redirect_uri>';

const CLAIMS_REQUEST = {
  id_token: {
    'http://itsme.services/v2/claim/BENationalNumber': null,
    given_name: null,
  },
};
const SCOPE = 'openid service:LOGIN profile eid';

async function main() {
  const [issuerArg, mode, ...rest] = process.argv.slice(2);
  if (!issuerArg || !mode) fail(USAGE);

  let clientId;
  let redirectUri;
  let clientAuth;
  let metadata;
  let decryptKey; // private_key_jwt: the client's RSA enc key (a CryptoKey)
  let dirKey; // client_secret: SHA-256(secret), the `dir` content key

  if (mode === 'private_key_jwt') {
    const [jwksPath, id, redirect] = rest;
    if (!jwksPath || !id || !redirect) fail(USAGE);
    [clientId, redirectUri] = [id, redirect];
    const { keys } = JSON.parse(await readFile(jwksPath, 'utf8'));
    const sig = keys.find((k) => k.kty === 'RSA' && k.use === 'sig' && k.d);
    const enc = keys.find((k) => k.kty === 'RSA' && k.use === 'enc' && k.d);
    if (!sig || !enc) fail(`${jwksPath}: expected a private RSA key with "use":"sig" and one with "use":"enc"`);
    if (!sig.kid || !enc.kid) fail(`${jwksPath}: every key needs a kid`);
    const sigKey = await importJWK(sig, 'RS256');
    decryptKey = { key: await importJWK(enc, 'RSA-OAEP-256'), kid: enc.kid };
    // WORKAROUND (aud): openid-client (oauth4webapi) puts the issuer identifier in the client
    // assertion's `aud`; itsme® (and so the sandbox, PROTOCOL §3) wants the token endpoint URL.
    // openid-client's own `modifyAssertion` hook sets it.
    let tokenEndpoint;
    const audience = process.env.SANDBOX_ASSERTION_AUD ?? 'token_endpoint';
    clientAuth = client.PrivateKeyJwt(
      { key: sigKey, kid: sig.kid },
      {
        [client.modifyAssertion]: (_header, payload) => {
          if (audience === 'token_endpoint') payload.aud = tokenEndpoint;
        },
      },
    );
    metadata = {
      client_id: clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      id_token_signed_response_alg: 'RS256',
      // itsme® answers userinfo as a signed-and-encrypted JWT for these clients: require it.
      userinfo_signed_response_alg: 'RS256',
    };
    const config = await discover(issuerArg, clientId, metadata, clientAuth);
    tokenEndpoint = config.serverMetadata().token_endpoint;
    if (audience === 'token_endpoint') {
      notes.push('client assertion aud set to the token endpoint with openid-client modifyAssertion (its default is the issuer)');
    } else {
      notes.push('client assertion aud left at openid-client default (the issuer identifier)');
    }
    // openid-client decrypts RSA-OAEP-256 JWEs itself (ID token and userinfo JWT).
    client.enableDecryptingResponses(config, ['A128CBC-HS256'], decryptKey);
    return run(config, { clientId, redirectUri, mode });
  }

  if (mode === 'client_secret') {
    const [id, redirect] = rest;
    if (!id || !redirect) fail(USAGE);
    [clientId, redirectUri] = [id, redirect];
    const secret = process.env.SANDBOX_CLIENT_SECRET;
    if (!secret) fail('client_secret mode: set SANDBOX_CLIENT_SECRET');
    // OpenID Connect Core §10.2: the `dir` key is the left-most 256 bits of SHA-256(secret) for A256GCM.
    dirKey = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)));
    clientAuth = client.ClientSecretPost(secret);
    metadata = {
      client_id: clientId,
      client_secret: secret,
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
    };
    const config = await discover(issuerArg, clientId, metadata, clientAuth);
    // WORKAROUND (dir): openid-client's enableDecryptingResponses accepts only asymmetric private
    // keys (RSA-OAEP, ECDH-ES, X25519) and throws for a symmetric one, so it cannot open the
    // `dir`/A256GCM ID token of a client-secret client. Through openid-client's own customFetch
    // hook, the token response's `id_token` is decrypted with jose's compactDecrypt and the inner
    // JWS handed back to openid-client, which then validates it itself (iss, aud, exp, nonce…)
    // and, with enableNonRepudiationChecks, verifies its RS256 signature against the jwks_uri.
    notes.push('openid-client cannot decrypt alg=dir (enableDecryptingResponses takes only RSA-OAEP/ECDH-ES/X25519 private keys): the ID token JWE was opened with jose compactDecrypt inside a customFetch hook, and the inner JWS validated by openid-client');
    return run(config, { clientId, redirectUri, mode, dirKey });
  }

  fail(`unknown mode \`${mode}\`\n${USAGE}`);
}

async function discover(issuerArg, clientId, metadata, clientAuth) {
  const issuer = new URL(issuerArg);
  if (issuer.protocol === 'http:' && !['127.0.0.1', '[::1]', 'localhost'].includes(issuer.hostname)) {
    fail(`refusing plain http for a non-loopback issuer: ${issuer.href}`);
  }
  // allowInsecureRequests: the sandbox is http://127.0.0.1 — allowed for loopback tests only.
  return client.discovery(issuer, clientId, metadata, clientAuth, {
    execute: [client.allowInsecureRequests],
    timeout: 15,
  });
}

async function run(config, { clientId, redirectUri, mode, dirKey }) {
  const server = config.serverMetadata();
  const seen = { idTokenJweHeader: undefined, userinfo: undefined, jwksFetches: 0 };

  // Look at (and for `dir`, open) responses on their way to openid-client.
  config[client.customFetch] = async (url, options) => {
    const response = await fetch(url, options);
    const endpoint = new URL(url);
    if (endpoint.href === server.jwks_uri) seen.jwksFetches += 1;
    if (endpoint.href === server.token_endpoint && response.status === 200) {
      const body = await response.json();
      if (typeof body.id_token === 'string') {
        const parts = body.id_token.split('.').length;
        if (parts === 5) {
          seen.idTokenJweHeader = decodeProtectedHeader(body.id_token);
          if (dirKey && seen.idTokenJweHeader.alg === 'dir') {
            const { plaintext } = await compactDecrypt(body.id_token, dirKey, {
              keyManagementAlgorithms: ['dir'],
              contentEncryptionAlgorithms: ['A256GCM'],
            });
            body.id_token = new TextDecoder().decode(plaintext);
          }
        } else {
          notes.push(`the ID token has ${parts} parts, not a JWE`);
        }
      }
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers });
    }
    if (endpoint.href === server.userinfo_endpoint) {
      const type = response.headers.get('content-type');
      const text = await response.clone().text();
      seen.userinfo = { status: response.status, content_type: type };
      if (text.split('.').length === 5) seen.userinfo.jwe_header = decodeProtectedHeader(text);
    }
    return response;
  };
  // Verify JWT responses' signatures (ID token, userinfo JWT) against the jwks_uri: openid-client
  // skips that by default for responses received directly over TLS (OpenID Connect Core §3.1.3.7).
  client.enableNonRepudiationChecks(config);

  const codeVerifier = client.randomPKCECodeVerifier();
  const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier);
  const nonce = client.randomNonce();
  const state = client.randomState();
  if (!server.code_challenge_methods_supported?.includes('S256')) fail('discovery does not advertise PKCE S256');
  const authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
    nonce,
    state,
    claims: JSON.stringify(CLAIMS_REQUEST),
  });

  const answer = await fetch(authorizationUrl, { redirect: 'manual' });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) {
    fail(`the authorization endpoint answered ${answer.status} without a redirect (is the sandbox started with --approve?): ${(await answer.text()).slice(0, 500)}`);
  }
  const callback = new URL(location, authorizationUrl);
  if (`${callback.origin}${callback.pathname}` !== redirectUri) fail(`redirected to ${callback.href}, not to ${redirectUri}`);

  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: codeVerifier,
    expectedNonce: nonce,
    expectedState: state,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) fail('no ID token claims');
  if (!seen.idTokenJweHeader) fail('the ID token was not a JWE (nested JWT expected)');
  if (claims.nonce !== nonce) fail(`nonce mismatch: ${claims.nonce} != ${nonce}`);
  // openid-client checks at_hash only in hybrid/implicit flows; check it here (OpenID Connect Core
  // §3.1.3.8: the left half of SHA-256 of the access token, base64url, for RS256).
  if (claims.at_hash !== undefined) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(tokens.access_token)));
    const expected = Buffer.from(digest.slice(0, 16)).toString('base64url');
    if (claims.at_hash !== expected) fail(`at_hash ${claims.at_hash} != ${expected} (left half of SHA-256 of the access token)`);
    notes.push('at_hash matches the access token (checked by flow.mjs)');
  }

  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  if (seen.userinfo?.content_type) notes.push(`userinfo content-type: ${seen.userinfo.content_type}`);
  if (seen.userinfo?.jwe_header) notes.push(`userinfo JWE: alg=${seen.userinfo.jwe_header.alg} enc=${seen.userinfo.jwe_header.enc}`);
  if (mode === 'private_key_jwt') {
    notes.push('ID token and userinfo JWT decrypted by openid-client enableDecryptingResponses');
  }
  // enableNonRepudiationChecks fetches the jwks_uri to verify signatures: no fetch, no check.
  if (seen.jwksFetches === 0) fail('openid-client never fetched the jwks_uri: no signature was verified');
  notes.push(`RS256 signatures verified by openid-client enableNonRepudiationChecks (jwks_uri fetched ${seen.jwksFetches}x)`);

  const { alg, enc, cty, kid } = seen.idTokenJweHeader;
  process.stdout.write(
    `${JSON.stringify({
      ok: true,
      client_id: clientId,
      nonce,
      id_token_claims: claims,
      userinfo,
      id_token_header: { alg, enc, ...(cty ? { cty } : {}), ...(kid ? { kid } : {}) },
      notes,
    })}\n`,
  );
}

main().catch((err) => fail(describe(err)));
