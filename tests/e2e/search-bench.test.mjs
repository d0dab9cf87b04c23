// Benchmark: keystroke in the candidate search → the list's DOM updated, with ~100k candidates
// cached (three demo vendors × HIREBRIDGE_DEMO_CANDIDATES). Measured in the page: performance.now()
// when the input event fires, and again at the first mutation of the list (a MutationObserver).
// It prints p50/p95/max over 48 keystrokes and asserts nothing about time (target ≤ 50 ms).
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Session } from "./webdriver.mjs";

const here = dirname(fileURLToPath(import.meta.url));
// 35,700 per vendor (just over 100k; Lever holds fewer: it groups opportunities by contact) takes about
// 4 minutes to sync here, more than the suite's 2-minute limit per file: the suite runs a
// smaller cache unless HIREBRIDGE_BENCH_CANDIDATES says otherwise. For the 100k figure:
//   HIREBRIDGE_BENCH_CANDIDATES=35700 node --test --test-timeout=1800000 tests/e2e/search-bench.test.mjs
// (under Xvfb with HIREBRIDGE_APP and TAURI_DRIVER set, as `cargo xtask e2e` does).
const PER_VENDOR = Number(process.env.HIREBRIDGE_BENCH_CANDIDATES ?? 6_000);
const VENDORS = ["smartrecruiters", "lever", "unberry"];

let session;

before(async () => {
  session = await Session.start({
    args: ["--demo"],
    env: {
      HIREBRIDGE_DEMO_AUTO_CONSENT: "1",
      HIREBRIDGE_DEMO_CANDIDATES: String(PER_VENDOR),
      PATH: `${join(here, "fake-browser")}:${process.env.PATH}`,
    },
  });
  await session.find('[data-testid="demo-accounts"]', 30_000);
});

after(async () => {
  await session?.close();
});

async function cachedCandidates() {
  const overview = await session.invoke("sync_overview");
  return overview.accounts.reduce((n, a) => n + a.candidates, 0);
}

/** Activity during a long first sync: the progress bars a recruiter watches, light and dark. */
async function activityWhileSyncing() {
  await session.click('nav [data-screen="activity"]');
  await session.waitFor(
    () => session.findAll('[data-testid="sync-account"][data-phase="syncing"] [data-testid="progress"]'),
    (bars) => bars.length > 0,
    { timeout: 30_000, what: "a sync progress bar" },
  );
  // A few pages in, so the bar and the counts have moved.
  await new Promise((r) => setTimeout(r, 3000));
  for (const theme of ["light", "dark"]) {
    await session.setTheme(theme);
    await session.screenshot(`activity-sync-progress-${theme}`);
  }
  await session.setTheme("system");
  await session.click('nav [data-screen="accounts"]');
}

