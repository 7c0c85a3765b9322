import { readPath, readTokenExpiry } from '@splice/oauth2-authcode';
import type { AuthTestContext } from './authTestSteps.js';
import { leafPaths, parseTokenResponse, redactedShape } from './describeTokenResponse.js';
import type { RecordedExchange } from './recordingDispatcher.js';

/**
 * The last token response of an OAuth 2 exchange as report lines: its shape with every value
 * redacted, then whether each configured response key (token, refresh token, expiry) was found
 * and what to set when not. An expiry is read by the strategy's rule (`readTokenExpiry`): one the
 * strategy cannot use (`"expires_in": "soon"`, `-5`) is reported as found but unusable, read as
 * an unknown expiry; a key present as `null` or `""` as giving no expiry; one that is over as
 * the token arrives (`"expires_in": 0`) as a token the runtime always refreshes first. Each, like
 * a missing key, makes `allKeysFound` false. Undefined when no
 * token response was recorded (another method type, or the request never got an answer).
 *
 * @example
 * ```ts
 * const described = describeTokenExchange(ctx);
 * for (const line of described?.lines ?? []) console.log(line);
 * ```
 */
export function describeTokenExchange(
  ctx: Pick<AuthTestContext, 'recording' | 'variables' | 'method' | 'connector'>,
): { readonly lines: readonly string[]; readonly allKeysFound: boolean } | undefined {
  const exchange = ctx.recording.exchanges.at(-1);
  if (exchange === undefined) return undefined;
  const parsed = parseTokenResponse(exchange.body, exchange.contentType);
  const valueFor = (key: string): string | undefined =>
    ctx.variables[key] ??
    ctx.method.variables.find((v) => v.key === key)?.default ??
    ctx.connector.variables.find((v) => v.key === key)?.default;
  const lines: string[] = [];
  const allKeysFound = describeExchange(exchange, parsed, {
    say: (line = '') => lines.push(line),
    valueFor,
  });
  return { lines, allKeysFound };
}

interface Reporter {
  say(line?: string): void;
  valueFor(key: string): string | undefined;
}

const KEYS = [
  {
    what: 'access token',
    variable: 'response_authentication_token_key',
    fallback: 'access_token',
    type: 'string',
  },
  {
    what: 'refresh token',
    variable: 'response_refresh_token_key',
    fallback: 'refresh_token',
    type: 'string',
  },
  { what: 'expiry', variable: 'response_expires_in_key', fallback: 'expires_in', type: 'number' },
] as const;

/**
 * Prints the token response's redacted shape and a line per configured response key; returns
 * true when every key was found (and the expiry is usable).
 */
function describeExchange(
  exchange: RecordedExchange,
  parsed: ReturnType<typeof parseTokenResponse>,
  report: Reporter,
): boolean {
  const { say, valueFor } = report;
  const format =
    parsed.format === 'other'
      ? exchange.contentType || 'unknown type'
      : parsed.format.toUpperCase();
  say(`Token response: HTTP ${exchange.status}, ${format}; values redacted:`);
  if (parsed.body === undefined) {
    say(`  (not JSON or form-encoded: ${exchange.body.length} bytes)`);
    return false;
  }
  for (const line of JSON.stringify(redactedShape(parsed.body), null, 2).split('\n'))
    say(`  ${line}`);
  // An error answer's OAuth error is shown with the step's failure.
  if (exchange.status < 200 || exchange.status > 299) {
    return false;
  }
  say();
  say('Configured response keys:');
  const strings = leafPaths(parsed.body)
    .filter(([, type]) => type === 'string')
    .map(([path]) => path);
  // Lifetimes in seconds: a number that is no timestamp (Salesforce's issued_at is one, in ms).
  const numbers = leafPaths(parsed.body)
    .map(([path]) => path)
    .filter((path) => {
      const text = String(readPath(parsed.body, path));
      return /^\d+(\.\d+)?$/.test(text) && Number(text) < TEN_YEARS_SECONDS;
    });
  let allFound = true;
  for (const key of KEYS) {
    const path = valueFor(key.variable) ?? key.fallback;
    const label = `${key.what.padEnd(13)} ${key.variable} = "${path}"`;
    // Without an access token the exchange fails; without a refresh token or a usable expiry the
    // token works and the step warns: each line marked as its step is.
    const lacking = key.what === 'access token' ? '✖' : '!';
    // The expiry is read by the strategy's own rule: where it looks, and what it can use.
    const now = Date.now();
    const expiry = key.what === 'expiry' ? readTokenExpiry(parsed.body, path, now) : undefined;
    const foundAt =
      expiry === undefined
        ? stated(readPath(parsed.body, path))
          ? path
          : undefined
        : expiry.field;
    const value = readPath(parsed.body, path);
    if (foundAt === undefined && expiry !== undefined && value !== undefined) {
      // The key is there (the shape above shows it) but readTokenExpiry reads no expiry from it.
      allFound = false;
      say(
        `  ${lacking} ${label}: present but ${value === null ? 'null' : 'empty ("")'}, which gives no expiry, so read as an unknown expiry`,
      );
      say(`      → with an unknown expiry, ${unknownExpiry(valueFor)}`);
      say(
        `      → if the provider sends the lifetime in seconds under another key, set ${key.variable}${couldBeIt(numbers)}; an absolute expires_at is also read`,
      );
      continue;
    }
    if (foundAt === undefined) {
      allFound = false;
      say(`  ${lacking} ${label}: not in the response`);
      for (const hint of missingKeyHints(
        key.what,
        key.variable,
        key.what === 'expiry' ? numbers : strings,
        valueFor,
      )) {
        say(`      → ${hint}`);
      }
      continue;
    }
    const found = `found${foundAt === path ? '' : ` as ${foundAt} (absolute)`} (${typeof readPath(parsed.body, foundAt)})`;
    if (expiry !== undefined && expiry.expiresAt === undefined) {
      allFound = false;
      say(`  ${lacking} ${label}: ${found} but unusable, so read as an unknown expiry`);
      for (const hint of unusableExpiryHints(foundAt === path, key.variable, numbers, valueFor)) {
        say(`      → ${hint}`);
      }
      continue;
    }
    if (expiry?.expiresAt !== undefined && expiry.expiresAt <= now) {
      allFound = false;
      say(`  ! ${label}: ${found} but the token is expired as it arrives`);
      const others = numbers.filter((candidate) => candidate !== foundAt);
      for (const hint of expiredOnArrivalHints(key.variable, others)) say(`      → ${hint}`);
      continue;
    }
    say(`  ✔ ${label}: ${found}`);
  }
  return allFound;
}

