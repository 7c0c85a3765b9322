import { html, type SafeHtml } from '../http/html.js';

/**
 * What every page has: a title, the main column and the instances sidebar.
 *
 * @example
 * ```ts
 * const parts: LayoutParts = { title: 'Home', main: html`<p>…</p>`, side: html`` };
 * ```
 */
export interface LayoutParts {
  readonly title: string;
  readonly main: SafeHtml;
  readonly side: SafeHtml;
}

/**
 * The page shell: top bar, a main column and a sidebar. Styles and the small script are served
 * from `/assets/`, so the Content-Security-Policy can forbid inline code.
 *
 * @example
 * ```ts
 * layout({ title: 'Instances', main: html`<p>hi</p>`, side: html`` }).value;
 * ```
 */
export function layout(parts: LayoutParts): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title} · Splice dashboard</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/dashboard.js" defer></script>
</head>
<body>
<header class="topbar">
  <div class="wrap topbar-inner">
    <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">S</span>Splice<span class="brand-sub">connector dashboard</span></a>
    <nav class="topnav"><a href="/">Add an instance</a></nav>
  </div>
</header>
<div class="wrap layout">
  <main class="main">${parts.main}</main>
  <aside class="side">${parts.side}</aside>
</div>
<footer class="wrap footer">Runs on 127.0.0.1 only. Secrets and tokens never leave the runtime.</footer>
</body>
</html>`;
}
