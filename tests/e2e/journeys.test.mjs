// The recruiter's journeys in the real app on the demo accounts: link each vendor, sync with
// visible progress, search and open a candidate, move a stage and find it in the fake ATS (its
// admin API) and in Activity, then unlink. Every screen is saved, light and dark.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Session } from "./webdriver.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const VENDORS = ["smartrecruiters", "lever", "unberry"];
const accountRow = (vendor) => `[data-testid="account-row"][data-vendor="${vendor}"]`;

let session;
let demo; // the demo accounts, with the fake ATS's base URLs

before(async () => {
  session = await Session.start({
    args: ["--demo"],
    env: {
      HIREBRIDGE_DEMO_AUTO_CONSENT: "1",
      HIREBRIDGE_DEMO_CANDIDATES: "1500",
      PATH: `${join(here, "fake-browser")}:${process.env.PATH}`,
    },
  });
  await session.find('[data-testid="demo-accounts"]', 30_000);
  demo = await session.invoke("demo_accounts");
});

after(async () => {
  await session?.close();
});



test("link each demo vendor", async () => {
  // Watch for sync progress from the start: linking starts the first sync.
  await session.execute(`
    window.__sawProgress = 0;
    // Each account row's heights as syncs start and end: a row that grows or shrinks moves the
    // buttons below it under the recruiter's pointer.
    window.__rowHeights = {};
    // And where the screen's heading sits: notices come and go while linking, over the screen.
    window.__headingTops = [];
    new MutationObserver(() => {
      const heading = document.querySelector("main h1");
      const top = heading && Math.round(heading.getBoundingClientRect().top);
      if (top !== null && !window.__headingTops.includes(top)) window.__headingTops.push(top);
      if (document.querySelector('[data-testid="progress"]')) window.__sawProgress++;
      for (const row of document.querySelectorAll('[data-testid="account-row"]')) {
        const heights = (window.__rowHeights[row.dataset.vendor] ??= []);
        const h = Math.round(row.getBoundingClientRect().height);
        if (h > 0 && !heights.includes(h)) heights.push(h);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  `);
  for (const vendor of VENDORS) {
    await session.linkDemo(vendor);
  }
  assert.equal((await session.findAll('[data-testid="account-row"]')).length, 3);
  const tops = await session.execute("return window.__headingTops");
  assert.equal(tops.length, 1, `the screen stayed in place while notices came and went: heading at ${tops} px`);
  await session.screenshotBothThemes("journey-accounts-linked");
});

test("sync shows progress, then counts per account", async () => {
  await session.go("activity");
  await session.find('[data-testid="sync-panel"]');
  const idle = () =>
    session.waitFor(
      () => session.findAll('[data-testid="sync-account"][data-phase="syncing"]'),
      (rows) => rows.length === 0,
      { timeout: 90_000, what: "every sync to finish" },
    );
  const syncTexts = () =>
    session.execute(`return [...document.querySelectorAll('[data-testid="sync-text"]')].map((e) => e.textContent)`);
  // Linking started the first sync of each account.
  await idle();
  const first = await syncTexts();
  const firstFailures = first.filter((t) => /failed/i.test(t));
  if (firstFailures.length) console.log(`# the first sync failed for some accounts: ${firstFailures.join(" | ")}`);
  // Then the recruiter's "Sync now".
  await session.click('[data-testid="sync-all"]');
  if ((await session.findAll('[data-testid="sync-account"][data-phase="syncing"]')).length > 0) {
    await session.screenshotBothThemes("journey-activity-syncing");
  }
  await idle();
  const sawProgress = await session.execute("return window.__sawProgress");
  assert.ok(sawProgress > 0, "a progress bar was shown while syncing");
  const texts = await syncTexts();
  assert.equal(texts.length, 3);
  for (const t of texts) assert.doesNotMatch(t, /failed/i, t);
  await session.waitFor(
    () => session.findAll('[data-testid="sync-run"]'),
    (runs) => runs.length > 0,
    { what: "the sync history" },
  );
  await session.screenshotBothThemes("journey-activity-synced");
  // Each account's Sync button is stretched by its grid column: its label must stay centred.
  const offCentre = await session.execute(`
    const b = document.querySelector('[data-testid="sync-one"]');
    const range = document.createRange();
    range.selectNodeContents(b);
    const text = range.getBoundingClientRect(), box = b.getBoundingClientRect();
    return Math.abs((text.left + text.right) / 2 - (box.left + box.right) / 2);`);
  assert.ok(offCentre <= 2, `the Sync button's label is ${offCentre} px off its centre`);

  await session.go("accounts");
  const counts = await session.waitFor(
    () => session.textContent(`${accountRow("lever")} [data-testid="account-counts"]`),
    (t) => /[1-9][\d,]* candidates/.test(t),
    { what: "Lever's record counts" },
  );
  assert.match(counts, /last synced/);
  const heights = await session.execute("return window.__rowHeights");
  assert.deepEqual(Object.keys(heights).sort(), [...VENDORS].sort());
  for (const vendor of VENDORS) {
    assert.equal(heights[vendor].length, 1, `${vendor}'s row kept one height while syncing: ${heights[vendor]} px`);
  }
});

