// One CIBA QR login against `itsme-cli sandbox --approve`, with panva's openid-client's own CIBA
// functions (initiateBackchannelAuthentication, pollBackchannelAuthenticationGrant): the sandbox's
// backchannel and CIBA token endpoints checked by code nobody here wrote.
//
//   node ciba.mjs <issuer> <private-jwks-file> <client_id> [poll|ping <callback-port>]
//
// Prints ONE JSON line on stdout: {"ok":true,"id_token_claims":…,"userinfo":…,"notes":[…]} or
// {"ok":false,"error":"…"} (exit 1).
//
// itsme®'s user discovery session (PROTOCOL §9.2) is proprietary: openid-client has no function
// for it, so it is called with fetch and a client assertion signed by jose (marked PROPRIETARY).
// The request object and the login_hint_token are built here with jose, independently of the
// Rust builder. Ping mode: a node HTTP server receives the ping, then openid-client polls once.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import * as client from 'openid-client';
import { SignJWT, UnsecuredJWT, importJWK } from 'jose';

const notes = [];

function fail(error) {
  process.stdout.write(`${JSON.stringify({ ok: false, error, notes })}\n`);
  process.exit(1);
}

function describe(err) {
  const parts = [`${err?.name ?? 'Error'}: ${err?.message ?? String(err)}`];
  for (const name of ['code', 'error', 'error_description', 'status']) {
    if (err?.[name]) parts.push(`${name}=${err[name]}`);
  }
  if (err?.cause) parts.push(`cause=${JSON.stringify(err.cause)}`);
  return parts.join('; ');
}

const sleep = (s) => new Promise((resolve) => setTimeout(resolve, s * 1000));

async function assertion(sigKey, kid, clientId, aud) {
  return new SignJWT({ jti: client.randomState() })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(aud)
    .setIssuedAt()
    .setExpirationTime('2m')
    .sign(sigKey);
}

