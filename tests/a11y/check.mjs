// Checks a built Caucus website in headless Chromium: axe-core (WCAG 2.0, 2.1
// and 2.2, levels A and AA, and axe's best practices for landmarks and
// headings), at a desktop width and at 320 CSS pixels; keyboard access (a skip
// link that moves focus to <main>; every interactive element reached by Tab,
// with a visible focus style); reflow (nothing scrolls sideways at 320 pixels
// but a data table); and no console errors or failed requests.
//
//   node check.mjs --site DIR --base http://127.0.0.1:PORT --chromium /usr/bin/chromium PATH...
//
// DIR is served on PORT (the site must have been built with that base URL, as
// its links are absolute); each PATH ("", "news/", "404.html", ...) is one page
// to check. Prints every problem (rule, page, node) and exits 1 if any.

import { createServer } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { parseArgs } from 'node:util';
import axe from 'axe-core';
import { chromium } from 'playwright-core';

const { values: options, positionals: pages } = parseArgs({
  options: { site: { type: 'string' }, base: { type: 'string' }, chromium: { type: 'string' } },
  allowPositionals: true,
});
if (!options.site || !options.base || !options.chromium || pages.length === 0) {
  console.error('usage: node check.mjs --site DIR --base http://127.0.0.1:PORT --chromium PATH PAGE...');
  process.exit(2);
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
// The rules whose outcome can change with the window's width: the rest were
// run at the desktop width already.
const NARROW_RULES = ['color-contrast', 'target-size', 'scrollable-region-focusable', 'region', 'link-in-text-block'];
const STAND_IN_IMAGE = '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="300"><rect width="240" height="300" fill="#ccc"/></svg>';
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.webp': 'image/webp', '.ico': 'image/x-icon',
};

// A static file server for the site, as a web host would serve it: folders by
// their index.html, anything missing by 404.html with status 404.
function serve(root) {
  return createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) file = join(root, '404.html');
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': TYPES['.html'] });
      response.end(readFileSync(join(root, '404.html')));
    }
  });
}

// Runs in the page: every element a keyboard user should be able to reach,
// tagged with an index so the Tab walk can name what it reached.
function tagInteractive() {
  const selector = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, '
    + 'iframe, [tabindex]:not([tabindex="-1"]), [contenteditable=""], [contenteditable="true"]';
  const elements = [...document.querySelectorAll(selector)].filter((el) => {
    if (el.disabled || el.closest('[inert]')) return false;
    const style = getComputedStyle(el);
    // The skip link is positioned off screen until focused, yet is rendered.
    return el.getClientRects().length > 0 && style.visibility !== 'hidden';
  });
  // A radio group is one Tab stop (arrow keys move within it): its radios
  // share a group, reached when any of them is.
  return elements.map((el, i) => {
    el.setAttribute('data-a11y-index', String(i));
    const group = el.type === 'radio' && el.name
      ? `radio ${el.form ? [...document.forms].indexOf(el.form) : -1} ${el.name}`
      : null;
    return { html: el.outerHTML.slice(0, 120), group };
  });
}

// Runs in the page: what has focus, and whether its focus is visible.
function describeFocus() {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const transparent = /^rgba\(.*,\s*0\)$|^transparent$/.test(style.outlineColor);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 && !transparent;
  const rect = el.getBoundingClientRect();
  return {
    index: el.getAttribute('data-a11y-index'),
    id: el.id,
    tag: el.tagName.toLowerCase(),
    className: typeof el.className === 'string' ? el.className : '',
    html: el.outerHTML.slice(0, 120),
    visibleFocus: outline || style.boxShadow !== 'none',
    onScreen: rect.width > 0 && rect.height > 0 && rect.right > 0 && rect.bottom > 0
      && rect.left < window.innerWidth && rect.top < window.innerHeight,
  };
}

async function runAxe(page, report, where, runOnly) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate((only) => window.axe.run(document, { runOnly: only }), runOnly);
  for (const violation of results.violations) {
    for (const node of violation.nodes) {
      report(`axe ${violation.id}${where} (${violation.impact}: ${violation.help})`,
        `${node.target.join(' ')} ${node.html.slice(0, 160)}\n    ${node.failureSummary?.replaceAll('\n', '\n    ')}`);
    }
  }
}

// Runs in the page: the outermost elements wider than the window, but for
// those inside a data table, which WCAG 1.4.10 lets scroll in two dimensions.
function overflowing() {
  if (document.documentElement.scrollWidth <= window.innerWidth) return [];
  const over = (el) => el.getBoundingClientRect().right > window.innerWidth + 1;
  return [...document.body.querySelectorAll('*')]
    .filter((el) => over(el) && !over(el.parentElement) && !el.closest('table'))
    .map((el) => el.outerHTML.slice(0, 120));
}

