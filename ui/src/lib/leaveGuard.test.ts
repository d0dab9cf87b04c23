import { describe, expect, it } from "vitest";
import { LeaveGuard } from "./leaveGuard";

describe("LeaveGuard", () => {
  it("navigates at once when no screen protects input", () => {
    const guard = new LeaveGuard();
    let went = 0;
    guard.request(() => went++);
    expect(went).toBe(1);
    expect(guard.asking).toBe(false);
  });

  it("navigates at once while the protected form is empty", () => {
    const guard = new LeaveGuard();
    guard.protect(() => false);
    let went = 0;
    guard.request(() => went++);
    expect(went).toBe(1);
  });

  it("holds the navigation while there is unsent input, and staying drops it", () => {
    const asked: boolean[] = [];
    const guard = new LeaveGuard((a) => asked.push(a));
    guard.protect(() => true);
    let went = 0;
    guard.request(() => went++);
    expect(went).toBe(0);
    expect(guard.asking).toBe(true);
    guard.stay();
    expect(guard.asking).toBe(false);
    expect(went).toBe(0);
    // Leaving afterwards does nothing: nothing is held any more.
    guard.leave();
    expect(went).toBe(0);
    expect(asked).toEqual([true, false]);
  });

  it("leaving goes to the last place asked for and stops protecting the discarded form", () => {
    const guard = new LeaveGuard();
    guard.protect(() => true);
    const went: string[] = [];
    guard.request(() => went.push("jobs"));
    guard.request(() => went.push("activity"));
    guard.leave();
    expect(went).toEqual(["activity"]);
    guard.request(() => went.push("accounts"));
    expect(went).toEqual(["activity", "accounts"]);
  });

  it("a screen that is gone no longer protects, but a newer registration is kept", () => {
    const guard = new LeaveGuard();
    const unprotectOld = guard.protect(() => true);
    guard.protect(() => true);
    unprotectOld();
    let went = 0;
    guard.request(() => went++);
    expect(went).toBe(0);
    const g2 = new LeaveGuard();
    const unprotect = g2.protect(() => true);
    unprotect();
    g2.request(() => went++);
    expect(went).toBe(1);
  });
});
