import {
  CREDENTIAL_KEYS,
  type Credentials,
  REDACTED,
  SECRET_KEY_PATTERN,
  scrub,
} from '@splice/core';
import type { AuthServices } from '../catalog/AuthServices.js';
import type { ConnectorCatalog } from '../catalog/ConnectorCatalog.js';
import type { InstanceRepository } from '../connections/InstanceRepository.js';
import type { Send } from '../pipeline/EndpointCall.js';
import type { CallInput } from '../RuntimeOptions.js';
import { checkCallInput } from './checkCallInput.js';
import { EndpointRequest } from './EndpointRequest.js';
import type { RequestPreview } from './RequestPreview.js';
import { Session } from './Session.js';

/**
 * What `previewRequest` reads: the catalog, the instance repository and the strategy services.
 *
 * @example
 * ```ts
 * const parts: PreviewParts = { catalog, repository, services };
 * ```
 */
export interface PreviewParts {
  readonly catalog: ConnectorCatalog;
  readonly repository: InstanceRepository;
  readonly services: AuthServices;
}

// A preview has no pipeline: nothing can be sent through it.
const SENDS_NOTHING: Send = () => Promise.reject(new Error('a request preview sends nothing'));

/**
 * Renders the request `callEndpoint(instanceId, endpointId, input)` would send, without sending
 * it or asking the strategy for credentials (no refresh, no I/O beyond reading the store). It goes
 * through the call path's own code — gating (`ENDPOINT_NOT_FOUND`, `ENDPOINT_NOT_ENABLED`), the
 * input check (`INVALID_ARGUMENT`), `EndpointRequest` with the tabs, the call input and `apply`
 * merged in SPEC §5 order — on a session of its own, so nothing a real call reuses is touched.
 * Credential values are rendered as `"[redacted]"`; secret variable values and secret-named
 * headers are masked the same way.
 *
 * @example
 * ```ts
 * const preview = await previewRequest(parts, instanceId, 'list-orders', { variables: { status: 'all' } });
 * ```
 */
export async function previewRequest(
  parts: PreviewParts,
  instanceId: string,
  endpointId: string,
  input: CallInput = {},
): Promise<RequestPreview> {
  checkCallInput(input);
  const { catalog, repository, services } = parts;
  const record = await repository.record(instanceId);
  const connector = catalog.connector(record.connectorId);
  const method = catalog.method(connector, record.authMethodId);
  const session = new Session(
    record,
    connector,
    method,
    catalog,
    services,
    SENDS_NOTHING,
    undefined,
  );
  const request = new EndpointRequest(session, catalog.endpoint(connector, record, endpointId));
  request.checkVariables(input.variables);
  const stored = await repository.credentials(record.id);
  const keys = stored === undefined ? CREDENTIAL_KEYS : Object.keys(stored.values);
  // The token type names the scheme (`Bearer`): shown as it is; every other value is masked.
  const tokenType = stored?.values['token_type'];
  const masked: Credentials = {
    values: Object.fromEntries(
      keys.map((key) => [
        key,
        key === 'token_type' && tokenType !== undefined ? tokenType : REDACTED,
      ]),
    ),
    obtainedAt: stored?.obtainedAt ?? 0,
    // Captured values are not credentials: the newest ones render as calls would (secret ones are
    // scrubbed below with the instance's secrets).
    ...(stored?.captured === undefined ? {} : { captured: stored.captured }),
  };
  const { signal: _signal, ...unsignalled } = input;
  const rendered = request.prepare(masked, unsignalled);
  // The call's own list: the instance's secrets, the endpoint's secret variables and secret
  // values passed in `input.variables` (what toEndpointResult scrubs from an error body).
  const secrets = request.secrets(input, stored).filter((value) => value !== tokenType);
  const headers: Record<string, string> = {};
  const given = (rendered.headers ?? {}) as Record<string, string>;
  for (const name in given) {
    const clean = scrub(given[name]!, secrets);
    // `Authorization: Bearer [redacted]` says how the credential goes; any other value under a
    // secret-looking name is masked whole.
    headers[name] = SECRET_KEY_PATTERN.test(name) && !clean.includes(REDACTED) ? REDACTED : clean;
  }
  const { body } = rendered;
  return {
    method: String(rendered.method),
    url: scrub(`${String(rendered.origin)}${rendered.path}`, secrets),
    headers,
    ...(typeof body === 'string'
      ? { body: scrub(body, secrets) }
      : body instanceof Uint8Array
        ? { body: `[${body.byteLength} bytes]` }
        : {}),
    signed: method.strategy.sign !== undefined,
  };
}
