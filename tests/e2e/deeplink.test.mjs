import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Session, launchSecondInstance } from "./webdriver.mjs";

let session;

before(async () => {
  session = await Session.start();
  await session.find('[data-testid="app-version"]');
});

after(async () => {
  await session?.close();
});

test("a second launch with a link opens the running window on that linking step", async () => {
  const second = await launchSecondInstance(["hirebridge://link/lever?label=Acme%20EU"], session.env);
  assert.equal(second.code, 0, `the second instance hands over and exits: ${second.output}`);

  await session.find('[data-testid="link-step"]');
  const vendor = await session.waitFor(
    () => session.value('[data-testid="link-vendor"]'),
    (v) => v === "lever",
    { what: "Lever preselected" },
  );
  assert.equal(vendor, "lever");
  assert.equal(await session.value('[data-testid="link-label"]'), "Acme EU");
  const title = await session.text("#link-title");
  assert.match(title, /Lever/);
  await session.screenshot("deeplink-link-lever");

  // The recruiter's log says a link was accepted, without the single-instance hand-over's
  // D-Bus traffic (zbus logs each call it serves, as a message dump, at info level).
  const logs = join(session.dataDir, "logs");
  const logged = readdirSync(logs).map((f) => readFileSync(join(logs, f), "utf8")).join("\n");
  assert.match(logged, /deep link accepted/);
  assert.doesNotMatch(logged, /zbus/, "no D-Bus message dumps in the log");
});

test("a malformed link is refused with a visible message, and the app keeps running", async () => {
  const second = await launchSecondInstance(["hirebridge://%%"], session.env);
  assert.equal(second.code, 0, second.output);
  const notice = await session.waitFor(
    () => session.findAll('[data-testid="notice"][role="alert"]'),
    (all) => all.length > 0,
    { what: "a refusal notice" },
  );
  assert.ok(notice.length > 0);
  const text = await session.text('[data-testid="notice"][role="alert"]');
  assert.match(text, /refused/i);
  // Still alive and responsive.
  assert.match(await session.text('[data-testid="app-version"]'), /Hirebridge/);
  await session.screenshot("deeplink-refused");
});
