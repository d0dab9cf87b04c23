/**
 * "Leave unsent form?": a screen with unsent input registers a check; navigation away from it
 * goes through `request`, which runs at once when nothing would be lost, and otherwise holds
 * the navigation until the user keeps editing (`stay`) or discards the input (`leave`).
 */
export class LeaveGuard {
  private check: (() => boolean) | null = null;
  private held: (() => void) | null = null;

  constructor(private readonly onchange: (asking: boolean) => void = () => {}) {}

  /** Registers the check of the screen on show; returns the function that removes it. */
  protect(hasUnsentInput: () => boolean): () => void {
    this.check = hasUnsentInput;
    return () => {
      if (this.check === hasUnsentInput) this.check = null;
    };
  }

  /** True while a navigation waits for the user's answer. */
  get asking(): boolean {
    return this.held !== null;
  }

  /** Navigates now, or asks first when the screen shown has unsent input. */
  request(navigate: () => void): void {
    if (this.check?.()) {
      this.held = navigate;
      this.onchange(true);
    } else {
      navigate();
    }
  }

  /** Keeps editing: the held navigation is dropped. */
  stay(): void {
    if (!this.held) return;
    this.held = null;
    this.onchange(false);
  }

  /** Discards the input and goes where the user asked. */
  leave(): void {
    const navigate = this.held;
    if (!navigate) return;
    this.held = null;
    this.check = null;
    this.onchange(false);
    navigate();
  }
}
