import { afterEach, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { app } from "./lib/appState.svelte";
import App from "./App.svelte";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    flushSync();
    if (check()) return;
    await sleep(5);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const account = {
  id: "acc",
  vendor: "lever",
  label: "Demo Lever",
  base_url: "http://127.0.0.1:1/lever",
  auth_kind: "api_key",
  scopes: [],
  oauth_config: null,
  status: "active",
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

let component: ReturnType<typeof mount> | undefined;
let target: HTMLElement;

afterEach(async () => {
  if (component) unmount(component);
  component = undefined;
  target?.remove();
  // Listeners registered while unmounting unlisten a moment later, through the mocks.
  await sleep(50);
  clearMocks();
});

function start(calls: string[]) {
  mockIPC(
    (cmd) => {
      calls.push(cmd);
      switch (cmd) {
        case "app_info":
          return { version: "0.1.0", data_dir: "/tmp/x", demo: true };
        case "list_accounts":
          return { accounts: [account], keychain_backend: "test", keychain_error: null };
        case "sync_overview":
          return { online: true, running: [], accounts: [] };
        case "unread_activity_count":
          return 2;
        case "list_candidates":
          return { items: [], next_cursor: null };
        case "list_jobs":
        case "list_job_choices":
        case "activity_feed":
        case "sync_history":
        case "demo_accounts":
        case "take_pending_deep_links":
          return [];
        default:
          return null;
      }
    },
    { shouldMockEvents: true },
  );
  target = document.createElement("div");
  document.body.appendChild(target);
  component = mount(App, { target });
}

it("shows the offline banner on a connectivity event and refuses syncing until back online", async () => {
  const calls: string[] = [];
  start(calls);
  app.screen = "activity";
  await until(() => target.querySelector('[data-testid="sync-all"]') !== null, "the Activity screen");
  expect(target.querySelector('[data-testid="offline-banner"]')).toBeNull();
  expect((target.querySelector('[data-testid="sync-all"]') as HTMLButtonElement).disabled).toBe(false);

  await emit("connectivity-event", { online: false });
  await until(() => target.querySelector('[data-testid="offline-banner"]') !== null, "the offline banner");
  expect(target.querySelector('[data-testid="offline-banner"]')?.textContent).toMatch(/You are offline/);
  expect((target.querySelector('[data-testid="sync-all"]') as HTMLButtonElement).disabled).toBe(true);

  await emit("connectivity-event", { online: true });
  await until(() => target.querySelector('[data-testid="offline-banner"]') === null, "the banner to go");
  expect((target.querySelector('[data-testid="sync-all"]') as HTMLButtonElement).disabled).toBe(false);
});

it("shows sync progress from sync events in the status bar, and the unread badge", async () => {
  start([]);
  await until(() => target.querySelector('[data-testid="badge-activity"]') !== null, "the unread badge");
  expect(target.querySelector('[data-testid="badge-activity"]')?.textContent).toMatch(/2/);
  await until(() => app.accounts.length === 1, "the accounts");
  await emit("sync-update-event", { type: "progress", account_id: "acc", resource: "candidates", done: 50, total: 200, rate_per_s: 10 });
  await until(() => target.querySelector('footer [data-testid="progress"]') !== null, "a progress bar");
  const state = target.querySelector('footer [data-testid="sync-state"]')?.textContent ?? "";
  expect(state).toMatch(/Demo Lever/);
  expect(state).toMatch(/50 of 200/);
  expect(target.querySelector('footer [data-testid="progress"]')?.getAttribute("aria-valuenow")).toBe("50");
});

it("opens the search palette with Ctrl+K from any screen", async () => {
  start([]);
  app.screen = "jobs";
  flushSync();
  window.dispatchEvent(new KeyboardEvent("keydown", { key: "k", ctrlKey: true }));
  await until(() => app.paletteOpen, "the palette");
  expect(app.paletteOpen).toBe(true);
});
