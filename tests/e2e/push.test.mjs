// Pushing a candidate in the real app, in demo mode: link the Unberry demo account, hand a
// generated PDF to `open_resume` (the code path a window drop takes), check the prefilled form,
// push, then find the candidate and the file's bytes in the in-process fake ATS. A second push
// of the same person stops at the duplicate warning; a file that is not a resume is refused.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Session } from "./webdriver.mjs";
import { onePagePdf, selfDrawingPdf } from "./pdf.mjs";

const here = dirname(fileURLToPath(import.meta.url));


let session;
let appliedJob;
const dir = mkdtempSync(join(tmpdir(), "hirebridge-push-e2e-"));
const pdfPath = join(dir, "marie-curie.pdf");
const pdfBytes = onePagePdf([
  "Marie Curie",
  "marie.curie@radium.example | +33 1 44 27 00 00",
  "linkedin.com/in/mariecurie",
  "Physicist and chemist",
]);
writeFileSync(pdfPath, pdfBytes);

/** Calls a Hirebridge command the way the UI does. */
async function invoke(cmd, args = {}) {
  const result = await session.execute(
    `return window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
       .then((value) => ({ ok: true, value }), (failure) => ({ ok: false, failure }));`,
    [cmd, args],
  );
  return result;
}

async function unberryAccount() {
  const overview = await invoke("list_accounts");
  assert.ok(overview.ok, JSON.stringify(overview));
  const account = overview.value.accounts.find((a) => a.vendor === "unberry");
  assert.ok(account, "the Unberry demo account is linked");
  return account;
}

before(async () => {
  session = await Session.start({
    args: ["--demo"],
    env: {
      HIREBRIDGE_DEMO_AUTO_CONSENT: "1",
      // Lever links through the demo OAuth flow, in a stand-in browser.
      PATH: `${join(here, "fake-browser")}:${process.env.PATH}`,
    },
  });
  await session.find('[data-testid="demo-accounts"]', 30_000);
  await session.linkDemo("unberry");
});

after(async () => {
  await session?.close();
});

test("the Push screen shows the form the Unberry account takes", async () => {
  // Sync first, so the job picker offers the cached jobs.
  const account = await unberryAccount();
  const started = await invoke("sync_now", { accountId: account.id, full: true });
  assert.ok(started.ok, JSON.stringify(started));
  await session.waitFor(
    async () => (await invoke("list_jobs", { accountId: account.id })).value ?? [],
    (jobs) => jobs.some((j) => j.status === "open"),
    { timeout: 60_000, what: "open jobs in the cache after a sync" },
  );
  await session.click('nav [data-screen="push"]');
  await session.find('[data-testid="push-choose"]', 15_000);
  // Unberry takes no links, title or company: the form does not offer them.
  await session.find("#push-first");
  assert.equal((await session.findAll("#push-urls")).length, 0);
  assert.equal((await session.findAll("#push-company")).length, 0);
  const label = await session.text('label[for="push-emails"]');
  assert.match(label, /Email \*/, "email is marked required");
  await session.waitFor(
    () => session.execute(`return document.querySelector('[data-testid="push-submit"]').disabled`),
    (disabled) => disabled === false,
    { what: "the form ready" },
  );
  await session.screenshot("push-1-empty-form");
});

