/**
 * What a failure means for the person at the dashboard, in their words: a sentence and, when
 * there is one, what to do next. The runtime's own message (written for developers, naming API
 * calls) is shown apart, under "Technical details".
 *
 * @example
 * ```ts
 * userMessage('AUTH_STATE_INVALID', {}).summary; // 'This sign-in link has expired or was already used.'
 * ```
 */
export interface UserMessage {
  readonly summary: string;
  readonly hint?: string;
}

function list(value: unknown): string {
  return Array.isArray(value) ? value.map((item) => `“${String(item)}”`).join(', ') : '';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// Socket error codes as a person would say them.
const NETWORK: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'the connection was refused: nothing is listening at that address',
  ENOTFOUND: 'the host name could not be found (DNS)',
  EAI_AGAIN: 'the host name could not be looked up right now (DNS)',
  ECONNRESET: 'the server closed the connection',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  CERT_HAS_EXPIRED: 'the server’s TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server’s TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server’s TLS certificate could not be verified',
};

function network(details: Readonly<Record<string, unknown>>): string | undefined {
  const code = text(details['errorCode']);
  return code === undefined ? undefined : (NETWORK[code] ?? `network error ${code}`);
}

// RFC 6749 §5.2 token error codes, in words.
const OAUTH_HINT: Readonly<Record<string, string>> = {
  invalid_client: 'Check the client ID and client secret, and how the client authenticates.',
  invalid_grant:
    'The sign-in code or refresh token is no longer valid (used, expired or issued for another redirect URI): authorise again.',
  unauthorized_client: 'The provider does not allow this app to use this kind of sign-in.',
  invalid_scope: 'Ask only for scopes the app is allowed at the provider.',
  unsupported_grant_type: 'The provider does not support this sign-in flow for this app.',
  invalid_request: 'The provider says the request was malformed: check the method’s settings.',
};

// The provider refused the sign-in (RFC 6749 §4.1.2.1): its words, and what to do about it.
function deniedView(details: Readonly<Record<string, unknown>>): UserMessage {
  const reason = text(details['providerErrorDescription']) ?? text(details['providerError']);
  return {
    summary: `The provider did not grant access${reason === undefined ? '' : `: ${reason}`}.`,
    hint:
      details['providerError'] === 'access_denied'
        ? 'If you cancelled, start again when ready.'
        : 'Check the app’s settings at the provider: redirect URI, scopes, allowed users.',
  };
}

/**
 * The user's-words message for an error `code` with its secret-free `details`.
 *
 * @example
 * ```ts
 * userMessage('ENDPOINT_HTTP_ERROR', { status: 404 }).summary; // 'The API answered HTTP 404.'
 * ```
 */
