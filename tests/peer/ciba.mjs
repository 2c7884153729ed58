// CIBA around oidc-provider, for tests/it/peer.rs (provider.mjs `ciba` mode): the provider's own CIBA
// feature (`features.ciba`: backchannel endpoint, poll and ping delivery, the CIBA grant) does the
// standard part; this file adds what itsme® has and no standard does (PROTOCOL §9.2), the user
// discovery sessions, and plays the user's phone.
//
// - POST /v2/user_discovery_sessions and /v2/user_discovery_sessions/{id}: the client assertion is
//   checked as PROTOCOL §9.1 documents it (RS256 by the client's key, iss = sub = client_id,
//   aud = <issuer>/backchannel/authentication, exp, a jti used once), else 401. The answers have the
//   documented example's shape (qr_code and expires_at nested under user_discovery_token) plus
//   `interval: 1`; a poll sooner than the interval is answered 429 and counted. The QR code is a real
//   JPEG (qrcode-generator + jpeg-js, nobody here wrote them) of a harness URL, and a new one is sent
//   on every third poll: only the newest works.
// - GET /harness/scan/{qr token}[?decision=deny][&user=ID]: the "phone" scanning the code; the session
//   then answers USER_DISCOVERED with a single-use user_identifier_token.
// - GET /harness/stats: what the harness saw (poll times, 429s, login_hint_tokens, pings).
// - processLoginHintToken reads the documented compact JWT (alg none or RS256: the signature is not
//   what this harness tests) of type user_identifier_token (single use) or subject_code;
//   triggerAuthenticationDevice approves (or denies) 1.5 s later through provider.backchannelResult,
//   which pings the ping client's callback: https as oidc-provider requires, sent as plain http to the
//   CLI's listener by the harness's `fetch` (a test-only deviation).
import { randomBytes } from 'node:crypto';

import * as jose from 'jose';
import jpeg from 'jpeg-js';
import qrcode from 'qrcode-generator';
import { errors } from 'oidc-provider';

const INTERVAL_S = 1;
const USER = 'ciba-user-1';
const identifiers = new Map(); // user_identifier_token -> { accountId, decision }
const decisions = new Map(); // accountId -> decision of the latest scan
const stats = { discovery_polls: [], too_fast: 0, unauthorized: 0, login_hint_tokens: [], pings: [] };

/// The two CIBA clients, on client A's public keys.
export function clients(publicKeys, pingPort) {
  const common = {
    grant_types: ['urn:openid:params:grant-type:ciba'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'private_key_jwt',
    jwks: { keys: publicKeys },
    backchannel_authentication_request_signing_alg: 'RS256',
    id_token_signed_response_alg: 'RS256',
    id_token_encrypted_response_alg: 'RSA-OAEP-256',
    id_token_encrypted_response_enc: 'A128CBC-HS256',
    userinfo_signed_response_alg: 'RS256',
    userinfo_encrypted_response_alg: 'RSA-OAEP-256',
    userinfo_encrypted_response_enc: 'A128CBC-HS256',
  };
  return [
    { ...common, client_id: 'peer-ciba-poll', backchannel_token_delivery_mode: 'poll' },
    {
      ...common,
      client_id: 'peer-ciba-ping',
      backchannel_token_delivery_mode: 'ping',
      backchannel_client_notification_endpoint: `https://127.0.0.1:${pingPort}/cb`,
    },
  ];
}

/// Provider options: a `fetch` that reaches the CLI's plain-http ping listener on loopback.
export function providerOptions() {
  return {
    async fetch(url, options) {
      const target = new URL(url);
      target.protocol = 'http:';
      const { dispatcher, ...rest } = options; // the SSRF guard refuses loopback: test only
      stats.pings.push({ at: Date.now(), url: target.href });
      return fetch(target.href, rest);
    },
  };
}

/// `features.ciba`.
export function feature(getProvider) {
  return {
    enabled: true,
    deliveryModes: ['poll', 'ping'],
    async processLoginHintToken(ctx, token) {
      stats.login_hint_tokens.push(token);
      const parts = token.split('.');
      if (parts.length !== 3) throw new errors.InvalidRequest('login_hint_token is not a compact JWT');
      let payload;
      try {
        payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      } catch {
        throw new errors.InvalidRequest('login_hint_token payload is not JSON');
      }
      if (payload.type === 'subject_code' && typeof payload.value === 'string') return payload.value;
      if (payload.type !== 'user_identifier_token') return undefined;
      const known = identifiers.get(payload.value);
      if (!known) throw new errors.ExpiredLoginHintToken('unknown or used user_identifier_token');
      identifiers.delete(payload.value); // single use (PROTOCOL §9.2)
      decisions.set(known.accountId, known.decision);
      return known.accountId;
    },
    async validateRequestContext() {},
    async verifyUserCode() {},
    async validateBindingMessage() {},
    async triggerAuthenticationDevice(ctx, request, account, client) {
      const decision = decisions.get(account.accountId) ?? 'approve';
      setTimeout(async () => {
        const provider = getProvider();
        try {
          if (decision === 'deny') {
            await provider.backchannelResult(request, new errors.AccessDenied('the user refused in the app'));
            return;
          }
          const grant = new provider.Grant({ clientId: client.clientId, accountId: account.accountId });
          grant.addOIDCScope(request.scope);
          for (const where of ['id_token', 'userinfo']) {
            const asked = request.claims?.[where];
            if (asked) grant.addOIDCClaims(Object.keys(asked));
          }
          await grant.save();
          await provider.backchannelResult(request, grant);
        } catch (err) {
          console.error('harness: backchannelResult failed', err);
        }
      }, 1500);
    },
  };
}

/// A QR code of `text` as a base64 JPEG, 6 pixels a module, with a 4-module quiet zone.
function qrJpeg(text) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const modules = qr.getModuleCount();
  const scale = 6;
  const side = (modules + 8) * scale;
  const data = Buffer.alloc(side * side * 4, 255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const [mx, my] = [Math.floor(x / scale) - 4, Math.floor(y / scale) - 4];
      if (mx >= 0 && my >= 0 && mx < modules && my < modules && qr.isDark(my, mx)) {
        const at = (y * side + x) * 4;
        data[at] = data[at + 1] = data[at + 2] = 0;
      }
    }
  }
  return jpeg.encode({ data, width: side, height: side }, 90).data.toString('base64');
}