async function checkPage(context, url, problems) {
  const label = url.slice(options.base.length) || '/';
  const report = (rule, node) => problems.push(`${rule} on ${label}: ${node}`);
  const page = await context.newPage();
  page.on('console', (message) => {
    // A browser asks for /favicon.ico of its own accord; a site need not have one.
    if (message.type() === 'error' && !message.location().url?.endsWith('/favicon.ico')) {
      report('console-error', `${message.text()} ${message.location().url ?? ''}`);
    }
  });
  page.on('pageerror', (error) => report('page-error', error.message));
  page.on('response', (response) => {
    // The 404 page is itself served with status 404; nothing else may fail.
    if (response.status() >= 400 && response.url() !== url && !response.url().endsWith('/favicon.ico')) {
      report('failed-request', `${response.status()} ${response.url()}`);
    }
  });
  page.on('requestfailed', (request) => report('failed-request', `${request.failure()?.errorText} ${request.url()}`));
  await page.goto(url, { waitUntil: 'load' });

  await runAxe(page, report, '', { type: 'tag', values: AXE_TAGS });

  // Tab from the top of the page through every interactive element.
  const interactive = await page.evaluate(tagInteractive);
  const reached = new Set();
  let first = null;
  for (let step = 0; step < interactive.length + 5; step += 1) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(describeFocus);
    if (step === 0) first = focus;
    if (!focus || (focus.index !== null && reached.has(focus.index))) break;
    if (focus.index !== null) reached.add(focus.index);
    if (!focus.visibleFocus) report('keyboard focus-visible', `no visible focus style on ${focus.html}`);
    if (!focus.onScreen) report('keyboard focus-visible', `focused but off screen: ${focus.html}`);
  }
  const groupsReached = new Set(interactive.filter((el, i) => reached.has(String(i)) && el.group).map((el) => el.group));
  interactive.forEach(({ html, group }, i) => {
    if (!reached.has(String(i)) && !(group && groupsReached.has(group))) {
      report('keyboard unreachable', `Tab never reaches ${html}`);
    }
  });

  // The first Tab reached the skip link, shown on screen; Enter on it moves
  // focus to <main>.
  // The website's theme names it `skip-link`, GOV.UK Frontend `govuk-skip-link`.
  const skipLink = (className) => className.split(' ').some((c) => c === 'skip-link' || c === 'govuk-skip-link');
  if (!first || !skipLink(first.className)) {
    report('keyboard skip-link', `the first Tab reaches ${first ? first.html : 'nothing'}, not the skip link`);
  } else {
    if (!first.onScreen) report('keyboard skip-link', 'the focused skip link is not on screen');
    await page.focus(`[data-a11y-index="${first.index}"]`);
    await page.keyboard.press('Enter');
    const target = await page.evaluate(describeFocus);
    if (!target || target.tag !== 'main') {
      report('keyboard skip-link', `Enter on the skip link focuses ${target ? target.html : 'nothing'}, not <main>`);
    } else if (!target.visibleFocus) {
      report('keyboard focus-visible', 'main has no visible focus style after the skip link');
    }
  }

  // Reflow (WCAG 1.4.10): at 320 CSS pixels wide nothing but a data table
  // scrolls sideways, and the axe rules that depend on layout still pass.
  await page.setViewportSize({ width: 320, height: 640 });
  for (const html of await page.evaluate(overflowing)) report('reflow at 320px', `wider than the window: ${html}`);
  await runAxe(page, report, ' at 320px', { type: 'rule', values: NARROW_RULES });
  await page.close();
  return { interactive: interactive.length };
}

const root = normalize(options.site).replace(/[\\/]$/, '');
const base = new URL(options.base);
const server = serve(root);
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(base.port), base.hostname, resolve);
});
const problems = [];
try {
  // As the machine's Debian Chromium needs it: no sandbox when run as root,
  // and no background calls to Google's hosts, which a closed network refuses.
  // Playwright gives each launch a fresh, empty profile folder of its own.
  const browser = await chromium.launch({
    executablePath: options.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Only the site is checked, and the machine may be offline: anything from
    // elsewhere (a councillor's photo on the council's server) gets a stand-in.
    await context.route((address) => address.origin !== base.origin, (route) => {
      const image = route.request().resourceType() === 'image';
      route.fulfill(image ? { contentType: TYPES['.svg'], body: STAND_IN_IMAGE } : { status: 204 });
    });
    for (const path of pages) {
      const url = new URL(path, options.base.replace(/\/?$/, '/')).href;
      const counts = await checkPage(context, url, problems);
      console.log(`checked ${url}: ${counts.interactive} interactive elements`);
    }
  } finally {
    await browser.close();
  }
} finally {
  server.close();
}
if (problems.length > 0) {
  console.error(`${problems.length} accessibility problems:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`${pages.length} pages: no axe-core violations (${AXE_TAGS.join(', ')}), keyboard access complete`);