// PROPRIETARY: POST /user_discovery_sessions[/{id}] with the documented assertion `aud`, the
// backchannel endpoint URL (PROTOCOL §9.1).
async function discoverUser(issuer, sigKey, kid, clientId, backchannelEndpoint) {
  const call = async (path) => {
    const body = new URLSearchParams({
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await assertion(sigKey, kid, clientId, backchannelEndpoint),
    });
    const response = await fetch(`${issuer}${path}`, { method: 'POST', body });
    const json = await response.json();
    if (response.status !== 200) fail(`${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const created = await call('/user_discovery_sessions');
  const qr = created.user_discovery_token?.qr_code;
  if (typeof qr !== 'string' || !Buffer.from(qr, 'base64').subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) {
    fail(`the discovery answer has no base64 JPEG qr_code: ${JSON.stringify(created).slice(0, 300)}`);
  }
  for (let i = 0; i < 5; i += 1) {
    await sleep(created.interval ?? 5);
    const polled = await call(`/user_discovery_sessions/${encodeURIComponent(created.user_discovery_session_id)}`);
    if (polled.status === 'USER_DISCOVERED') {
      notes.push('user discovery session: PENDING_USER_DISCOVERY with a JPEG QR code, then USER_DISCOVERED (fetch + jose: openid-client has no function for it)');
      return polled.user_identifier_token;
    }
  }
  return fail('the discovery session never answered USER_DISCOVERED (is the sandbox started with --approve?)');
}

async function main() {
  const [issuerArg, jwksPath, clientId, mode = 'poll', callbackPort] = process.argv.slice(2);
  if (!issuerArg || !jwksPath || !clientId) fail('usage: node ciba.mjs <issuer> <private-jwks-file> <client_id> [poll|ping <port>]');
  const { keys } = JSON.parse(await readFile(jwksPath, 'utf8'));
  const sig = keys.find((k) => k.kty === 'RSA' && k.use === 'sig' && k.d);
  const enc = keys.find((k) => k.kty === 'RSA' && k.use === 'enc' && k.d);
  if (!sig || !enc) fail(`${jwksPath}: expected private RSA sig and enc keys`);
  const sigKey = await importJWK(sig, 'RS256');
  let tokenEndpoint;
  // The documented `aud` at the backchannel and token endpoints is the token endpoint URL
  // (PROTOCOL §9.1); openid-client's default is the issuer: its own modifyAssertion hook sets it.
  const clientAuth = client.PrivateKeyJwt(
    { key: sigKey, kid: sig.kid },
    { [client.modifyAssertion]: (_header, payload) => { payload.aud = tokenEndpoint; } },
  );
  const config = await client.discovery(
    new URL(issuerArg),
    clientId,
    { client_id: clientId, token_endpoint_auth_method: 'private_key_jwt', id_token_signed_response_alg: 'RS256', userinfo_signed_response_alg: 'RS256' },
    clientAuth,
    { execute: [client.allowInsecureRequests], timeout: 15 },
  );
  const server = config.serverMetadata();
  tokenEndpoint = server.token_endpoint;
  if (!server.backchannel_authentication_endpoint) fail('discovery advertises no backchannel_authentication_endpoint');
  if (!server.grant_types_supported?.includes('urn:openid:params:grant-type:ciba')) fail('discovery lacks the CIBA grant');
  client.enableDecryptingResponses(config, ['A128CBC-HS256'], { key: await importJWK(enc, 'RSA-OAEP-256'), kid: enc.kid });
  client.enableNonRepudiationChecks(config);

  const uit = await discoverUser(issuerArg, sigKey, sig.kid, clientId, server.backchannel_authentication_endpoint);
  // The documented compact form of the hint: an unsigned JWT (PROTOCOL §9.3).
  const loginHintToken = new UnsecuredJWT({ type: 'user_identifier_token', value: uit }).encode();
  const claims = {
    client_id: clientId,
    scope: 'openid service:LOGIN profile',
    login_hint_token: loginHintToken,
    acr_values: 'http://itsme.services/v2/claim/acr_advanced',
    requested_expiry: 60,
    claims: { id_token: { given_name: null, 'http://itsme.services/v2/claim/BENationalNumber': null } },
  };
  let ping;
  if (mode === 'ping') {
    const token = client.randomState() + client.randomState();
    claims.client_notification_token = token;
    ping = new Promise((resolve, reject) => {
      const listener = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => { body += chunk; });
        request.on('end', () => {
          response.writeHead(204).end();
          listener.close();
          if (request.headers.authorization !== `Bearer ${token}`) reject(new Error(`ping with the wrong bearer token: ${request.headers.authorization}`));
          else resolve({ path: request.url, type: request.headers['content-type'], body: JSON.parse(body) });
        });
      });
      listener.listen(Number(callbackPort), '127.0.0.1');
    });
  }
  const request = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: sig.kid, typ: 'JWT' })
    .setIssuer(clientId)
    .setAudience(issuerArg)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime('5m')
    .setJti(client.randomState())
    .sign(sigKey);

  const started = await client.initiateBackchannelAuthentication(config, { request });
  notes.push(`initiateBackchannelAuthentication: expires_in=${started.expires_in} interval=${started.interval}`);
  if (ping) {
    const received = await ping;
    if (received.body.auth_req_id !== started.auth_req_id) fail(`the ping names ${received.body.auth_req_id}, not ${started.auth_req_id}`);
    notes.push(`ping received at ${received.path} (${received.type}) with the bearer client_notification_token`);
  }
  const tokens = await client.pollBackchannelAuthenticationGrant(config, started);
  const idClaims = tokens.claims();
  if (!idClaims) fail('no ID token');
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
  notes.push('pollBackchannelAuthenticationGrant: ID token decrypted, signature verified and validated by openid-client');
  process.stdout.write(`${JSON.stringify({ ok: true, auth_req_id_length: started.auth_req_id.length, id_token_claims: idClaims, userinfo, notes })}\n`);
}

main().catch((err) => fail(describe(err)));
