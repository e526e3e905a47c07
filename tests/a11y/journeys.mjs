// The web client's main journeys, end to end in headless Chromium against a
// running api and web client (web/tests/pages/journeys.rs starts one of each
// on loopback, on each store, and runs them all with one call):
//
//   node journeys.mjs --web http://127.0.0.1:PORT --chromium PATH JOURNEY... \
//     [--api URL --token T] [--login LOGIN --member NAME]
//
// One browser runs the journeys named, in that order, each in its own browser
// context (its own cookies, viewport and JavaScript setting), so one person's
// session never leaks into another's. Each journey changes only records no
// other one reads (its own case note, meeting, draft, action), so they do not
// depend on their order. Each is what one person does, with the keyboard
// where a person would; one that fails prints `journey NAME failed:` with what
// it expected and what the page showed, the rest still run, and the exit
// status is 1. `--api` and `--token` let the stale-edit journey change a
// record behind the person's back, as a colleague would; `--login` and
// `--member` are who signs in at the OpenID provider and the member their
// identity is linked to, for the sign-in journey.

import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: options, positionals: chosen } = parseArgs({
  options: {
    web: { type: 'string' },
    chromium: { type: 'string' },
    api: { type: 'string' },
    token: { type: 'string' },
    login: { type: 'string' },
    member: { type: 'string' },
  },
  allowPositionals: true,
});
if (!options.web || !options.chromium || chosen.length === 0) {
  console.error('usage: node journeys.mjs --web URL --chromium PATH JOURNEY... [--api URL --token T] [--login L --member NAME]');
  process.exit(2);
}

function expect(condition, what) {
  if (!condition) throw new Error(`expected ${what}`);
}

