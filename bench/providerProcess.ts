// The provider simulator in its own process, so that the soak's heap and sockets are Splice's
// alone. Answers the parent's messages: `expire` expires every access token, `counts` reports.
import { startProviderSimulator } from '@splice/testkit';

const provider = await startProviderSimulator();
process.send?.({
  tokenUrl: provider.tokenUrl,
  authorizationUrl: provider.authorizationUrl,
  clientId: provider.clientId,
  clientSecret: provider.clientSecret,
  apiUrl: provider.apiUrl,
});
process.on('message', (message: { kind: 'expire' | 'counts' | 'code'; redirectUri?: string }) => {
  if (message.kind === 'expire') provider.expireAccessTokens();
  if (message.kind === 'counts') process.send?.({ counts: provider.counts });
  if (message.kind === 'code')
    process.send?.({ code: provider.issueCode(message.redirectUri ?? '') });
});
process.on('disconnect', () => void provider.close().then(() => process.exit(0)));