test("a resume handed to open_resume (the drop's path) prefills the form", async () => {
  const opened = await invoke("open_resume", { path: pdfPath });
  assert.ok(opened.ok, JSON.stringify(opened));
  const first = await session.waitFor(
    () => session.value("#push-first"),
    (v) => v === "Marie",
    { what: "the first name from the resume" },
  );
  assert.equal(first, "Marie");
  assert.equal(await session.value("#push-last"), "Curie");
  assert.equal(await session.value("#push-emails"), "marie.curie@radium.example");
  assert.equal(await session.value("#push-phones"), "+33 1 44 27 00 00");
  assert.match(await session.text('[data-testid="push-resume-file"]'), /marie-curie\.pdf/);
  // Apply to the first open job of the picker (cached jobs of this account).
  const account = await unberryAccount();
  const jobs = (await invoke("list_jobs", { accountId: account.id })).value;
  const job = jobs.find((j) => j.status === "open");
  await session.execute(
    `const s = document.querySelector("#push-job");
     s.value = arguments[0]; s.dispatchEvent(new Event("change", { bubbles: true }));`,
    [job.remote_id],
  );
  assert.equal(await session.value("#push-job"), job.remote_id);
  appliedJob = job.remote_id;
  await session.screenshot("push-2-prefilled");
});

test("pushing creates the candidate with the resume in the ATS", async () => {
  await session.click('[data-testid="push-submit"]');
  const result = await session.waitFor(
    () => session.findAll('[data-testid="push-result"]'),
    (found) => found.length === 1,
    { timeout: 30_000, what: "the push result" },
  );
  assert.equal(result.length, 1);
  const text = await session.text('[data-testid="push-result"]');
  assert.match(text, /Created Marie Curie in Unberry/);
  assert.match(text, /Applied to the job, resume marie-curie\.pdf attached/);
  await session.screenshot("push-3-pushed");

  const candidateId = await session.execute(
    `return document.querySelector('[data-testid="push-result"]').dataset.candidateId`,
  );
  const account = await unberryAccount();
  const base = account.base_url.replace(/\/$/, "");
  const origin = new URL(base).origin;
  const record = await fetch(`${origin}/admin/records/unberry/${candidateId}`).then((r) => r.json());
  assert.equal(record.email, "marie.curie@radium.example");
  assert.equal(record.first_name, "Marie");
  const apps = await fetch(`${base}/applications?candidate_id=${candidateId}`, {
    headers: { "X-Api-Key": (await fetch(`${origin}/admin/info`).then((r) => r.json())).unberry.api_key },
  }).then((r) => r.json());
  assert.ok(
    (apps.data ?? []).some((a) => a.candidate_id === candidateId && a.job_id === appliedJob),
    `applied to the chosen job: ${JSON.stringify(apps)}`,
  );

  const info = await fetch(`${origin}/admin/info`).then((r) => r.json());
  const headers = { "X-Api-Key": info.unberry.api_key };
  const files = await fetch(`${base}/candidates/${candidateId}/attachments`, { headers }).then((r) => r.json());
  const items = files.data ?? files.items ?? files;
  const resume = items.find((f) => (f.file_name ?? f.filename ?? f.name) === "marie-curie.pdf");
  assert.ok(resume, `the resume is attached: ${JSON.stringify(files)}`);
  const bytes = Buffer.from(
    await fetch(`${base}/attachments/${resume.id}/download`, { headers }).then((r) => r.arrayBuffer()),
  );
  assert.ok(bytes.equals(pdfBytes), "the ATS holds the file byte for byte");
});

test("the same person again stops at the duplicate warning", async () => {
  const opened = await invoke("open_resume", { path: pdfPath });
  assert.ok(opened.ok);
  await session.waitFor(
    () => session.value("#push-first"),
    (v) => v === "Marie",
    { what: "the form prefilled again" },
  );
  await session.click('[data-testid="push-submit"]');
  const warning = await session.waitFor(
    () => session.findAll('[data-testid="push-duplicates"]'),
    (found) => found.length === 1,
    { timeout: 20_000, what: "the duplicate warning" },
  );
  assert.equal(warning.length, 1);
  const text = await session.text('[data-testid="push-duplicates"]');
  assert.match(text, /Marie Curie/);
  assert.match(text, /same email/);
  await session.screenshot("push-4-duplicate-warning");
});

