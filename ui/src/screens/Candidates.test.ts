import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { CandidateListQuery, CandidatePage, CandidateSummary, SearchQuery } from "../lib/api";
import { app } from "../lib/appState.svelte";
import Candidates from "./Candidates.svelte";

const person = (i: number): CandidateSummary => ({
  account_id: "acc",
  remote_id: `c${i}`,
  vendor: "lever",
  name: `Person ${String(i).padStart(6, "0")}`,
  first_name: "Person",
  last_name: String(i),
  email: `p${i}@example.com`,
  company: null,
  title: null,
  updated_at: null,
});

const TOTAL = 100_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    flushSync();
    if (check()) return;
    await sleep(5);
  }
  throw new Error(`timed out waiting for ${what}`);
}

let calls: { cmd: string; args: Record<string, unknown> }[];
let target: HTMLElement;
let component: ReturnType<typeof mount> | undefined;

beforeEach(() => {
  calls = [];
  app.accounts = [
    { id: "acc", vendor: "lever", label: "Demo Lever", auth_kind: "api_key", base_url: "http://x", status: "active" } as never,
  ];
  target = document.createElement("div");
  target.style.height = "800px";
  document.body.appendChild(target);
});

afterEach(() => {
  if (component) unmount(component);
  component = undefined;
  target.remove();
  clearMocks();
});

function serve(searchDelay: (text: string) => number) {
  mockIPC(async (cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    if (cmd === "list_candidates") {
      const q = a.query as CandidateListQuery;
      const from = q.cursor ? Number(q.cursor) : 0;
      const to = Math.min(TOTAL, from + (q.limit ?? 100));
      const page: CandidatePage = {
        items: Array.from({ length: to - from }, (_, k) => person(from + k)),
        next_cursor: to < TOTAL ? String(to) : null,
      };
      return page;
    }
    if (cmd === "search_candidates") {
      const q = a.query as SearchQuery;
      await sleep(searchDelay(q.text));
      return [{ candidate: { ...person(1), name: `Match for ${q.text}` }, matched_by: "name_prefix", score: null }];
    }
    if (cmd === "list_job_choices") return [];
    if (cmd === "candidate_stages") {
      const keys = a.keys as { account_id: string; candidate_id: string }[];
      return keys
        .filter((k) => k.candidate_id === "c0")
        .map((k) => ({ ...k, stage_name: "Phone screen", stage_category: "active", rejected: false, applications: 1 }));
    }
    if (cmd === "candidate_detail") throw { kind: "not_found", message: "gone", status: null, vendor_code: null };
    return null;
  });
}

describe("Candidates screen", () => {
  it("renders a small window of a 100k-row list and pages in by cursor", async () => {
    serve(() => 0);
    component = mount(Candidates, { target });
    await until(() => target.querySelectorAll('[data-testid="candidate-row"]').length > 0, "first rows");
    const rows = target.querySelectorAll('[data-testid="candidate-row"]');
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]?.textContent).toContain("Person 000000");
    const listCalls = calls.filter((c) => c.cmd === "list_candidates");
    expect((listCalls[0]?.args.query as CandidateListQuery).cursor).toBeNull();
    expect(target.querySelector('[data-testid="candidate-count"]')?.textContent).toMatch(/200\+ candidates/);
  });

  it("puts a stage chip on rows whose candidate has an application, asking once for the rows on screen", async () => {
    serve(() => 0);
    component = mount(Candidates, { target });
    await until(() => target.querySelector('[data-testid="stage-chip"]') !== null, "a stage chip");
    const chips = [...target.querySelectorAll('[data-testid="candidate-row"]')].map(
      (r) => r.querySelector('[data-testid="stage-chip"]')?.textContent ?? null,
    );
    expect(chips[0]).toBe("Phone screen");
    expect(chips.slice(1).every((c) => c === null)).toBe(true);
    const asked = calls.filter((c) => c.cmd === "candidate_stages");
    expect(asked.length).toBeLessThanOrEqual(2);
    expect((asked[0]?.args.keys as unknown[]).length).toBeLessThan(80);
  });

  it("moves the selection with the keyboard and opens the detail", async () => {
    serve(() => 0);
    component = mount(Candidates, { target });
    await until(() => target.querySelectorAll('[data-testid="candidate-row"]').length > 0, "rows");
    const list = target.querySelector('[data-testid="candidate-list"]') as HTMLElement;
    list.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true }));
    list.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true }));
    flushSync();
    const selected = target.querySelector('[aria-selected="true"] [data-testid="candidate-row"]');
    expect(selected?.getAttribute("data-id")).toBe("c1");
    expect(app.candidate).toEqual({ accountId: "acc", candidateId: "c1" });
  });

  it("shows only the latest search's results when an older answer arrives last", async () => {
    // "a" answers after "ab": the list must end on "ab".
    serve((text) => (text === "a" ? 80 : 5));
    component = mount(Candidates, { target });
    const input = target.querySelector('[data-testid="candidate-search"]') as HTMLInputElement;
    input.value = "a";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.value = "ab";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await sleep(150);
    flushSync();
    const names = [...target.querySelectorAll('[data-testid="candidate-row"]')].map((r) => r.textContent ?? "");
    expect(names).toHaveLength(1);
    expect(names[0]).toContain("Match for ab");
    expect(target.querySelector('[data-testid="candidate-count"]')?.textContent).toMatch(/1 match$/);
  });

  it("asks to link an account when there is none", () => {
    serve(() => 0);
    app.accounts = [];
    component = mount(Candidates, { target });
    flushSync();
    expect(target.textContent).toContain("Link an account");
  });
});
