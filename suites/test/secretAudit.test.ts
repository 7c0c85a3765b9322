// The secret scan must be able to fail: a secret planted in each channel it reads is found.
import { trace } from '@opentelemetry/api';
import { SpliceError } from '@splice/core';
import { describe, expect, it } from 'vitest';
import { SecretAudit } from './support/secretAudit.js';

const SECRET = 'sk_live_planted_0123456789';

describe('SecretAudit', () => {
  it('is clean when no collected text holds a secret', () => {
    const audit = new SecretAudit();
    audit.secret(SECRET);
    audit.logger.info('token refreshed', { instanceId: 'i1' });
    audit.error(new SpliceError('TIMEOUT', 'took too long', { details: { attempts: 2 } }));
    audit.serialized({ id: 'i1', variables: { client_secret: '[redacted]' } });
    expect(audit.leaks()).toEqual([]);
  });

  it.each([
    ['a log message', (a: SecretAudit) => a.logger.warn(`refresh failed for ${SECRET}`)],
    ['log fields', (a: SecretAudit) => a.logger.debug('x', { nested: { token: SECRET } })],
    ['an error message', (a: SecretAudit) => a.error(new Error(`bad ${SECRET}`))],
    [
      'error details',
      (a: SecretAudit) =>
        a.error(new SpliceError('TIMEOUT', 'clean', { details: { body: `x=${SECRET}` } })),
    ],
    [
      'an error cause',
      (a: SecretAudit) => a.error(new SpliceError('TIMEOUT', 'clean', { cause: { raw: SECRET } })),
    ],
    [
      "an error's own property (undici's input, data)",
      (a: SecretAudit) =>
        a.error(Object.assign(new TypeError('Invalid URL'), { input: `https://a/?t=${SECRET}` })),
    ],
    [
      "a cause's hidden property",
      (a: SecretAudit) => {
        const cause = new Error('socket');
        Object.defineProperty(cause, 'data', { value: { token: SECRET }, enumerable: false });
        a.error(new SpliceError('TIMEOUT', 'clean', { cause }));
      },
    ],
    ['a serialized instance', (a: SecretAudit) => a.serialized({ values: { token: SECRET } })],
    [
      'a span attribute',
      () => {
        const span = trace.getTracer('audit-test').startSpan('probe');
        span.setAttribute('leak', SECRET);
        span.end();
      },
    ],
    [
      'a percent-encoded form',
      (a: SecretAudit) => a.logger.info(`url ${encodeURIComponent(`${SECRET}/+`)}`),
    ],
  ])('finds a secret planted in %s', (_where, plant) => {
    const audit = new SecretAudit();
    audit.secret(SECRET);
    audit.secret(`${SECRET}/+`);
    plant(audit);
    expect(audit.leaks().length).toBeGreaterThan(0);
  });
});
