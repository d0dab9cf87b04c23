// What the secrets checks of the end-to-end suite share: the keychain's Hirebridge secrets and the
// files to search for them.
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The secrets Hirebridge keeps in the keychain (the Secret Service of this D-Bus session): all of
 * them, or only those of `accountIds` (the keychain is shared by the suite's tests). */
export function keychainSecrets(accountIds = null) {
  let out = "";
  try {
    out = execFileSync("secret-tool", ["search", "--all", "--unlock", "service", "hirebridge"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch {
    return []; // nothing stored
  }
  const values = [];
  // One block per item: "[path]", then "key = value" lines (label, secret, attribute.*).
  for (const block of out.split(/^\[/m)) {
    const ours = !accountIds || [...accountIds].some((id) => block.includes(id));
    const m = block.match(/^secret = (.*)$/m);
    if (!ours || !m) continue;
    const stored = JSON.parse(m[1]);
    for (const key of ["key", "access_token", "refresh_token", "client_secret"]) {
      if (typeof stored[key] === "string" && stored[key].length >= 8) values.push(stored[key]);
    }
  }
  return values;
}

/** Every file below `dir` (ones that vanish while walking are skipped). */
export function filesUnder(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) out = out.concat(filesUnder(path));
    else if (st.isFile()) out.push(path);
  }
  return out;
}
