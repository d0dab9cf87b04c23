// Linking accounts in the real app, in demo mode: a deep link opens the Lever step, the user
// confirms, the demo OAuth flow runs through a stand-in browser (fake-browser/xdg-open) and the
// loopback listener; Unberry links with the demo key; one account is unlinked after confirming.
// Then every secret in the keychain is looked for in the data dir, the logs and the page.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Session, launchSecondInstance } from "./webdriver.mjs";
import { filesUnder, keychainSecrets } from "./secrets.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const row = (label) => `[data-testid="account-row"][data-label="${label}"]`;

let session;

before(async () => {
  session = await Session.start({
    args: ["--demo"],
    env: {
      HIREBRIDGE_DEMO_AUTO_CONSENT: "1",
      // The stand-in browser waits a moment so the waiting state can be seen.
      FAKE_BROWSER_DELAY_MS: "2500",
      PATH: `${join(here, "fake-browser")}:${process.env.PATH}`,
    },
  });
  await session.find('[data-testid="demo-accounts"]', 30_000);
});

after(async () => {
  await session?.close();
});

test("demo mode offers the three demo accounts and names the keychain", async () => {
  const cards = await session.findAll('[data-testid="demo-card"]');
  assert.equal(cards.length, 3);
  const unberry = await session.text('[data-testid="demo-card"][data-vendor="unberry"]');
  assert.match(unberry, /demo key/);
  const backend = await session.text('[data-testid="keychain-backend"]');
  assert.match(backend, /Secret Service|kernel keyring/);
  await session.screenshot("linking-1-demo-accounts");
});

test("hirebridge://link/lever, confirmed, links Lever through the demo OAuth flow", async () => {
  const second = await launchSecondInstance(["hirebridge://link/lever?label=Acme%20Lever"], session.env);
  assert.equal(second.code, 0, second.output);
  await session.waitFor(
    () => session.value('[data-testid="link-vendor"]'),
    (v) => v === "lever",
    { what: "the Lever step, prefilled" },
  );
  assert.equal(await session.value('[data-testid="link-label"]'), "Acme Lever");
  assert.equal(await session.findAll(row("Acme Lever")).then((r) => r.length), 0, "nothing linked by the link itself");
  await session.screenshot("linking-2-deeplink-step");

  await session.click('[data-testid="link-submit"]');
  const waiting = await session.waitFor(
    () => session.text('[data-testid="link-waiting"]'),
    (t) => /approve in your browser/.test(t) && /127\.0\.0\.1/.test(t),
    { what: "the waiting state naming the sign-in host" },
  );
  assert.match(waiting, /Waiting for you to approve in your browser/);
  await session.screenshot("linking-3-waiting-for-browser");

  const status = await session.waitFor(
    () => session.text(`${row("Acme Lever")} [data-testid="account-status"]`),
    (t) => t === "Active",
    { timeout: 30_000, what: "Acme Lever listed as Active" },
  );
  assert.equal(status, "Active");
  assert.equal((await session.findAll('[data-testid="link-step"]')).length, 0, "the step closed");
  await session.screenshot("linking-4-lever-linked");
});

test("the Unberry demo card links with the demo API key", async () => {
  await session.click('[data-testid="demo-link-unberry"]');
  const status = await session.waitFor(
    () => session.text(`${row("Demo Unberry")} [data-testid="account-status"]`),
    (t) => t === "Active",
    { timeout: 20_000, what: "Demo Unberry listed as Active" },
  );
  assert.equal(status, "Active");
  assert.match(await session.text(row("Demo Unberry")), /API key/);
  await session.screenshot("linking-5-unberry-linked");
});

test("a wrong API key is refused with what to do, and nothing is linked", async () => {
  await session.click("header .btn-primary");
  await session.execute(
    `const s = document.querySelector('[data-testid="link-vendor"]');
     s.value = "unberry"; s.dispatchEvent(new Event("change", { bubbles: true }));`,
  );
  const label = await session.find('[data-testid="link-label"]');
  await session.cmd("POST", `/element/${label}/clear`, {});
  await session.type('[data-testid="link-label"]', "Wrong key");
  await session.click('[data-testid="link-method-api-key"]');
  await session.type('[data-testid="link-api-key"]', "definitely-not-the-key");
  await session.click('[data-testid="link-submit"]');
  const error = await session.waitFor(
    () => session.text('[data-testid="link-error"]'),
    (t) => t.length > 0,
    { timeout: 20_000, what: "the refusal" },
  );
  assert.match(error, /refused/i);
  assert.match(error, /Check the key/);
  assert.equal((await session.findAll(row("Wrong key"))).length, 0);
  await session.screenshot("linking-6-wrong-key");
  await session.click('[data-testid="link-close"]');
  assert.equal((await session.findAll('[data-testid="link-step"]')).length, 0);
});

test("no token, key or client secret is in the data dir, the logs or the page", async () => {
  const secrets = keychainSecrets();
  // Acme Lever's access token, refresh token and client secret, and Demo Unberry's key.
  assert.ok(secrets.length >= 4, `the keychain holds the linked account's secrets (${secrets.length})`);
  const files = filesUnder(session.dataDir);
  assert.ok(files.some((f) => f.endsWith(".sqlite3")), `the database is checked: ${files}`);
  assert.ok(files.some((f) => f.includes(`${join(session.dataDir, "logs")}`)), `the logs are checked: ${files}`);
  const page = await session.execute("return document.documentElement.outerHTML");
  for (const secret of secrets) {
    for (const file of files) {
      assert.ok(!readFileSync(file).includes(secret), `a secret was found in ${file}`);
    }
    assert.ok(!page.includes(secret), "a secret reached the page");
  }
});

test("unlinking asks once, names the consequence, and defaults to keeping the account", async () => {
  await session.click(`${row("Demo Unberry")} [data-testid="account-unlink"]`);
  const body = await session.text('[data-testid="unlink-dialog"]');
  assert.match(body, /removes the key from your keychain and deletes the cached candidates of this account/);
  const focused = await session.execute("return document.activeElement?.dataset?.testid ?? null");
  assert.equal(focused, "unlink-cancel", "the safe choice has the focus");
  await session.screenshot("linking-7-unlink-confirm");

  await session.click('[data-testid="unlink-cancel"]');
  assert.equal((await session.findAll(row("Demo Unberry"))).length, 1, "cancel keeps it");

  await session.click(`${row("Demo Unberry")} [data-testid="account-unlink"]`);
  await session.click('[data-testid="unlink-confirm"]');
  await session.waitFor(
    () => session.findAll(row("Demo Unberry")),
    (rows) => rows.length === 0,
    { what: "Demo Unberry gone" },
  );
  assert.equal((await session.findAll(row("Acme Lever"))).length, 1);
  await session.screenshot("linking-8-unlinked");
});