async function text(page, selector) {
  return (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();
}

// Signs in on the development sign-in page as the sample person with `role`.
async function signIn(page, role, next = '/') {
  await page.goto(`${options.web}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByRole('button', { name: new RegExp(`\\(${role}\\)$`) }).click();
  await page.waitForURL((url) => url.pathname === next.split('?')[0]);
}

// The notification banner's text after a write.
async function banner(page) {
  return text(page, '.govuk-notification-banner');
}

// Nothing but a data table may scroll sideways (WCAG 1.4.10 reflow).
async function fitsWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

const journeys = {
  // The Leader, on a phone, finds the press release waiting on My work,
  // opens it and approves it.
  async 'leader-approves-at-phone-width'(browser) {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signIn(page, 'leader');
    expect(await fitsWidth(page), 'My work to fit 320 pixels');
    await page.getByRole('link', { name: 'Approve “Library saved”' }).click();
    expect(await text(page, 'h1') === 'Library saved', `the publication's page, not ${await text(page, 'h1')}`);
    expect(await fitsWidth(page), "the publication's page to fit 320 pixels");
    await page.getByRole('button', { name: 'Approve' }).tap();
    await page.waitForURL(/done=approved/);
    expect((await banner(page)).includes('You approved it'), `the approval confirmed, not “${await banner(page)}”`);
  },

  // The Political Assistant prepares the next group meeting: an agenda item,
  // a paper uploaded for it, then the papers despatched.
  async 'assistant-prepares-a-meeting'(browser) {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'assistant', '/meetings');
    await page.locator('table').first().getByRole('link').first().click();
    await page.getByLabel('Title', { exact: true }).fill('Housing strategy');
    await page.getByRole('button', { name: 'Add item' }).click();
    await page.waitForURL(/done=item/);
    expect((await text(page, 'main')).includes('Housing strategy'), 'the new item on the agenda');
    const items = page.getByLabel('Agenda item');
    await items.selectOption(await items.locator('option', { hasText: 'Housing strategy' }).getAttribute('value'));
    await page.getByLabel('Upload a file').setInputFiles({
      name: 'housing-strategy.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 housing strategy'),
    });
    await page.getByRole('button', { name: 'Attach paper' }).click();
    await page.waitForURL(/done=paper/);
    expect((await text(page, 'main')).includes('housing-strategy.pdf'), 'the paper listed under its item');
    await page.getByRole('button', { name: /^Despatch/ }).click();
    await page.waitForURL(/done=despatch/);
    expect((await banner(page)).includes('The papers were despatched'), `the despatch confirmed, not “${await banner(page)}”`);
  },

  // A note sent empty: the error summary takes focus (so it is read out),
  // and its link takes the keyboard to the field.
  async 'a-refused-form-leads-to-its-field'(browser) {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'assistant', '/cases');
    await page.locator('table a[href^="/cases/"]').first().click();
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.waitForSelector('.govuk-error-summary');
    const focused = await page.evaluate(() => document.activeElement?.closest('.govuk-error-summary') !== null);
    expect(focused, 'the error summary to have focus');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const field = await page.evaluate(() => document.activeElement?.id);
    expect(field === 'text', `the summary's link to move focus to the note, not to ${field}`);
    await page.keyboard.type('Rang the housing officer: visit booked for Tuesday.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.waitForURL(/done=note/);
    expect((await text(page, 'main')).includes('visit booked for Tuesday'), 'the note on the case');
  },

  // An edit made stale by a colleague's change shows what changed, and the
  // person's own change goes in when they save it again.
  async 'a-stale-edit-is-shown-and-applied-again'(browser) {
    expect(options.api && options.token, '--api and --token for the colleague');
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'assistant', '/publications');
    await page.goto(`${options.web}/publications?status=draft`);
    const link = page.locator('table a[href^="/publications/"]').first();
    const id = (await link.getAttribute('href')).split('/').pop();
    await page.goto(`${options.web}/publications/${id}/edit`);
    const api = `${options.api}/api/v1/publications/${id}`;
    const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };
    const current = await (await fetch(api, { headers })).json();
    const theirs = { title: 'Their title', body_markdown: 'Their text.', slug: current.slug };
    const put = await fetch(`${api}/content`, {
      method: 'PUT', headers: { ...headers, 'if-match': `"${current.version}"` }, body: JSON.stringify(theirs),
    });
    expect(put.ok, `the colleague's edit to be saved (${put.status})`);
    await page.getByLabel('Title', { exact: true }).fill('My title');
    await page.getByRole('button', { name: /Save/ }).click();
    expect((await text(page, 'h1')).startsWith('Someone else changed'), `the conflict page, not ${await text(page, 'h1')}`);
    expect((await text(page, 'main')).includes('Their title'), 'what it says now');
    await page.getByRole('button', { name: /Save/ }).click();
    await page.waitForURL(/done=edited/);
    expect(await text(page, 'h1') === 'My title', 'their change applied again');
  },

  // A councillor reports progress on their own action from a phone, and
  // finds no way to change anyone else's.
  async 'a-councillor-reports-progress-on-their-own-action'(browser) {
    const page = await (await browser.newContext({ viewport: { width: 320, height: 640 } })).newPage();
    await signIn(page, 'councillor', '/actions');
    await page.locator('table').first().locator('a[href^="/actions/"]').first().click();
    await page.getByLabel('What has happened').fill('Met the housing director; a reply is promised by Friday.');
    await page.getByRole('button', { name: 'Add progress note' }).click();
    await page.waitForURL(/done=progress/);
    expect((await text(page, 'main')).includes('a reply is promised by Friday'), 'the note under Progress');
    expect(await fitsWidth(page), 'the action to fit 320 pixels');
    await page.goto(`${options.web}/actions`);
    await page.locator('table').nth(1).locator('a[href^="/actions/"]').first().click();
    const buttons = await page.locator('main button').count();
    expect(buttons === 0, `no form on someone else's action, not ${buttons} buttons`);
  },

  // An auditor opens a member's record, reads its history and sees it as it
  // stood just after its first change.
  async 'an-auditor-opens-a-record-as-it-stood'(browser) {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'auditor', '/members');
    await page.locator('table a[href^="/members/"]').first().click();
    await page.getByRole('link', { name: /history/i }).first().click();
    expect((await text(page, 'main')).includes('Member joined'), 'the timeline begins when they joined');
    await page.locator('main ol a[href*="at="]').first().click();
    expect((await text(page, '#as-it-stood')).startsWith('As it stood'), 'the record as it stood');
    const forms = await page.locator('main form[method="post"]').count();
    expect(forms === 0, `nothing an auditor can change, not ${forms} forms`);
  },

  // A councillor follows a link to the decisions, signs in through the
  // council's OpenID provider (its own login page, and consent if it asks),
  // lands on the decisions as the member their identity is linked to, then
  // signs out, at the provider too, so the next sign-in asks who they are.
  async 'signing-in-through-the-provider'(browser) {
    expect(options.login && options.member, '--login and --member for the provider');
    const page = await (await browser.newContext()).newPage();
    const web = new URL(options.web).origin;
    await page.goto(`${options.web}/decisions`);
    expect(new URL(page.url()).pathname === '/sign-in', `the sign-in page, not ${page.url()}`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.origin !== web);
    // The provider's login page, then perhaps its consent page, until it
    // sends the browser back.
    for (let step = 0; new URL(page.url()).origin !== web; step += 1) {
      expect(step < 3, `back at Caucus after the provider's pages, not still at ${page.url()}`);
      const login = page.locator('input[name="login"]');
      if (await login.count() > 0) {
        await login.fill(options.login);
        await page.locator('input[name="password"]').fill('any password');
      }
      const at = page.url();
      await page.locator('button[type="submit"]').first().click();
      await page.waitForURL((url) => url.href !== at);
    }
    await page.waitForURL((url) => url.origin === web && url.pathname === '/decisions');
    expect(await text(page, 'h1') === 'Decisions', `the decisions, not ${await text(page, 'h1')}`);
    const who = await text(page, 'form[action="/sign-out"] p');
    expect(who.startsWith(`Signed in as ${options.member} (councillor)`), `signed in as ${options.member}, not “${who}”`);
    // Signing out signs them out at the provider too: it asks, and sends
    // them back to say so.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.origin !== web);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL((url) => url.origin === web && url.pathname === '/signed-out');
    expect(await text(page, 'h1') === 'You have signed out', `the signed-out page, not ${await text(page, 'h1')}`);
    const said = await text(page, 'main');
    expect(said.includes('You have signed out of Caucus and of'), `signed out at the provider too, not “${said}”`);
    expect(await page.locator('form[action="/sign-out"]').count() === 0, 'no one signed in');
    await page.goto(`${options.web}/decisions`);
    expect(new URL(page.url()).pathname === '/sign-in', `the sign-in page again, not ${page.url()}`);
    // The next person at this computer is asked who they are.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.origin !== web);
    expect(await page.locator('input[name="login"]').count() > 0, `the provider's login form, not ${page.url()}`);
  },

  // With JavaScript off, a councillor's note on their case still goes in.
  async 'javascript-off'(browser) {
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await signIn(page, 'councillor', '/cases');
    await page.locator('table a[href^="/cases/"]').first().click();
    await page.getByLabel('Add a note').fill('Spoke to the resident after surgery.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.waitForURL(/done=note/);
    expect((await banner(page)).includes('Your note was added'), 'the note confirmed without JavaScript');
  },
};

const unknown = chosen.filter((name) => !journeys[name]);
if (unknown.length > 0) {
  console.error(`no journey ${unknown.join(', ')}: ${Object.keys(journeys).join(', ')}`);
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: options.chromium });
try {
  for (const name of chosen) {
    const started = Date.now();
    try {
      await journeys[name](browser);
      console.log(`journey ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      console.error(`journey ${name} failed: ${error.message}`);
      process.exitCode = 1;
    } finally {
      // The journey's contexts (and their cookies) go with it.
      await Promise.all(browser.contexts().map((context) => context.close()));
    }
  }
} finally {
  await browser.close();
}