test("a file that is not a resume is refused with the reason, and the form is kept", async () => {
  const txt = join(dir, "notes.txt");
  writeFileSync(txt, "not a resume");
  const opened = await invoke("open_resume", { path: txt });
  assert.equal(opened.ok, false);
  const error = await session.waitFor(
    () => session.text('[data-testid="resume-error"]'),
    (t) => t.length > 0,
    { what: "the refusal" },
  );
  assert.match(error, /not a PDF or DOCX/);
  assert.equal(await session.value("#push-first"), "Marie", "the form is kept");
  await session.screenshot("push-5-refused-file");
});

test("leaving the unsent form asks first: Cancel keeps it, Discard leaves", async () => {
  const screen = () => session.execute(`return document.querySelector('nav [aria-current="page"]')?.dataset.screen`);
  // The sidebar.
  await session.click('nav [data-screen="jobs"]');
  await session.find('[data-testid="confirm-dialog"][open]');
  assert.match(await session.text('[data-testid="confirm-dialog"][open]'), /not been sent/);
  await session.screenshot("push-8-leave-unsent-form");
  await session.click('[data-testid="confirm-dialog"][open] [data-testid="confirm-cancel"]');
  await session.waitFor(() => session.findAll('[data-testid="confirm-dialog"][open]'), (d) => d.length === 0, { what: "the dialog to close" });
  assert.equal(await screen(), "push", "Cancel stays on Push");
  assert.equal(await session.value("#push-first"), "Marie", "and keeps what was typed");
  assert.match(await session.text('[data-testid="push-resume-file"]'), /marie-curie\.pdf/, "and the resume");
  // A keyboard shortcut asks the same; Discard goes where it was asked to.
  await session.press("1", { ctrl: true, target: "#push-first" });
  await session.find('[data-testid="confirm-dialog"][open]');
  await session.click('[data-testid="confirm-dialog"][open] [data-testid="confirm-ok"]');
  await session.waitFor(screen, (s) => s === "accounts", { what: "the Accounts screen" });
  // Discarded: Push opens empty, and leaving it again does not ask.
  await session.click('nav [data-screen="push"]');
  await session.waitFor(() => session.value("#push-first"), (v) => v === "", { what: "an empty form" });
  await session.click('nav [data-screen="accounts"]');
  await session.waitFor(screen, (s) => s === "accounts", { what: "Accounts without asking" });
  assert.equal((await session.findAll('[data-testid="confirm-dialog"][open]')).length, 0);
});

