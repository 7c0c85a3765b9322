import { describe, expect, it } from 'vitest';
import { credentialPanel } from '../src/pages/credentialPanel.js';

const fact = (page: string, key: string) =>
  new RegExp(`data-fact="${key}"><dt>[^<]*</dt><dd>(.*?)</dd>`).exec(page)?.[1];

describe('credentialPanel', () => {
  it('says a dead grant needs a sign-in, not that a refresh token is missing or held', () => {
    const page = credentialPanel(
      {
        instanceId: 'i-1',
        state: 'reauthorization_required',
        refreshable: false,
        obtainedAt: 1_000,
      },
      2_000,
    ).value;
    expect(page).toContain('Sign-in needed');
    // The panel cannot tell why the grant died (a refused refresh token, an expired token and no
    // refresh token, the API refusing the grant): it says only that no refresh token is usable.
    expect(fact(page, 'refreshable')).toBe('<span class="muted">none usable</span>');
    expect(fact(page, 'next-refresh')).toBe('<span class="muted">none (sign in again)</span>');
  });

  it('keeps "none (no refresh token)" for a live instance without one', () => {
    const page = credentialPanel(
      { instanceId: 'i-1', state: 'valid', refreshable: false },
      2_000,
    ).value;
    expect(fact(page, 'refreshable')).toBe('<span class="muted">none</span>');
    expect(fact(page, 'next-refresh')).toBe('<span class="muted">none (no refresh token)</span>');
  });
});
