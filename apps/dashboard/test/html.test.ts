import { describe, expect, it } from 'vitest';
import { html, rawHtml } from '../src/http/html.js';

describe('html', () => {
  it('escapes every interpolated value for text and quoted attributes', () => {
    const value = `<script>alert("x")</script>&'\``;
    expect(html`<p title="${value}">${value}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;</p>',
    );
  });

  it('keeps nested fragments and joins arrays', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
  });

  it('renders undefined, null and false as nothing, numbers and zero as text', () => {
    expect(html`${undefined}|${null}|${false}|${0}|${12}`.value).toBe('|||0|12');
  });

  it('does not treat a look-alike object as markup', () => {
    const fake = { value: '<b>' };
    expect(html`${fake}`.value).toBe('[object Object]');
    expect(html`${rawHtml('<br>')}`.value).toBe('<br>');
  });
});
