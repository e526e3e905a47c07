// A real OpenID Connect provider (oidc-provider, OpenID-certified) on
// loopback, for the sign-in tests. For the api's (api/tests/api/oidc.rs) it
// issues JWT access tokens by the client_credentials grant, one client per
// kind of person the tests need, with the claims an identity provider would
// send. For the web client's (web/tests/pages/oidc.rs) it signs people in by
// the authorization code flow with PKCE, through its development login and
// consent pages (any password; the login names the account).
//
// Environment:
//   OIDC_PORT       the loopback port to listen on (the issuer is
//                   http://127.0.0.1:<port>)
//   OIDC_KEYS_FILE  a file keeping the provider's private signing keys (a
//                   JSON array of JWKs) across restarts; created if missing
//   OIDC_NEW_KEY    RS256 or ES256: generate a key of that kind and sign with
//                   it from now on, still publishing the older ones, as a
//                   provider rotating its keys does (default: RS256 when the
//                   file holds no key)
//   OIDC_WEB_REDIRECT_URI
//                   the web client's callback: registers the client
//                   `caucus-web` (secret `caucus-web-secret`) for the
//                   authorization code flow
//   OIDC_WEB_POST_LOGOUT_REDIRECT_URI
//                   where the web client asks to come back to after it
//                   signs someone out at the provider (RP-Initiated Logout:
//                   the provider's end_session_endpoint, on by default)
//   OIDC_NO_END_SESSION
//                   set: offer no end_session_endpoint, as some providers
//                   (Google) do not
//
// Prints `ready <issuer> <kid>` once it listens, naming the signing key.

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('OIDC_PORT must name a port');
  process.exit(2);
}
const keysFile = process.env.OIDC_KEYS_FILE;
if (!keysFile) {
  console.error('OIDC_KEYS_FILE must name a file');
  process.exit(2);
}

const issuer = `http://127.0.0.1:${port}`;

function generate(alg) {
  const { privateKey } = alg === 'ES256'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg, use: 'sig' };
}

let keys = existsSync(keysFile) ? JSON.parse(readFileSync(keysFile, 'utf8')) : [];
const newKey = process.env.OIDC_NEW_KEY ?? (keys.length === 0 ? 'RS256' : undefined);
if (newKey) {
  keys = [generate(newKey), ...keys];
  writeFileSync(keysFile, JSON.stringify(keys));
}
// The newest key signs; the older ones stay published for tokens already out.
const signing = keys[0];

// Who each client stands for: the roles and group an office's directory would
// give them, in the provider's own role names (the api maps them).
const GROUP = 'newham-labour';
const people = {
  'office-assistant': { roles: ['Caucus.Assistant'], office_group: GROUP },
  'office-auditor': { roles: ['Caucus.Auditor', 'Payroll.Reader'], office_group: GROUP },
  'no-caucus-role': { roles: ['Payroll.Reader'], office_group: GROUP },
  'no-group': { roles: ['Caucus.Assistant'] },
  'short-lived': { roles: ['Caucus.Assistant'], office_group: GROUP },
};
// The people who sign in to the web client, by the login they give.
const accounts = {
  'pa.jones': { name: 'Priya Jones', roles: ['Caucus.Assistant'], office_group: GROUP },
  'cllr.begum': { name: 'Amina Begum', roles: ['Caucus.Councillor'], office_group: GROUP },
  'payroll.clerk': { name: 'Pat Clerk', roles: ['Payroll.Reader'], office_group: GROUP },
  // Tokens that lapse two seconds after the web client treats them as
  // expired (a minute before they are).
  'short.lived': { name: 'Sam Short', roles: ['Caucus.Assistant'], office_group: GROUP },
};
const clients = Object.keys(people).map((clientId) => ({
  client_id: clientId,
  client_secret: `${clientId}-secret`,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: 'client_secret_post',
}));
if (process.env.OIDC_WEB_REDIRECT_URI) {
  clients.push({
    client_id: 'caucus-web',
    client_secret: 'caucus-web-secret',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [process.env.OIDC_WEB_REDIRECT_URI],
    post_logout_redirect_uris: process.env.OIDC_WEB_POST_LOGOUT_REDIRECT_URI
      ? [process.env.OIDC_WEB_POST_LOGOUT_REDIRECT_URI] : [],
    token_endpoint_auth_method: 'client_secret_basic',
  });
}

// How long an access token lasts, in seconds.
function lifetime(clientId, accountId) {
  if (clientId === 'short-lived') return 1;
  return accountId === 'short.lived' ? 62 : 600;
}

const provider = new Provider(issuer, {
  clients,
  jwks: { keys },
  cookies: { keys: ['caucus-oidc-tests-only'] },
  findAccount: (_ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, name: accounts[id]?.name }),
  }),
  claims: { openid: ['sub'], profile: ['name'] },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: !process.env.OIDC_NO_END_SESSION },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      useGrantedResource: () => true,
      // The resource asked for becomes the token's audience, so a test can
      // ask for a token meant for another api.
      getResourceServerInfo: (ctx, resourceIndicator, client) => ({
        scope: 'api',
        audience: resourceIndicator,
        accessTokenFormat: 'jwt',
        accessTokenTTL: lifetime(client.clientId, ctx.oidc?.entities?.AuthorizationCode?.accountId),
        jwt: { sign: { alg: signing.alg } },
      }),
    },
  },
  extraTokenClaims: (_ctx, token) => {
    if (people[token.clientId]) return people[token.clientId];
    const account = accounts[token.accountId];
    return account && { roles: account.roles, office_group: account.office_group };
  },
});

// Counts the fetches of the key set, so a test can see the api refetch it
// rarely however many unknown keys it is shown.
let jwksFetches = 0;
provider.use(async (ctx, next) => {
  if (ctx.path === '/test/jwks-fetches') {
    ctx.body = { fetches: jwksFetches };
    return;
  }
  if (ctx.path === '/jwks') jwksFetches += 1;
  await next();
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer} ${signing.kid}`);
});
