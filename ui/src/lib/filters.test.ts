import { describe, expect, it } from "vitest";
import { NO_FILTERS, activeFilterCount, filtersKey, toListQuery, withAccount } from "./filters";

const now = new Date("2026-11-22T12:00:00Z");

describe("toListQuery", () => {
  it("maps no filters to an unfiltered, name-sorted first page", () => {
    expect(toListQuery(NO_FILTERS, now, 200)).toEqual({
      account_id: null,
      vendor: null,
      job_id: null,
      stage_id: null,
      stage_category: null,
      pipeline_group: null,
      updated_since: null,
      sort: "name_asc",
      cursor: null,
      limit: 200,
    });
  });

  it("maps account, job, stage category, updated since and sort", () => {
    const q = toListQuery(
      { accountId: "acc-1", jobId: "job-9", stageCategory: "offer", updatedWithin: "7d", sort: "updated_desc" },
      now,
      100,
    );
    expect(q.account_id).toBe("acc-1");
    expect(q.job_id).toBe("job-9");
    expect(q.stage_category).toBe("offer");
    expect(q.updated_since).toBe("2026-11-15T12:00:00.000Z");
    expect(q.sort).toBe("updated_desc");
  });

  it("drops a job without an account (job ids are per account)", () => {
    expect(toListQuery({ ...NO_FILTERS, jobId: "job-9" }, now, 100).job_id).toBeNull();
  });
});

describe("filter helpers", () => {
  it("counts active filters, not the sort", () => {
    expect(activeFilterCount(NO_FILTERS)).toBe(0);
    expect(activeFilterCount({ ...NO_FILTERS, sort: "updated_desc" })).toBe(0);
    expect(activeFilterCount({ ...NO_FILTERS, accountId: "a", jobId: "j", updatedWithin: "24h" })).toBe(3);
  });

  it("clears the job when the account changes, keeps it otherwise", () => {
    const f = { ...NO_FILTERS, accountId: "a", jobId: "j" };
    expect(withAccount(f, "b").jobId).toBe("");
    expect(withAccount(f, "a").jobId).toBe("j");
  });

  it("keys equal filters equally and different filters differently", () => {
    expect(filtersKey({ ...NO_FILTERS })).toBe(filtersKey(NO_FILTERS));
    expect(filtersKey({ ...NO_FILTERS, stageCategory: "hired" })).not.toBe(filtersKey(NO_FILTERS));
  });
});