test("search as you type, then open a candidate", async () => {
  await session.go("candidates");
  await session.find('[data-testid="candidate-row"]', 20_000);
  const count = await session.textContent('[data-testid="candidate-count"]');
  assert.match(count, /candidates/);
  await session.screenshotBothThemes("journey-candidates-list");

  const first = await session.execute(
    `return document.querySelector('[data-testid="candidate-row"] .name').textContent`,
  );
  const prefix = first.slice(0, 4);
  await session.type('[data-testid="candidate-search"]', prefix);
  await session.waitFor(
    () => session.textContent('[data-testid="candidate-count"]'),
    (t) => /match/.test(t),
    { what: "search results" },
  );
  const names = await session.execute(
    `return [...document.querySelectorAll('[data-testid="candidate-row"] .name')].map((e) => e.textContent)`,
  );
  assert.ok(names.length > 0, "the search finds the candidate it was typed from");
  assert.ok(names.some((n) => n.toLowerCase().includes(prefix.toLowerCase())), `${names} contain ${prefix}`);
  await session.click('[data-testid="candidate-row"]');
  const opened = await session.waitFor(
    () => session.textContent('[data-testid="detail-name"]'),
    (t) => t.length > 0,
    { what: "the candidate detail" },
  );
  assert.equal(opened, names[0]);
  await session.screenshotBothThemes("journey-candidate-detail");
});

test("Ctrl+K searches from any screen and opens the candidate", async () => {
  await session.go("jobs");
  await session.press("k", { ctrl: true });
  await session.find('[data-testid="palette"][open]');
  const name = await session.execute(
    `return document.querySelector('[data-testid="detail-name"]')?.textContent ?? null`,
  );
  const query = (name ?? "a").split(" ")[0];
  await session.type('[data-testid="palette-input"]', query);
  await session.find('[data-testid="palette-candidate"]');
  await session.screenshotBothThemes("journey-palette");
  await session.press("Enter", { target: '[data-testid="palette-input"]' });
  await session.waitFor(
    () => session.execute(`return document.querySelector('nav [aria-current="page"]')?.dataset.screen`),
    (s) => s === "candidates",
    { what: "the Candidates screen" },
  );
  await session.find('[data-testid="candidate-detail"]');
});

