/** What `candidate_stages` answers for one candidate. */
export interface CandidateStageInfo {
  account_id: string;
  candidate_id: string;
  stage_name: string | null;
  stage_category: string | null;
  rejected: boolean;
  applications: number;
}

export interface CandidateKey {
  account_id: string;
  candidate_id: string;
}

const keyOf = (account: string, candidate: string) => `${account}\u0000${candidate}`;

/**
 * The stage chips of list rows: asks for the stages of the rows on screen, once per candidate,
 * in one batch per frame, and remembers the answers (null: the candidate has no application).
 */
export class StageLookup {
  private readonly known = new Map<string, CandidateStageInfo | null>();
  private readonly asked = new Set<string>();
  private pending: CandidateKey[] = [];
  private scheduled = false;
  private generation = 0;

  constructor(
    private readonly fetch: (keys: CandidateKey[]) => Promise<CandidateStageInfo[]>,
    private readonly onchange: () => void,
    private readonly schedule: (run: () => void) => void = (run) => queueMicrotask(run),
  ) {}

  /** The stage if known, null when the candidate has no application, undefined while unknown. */
  get(accountId: string, candidateId: string): CandidateStageInfo | null | undefined {
    return this.known.get(keyOf(accountId, candidateId));
  }

  /** Asks for the stages of these candidates unless already known or asked. */
  want(keys: CandidateKey[]): void {
    for (const k of keys) {
      const id = keyOf(k.account_id, k.candidate_id);
      if (this.asked.has(id)) continue;
      this.asked.add(id);
      this.pending.push(k);
    }
    if (this.pending.length > 0 && !this.scheduled) {
      this.scheduled = true;
      this.schedule(() => void this.flush());
    }
  }

  /** Forgets everything (the cache changed); answers in flight are dropped. */
  clear(): void {
    this.known.clear();
    this.asked.clear();
    this.pending = [];
    this.generation++;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending.splice(0, 500);
    if (batch.length === 0) return;
    if (this.pending.length > 0) {
      this.scheduled = true;
      this.schedule(() => void this.flush());
    }
    const generation = this.generation;
    try {
      const found = await this.fetch(batch);
      if (generation !== this.generation) return;
      for (const k of batch) this.known.set(keyOf(k.account_id, k.candidate_id), null);
      for (const s of found) this.known.set(keyOf(s.account_id, s.candidate_id), s);
      this.onchange();
    } catch {
      // Chips are a nicety: ask again next time these rows show.
      if (generation === this.generation) for (const k of batch) this.asked.delete(keyOf(k.account_id, k.candidate_id));
    }
  }
}
