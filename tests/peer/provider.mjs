// A peer provider for tests/it/peer.rs: panva's certified `oidc-provider`, configured to look like itsme®
// (see /work/shared/testing/PEER-PROVIDER.md). Nobody here wrote it, so it catches our own misreadings
// of the specs that the project's sandbox would share.
//
//   node tests/peer/provider.mjs <callback port> <keys dir> [ciba <ping port>]
//
// Listens on 127.0.0.1:<ephemeral>, issuer http://127.0.0.1:<port>/v2, and prints ONE JSON line:
//   {"issuer", "client_a": {"client_id", "keys_file"}, "client_b": {"client_id", "client_secret"}}
// Client A's private JWK Set (sig + enc) is written to <keys dir>/client-a.private.jwks.json.
//
// With `ciba`, the provider's CIBA feature is on (`features.ciba`, poll and ping) with two more clients
// on client A's keys, `peer-ciba-poll` and `peer-ciba-ping` (its callback: the CLI's ping listener on
// <ping port>), and the harness adds itsme®'s proprietary user discovery sessions around it
// (PROTOCOL §9.2): see ciba.mjs.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import * as jose from 'jose';
import Provider from 'oidc-provider';

import * as ciba from './ciba.mjs';

const [callbackPort, keysDir, mode, pingPort] = process.argv.slice(2);
const withCiba = mode === 'ciba';
if (!/^\d+$/.test(callbackPort ?? '') || !keysDir || (withCiba && !/^\d+$/.test(pingPort ?? ''))) {
  console.error('usage: node provider.mjs <callback port> <keys dir> [ciba <ping port>]');
  process.exit(2);
}
const redirectUri = `http://127.0.0.1:${callbackPort}/callback`;
const NATIONAL_NUMBER = 'http://itsme.services/v2/claim/BENationalNumber';

async function rsaKey(use, alg, kid) {
  const { privateKey } = await jose.generateKeyPair(alg, { modulusLength: 2048, extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  return { ...jwk, kid, use, alg };
}
const publicPart = ({ d, p, q, dp, dq, qi, ...pub }) => pub;

// The provider's own keys: a signing key and an encryption key (for encrypted request objects).
const providerKeys = [
  await rsaKey('sig', 'RS256', 'peer-sig-1'),
  await rsaKey('enc', 'RSA-OAEP-256', 'peer-enc-1'),
];

// Client A's keys: generated here, private set written for the CLI's --keys, public set registered inline
// (oidc-provider 9 refuses to fetch a jwks_uri on loopback).
const clientAKeys = [
  await rsaKey('sig', 'RS256', 'client-a-sig-1'),
  await rsaKey('enc', 'RSA-OAEP-256', 'client-a-enc-1'),
];
mkdirSync(keysDir, { recursive: true });
const keysFile = join(keysDir, 'client-a.private.jwks.json');
writeFileSync(keysFile, JSON.stringify({ keys: clientAKeys }, null, 2), { mode: 0o600 });

const clientBSecret = randomBytes(32).toString('base64url');

const accounts = {
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          name: 'Jeanne Dupont',
          given_name: 'Jeanne',
          family_name: 'Dupont',
          locale: 'fr',
          birthdate: '1990-01-31',
          gender: 'female',
          [NATIONAL_NUMBER]: '90013112368',
        };
      },
    };
  },
};

