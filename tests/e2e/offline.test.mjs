// Offline: the demo vendor's network is unplugged (HIREBRIDGE_DEMO_OFFLINE_SWITCH: while the file
// exists, the demo servers' port refuses connections, as an unreachable host does). The banner
// shows, the cache stays browsable and searchable, a stage move is refused with the offline
// message and never reaches the vendor; plugged in again, the banner goes by itself.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Session } from "./webdriver.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const SWITCH = join(tmpdir(), `hirebridge-e2e-offline-switch-${process.pid}`);
const unplug = () => writeFileSync(SWITCH, "");
const plugIn = () => existsSync(SWITCH) && rmSync(SWITCH);

let session;
let lever; // the demo Lever account as the app sees it
let base; // the demo Lever server's base URL (through the unpluggable relay)
let moved; // { applicationId, stageBefore, target }

before(async () => {
  plugIn();
  session = await Session.start({
    args: ["--demo"],
    env: {
      HIREBRIDGE_DEMO_AUTO_CONSENT: "1",
      HIREBRIDGE_DEMO_CANDIDATES: "300",
      HIREBRIDGE_DEMO_OFFLINE_SWITCH: SWITCH,
      PATH: `${join(here, "fake-browser")}:${process.env.PATH}`,
    },
  });
  await session.find('[data-testid="demo-accounts"]', 30_000);
  base = (await session.invoke("demo_accounts")).find((d) => d.vendor === "lever").base_url;
});

after(async () => {
  plugIn();
  await session?.close();
});



const readOpportunity = (id) =>
  fetch(new URL(`/admin/records/lever/${encodeURIComponent(id)}`, base)).then((r) => r.json());
const stageOf = (record) => (typeof record.stage === "string" ? record.stage : record.stage?.id);

test("online: link Lever and cache its candidates", async () => {
  await session.linkDemo("lever");
  lever = (await session.invoke("list_accounts")).accounts.find((a) => a.vendor === "lever");
  await session.waitFor(
    async () => {
      const o = await session.invoke("sync_overview");
      const c = o.accounts.find((a) => a.account_id === lever.id);
      return o.running.length === 0 && c?.last_synced_at ? c.candidates : 0;
    },
    (n) => n > 0,
    { timeout: 90_000, what: "Lever's first sync" },
  );
  assert.equal(await session.findAll('[data-testid="offline-banner"]').then((b) => b.length), 0, "no banner while online");
});

test("offline: a stage move is refused with the offline message and the banner shows", async () => {
  await session.go("candidates");
  await session.find('[data-testid="candidate-row"]', 20_000);
  // A candidate with an open application; its stages load while still online.
  const ids = await session.execute(
    `return [...document.querySelectorAll('[data-testid="candidate-row"]')].slice(0, 15).map((r) => r.dataset.id)`,
  );
  let applicationId = null;
  for (const id of ids) {
    await session.openCandidate(id);
    applicationId = await session.execute(
      `return [...document.querySelectorAll('[data-testid="application"]')].find((a) => a.querySelector('[data-testid="reject"]'))?.dataset.id ?? null`,
    );
    if (applicationId) break;
  }
  assert.ok(applicationId, "a Lever candidate with an open application");
  await session.click(`[data-testid="application"][data-id="${applicationId}"] [data-testid="move-stage"]`);
  await session.find('[data-testid="move-select"]', 20_000);
  const target = await session.execute(`
    const o = [...document.querySelectorAll('[data-testid="move-select"] option')].find((o) => !o.disabled && o.value);
    return o ? { id: o.value, name: o.textContent.trim() } : null`);
  assert.ok(target, "the job has another stage to move to");
  await session.select('[data-testid="move-select"]', target.id);
  const stageBefore = stageOf(await readOpportunity(applicationId));
  assert.notEqual(stageBefore, target.id);
  moved = { applicationId, stageBefore, target };

  unplug();
  // The relay looks at the switch a few times a second: wait until a connect is refused.
  await session.waitFor(
    () => fetch(new URL("/admin/info", base)).then(() => "reachable", () => "refused"),
    (r) => r === "refused",
    { what: "the demo vendor to become unreachable" },
  );
  await session.click('[data-testid="move-confirm"]');
  const result = await session.waitFor(
    () => session.textContent('[data-testid="action-result"]'),
    (t) => t.length > 0,
    { timeout: 30_000, what: "the stage move's result" },
  );
  assert.match(result, /offline, so nothing was sent/i);
  await session.find('[data-testid="offline-banner"]', 10_000);
  const banner = await session.textContent('[data-testid="offline-banner"]');
  assert.match(banner, /You are offline/);
  // Writes are off while offline: the stage buttons say why.
  const disabled = await session.execute(
    `return [...document.querySelectorAll('[data-testid="move-stage"], [data-testid="move-confirm"]')].every((b) => b.disabled)`,
  );
  assert.ok(disabled, "stage moves are disabled while offline");
  await session.screenshotBothThemes("offline-move-refused");
});

test("offline: cached candidates stay browsable and searchable", async () => {
  // The vendor really is unreachable: a connect is refused.
  await assert.rejects(fetch(new URL("/admin/info", base)), "the demo vendor cannot be reached");
  await session.execute(`
    const i = document.querySelector('[data-testid="candidate-search"]');
    i.value = ''; i.dispatchEvent(new Event('input', { bubbles: true }));`);
  await session.waitFor(
    () => session.textContent('[data-testid="candidate-count"]'),
    (t) => /candidates?$/.test(t),
    { what: "the whole cached list" },
  );
  const second = await session.execute(
    `return document.querySelectorAll('[data-testid="candidate-row"]')[1]?.dataset.id ?? null`,
  );
  assert.ok(second, "the cached list has rows");
  await session.click(`[data-testid="candidate-row"][data-id="${second}"]`);
  const name = await session.waitFor(
    () => session.textContent('[data-testid="detail-name"]'),
    (t) => t.length > 0,
    { what: "a cached candidate's detail" },
  );
  await session.type('[data-testid="candidate-search"]', name.split(" ")[0]);
  await session.waitFor(
    () => session.textContent('[data-testid="candidate-count"]'),
    (t) => /match/.test(t),
    { what: "search results from the cache" },
  );
  const names = await session.execute(
    `return [...document.querySelectorAll('[data-testid="candidate-row"] .name')].map((e) => e.textContent)`,
  );
  assert.ok(names.includes(name), `the search finds ${name} offline (got ${names.slice(0, 5)})`);
  assert.equal((await session.findAll('[data-testid="offline-banner"]')).length, 1, "still offline");
  await session.screenshotBothThemes("offline-candidates");
});

test("back online: the banner goes by itself, and the refused move never reached Lever", async () => {
  plugIn();
  // The connectivity watcher probes every 15 s while offline.
  await session.waitFor(
    () => session.findAll('[data-testid="offline-banner"]'),
    (b) => b.length === 0,
    { timeout: 40_000, what: "the offline banner to go" },
  );
  const record = await readOpportunity(moved.applicationId);
  assert.equal(stageOf(record), moved.stageBefore, "nothing was queued: the opportunity kept its stage");
  await session.screenshotBothThemes("offline-back-online");
});