test("a Lever posting's application form questions are asked, answered and sent", async () => {
  await session.click('nav [data-screen="accounts"]');
  await session.click('[data-testid="demo-link-lever"]');
  const overview = await session.waitFor(
    async () => (await invoke("list_accounts")).value?.accounts ?? [],
    (accounts) => accounts.some((a) => a.vendor === "lever" && a.status === "active"),
    { timeout: 30_000, what: "the Lever demo account linked" },
  );
  const lever = overview.find((a) => a.vendor === "lever");
  assert.ok((await invoke("sync_now", { accountId: lever.id, full: true })).ok);
  const jobs = await session.waitFor(
    async () => (await invoke("list_jobs", { accountId: lever.id })).value ?? [],
    (list) => list.some((j) => j.status === "open"),
    { timeout: 60_000, what: "Lever postings in the cache" },
  );
  let posting = null;
  let questions = [];
  for (const j of jobs.filter((j) => j.status === "open")) {
    const fields = await invoke("job_form_fields", { accountId: lever.id, jobId: j.remote_id });
    if (fields.ok && fields.value.some((f) => f.required)) {
      posting = j;
      questions = fields.value;
      break;
    }
  }
  assert.ok(posting, "a posting with required questions");

  await session.click('nav [data-screen="push"]');
  await session.find(`#push-account option[value="${lever.id}"]`, 15_000);
  await session.execute(
    `const s = document.querySelector("#push-account");
     s.value = arguments[0]; s.dispatchEvent(new Event("change", { bubbles: true }));`,
    [lever.id],
  );
  // Lever takes links, title and company: the form offers them now.
  await session.find("#push-urls", 15_000);
  await session.find("#push-company");
  assert.ok((await invoke("open_resume", { path: pdfPath })).ok);
  await session.waitFor(() => session.value("#push-first"), (v) => v === "Marie", { what: "prefill" });
  assert.equal(await session.value("#push-urls"), "https://linkedin.com/in/mariecurie");
  await session.execute(
    `const s = document.querySelector("#push-job");
     s.value = arguments[0]; s.dispatchEvent(new Event("change", { bubbles: true }));`,
    [posting.remote_id],
  );
  const required = questions.filter((q) => q.required);
  for (const q of required) {
    await session.find(`[id="q-${q.question_id}:${q.field_id}"]`, 15_000);
  }
  // Pushing with the questions unanswered is stopped in the form, naming them.
  await session.click('[data-testid="push-submit"]');
  const firstLabel = required[0].label;
  const page = await session.text("form");
  assert.ok(page.includes(`“${firstLabel}” needs an answer.`), page);
  await session.screenshot("push-6-lever-questions");

  for (const q of required) {
    const value = q.options.length > 0 ? q.options[0] : "Because Hirebridge";
    await session.execute(
      `const el = document.getElementById(arguments[0]);
       el.value = arguments[1];
       el.dispatchEvent(new Event(el.tagName === "SELECT" ? "change" : "input", { bubbles: true }));`,
      [`q-${q.question_id}:${q.field_id}`, value],
    );
  }
  await session.click('[data-testid="push-submit"]');
  // Marie is already in the Unberry account: confirm the duplicate, then it goes.
  await session.waitFor(
    () => session.findAll('[data-testid="push-duplicates"]'),
    (found) => found.length === 1,
    { timeout: 20_000, what: "the cross-account duplicate warning" },
  );
  await session.click('[data-testid="push-anyway"]');
  const ended = await session.waitFor(
    async () =>
      (await session.findAll('[data-testid="push-result"]')).length +
      (await session.findAll('[data-testid="push-failure"]')).length,
    (n) => n > 0,
    { timeout: 30_000, what: "the Lever push to end" },
  );
  assert.equal(ended, 1);
  if ((await session.findAll('[data-testid="push-failure"]')).length > 0) {
    await session.screenshot("push-7-lever-failed");
    assert.fail(await session.text('[data-testid="push-failure"]'));
  }
  assert.match(await session.text('[data-testid="push-result"]'), /Created Marie Curie in Lever/);
  await session.screenshot("push-7-lever-pushed");
  const opportunity = await session.execute(
    `return document.querySelector('[data-testid="push-result"]').dataset.applicationId`,
  );
  const origin = new URL(lever.base_url).origin;
  const record = await fetch(`${origin}/admin/records/lever/${opportunity}`).then((r) => r.json());
  assert.ok(JSON.stringify(record).includes("marie.curie@radium.example"), JSON.stringify(record));
  assert.equal(record.origin, "applied", "through the posting's application form");
});

test("a hostile PDF (a drawing that contains itself) is explained, kept to attach, and the app lives on", async () => {
  const looping = join(dir, "looping.pdf");
  writeFileSync(looping, selfDrawingPdf());
  const opened = await invoke("open_resume", { path: looping });
  assert.ok(opened.ok, JSON.stringify(opened));
  const note = await session.waitFor(
    () => session.text('[data-testid="push-resume-note"]'),
    (t) => t.length > 0,
    { what: "the note on the resume" },
  );
  assert.match(note, /it has a drawing that contains itself\. Fill the form by hand; the file can still be attached\./);
  assert.match(await session.text('[data-testid="push-resume-file"]'), /looping\.pdf/);
  // Still answering: a command after the parse.
  assert.ok((await invoke("list_accounts")).ok);
  await session.screenshot("push-9-hostile-pdf");
});
