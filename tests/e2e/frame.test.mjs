import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { Session } from "./webdriver.mjs";

let session;

before(async () => {
  session = await Session.start();
});

after(async () => {
  await session?.close();
});

test("the frame renders with the version and data directory read from Rust", async () => {
  const version = await session.waitFor(
    () => session.text('[data-testid="app-version"]'),
    (t) => /^Hirebridge \d+\.\d+\.\d+/.test(t),
    { what: "the version in the status bar" },
  );
  assert.match(version, /^Hirebridge \d+\.\d+\.\d+/);
  const dataDir = await session.text('[data-testid="data-dir"]');
  assert.equal(dataDir, session.dataDir, "the status bar shows the data dir the app was given");
  for (const label of ["Accounts", "Candidates", "Jobs", "Push", "Activity"]) {
    await session.find(`nav [data-screen="${label.toLowerCase()}"]`);
  }
  await session.screenshot("frame-accounts");
});

test("every screen opens with an empty state that says what to do next", async () => {
  for (const screen of ["candidates", "jobs", "push", "activity"]) {
    await session.click(`nav [data-screen="${screen}"]`);
    const heading = await session.text("main h1");
    assert.ok(heading.length > 0, `${screen} has a heading`);
    const empty = await session.text("main section[aria-label]");
    assert.match(empty, /Link an account/, `${screen} says to link an account`);
    await session.screenshot(`frame-${screen}`);
  }
});
