// The secrets audit in the real app (issue 8): one scripted session links the three demo
// accounts (SmartRecruiters and Lever by OAuth, Unberry by API key), syncs, pushes a candidate
// with a resume to each, has every access token expire at the vendor and syncs again (the core
// refreshes them), then unlinks all three. Every known secret — the vendors' API keys and OAuth
// client secrets (the fake's /admin/info), and every token the keychain held along the way — is
// then looked for, raw and encoded, in: the data dir (database, WAL, logs), the webview's
// storage and caches (the session's own XDG dirs), the page, localStorage and sessionStorage,
// the app's output, and the IPC transcript (every command the page sent and every answer, event
// and channel message it received, recorded by the debug-only `HIREBRIDGE_IPC_TRANSCRIPT`
// plugin). Canaries planted in the webview's storage and in an IPC call prove the scan reaches
// each place.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Session } from "./webdriver.mjs";
import { onePagePdf } from "./pdf.mjs";
import { filesUnder, keychainSecrets } from "./secrets.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const VENDORS = ["smartrecruiters", "lever", "unberry"];
const accountRow = (vendor) => `[data-testid="account-row"][data-vendor="${vendor}"]`;

const root = mkdtempSync(join(tmpdir(), "hirebridge-e2e-audit-"));
const xdg = { data: join(root, "xdg-data"), cache: join(root, "xdg-cache"), config: join(root, "xdg-config") };
Object.values(xdg).forEach((d) => mkdirSync(d, { recursive: true }));
const resumes = mkdtempSync(join(tmpdir(), "hirebridge-e2e-audit-resume-"));
const CANARY_STORAGE = "hb-canary-storage-4f1d9c2a7e";
const CANARY_IPC = "hb-canary-ipc-8b3e5d0c61";

let session;
let demo;
let appOutput = "";
const accountIds = new Set();
const secrets = new Set();
const transcript = [];

before(async () => {
  session = await Session.start({
    args: ["--demo"],
    dataDir: join(root, "data"),
    env: {
      HIREBRIDGE_DEMO_AUTO_CONSENT: "1",
      HIREBRIDGE_DEMO_CANDIDATES: "200",
      HIREBRIDGE_IPC_TRANSCRIPT: "1",
      // The webview keeps its storage and caches under these: the scan covers them.
      XDG_DATA_HOME: xdg.data,
      XDG_CACHE_HOME: xdg.cache,
      XDG_CONFIG_HOME: xdg.config,
      RUST_LOG: "trace",
      PATH: `${join(here, "fake-browser")}:${process.env.PATH}`,
    },
  });
  // The app's own stdout and stderr reach tauri-driver's: keep them for the scan.
  session.driver.stdout.on("data", (d) => (appOutput += d));
  session.driver.stderr.on("data", (d) => (appOutput += d));
  await session.find('[data-testid="demo-accounts"]', 30_000);
  demo = await session.invoke("demo_accounts");
});

after(async () => {
  await session?.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(resumes, { recursive: true, force: true });
});

/** Moves what the page recorded so far into `transcript` (the page's copy is emptied). */
async function drainTranscript() {
  const entries = await session.execute(
    "const t = window.__HIREBRIDGE_IPC_TRANSCRIPT__; return t ? t.splice(0, t.length) : null;",
  );
  assert.ok(Array.isArray(entries), "the IPC transcript recorder is in the page");
  transcript.push(...entries);
}

function remember(values) {
  for (const v of values) secrets.add(v);
}

async function fakeInfo() {
  const origin = new URL(demo[0].base_url).origin;
  return { origin, info: await fetch(`${origin}/admin/info`).then((r) => r.json()) };
}

async function accounts() {
  const overview = await session.invoke("list_accounts");
  return overview.accounts;
}

async function syncAll() {
  for (const account of await accounts()) {
    await session.invoke("sync_now", { accountId: account.id, full: false });
  }
  await session.waitFor(
    () => session.invoke("sync_overview"),
    (overview) => overview.running.length === 0,
    { timeout: 120_000, what: "every account's sync to finish" },
  );
}

/** The forms a secret could take on its way somewhere. */
function encodings(secret) {
  const forms = [secret, encodeURIComponent(secret), Buffer.from(secret).toString("base64"),
    Buffer.from(secret).toString("base64url"), Buffer.from(`${secret}:`).toString("base64")];
  return [...new Set(forms)];
}

/** Where each of `values` is found, as "value-index in place": every encoding, as UTF-8 and as
 * UTF-16 (WebKit keeps localStorage values in UTF-16). */
function findIn(places, values) {
  const found = [];
  values.forEach((value, i) => {
    for (const form of encodings(value)) {
      for (const bytes of [Buffer.from(form, "utf8"), Buffer.from(form, "utf16le")]) {
        for (const [name, content] of places) {
          if (content.includes(bytes)) found.push(`secret #${i} (${form === value ? "raw" : "encoded"}) in ${name}`);
        }
      }
    }
  });
  return found;
}

test("the IPC recorder sees calls, answers and events from the page's first call on", async () => {
  // A canary in the webview's storage, planted early so WebKit has long written it to disk.
  await session.execute("localStorage.setItem('hb-audit', arguments[0]);", [CANARY_STORAGE]);
  await drainTranscript();
  assert.ok(transcript.some((e) => e.kind === "installed"), "the recorder wrapped Tauri's callbacks");
  assert.ok(transcript.some((e) => e.kind === "call" && e.name === "demo_accounts"), "calls are recorded");
  assert.ok(
    transcript.some((e) => e.kind === "received" && e.data.includes(demo[0].base_url)),
    "answers are recorded",
  );
});

