import { describe, expect, it } from "vitest";
import type { Capabilities, FormField, ResumeDraft } from "./bindings";
import {
  applyDraft,
  buildRequest,
  emptyForm,
  formErrors,
  hasUnsentInput,
  progressView,
  pushIdFor,
  splitList,
  toCandidate,
  visibleFields,
} from "./push";

function caps(vendor: Capabilities["vendor"], supported: string[], required: string[], max = 1_000_000): Capabilities {
  return {
    vendor,
    max_upload_bytes: max,
    operations: [
      { operation: "create_candidate", supported: true, supported_fields: supported, required_fields: required, notes: null },
    ],
  };
}

const UNBERRY = caps(
  "unberry",
  ["first_name", "last_name", "emails", "phones", "tags", "job_id", "resume_path", "remote_data"],
  ["first_name", "last_name", "emails"],
);
const LEVER = caps(
  "lever",
  [
    "first_name",
    "last_name",
    "emails",
    "phones",
    "urls",
    "title",
    "company",
    "location",
    "tags",
    "job_id",
    "application_source",
    "job_form_field_answers",
    "resume_path",
    "perform_as",
    "remote_data",
  ],
  ["first_name"],
);

function draft(over: Partial<ResumeDraft["prefill"]> = {}, rest: Partial<ResumeDraft> = {}): ResumeDraft {
  return {
    path: "/home/r/ada.pdf",
    file_name: "ada.pdf",
    kind: "pdf",
    size_bytes: 12_000,
    text_chars: 900,
    note: null,
    prefill: {
      first_name: "Ada",
      last_name: "Lovelace",
      emails: [{ email: "ada@example.org" }],
      phones: [{ number: "+44 20 7946 0000" }],
      urls: [{ url: "https://linkedin.com/in/ada", type: "linkedin" }],
      ...over,
    },
    ...rest,
  } as ResumeDraft;
}

const QUESTION: FormField = {
  question_id: "q1",
  field_id: "f1",
  label: "Work authorization?",
  field_type: "dropdown",
  required: true,
  options: ["Yes", "No"],
};

describe("visibleFields", () => {
  it("shows exactly what the vendor takes, marking what it requires", () => {
    const fields = visibleFields(UNBERRY);
    expect(fields.map((f) => f.id)).toEqual(["first_name", "last_name", "emails", "phones", "tags", "job_id", "resume_path"]);
    expect(fields.filter((f) => f.required).map((f) => f.id)).toEqual(["first_name", "last_name", "emails"]);
    expect(visibleFields(LEVER).map((f) => f.id)).toContain("perform_as");
    expect(visibleFields(null)).toEqual([]);
  });
});

describe("applyDraft", () => {
  it("fills an empty form from the resume", () => {
    const form = applyDraft(emptyForm("acc"), draft());
    expect(form.firstName).toBe("Ada");
    expect(form.emails).toBe("ada@example.org");
    expect(form.urls).toBe("https://linkedin.com/in/ada");
    expect(form.resume?.file_name).toBe("ada.pdf");
  });

  it("keeps what the recruiter typed but replaces the previous resume's guesses", () => {
    let form = applyDraft(emptyForm("acc"), draft());
    form = { ...form, lastName: "Byron" };
    form = applyDraft(form, draft({ first_name: "Grace", last_name: "Hopper", emails: [{ email: "grace@navy.example" }] }));
    expect(form.firstName).toBe("Grace");
    expect(form.lastName).toBe("Byron");
    expect(form.emails).toBe("grace@navy.example");
  });

  it("a resume with no text keeps the form as it is", () => {
    const typed = { ...emptyForm("acc"), firstName: "Typed" };
    const form = applyDraft(typed, draft({ first_name: "", last_name: "", emails: [], phones: [], urls: [] }, { note: "too large" }));
    expect(form.firstName).toBe("Typed");
    expect(form.resume?.note).toBe("too large");
  });
});