test("move a stage: the fake ATS holds it, and Activity lists it", async () => {
  await session.go("candidates");
  // Clear the search, then one account's candidates: Lever's unless its sync failed.
  await session.execute(`
    const i = document.querySelector('[data-testid="candidate-search"]');
    i.value = ''; i.dispatchEvent(new Event('input', { bubbles: true }));`);
  const synced = await session.invoke("sync_overview");
  const withCandidates = synced.accounts.filter((c) => c.candidates > 0).map((c) => c.account_id);
  const accounts = (await session.invoke("list_accounts")).accounts;
  const account =
    accounts.find((a) => a.vendor === "lever" && withCandidates.includes(a.id)) ??
    accounts.find((a) => withCandidates.includes(a.id));
  assert.ok(account, "an account with cached candidates");
  const vendorName = { lever: "Lever", smartrecruiters: "SmartRecruiters", unberry: "Unberry" }[account.vendor];
  await session.select('[data-testid="filter-account"]', account.id);
  await session.waitFor(
    () => session.findAll('[data-testid="candidate-row"]'),
    (rows) => rows.length > 0,
    { what: `${vendorName}'s candidates` },
  );

  // The first candidate with an application that is not rejected.
  let candidateId = null;
  const rows = await session.execute(
    `return [...document.querySelectorAll('[data-testid="candidate-row"]')].slice(0, 15).map((r) => r.dataset.id)`,
  );
  for (const id of rows) {
    await session.openCandidate(id);
    if ((await session.findAll('[data-testid="application"] [data-testid="reject"]')).length > 0) {
      candidateId = id;
      break;
    }
  }
  assert.ok(candidateId, `a ${vendorName} candidate with an open application`);
  const name = await session.textContent('[data-testid="detail-name"]');
  const applicationId = await session.execute(
    `return [...document.querySelectorAll('[data-testid="application"]')].find((a) => a.querySelector('[data-testid="reject"]')).dataset.id`,
  );

  await session.click(`[data-testid="application"][data-id="${applicationId}"] [data-testid="move-stage"]`);
  try {
    await session.find('[data-testid="move-select"]', 20_000);
  } catch (e) {
    await session.screenshot("journey-move-stage-failed");
    const panel = await session.textContent('[data-testid="move-panel"]').catch(() => "");
    throw new Error(`${e.message}; the move panel says: ${panel}`);
  }
  const target = await session.execute(`
    const o = [...document.querySelectorAll('[data-testid="move-select"] option')].find((o) => !o.disabled);
    return o ? { id: o.value, name: o.textContent.trim() } : null`);
  assert.ok(target, "the job has another stage to move to");
  await session.select('[data-testid="move-select"]', target.id);
  await session.screenshotBothThemes("journey-move-stage");

  // What the fake ATS holds, before and after: the record the vendor's own API serves.
  const base = demo.find((d) => d.vendor === account.vendor).base_url;
  const recordId = account.vendor === "lever" ? applicationId : candidateId;
  const readRecord = () =>
    fetch(new URL(`/admin/records/${account.vendor}/${encodeURIComponent(recordId)}`, base)).then((r) => r.json());
  const mentions = (record) => JSON.stringify(record).split(JSON.stringify(target.id)).length - 1;
  const before = mentions(await readRecord());

  await session.click('[data-testid="move-confirm"]');
  const result = await session.waitFor(
    () => session.textContent('[data-testid="action-result"]'),
    (t) => /Moved to|did not|refused|offline|could not/i.test(t),
    { timeout: 30_000, what: "the stage move's result" },
  );
  assert.match(result, new RegExp(`Moved to “${target.name}” in ${vendorName}`));
  await session.screenshotBothThemes("journey-moved");

  const after = await readRecord();
  if (account.vendor === "lever") {
    const stage = typeof after.stage === "string" ? after.stage : after.stage?.id;
    assert.equal(stage, target.id, "Lever's opportunity is in the chosen stage");
  } else {
    assert.ok(mentions(after) > before, `${vendorName}'s record now names stage ${target.id}`);
  }

  // The detail shows the new stage, and Activity lists the move.
  const chip = await session.textContent(`[data-testid="application"][data-id="${applicationId}"] [data-testid="stage-chip"]`);
  assert.equal(chip, target.name);
  await session.go("activity");
  const item = await session.waitFor(
    () =>
      session.execute(
        `return [...document.querySelectorAll('[data-testid="activity-item"]')].map((e) => e.textContent).find((t) => t.includes(arguments[0])) ?? ''`,
        [name],
      ),
    (t) => t.length > 0,
    { what: "the move in Activity" },
  );
  assert.match(item, new RegExp(target.name));
  await session.screenshotBothThemes("journey-activity-move");
});

