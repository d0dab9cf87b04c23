// Benchmark: keystroke in the candidate search → the list's DOM updated, with ~100k candidates
// cached (three demo vendors × HIREBRIDGE_DEMO_CANDIDATES). Measured in the page: performance.now()
// when the input event fires, and again at the first mutation of the list (a MutationObserver).
// It prints p50/p95 and asserts nothing about time (target ≤ 50 ms).
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Session } from "./webdriver.mjs";

const here = dirname(fileURLToPath(import.meta.url));
// 34,000 per vendor (~100k; Lever holds fewer: it groups opportunities by contact) takes about
// 4 minutes to sync here, more than the suite's 2-minute limit per file: the suite runs a
// smaller cache unless HIREBRIDGE_BENCH_CANDIDATES says otherwise. For the 100k figure:
//   HIREBRIDGE_BENCH_CANDIDATES=34000 node --test --test-timeout=1800000 tests/e2e/search-bench.test.mjs
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

test(`cache ${PER_VENDOR * 3} candidates from the three demo vendors`, { timeout: 1_500_000 }, async (t) => {
  const started = Date.now();
  // One vendor at a time: each link starts that account's first sync.
  for (const vendor of VENDORS) {
    await session.click(`[data-testid="demo-link-${vendor}"]`);
    await session.waitFor(
      () => session.textContent(`[data-testid="account-row"][data-vendor="${vendor}"] [data-testid="account-status"]`),
      (s) => s === "Active",
      { timeout: 30_000, what: `${vendor} linked` },
    );
    const account = (await session.invoke("list_accounts")).accounts.find((a) => a.vendor === vendor);
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

test("keystroke → updated list, p50/p95", { timeout: 300_000 }, async (t) => {
  await session.click('nav [data-screen="candidates"]');
  await session.find('[data-testid="candidate-row"]', 20_000);
  // Names typed letter by letter, as a recruiter looks someone up, with a clear between names
  // (the clear brings the whole list back: that is a keystroke too).
  const names = ["Adaeze", "Budi", "Camila", "Chloé", "Dmytro", "Ingrid", "Maria", "Aino"];
  const keystrokes = [];
  for (const n of names) {
    for (let i = 2; i <= 4; i++) keystrokes.push(n.slice(0, i));
    keystrokes.push("");
  }
  // One keystroke per call, timed in the page: WebDriver's own latency is not in the figure.
  const out = { times: [], unchanged: 0 };
  for (const text of keystrokes) {
    const ms = await session.executeAsync(
      `const [text, done] = arguments;
       const input = document.querySelector('[data-testid="candidate-search"]');
       // The list pane: its rows and its match count.
       const target = document.querySelector('[data-testid="candidate-search"]').closest('section');
       let t0 = 0;
       let finished = false;
       const observer = new MutationObserver(() => {
         if (finished) return;
         finished = true;
         observer.disconnect();
         done(performance.now() - t0);
       });
       observer.observe(target, { subtree: true, childList: true, characterData: true });
       setTimeout(() => {
         if (finished) return;
         finished = true;
         observer.disconnect();
         done(null);
       }, 2000);
       t0 = performance.now();
       input.value = text;
       input.dispatchEvent(new Event('input', { bubbles: true }));`,
      [text],
    );
    if (ms === null) out.unchanged++;
    else out.times.push(ms);
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
  const ipcTimes = ipc.filter((x) => x !== null).sort((a, b) => a - b);
  const at = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
  t.diagnostic(
    `search_candidates IPC alone: p50 ${at(ipcTimes, 50).toFixed(1)} ms, p95 ${at(ipcTimes, 95).toFixed(1)} ms (${ipcTimes.length} queries)`,
  );
  const times = out.times.sort((a, b) => a - b);
  assert.ok(times.length >= keystrokes.length / 2, `most keystrokes changed the list (${times.length} of ${keystrokes.length})`);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
  const cached = await cachedCandidates();
  const line =
    `search keystroke → list updated at ${cached} cached candidates: ` +
    `p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms ` +
    `(${times.length} keystrokes, ${out.unchanged} left the list unchanged; target ≤ 50 ms)`;
  t.diagnostic(line);
  console.log(line);
  await session.screenshot("bench-candidates-100k");
});