test("link the three demo accounts (OAuth twice, API key once)", async () => {
  for (const vendor of VENDORS) {
    try {
      await session.linkDemo(vendor);
    } catch (e) {
      // What the core logged about linking and failures, to tell a lost click from a failed link.
      const logged = appOutput.split("\n").filter((l) => /link|ERROR|WARN/.test(l)).slice(-20).join("\n");
      throw new Error(`${e.message}\napp log:\n${logged}`);
    }
  }
  for (const account of await accounts()) accountIds.add(account.id);
  assert.equal(accountIds.size, 3);
  const { info } = await fakeInfo();
  for (const vendor of VENDORS) {
    remember([info[vendor].api_key, info[vendor].oauth?.client_secret].filter((v) => typeof v === "string"));
  }
  remember(keychainSecrets(accountIds));
  // Lever and SmartRecruiters: access token, refresh token, client secret; Unberry: the key.
  assert.ok(keychainSecrets(accountIds).length >= 7, `the keychain holds the three accounts' secrets`);
  await drainTranscript();
});

test("sync, then push a candidate with a resume to each account", async () => {
  await syncAll();
  for (const account of await accounts()) {
    const pdf = join(resumes, `${account.vendor}.pdf`);
    const email = `audit.${account.vendor}@example.test`;
    writeFileSync(pdf, onePagePdf([`Ada ${account.vendor}`, email]));
    const jobs = await session.invoke("list_jobs", { accountId: account.id });
    const job = jobs.find((j) => j.status === "open");
    const users = account.vendor === "lever" ? await session.invoke("push_users", { accountId: account.id }) : [];
    const response = await session.invoke("push_candidate", {
      request: {
        push_id: crypto.randomUUID(),
        account_id: account.id,
        candidate: {
          first_name: "Ada",
          last_name: account.vendor,
          emails: [{ email }],
          // Lever's postings ask form questions: that push makes the candidate without applying.
          job_id: account.vendor === "lever" ? null : (job?.remote_id ?? null),
          perform_as: users[0]?.remote_id ?? users[0]?.id ?? null,
        },
        resume_path: pdf,
        confirm_duplicates: true,
      },
    });
    assert.equal(response.status, "pushed", `${account.vendor}: ${JSON.stringify(response)}`);
  }
  await drainTranscript();
});

test("expired access tokens are refreshed by the next sync", async () => {
  const { origin } = await fakeInfo();
  const before = new Set(keychainSecrets(accountIds));
  const expired = await fetch(`${origin}/admin/tokens/expire`, { method: "POST" }).then((r) => r.json());
  assert.ok(expired.expired >= 2, `the OAuth accounts' tokens expired: ${JSON.stringify(expired)}`);
  await syncAll();
  const after = keychainSecrets(accountIds);
  remember(after);
  assert.ok(after.some((s) => !before.has(s)), "refreshing stored new tokens in the keychain");
  await drainTranscript();
});

test("unlink all three; the keychain keeps nothing", async () => {
  await session.click('nav [data-screen="accounts"]');
  for (const vendor of VENDORS) {
    await session.click(`${accountRow(vendor)} [data-testid="account-unlink"]`);
    await session.click('[data-testid="unlink-confirm"]');
    await session.waitFor(
      () => session.findAll(accountRow(vendor)),
      (rows) => rows.length === 0,
      { what: `${vendor} unlinked` },
    );
  }
  assert.deepEqual(keychainSecrets(accountIds), [], "every keychain entry is gone");
  await drainTranscript();
});

test("no secret in the data dir, the webview's storage, the page, the output or the IPC transcript", async () => {
  // A canary through IPC, like the one in storage: the scan must find both.
  await session.invoke("search_candidates", { query: { text: CANARY_IPC, limit: 1 } }).catch(() => null);
  await drainTranscript();
  const page = await session.execute(
    `return document.documentElement.outerHTML + JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage });`,
  );
  await session.close();
  session = null;

  const files = filesUnder(root);
  const places = files.map((f) => [f.slice(root.length + 1), readFileSync(f)]);
  places.push(["the page and its storage", Buffer.from(page)]);
  places.push(["the app's output", Buffer.from(appOutput)]);
  places.push(["the IPC transcript", Buffer.from(JSON.stringify(transcript))]);

  // The scan reaches each place: the canaries are found where they were planted.
  const storageHits = findIn(places, [CANARY_STORAGE]).filter((h) => h.includes("xdg-data") || h.includes("xdg-cache"));
  assert.ok(storageHits.length > 0, `the webview's localStorage is on disk under the scanned XDG dirs: ${files.join(", ")}`);
  assert.ok(findIn(places, [CANARY_IPC]).some((h) => h.includes("IPC transcript")), "the IPC transcript is scanned");
  assert.ok(files.some((f) => f.endsWith(".sqlite3")), "the database is scanned");
  assert.ok(transcript.some((e) => e.kind === "received" && e.data.includes("candidate")), "events and answers were recorded");

  const values = [...secrets];
  assert.ok(values.length >= 10, `known secrets: ${values.length}`);
  const found = findIn(places, values);
  console.log(
    `# secrets audit: ${values.length} secrets (raw, URL-encoded, base64, base64url, Basic; UTF-8 and UTF-16) over ${places.length} places ` +
      `(${files.length} files, ${transcript.length} IPC messages): ${found.length} found`,
  );
  assert.deepEqual(found, [], "no secret anywhere");
});