test("jobs show their pipeline and push a candidate to a job", async () => {
  await session.go("jobs");
  // The job with the most candidates, found by typing its name.
  const jobs = await session.invoke("list_jobs", { accountId: null });
  const busiest = jobs.reduce((best, j) => (j.total > (best?.total ?? 0) ? j : best), null);
  assert.ok(busiest, "a job with candidates");
  await session.type('[data-testid="job-filter"]', busiest.name);
  await session.click(`[data-testid="job-row"][data-id="${busiest.remote_id}"]`);
  await session.find('[data-testid="job-detail"] [data-testid="pipeline"]');
  const stages = await session.findAll('[data-testid="pipeline-stage"]');
  assert.ok(stages.length > 0, "the job has stages with candidates");
  // The pipeline's last group (no stage, or a closed one) lists its own candidates only, not
  // the whole job.
  const last = busiest.stages[busiest.stages.length - 1];
  await session.click('[data-testid="pipeline"] li:last-child [data-testid="pipeline-stage"]');
  await session.waitFor(
    () => session.execute(`return document.querySelectorAll('[data-testid="job-people"] li').length`),
    (n) => n === Math.min(last.count, 100),
    { what: `the ${last.count} candidates of the pipeline's last group` },
  );
  await session.screenshotBothThemes("journey-jobs");
  // Picked again, the group lets go: the whole job, 100 at a time, then the rest on request.
  await session.click('[data-testid="pipeline"] li:last-child [data-testid="pipeline-stage"]');
  const shown = () => session.execute(`return document.querySelectorAll('[data-testid="job-people"] li').length`);
  await session.waitFor(shown, (n) => n === Math.min(busiest.total, 100), { what: "the job's first 100 candidates" });
  if (busiest.total > 100) {
    await session.click('[data-testid="job-people-more"]');
    await session.waitFor(shown, (n) => n > 100, { what: "more of the job's candidates" });
  }
  await session.click('[data-testid="push-to-job"]');
  await session.waitFor(
    () => session.execute(`return document.querySelector('nav [aria-current="page"]')?.dataset.screen`),
    (s) => s === "push",
    { what: "the Push screen" },
  );
  // The job pushed from is preselected, with its account.
  await session.waitFor(
    () => session.execute(`return document.querySelector('#push-job')?.value ?? null`),
    (v) => v === busiest.remote_id,
    { what: "the job preselected on the Push screen" },
  );
  await session.screenshotBothThemes("journey-push");
});

test("the shortcuts list opens with ?", async () => {
  await session.go("candidates");
  await session.press("?");
  await session.find('[data-testid="shortcuts"][open]');
  await session.screenshotBothThemes("journey-shortcuts");
  await session.press("Escape", { target: '[data-testid="shortcuts"]' });
  await session.execute(`document.querySelector('[data-testid="shortcuts"]').close()`);
});

test("unlink asks first, then removes the account and its candidates", async () => {
  await session.go("accounts");
  await session.click(`${accountRow("unberry")} [data-testid="account-unlink"]`);
  await session.find('[data-testid="unlink-dialog"][open]');
  await session.screenshotBothThemes("journey-unlink-confirm");
  await session.click('[data-testid="unlink-confirm"]');
  await session.waitFor(
    () => session.findAll(accountRow("unberry")),
    (rows) => rows.length === 0,
    { what: "the Unberry row to go" },
  );
  const left = await session.invoke("search_candidates", { query: { text: "a", account_id: null, limit: 500 } });
  assert.ok(left.every((h) => h.candidate.vendor !== "unberry"), "no Unberry candidate is left in the cache");
});