export function userMessage(
  code: string,
  details: Readonly<Record<string, unknown>>,
  message: string,
): UserMessage {
  switch (code) {
    case 'VARIABLE_MISSING':
      return {
        summary: `Some required values are empty: ${list(details['keys'])}.`,
        hint: 'Fill them in and try again.',
      };
    case 'VARIABLE_INVALID': {
      if (Array.isArray(details['readOnly']))
        return {
          summary: `${list(details['readOnly'])} cannot be changed once the instance exists.`,
          hint: 'Add a new instance to use another value.',
        };
      if (Array.isArray(details['unknown']))
        return {
          summary: `This authentication method has no field ${list(details['unknown'])}.`,
        };
      const key = text(details['key']);
      return {
        summary:
          key === undefined
            ? 'One of the values is not valid.'
            : `The value of “${key}” is not valid.`,
        hint: 'See the technical details for the accepted form.',
      };
    }
    case 'TEMPLATE_UNRESOLVED':
      return {
        summary: `A value the request needs is missing: “${String(details['key'] ?? '')}”.`,
        hint: 'Fill it in on the endpoint, or give the instance a value for it.',
      };
    case 'TEMPLATE_UNSAFE_VALUE':
      return {
        summary: `The value of “${String(details['key'] ?? '')}” cannot go into the request as it is: it would change the address or a header.`,
        hint: 'Check the value for slashes, line breaks or other special characters.',
      };
    case 'AUTH_STATE_INVALID':
      // A provider that drops the state on a refusal: the refusal is what the user did.
      if (text(details['providerError']) !== undefined) return deniedView(details);
      return {
        summary: 'This sign-in link has expired or was already used.',
        hint: 'Start again from the form: a sign-in is valid for 10 minutes and only once.',
      };
    case 'AUTH_DENIED':
      return deniedView(details);
    case 'AUTH_ISSUER_MISMATCH':
      return {
        summary: 'The sign-in came back from another authorization server than the one expected.',
        hint: 'Check the method’s issuer and URLs.',
      };
    case 'AUTH_NOT_INTERACTIVE':
      return { summary: 'This authentication method does not sign in through a consent page.' };
    case 'TOKEN_REQUEST_FAILED': {
      const oauthError = text(details['oauthError']);
      const description = text(details['oauthErrorDescription']);
      const cause = network(details);
      if (cause !== undefined)
        return {
          summary: `The provider’s token URL could not be reached: ${cause}.`,
          hint: 'Check the token URL, and that the provider is up.',
        };
      if (oauthError !== undefined)
        return {
          summary: `The provider refused to issue a token: ${oauthError}${description === undefined ? '' : ` — ${description}`}.`,
          ...(OAUTH_HINT[oauthError] === undefined ? {} : { hint: OAUTH_HINT[oauthError] }),
        };
      return {
        summary: `The provider’s token request failed${typeof details['status'] === 'number' ? ` with HTTP ${details['status']}` : ''}.`,
        hint: 'Check the token URL and the method’s settings.',
      };
    }
    case 'TOKEN_RESPONSE_INVALID':
      return {
        summary: 'The provider answered the token request with something Splice cannot use.',
      };
    case 'REAUTHORIZATION_REQUIRED':
      return {
        summary: 'The provider no longer accepts this instance’s credentials.',
        hint: 'Press “Authorise again” to sign in again; the instance keeps its settings.',
      };
    case 'CREDENTIALS_INVALID':
      return {
        summary: 'The provider refused these credentials.',
        hint: 'Check the values and try again.',
      };
    case 'CREDENTIALS_CHECK_FAILED':
      return { summary: 'The credentials could not be checked: the check request failed.' };
    case 'INSTANCE_NOT_FOUND':
      return {
        summary: 'This instance does not exist (any more).',
        hint: 'Pick one from the list.',
      };
    case 'CONNECTOR_NOT_FOUND':
    case 'AUTH_METHOD_NOT_FOUND':
      return { summary: 'This connector or authentication method is not loaded here.' };
    case 'ENDPOINT_NOT_FOUND':
    case 'ENDPOINT_NOT_ENABLED':
      return {
        summary: 'This endpoint is not available to this instance’s authentication method.',
      };
    case 'ENDPOINT_HTTP_ERROR': {
      const status = details['status'];
      return {
        summary: `The API answered HTTP ${String(status)}.`,
        ...(status === 401 || status === 403
          ? { hint: 'The API refused the credentials or they lack a permission (scope).' }
          : {}),
      };
    }
    case 'ENDPOINT_REQUEST_FAILED': {
      const cause = network(details);
      return {
        summary:
          cause === undefined
            ? 'The API could not be reached, or its answer was too large.'
            : `The API could not be reached: ${cause}.`,
      };
    }
    case 'RESPONSE_PARSE_FAILED':
      return { summary: 'The API’s answer is not valid JSON.' };
    case 'TIMEOUT':
      return { summary: 'The server took too long to answer.', hint: 'Try again.' };
    case 'STORE_CONFLICT':
      return { summary: 'Someone changed this instance at the same time.', hint: 'Try again.' };
    case 'STORE_UNAVAILABLE':
    case 'ENCRYPTION_KEY_INVALID':
    case 'DECRYPTION_FAILED':
      return { summary: 'The saved instances could not be read or written.' };
    case 'RUNTIME_CLOSED':
      return { summary: 'Splice is shutting down.' };
    case 'CHOICE_REQUIRED':
      return {
        summary: 'This instance is waiting for you to choose what it works with.',
        hint: 'Pick one of the choices on the instance page, then try again.',
      };
    case 'CHOICE_INVALID':
      return {
        summary:
          'That choice is not on offer (any more): it may already have been made, or the list changed.',
        hint: 'Pick one of the choices shown now, or run the post-authorization steps again.',
      };
    case 'CAPTURE_INVALID':
      return details['reason'] === 'no_choices'
        ? {
            summary:
              'The provider offered nothing to choose from: no organisation or site is connected to this sign-in.',
            hint: 'Connect one at the provider, then run the post-authorization steps again.',
          }
        : {
            summary:
              'The provider’s answer lacked a value this connector needs, or gave one it does not accept.',
            hint: 'Check the connector’s captured values and the provider’s settings.',
          };
    // The dashboard's own refusals and caller mistakes are already written for the user.
    default:
      return { summary: message };
  }
}
