import { html, type SafeHtml } from '../http/html.js';

function relative(ms: number, now: number): string {
  const seconds = Math.round((ms - now) / 1000);
  const size = Math.abs(seconds);
  if (size < 5) return 'just now';
  const amount =
    size < 60
      ? `${size} s`
      : size < 3600
        ? `${Math.round(size / 60)} min`
        : size < 86_400 * 2
          ? `${Math.round(size / 3600)} h`
          : `${Math.round(size / 86_400)} days`;
  return seconds >= 0 ? `in ${amount}` : `${amount} ago`;
}

/**
 * A time (epoch milliseconds) as a `<time>` element: UTC date and time, and how far from `now`.
 *
 * @example
 * ```ts
 * formatTime(Date.now() + 60_000, Date.now()); // <time …>2026-11-30 21:05:12 UTC</time> (in 1 min)
 * ```
 */
export function formatTime(ms: number, now: number): SafeHtml {
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time> <span class="muted">(${relative(ms, now)})</span>`;
}
