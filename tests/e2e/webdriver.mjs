// A small WebDriver client over fetch for driving the real Hirebridge window through
// tauri-driver and WebKitWebDriver. No npm dependencies: node 20's fetch is enough.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export const APP = process.env.HIREBRIDGE_APP;
const DRIVER = process.env.TAURI_DRIVER ?? "tauri-driver";
const SHOTS = process.env.HIREBRIDGE_SCREENSHOTS ?? "target/e2e-screenshots";

if (!APP) {
  throw new Error("HIREBRIDGE_APP must point at the built hirebridge-app binary (cargo xtask test sets it)");
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export class Session {
  /** Launches the app in a fresh data directory and opens a WebDriver session on it. */
  /** `env` adds to the app's environment (it reaches the app through tauri-driver). */
  static async start({ args = [], dataDir, env: extraEnv = {} } = {}) {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), "hirebridge-e2e-"));
    const port = await freePort();
    const nativePort = await freePort();
    const env = { ...process.env, ...extraEnv, HIREBRIDGE_DATA_DIR: dir };
    const driver = spawn(
      DRIVER,
      ["--port", String(port), "--native-port", String(nativePort), "--native-driver", "/usr/bin/WebKitWebDriver"],
      // Its own process group: ending the session ends WebKitWebDriver and the app with it.
      { env, stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    let driverLog = "";
    driver.stdout.on("data", (d) => (driverLog += d));
    driver.stderr.on("data", (d) => (driverLog += d));
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        const res = await fetch(`${base}/status`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        driver.kill();
        throw new Error(`tauri-driver did not start:\n${driverLog}`);
      }
      await sleep(100);
    }
    const created = await fetch(`${base}/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        capabilities: { alwaysMatch: { "tauri:options": { application: APP, args } } },
      }),
    }).then((r) => r.json());
    const id = created?.value?.sessionId;
    if (!id) {
      driver.kill();
      throw new Error(`could not open a WebDriver session: ${JSON.stringify(created)}\n${driverLog}`);
    }
    return new Session(base, id, driver, dir, env);
  }

  constructor(base, id, driver, dataDir, env) {
    this.base = base;
    this.id = id;
    this.driver = driver;
    this.dataDir = dataDir;
    this.env = env;
  }

  async cmd(method, path, body) {
    const res = await fetch(`${this.base}/session/${this.id}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok || json?.value?.error) {
      throw new Error(`${method} ${path}: ${JSON.stringify(json?.value ?? json)}`);
    }
    return json.value;
  }

  async findAll(css) {
    const found = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return found.map((e) => e[ELEMENT]);
  }

  /** Waits until `css` matches, then returns the first element id. */
  async find(css, timeout = 10_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const all = await this.findAll(css);
      if (all.length > 0) return all[0];
      if (Date.now() > deadline) throw new Error(`no element matches ${css}`);
      await sleep(100);
    }
  }

  async text(css) {
    const el = await this.find(css);
    return this.cmd("GET", `/element/${el}/text`);
  }

  /** The element's text content, trimmed (WebKit's rendered-text answer is empty inside some layouts). */
  async textContent(css) {
    await this.find(css);
    return this.execute("return document.querySelector(arguments[0])?.textContent.trim() ?? ''", [css]);
  }

  async value(css) {
    const el = await this.find(css);
    return this.cmd("GET", `/element/${el}/property/value`);
  }

  async click(css) {
    const el = await this.find(css);
    // WebKitWebDriver refuses to click what is scrolled out of view.
    await this.execute("arguments[0].scrollIntoView({ block: 'center' })", [{ [ELEMENT]: el }]);
    await this.cmd("POST", `/element/${el}/click`, {});
  }

  async type(css, text) {
    const el = await this.find(css);
    await this.cmd("POST", `/element/${el}/value`, { text, value: Array.from(text) });
  }

  /**
   * Links a demo account from the Accounts screen, as a recruiter would: waits for its Link
   * button to be enabled (another link may still be finishing), clicks it and waits until the
   * account's row says Active. On a timeout the error says what the screen showed instead.
   */
  async linkDemo(vendor, { timeout = 30_000 } = {}) {
    const button = `[data-testid="demo-link-${vendor}"]`;
    const status = `[data-testid="account-row"][data-vendor="${vendor}"] [data-testid="account-status"]`;
    await this.waitFor(
      () => this.execute("return document.querySelector(arguments[0])?.disabled ?? null", [button]),
      (disabled) => disabled === false,
      { timeout, what: `the ${vendor} demo Link button to be enabled` },
    );
    await this.click(button);
    try {
      await this.waitFor(() => this.textContent(status), (t) => t === "Active", { timeout, what: `${vendor} linked` });
    } catch (e) {
      const screen = await this.execute(
        `const q = (s) => document.querySelector(s)?.textContent.trim().replace(/\\s+/g, " ") ?? null;
         return { error: q('[data-testid="link-error"]'), waiting: q('[data-testid="link-waiting"]'),
                  checking: q('[data-testid="link-checking"]'), button: document.querySelector(arguments[0])?.disabled ?? null };`,
        [button],
      ).catch((err) => `unreadable: ${err}`);
      await this.screenshot(`failed-link-${vendor}`).catch(() => {});
      throw new Error(`${e.message}; the screen showed ${JSON.stringify(screen)}`);
    }
  }

  /** Opens a candidate from the list (by its row's `data-id`) and waits until its detail shows. */
  async openCandidate(id) {
    await this.click(`[data-testid="candidate-row"][data-id="${id}"]`);
    await this.waitFor(
      () =>
        this.execute(
          `const d = document.querySelector('[data-testid="candidate-detail"]');
           return d && d.getAttribute('aria-busy') === 'false' && d.querySelector('[data-testid="detail-name"]') ? 'ready' : ''`,
        ),
      (b) => b === "ready",
      { what: `candidate ${id}'s detail to load` },
    );
  }

  /** Polls `read` until `check(value)` holds; returns the value. */
  async waitFor(read, check, { timeout = 10_000, what = "condition" } = {}) {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        last = await read();
        if (check(last)) return last;
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last}`);
      await sleep(150);
    }
  }

  async execute(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  /** Runs `script` in the page; it gets its arguments and calls the last one (`done`) with the result. */
  async executeAsync(script, args = []) {
    return this.cmd("POST", "/execute/async", { script, args });
  }

  /** Calls one of the app's commands through the page's IPC, as the UI does. */
  async invoke(command, args = {}) {
    const out = await this.executeAsync(
      `const [cmd, a, done] = arguments;
       window.__TAURI_INTERNALS__.invoke(cmd, a).then((v) => done({ ok: v }), (e) => done({ err: e }));`,
      [command, args],
    );
    if (out && "err" in out) throw new Error(`${command}: ${JSON.stringify(out.err)}`);
    return out?.ok;
  }

  /** Pins the colour theme (the Theme setting), for light and dark screenshots. */
  async setTheme(theme) {
    await this.execute(
      `const s = document.querySelector('[data-testid="theme"]');
       s.value = arguments[0]; s.dispatchEvent(new Event('change', { bubbles: true }));`,
      [theme],
    );
    await this.nextFrame();
  }

  /** Waits until the page has painted twice, so a screenshot shows the latest state. */
  async nextFrame() {
    await this.executeAsync(
      "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));",
    );
  }

  /** Sets a <select>'s value as a user choosing an option would. */
  async select(css, value) {
    await this.find(css);
    await this.execute(
      `const s = document.querySelector(arguments[0]);
       s.value = arguments[1]; s.dispatchEvent(new Event('change', { bubbles: true }));`,
      [css, value],
    );
  }

  /** Presses a key on the window (shortcuts such as Ctrl+K). */
  async press(key, { ctrl = false, target = null } = {}) {
    await this.execute(
      `const t = arguments[2] ? document.querySelector(arguments[2]) : window;
       t.dispatchEvent(new KeyboardEvent('keydown', { key: arguments[0], ctrlKey: arguments[1], bubbles: true }));`,
      [key, ctrl, target],
    );
  }

  /** Opens a screen from the sidebar, as a recruiter does. */
  async go(screen) {
    await this.click(`nav [data-screen="${screen}"]`);
  }

  /** Saves `name`-light and `name`-dark, then gives the theme back to the OS. */
  async screenshotBothThemes(name) {
    await this.setTheme("light");
    await this.screenshot(`${name}-light`);
    await this.setTheme("dark");
    await this.screenshot(`${name}-dark`);
    await this.setTheme("system");
  }

  async screenshot(name) {
    await this.nextFrame();
    const png = await this.cmd("GET", "/screenshot");
    mkdirSync(SHOTS, { recursive: true });
    const path = join(SHOTS, `${name}.png`);
    writeFileSync(path, Buffer.from(png, "base64"));
    return path;
  }

  async close() {
    try {
      await fetch(`${this.base}/session/${this.id}`, { method: "DELETE", signal: AbortSignal.timeout(10_000) });
    } catch {
      // A session that does not end in time is ended with its process group below.
    } finally {
      try {
        process.kill(-this.driver.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
}

/** Runs the app binary a second time with `args`, as the OS does for a deep link. */
export function launchSecondInstance(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(APP, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the second instance did not exit: ${output}`));
    }, 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