function readBody(req, limit = 64 * 1024) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > limit) reject(new Error('too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    connection: 'close',
  });
  res.end(text);
}

/// The discovery-session endpoints and the phone.
export function discoverySessions({ issuer, clients: registered }) {
  const origin = new URL(issuer).origin;
  const audience = `${issuer}/backchannel/authentication`;
  const sessions = new Map(); // id -> { clientId, qrToken, polls, lastPoll, identifier }
  const seenJti = new Set();

  async function authenticate(form) {
    const assertion = form.get('client_assertion');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' || !assertion) {
      throw new Error('no client assertion');
    }
    const { iss } = jose.decodeJwt(assertion);
    const client = registered.find((c) => c.client_id === iss);
    if (!client) throw new Error(`unknown client ${iss}`);
    if (form.get('client_id') && form.get('client_id') !== iss) throw new Error('client_id differs from iss');
    const { payload } = await jose.jwtVerify(assertion, jose.createLocalJWKSet(client.jwks), {
      issuer: iss,
      subject: iss,
      audience,
      algorithms: ['RS256'],
      requiredClaims: ['exp', 'jti'],
    });
    if (seenJti.has(payload.jti)) throw new Error('jti used twice');
    seenJti.add(payload.jti);
    return client.client_id;
  }

  function pending(id, session) {
    return {
      user_discovery_session_id: id,
      status: 'PENDING_USER_DISCOVERY',
      user_discovery_token: {
        qr_code: qrJpeg(`${origin}/harness/scan/${session.qrToken}`),
        expires_at: new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
      interval: INTERVAL_S,
    };
  }

  async function serve(req, res) {
    const url = new URL(req.url, origin);
    if (req.method === 'GET' && url.pathname === '/harness/stats') return json(res, 200, stats);
    const scan = url.pathname.match(/^\/harness\/scan\/([A-Za-z0-9_-]+)$/);
    if (req.method === 'GET' && scan) {
      const entry = [...sessions.entries()].find(([, s]) => s.qrToken === scan[1]);
      if (!entry) return json(res, 410, { error: 'this QR code was replaced or is unknown' });
      const identifier = randomBytes(24).toString('base64url');
      identifiers.set(identifier, {
        accountId: url.searchParams.get('user') || USER,
        decision: url.searchParams.get('decision') || 'approve',
      });
      entry[1].identifier = identifier;
      return json(res, 200, { scanned: true });
    }
    const poll = url.pathname.match(/^\/v2\/user_discovery_sessions(?:\/([^/]+))?$/);
    if (req.method !== 'POST' || !poll) return json(res, 404, { error: 'not_found' });
    let clientId;
    try {
      clientId = await authenticate(new URLSearchParams(await readBody(req)));
    } catch (err) {
      stats.unauthorized += 1;
      console.error('harness: discovery session client authentication failed:', err.message);
      return json(res, 401, { error: 'invalid_client' });
    }
    const now = Date.now();
    stats.discovery_polls.push(now);
    if (!poll[1]) {
      const id = randomBytes(16).toString('hex');
      const session = { clientId, qrToken: randomBytes(12).toString('base64url'), polls: 0, lastPoll: now };
      sessions.set(id, session);
      return json(res, 200, pending(id, session));
    }
    const id = decodeURIComponent(poll[1]);
    const session = sessions.get(id);
    if (!session || session.clientId !== clientId) return json(res, 400, { error: 'invalid_request' });
    if (now - session.lastPoll < INTERVAL_S * 1000 - 150) {
      stats.too_fast += 1;
      session.lastPoll = now;
      return json(res, 429, { error: 'too_many_requests' });
    }
    session.lastPoll = now;
    session.polls += 1;
    if (session.identifier) {
      sessions.delete(id);
      return json(res, 200, {
        user_discovery_session_id: id,
        status: 'USER_DISCOVERED',
        user_identifier_token: session.identifier,
      });
    }
    if (session.polls % 3 === 0) session.qrToken = randomBytes(12).toString('base64url');
    return json(res, 200, pending(id, session));
  }

  return {
    handles: (req) => req.url.startsWith('/v2/user_discovery_sessions') || req.url.startsWith('/harness/'),
    serve: (req, res) => serve(req, res).catch((err) => {
      console.error('harness error', err);
      json(res, 500, { error: 'server_error' });
    }),
  };
}
