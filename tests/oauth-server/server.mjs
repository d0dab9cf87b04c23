// A third-party OAuth 2.0 authorization server (panva/oidc-provider) on loopback for the auth
// tests: PKCE S256 required, refresh tokens rotated on every use, native loopback redirects on any
// port. The "user" consents at once, unless the authorize request carries `hb_deny=1`.
// Prints `ISSUER http://127.0.0.1:PORT` when ready, then `GRANT <grant_type>` per token issued
// and `GRANT_ERROR <grant_type> <error>` per refusal; exits when its stdin closes.
import http from 'node:http';
import Provider from 'oidc-provider';

let provider;
const server = http.createServer(async (req, res) => {
  if (!req.url.startsWith('/interaction/')) return provider.callback()(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.params.hb_deny === '1') {
      await provider.interactionFinished(req, res,
        { error: 'access_denied', error_description: 'The user refused to grant access' },
        { mergeWithLastSubmission: false });
      return;
    }
    const grant = new provider.Grant({ accountId: 'alice', clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    await provider.interactionFinished(req, res,
      { login: { accountId: 'alice' }, consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: false });
  } catch (err) {
    res.statusCode = 500;
    res.end(String(err));
  }
});

const nativeClient = {
  application_type: 'native',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: ['http://127.0.0.1/callback'],
};

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: [
      { ...nativeClient, client_id: 'hirebridge-desktop', token_endpoint_auth_method: 'none' },
      // A confidential client, as SmartRecruiters and Lever register ours: secret in the body.
      { ...nativeClient, client_id: 'hirebridge-confidential', client_secret: 'oidc-test-client-secret',
        token_endpoint_auth_method: 'client_secret_post' },
      // A vendor that registered Hirebridge's custom-scheme redirect (deep-link completion).
      { ...nativeClient, client_id: 'hirebridge-deeplink', token_endpoint_auth_method: 'none',
        redirect_uris: ['hirebridge://oauth/callback'] },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access'],
    extraParams: ['hb_deny'],
    findAccount: async (ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
    issueRefreshToken: async () => true,
    rotateRefreshToken: true,
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false }, revocation: { enabled: true } },
    ttl: { AccessToken: 60, AuthorizationCode: 60, RefreshToken: 3600, Interaction: 60, Session: 60,
      Grant: 3600, IdToken: 60 },
  });
  provider.on('server_error', (ctx, err) => console.error('server_error', err));
  // One line per token-endpoint outcome, so tests can count refreshes.
  provider.on('grant.success', (ctx) => console.log(`GRANT ${ctx.oidc.params.grant_type}`));
  provider.on('grant.error', (ctx, err) => console.log(`GRANT_ERROR ${ctx.oidc.params?.grant_type} ${err.error}`));
  console.log(`ISSUER http://127.0.0.1:${port}`);
});

process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
