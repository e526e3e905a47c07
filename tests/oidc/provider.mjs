// A real OpenID Connect provider (oidc-provider, OpenID-certified) on
// loopback, for the api's sign-in tests (api/tests/api/oidc.rs). It issues JWT
// access tokens by the client_credentials grant, one client per kind of
// person the tests need, with the claims an identity provider would send.
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
const clients = Object.keys(people).map((clientId) => ({
  client_id: clientId,
  client_secret: `${clientId}-secret`,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: 'client_secret_post',
}));

const provider = new Provider(issuer, {
  clients,
  jwks: { keys },
  cookies: { keys: ['caucus-oidc-tests-only'] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      useGrantedResource: () => true,
      // The resource asked for becomes the token's audience, so a test can
      // ask for a token meant for another api.
      getResourceServerInfo: (_ctx, resourceIndicator, client) => ({
        scope: 'api',
        audience: resourceIndicator,
        accessTokenFormat: 'jwt',
        accessTokenTTL: client.clientId === 'short-lived' ? 1 : 600,
        jwt: { sign: { alg: signing.alg } },
      }),
    },
  },
  extraTokenClaims: (_ctx, token) => people[token.clientId],
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