test(`cache ${PER_VENDOR * 3} candidates from the three demo vendors`, { timeout: 1_500_000 }, async (t) => {
  const started = Date.now();
  // One vendor at a time: each link starts that account's first sync.
  for (const vendor of VENDORS) {
    await session.linkDemo(vendor);
    const account = (await session.invoke("list_accounts")).accounts.find((a) => a.vendor === vendor);
    if (vendor === VENDORS[0]) await activityWhileSyncing();
    // Its first sync is done when nothing runs and its candidates are in.
    const synced = await session.waitFor(
      async () => {
        const o = await session.invoke("sync_overview");
        const counts = o.accounts.find((c) => c.account_id === account.id);
        return { running: o.running.length, candidates: counts?.candidates ?? 0, synced: counts?.last_synced_at ?? null };
      },
      (s) => s.running === 0 && s.synced !== null && s.candidates > 0,
      { timeout: 1_200_000, what: `${vendor}'s first sync` },
    );
    t.diagnostic(`${vendor}: ${synced.candidates} candidates after ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const total = await cachedCandidates();
  t.diagnostic(`cached ${total} candidates in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  // Lever groups opportunities by contact, so it holds somewhat fewer candidates than it seeds.
  assert.ok(total >= PER_VENDOR * 3 * 0.8, `about ${PER_VENDOR * 3} candidates cached, got ${total}`);
});

test("keystroke → updated list, p50/p95/max", { timeout: 600_000 }, async (t) => {
  await session.click('nav [data-screen="candidates"]');
  await session.find('[data-testid="candidate-row"]', 20_000);
  // Names typed letter by letter, as a recruiter looks someone up, with a clear between names
  // (the clear brings the whole list back: that is a keystroke too). 12 names × 4 = 48
  // keystrokes, enough for the 95th percentile not to be simply the worst one.
  const names = ["Adaeze", "Budi", "Camila", "Chloé", "Dmytro", "Ingrid", "Maria", "Aino", "Chinedu", "Kwame", "Wanjiru", "Amara"];
  const keystrokes = [];
  for (const n of names) {
    for (let i = 2; i <= 4; i++) keystrokes.push(n.slice(0, i));
    keystrokes.push("");
  }
  // One keystroke per call, timed in the page: WebDriver's own latency is not in the figure.
  const samples = [];
  // Keystrokes whose answer left the rows on screen as they were (typing on within the same
  // first matches): nothing to render, so they are not in the figure; their wait is reported.
  const unchanged = [];
  for (const text of keystrokes) {
    const sample = await session.executeAsync(
      `const [text, done] = arguments;
       const input = document.querySelector('[data-testid="candidate-search"]');
       // The list pane: its rows and its match count.
       const target = input.closest('section');
       // The list marks when a search answer arrives (User Timing): waiting vs rendering.
       const MARK = 'hirebridge:search-answer';
       performance.clearMarks(MARK);
       let t0 = 0;
       let finished = false;
       const finish = (ms) => {
         if (finished) return;
         finished = true;
         observer.disconnect();
         const answer = performance.getEntriesByName(MARK)[0];
         const ipc = text.trim() && answer ? answer.startTime - t0 : null;
         done({ ms, ipc, text });
       };
       const observer = new MutationObserver(() => finish(performance.now() - t0));
       observer.observe(target, { subtree: true, childList: true, characterData: true });
       setTimeout(() => finish(null), 2000);
       t0 = performance.now();
       input.value = text;
       input.dispatchEvent(new Event('input', { bubbles: true }));`,
      [text],
    );
    if (sample.ms === null) unchanged.push(sample);
    else samples.push(sample);
    // Let trailing updates (stage chips) settle before the next keystroke.
    await new Promise((r) => setTimeout(r, 100));
  }
  // The same searches through IPC alone, as the list asks them: what the database and IPC cost.
  const ipc = [];
  for (const text of keystrokes.filter(Boolean)) {
    ipc.push(
      await session.executeAsync(
        `const [text, done] = arguments;
         const t0 = performance.now();
         window.__TAURI_INTERNALS__
           .invoke('search_candidates', { query: { text, account_id: null, limit: 100 } })
           .then(() => done(performance.now() - t0), () => done(null));`,
        [text],
      ),
    );
  }
  const sorted = (xs) => xs.filter((x) => x !== null).sort((a, b) => a - b);
  const at = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
  const figures = (xs) => `p50 ${at(xs, 50).toFixed(1)} ms, p95 ${at(xs, 95).toFixed(1)} ms, max ${xs[xs.length - 1].toFixed(1)} ms`;
  const ipcTimes = sorted(ipc);
  t.diagnostic(`search_candidates IPC alone: ${figures(ipcTimes)} (${ipcTimes.length} queries)`);
  const times = sorted(samples.map((s) => s.ms));
  assert.ok(times.length >= keystrokes.length / 2, `most keystrokes changed the list (${times.length} of ${keystrokes.length})`);
  // Rendering: from the search answer to the list updated (the keystrokes that searched).
  // "wait" below is the keystroke → answer time in the page (IPC, database, event loop).
  const render = sorted(samples.filter((s) => s.ipc !== null).map((s) => s.ms - s.ipc));
  if (render.length > 0) t.diagnostic(`of which rendering after the answer: ${figures(render)} (${render.length} searches)`);
  const answeredSame = sorted(unchanged.map((s) => s.ipc));
  if (answeredSame.length > 0) {
    t.diagnostic(`answers that left the list as it was: ${figures(answeredSame)} to arrive (${answeredSame.length} keystrokes)`);
  }
  const slowest = [...samples].sort((a, b) => b.ms - a.ms).slice(0, 3);
  t.diagnostic(
    `slowest: ${slowest.map((s) => `"${s.text}" ${s.ms.toFixed(1)} ms (wait ${s.ipc === null ? "none" : `${s.ipc.toFixed(1)} ms`})`).join(", ")}`,
  );
  const cached = await cachedCandidates();
  const load = (await import("node:os")).loadavg().map((x) => x.toFixed(2)).join(" ");
  const line =
    `search keystroke → list updated at ${cached} cached candidates: ${figures(times)} ` +
    `(${times.length} of ${keystrokes.length} keystrokes changed the list; target ≤ 50 ms; load average ${load})`;
  t.diagnostic(line);
  console.log(line);
  await session.screenshot("bench-candidates-100k");
});