const TEN_YEARS_SECONDS = 10 * 365 * 24 * 60 * 60;

const stated = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

function couldBeIt(candidates: readonly string[]): string {
  return candidates.length === 0 ? '' : ` (fields that could be it: ${candidates.join(', ')})`;
}

// What the runtime does with a token of unknown expiry (see readTokenExpiry).
function unknownExpiry(valueFor: (key: string) => string | undefined): string {
  return `Splice cannot refresh ahead of expiry and waits for an expired-token status (${valueFor('expired_token_statuses') ?? '401'})`;
}

// The candidates are where a lifetime could be; the value itself is not shown (the report
// redacts every value).
function unusableExpiryHints(
  relative: boolean,
  variable: string,
  candidates: readonly string[],
  valueFor: (key: string) => string | undefined,
): string[] {
  const others = couldBeIt(candidates);
  return [
    relative
      ? 'a lifetime must be a number of seconds, 0 or more (a numeric string also works), small enough to give a date; this one is negative, not a number, or too large'
      : 'an absolute expires_at must be epoch seconds, epoch milliseconds or a date string; this one is none of them, or beyond any date',
    `with an unknown expiry, ${unknownExpiry(valueFor)}`,
    `if the provider sends a usable lifetime in seconds under another key, set ${variable}${others}`,
  ];
}

// What the runtime does with a token whose expiry is not after the moment it was received (see
// refreshDueAt and the token keeper): it is never fresh.
function expiredOnArrivalHints(variable: string, candidates: readonly string[]): string[] {
  return [
    'Splice treats the token as already expired: it refreshes before every call while there is a refresh token (within the refresh budget); without one the instance needs a new consent before its first call',
    `if the provider sends the real lifetime in seconds under another key, set ${variable}${couldBeIt(candidates)}`,
  ];
}

function missingKeyHints(
  what: (typeof KEYS)[number]['what'],
  variable: string,
  candidates: readonly string[],
  valueFor: (key: string) => string | undefined,
): string[] {
  const others = couldBeIt(candidates);
  switch (what) {
    case 'access token':
      return [
        `set ${variable} to where the provider puts the token${others}; dotted paths such as data.token work`,
      ];
    case 'refresh token':
      return [
        'without one, the instance needs a new consent each time the access token expires',
        `if the provider sends it under another key, set ${variable}${others}`,
        'many providers only issue one for a scope such as offline_access, or a URL parameter such as access_type=offline',
      ];
    case 'expiry':
      return [
        `without one, ${unknownExpiry(valueFor)}`,
        `if the provider sends the lifetime in seconds under another key, set ${variable}${others}; an absolute expires_at is also read`,
      ];
  }
}