// Bind first, then build the issuer with the real port.
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}/v2`;

const cibaClients = withCiba ? ciba.clients(clientAKeys.map(publicPart), pingPort) : [];
const provider = new Provider(issuer, {
  ...(withCiba ? ciba.providerOptions(() => provider) : {}),
  clients: [
    ...cibaClients,
    {
      client_id: 'peer-client-a',
      redirect_uris: [redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: clientAKeys.map(publicPart) },
      id_token_signed_response_alg: 'RS256',
      id_token_encrypted_response_alg: 'RSA-OAEP-256',
      id_token_encrypted_response_enc: 'A128CBC-HS256',
      userinfo_signed_response_alg: 'RS256',
      userinfo_encrypted_response_alg: 'RSA-OAEP-256',
      userinfo_encrypted_response_enc: 'A128CBC-HS256',
      request_object_signing_alg: 'RS256',
      request_object_encryption_alg: 'RSA-OAEP-256',
      request_object_encryption_enc: 'A128CBC-HS256',
    },
    {
      client_id: 'peer-client-b',
      client_secret: clientBSecret,
      redirect_uris: [redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
      id_token_encrypted_response_alg: 'dir',
      id_token_encrypted_response_enc: 'A256GCM',
    },
  ],
  jwks: { keys: providerKeys },
  findAccount: accounts.findAccount,
  responseTypes: ['code'],
  clientAuthMethods: ['private_key_jwt', 'client_secret_post'],
  pkce: { required: () => true },
  // Explicit lifetimes (the defaults print a notice to stdout on first use).
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 180,
    ClientCredentials: 600,
    Grant: 3600,
    IdToken: 3600,
    Interaction: 600,
    Session: 3600,
  },
  scopes: ['openid', 'service:TEST_CODE'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name', 'locale', 'birthdate', 'gender'],
    [NATIONAL_NUMBER]: null,
  },
  routes: {
    authorization: '/authorization',
    token: '/token',
    userinfo: '/userinfo',
    jwks: '/jwkSet',
    backchannel_authentication: '/backchannel/authentication',
  },
  features: {
    devInteractions: { enabled: true },
    claimsParameter: { enabled: true },
    encryption: { enabled: true },
    requestObjects: { enabled: true },
    userinfo: { enabled: true },
    jwtUserinfo: { enabled: true },
    pushedAuthorizationRequests: { enabled: false },
    rpInitiatedLogout: { enabled: false },
    revocation: { enabled: false },
    introspection: { enabled: false },
    ...(withCiba ? { ciba: ciba.feature(() => provider) } : {}),
  },
  enabledJWA: {
    requestObjectEncryptionAlgValues: ['RSA-OAEP-256', 'RSA-OAEP', 'dir'],
    requestObjectEncryptionEncValues: ['A128CBC-HS256', 'A256CBC-HS512', 'A128GCM', 'A256GCM'],
  },
});
provider.proxy = false;

// Log what the provider refuses (stderr; the test shows it when a case fails).
provider.on('server_error', (ctx, err) => console.error('server_error', err));
for (const event of ['authorization.error', 'grant.error', 'userinfo.error', 'jwks.error', 'backchannel.error', 'backchannel_authentication.error']) {
  provider.on(event, (ctx, err) => console.error(event, err.error ?? err.name, err.error_description ?? err.message, err.error_detail ?? ''));
}

const callback = provider.callback();
const discovery = withCiba ? ciba.discoverySessions({ issuer, clients: cibaClients }) : null;
server.on('request', (req, res) => {
  if (discovery?.handles(req)) {
    discovery.serve(req, res);
  } else if (req.url === '/v2' || req.url.startsWith('/v2/') || req.url.startsWith('/v2?')) {
    // Mounted at /v2: the provider reads the mount path from originalUrl - url.
    req.originalUrl = req.url;
    req.url = req.url.slice(3) || '/';
    if (!req.url.startsWith('/')) req.url = `/${req.url}`;
    callback(req, res);
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found (the provider is mounted at /v2)\n');
  }
});

process.stdout.write(`${JSON.stringify({
  issuer,
  client_a: { client_id: 'peer-client-a', keys_file: keysFile },
  client_b: { client_id: 'peer-client-b', client_secret: clientBSecret },
  ...(withCiba ? { ciba: { poll: 'peer-ciba-poll', ping: 'peer-ciba-ping' } } : {}),
})}\n`);

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