describe("formErrors", () => {
  it("names required fields, bad emails and missing answers", () => {
    const form = { ...emptyForm("acc"), firstName: "Ada", emails: "ada at example" };
    const errors = formErrors(form, UNBERRY, []);
    expect(errors.last_name).toBe("Last name is required.");
    expect(errors.emails).toBe("ada at example is not an email address.");

    const lever = { ...emptyForm("acc"), firstName: "Ada", emails: "ada@example.org", jobId: "post-1" };
    expect(formErrors(lever, LEVER, [QUESTION])["answer:q1:f1"]).toContain("Work authorization?");
    const answered = { ...lever, answers: { "q1:f1": "Yes" } };
    expect(formErrors(answered, LEVER, [QUESTION])).toEqual({});
  });

  it("asks Lever for the acting user when there is no job", () => {
    const form = { ...emptyForm("acc"), firstName: "Ada" };
    expect(formErrors(form, LEVER, []).perform_as).toContain("Lever needs");
    expect(formErrors({ ...form, performAs: "u1" }, LEVER, [])).toEqual({});
  });

  it("refuses a resume over the vendor's limit and an unset account", () => {
    const form = applyDraft(emptyForm(""), draft({}, { size_bytes: 5_000_000 }));
    const errors = formErrors(form, UNBERRY, []);
    expect(errors.account).toBeDefined();
    expect(errors.resume_path).toContain("accepts up to 1.0 MB");
  });
});

describe("toCandidate and buildRequest", () => {
  it("sends only supported fields, lists split and trimmed", () => {
    const form = {
      ...applyDraft(emptyForm("acc"), draft()),
      title: "Countess",
      phones: " +1 555 0100 ; +1 555 0101 ",
      tags: "math, poetry",
    };
    const c = toCandidate(form, UNBERRY, []);
    expect(c.urls).toBeUndefined();
    expect(c.title).toBeNull();
    expect(c.phones).toEqual([{ number: "+1 555 0100" }, { number: "+1 555 0101" }]);
    expect(c.tags).toEqual(["math", "poetry"]);
  });

  it("keeps the push id for a retry of the same request and renews it when the form changes", () => {
    const form = applyDraft(emptyForm("acc"), draft());
    let n = 0;
    const make = () => `id-${++n}`;
    const first = buildRequest(form, UNBERRY, [], false, null, make);
    expect(first.request.push_id).toBe("id-1");
    expect(first.request.resume_path).toBe("/home/r/ada.pdf");
    const retry = buildRequest(form, UNBERRY, [], true, first.identity, make);
    expect(retry.request.push_id).toBe("id-1");
    expect(retry.request.confirm_duplicates).toBe(true);
    const changed = buildRequest({ ...form, lastName: "King" }, UNBERRY, [], false, retry.identity, make);
    expect(changed.request.push_id).toBe("id-2");
    expect(pushIdFor("k", { key: "k", id: "x" }).id).toBe("x");
  });

  it("sends Lever answers only when applying to a job", () => {
    const form = { ...emptyForm("acc"), firstName: "Ada", emails: "ada@example.org", jobId: "p1", answers: { "q1:f1": "Yes" } };
    expect(toCandidate(form, LEVER, [QUESTION]).job_form_field_answers).toEqual([
      { question_id: "q1", field_id: "f1", value: "Yes" },
    ]);
    const lead = toCandidate({ ...form, source: "lead" }, LEVER, [QUESTION]);
    expect(lead.application_source).toBe("lead");
    expect(lead.job_form_field_answers).toBeUndefined();
  });
});

describe("progressView and hasUnsentInput", () => {
  it("describes each step with the vendor and the file size", () => {
    const sending = progressView({ push_id: "p", step: "sending", bytes_total: 2_500_000, bytes_sent: 0 }, "lever");
    expect(sending.text).toBe("Sending to Lever with the resume (2.5 MB)…");
    const sent = progressView({ push_id: "p", step: "sending", bytes_total: 2_500_000, bytes_sent: 2_500_000 }, "lever");
    expect(sent.fraction).toBeGreaterThan(sending.fraction);
    expect(progressView({ push_id: "p", step: "done", bytes_total: null, bytes_sent: null }, "unberry").fraction).toBe(1);
  });

  it("knows when leaving would lose something", () => {
    expect(hasUnsentInput(emptyForm("acc"))).toBe(false);
    // Choices the screen makes by itself (a preselected job, the first user) lose nothing.
    expect(hasUnsentInput({ ...emptyForm("acc"), jobId: "job", performAs: "u1", source: "lead" })).toBe(false);
    expect(hasUnsentInput({ ...emptyForm("acc"), firstName: "   " })).toBe(false);
    expect(hasUnsentInput({ ...emptyForm("acc"), firstName: "A" })).toBe(true);
    expect(hasUnsentInput({ ...emptyForm("acc"), tags: "python" })).toBe(true);
    expect(hasUnsentInput({ ...emptyForm("acc"), answers: { k: "x" } })).toBe(true);
    expect(hasUnsentInput({ ...emptyForm("acc"), resume: draft() })).toBe(true);
    expect(splitList("a, b;;c")).toEqual(["a", "b", "c"]);
  });
});
