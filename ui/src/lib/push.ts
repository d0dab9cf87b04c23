/** The push form's logic: which fields a vendor shows, prefill, checks, the request, progress. */
import type {
  Capabilities,
  CreateCandidate_Deserialize,
  FormField,
  OperationSupport,
  PushProgress,
  PushRequest_Deserialize,
  ResumeDraft,
  Vendor,
} from "./bindings";
import { vendorName } from "./vendors";

/** The form's own fields, named after the unified create fields they fill. */
export type FieldId =
  | "first_name"
  | "last_name"
  | "emails"
  | "phones"
  | "urls"
  | "title"
  | "company"
  | "location"
  | "tags"
  | "job_id"
  | "application_source"
  | "perform_as"
  | "resume_path";

export interface FieldSpec {
  id: FieldId;
  label: string;
  required: boolean;
}

const LABELS: Record<FieldId, string> = {
  first_name: "First name",
  last_name: "Last name",
  emails: "Email",
  phones: "Phone",
  urls: "Links",
  title: "Title",
  company: "Company",
  location: "Location",
  tags: "Tags",
  job_id: "Job",
  application_source: "Added as",
  perform_as: "Create as",
  resume_path: "Resume",
};

/** Form order: who, how to reach them, what they do, then where they go. */
const ORDER: FieldId[] = [
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
  "perform_as",
  "resume_path",
];

export function createSupport(caps: Capabilities | null): OperationSupport | null {
  const op = caps?.operations.find((o) => o.operation === "create_candidate");
  return op && op.supported ? op : null;
}

/** Exactly the fields the vendor takes, each marked when it requires it. */
export function visibleFields(caps: Capabilities | null): FieldSpec[] {
  const op = createSupport(caps);
  if (!op) return [];
  return ORDER.filter((id) => op.supported_fields.includes(id)).map((id) => ({
    id,
    label: LABELS[id],
    required: op.required_fields.includes(id),
  }));
}

export function takesAnswers(caps: Capabilities | null): boolean {
  return createSupport(caps)?.supported_fields.includes("job_form_field_answers") ?? false;
}

/** What the recruiter sees and edits. Lists are edited as one line each (comma-separated). */
export interface PushForm {
  accountId: string;
  jobId: string;
  firstName: string;
  lastName: string;
  emails: string;
  phones: string;
  urls: string;
  title: string;
  company: string;
  location: string;
  tags: string;
  source: "applicant" | "lead";
  performAs: string;
  /** Answers keyed by `questionId:fieldId`. */
  answers: Record<string, string>;
  resume: ResumeDraft | null;
}

/**
 * Whether the form holds something the user would lose by leaving: anything typed, an answer,
 * or a resume. The account, job and other choices alone are not worth asking about.
 */
export function hasUnsentInput(form: PushForm): boolean {
  const typed = [form.firstName, form.lastName, form.emails, form.phones, form.urls, form.title, form.company, form.location, form.tags];
  return form.resume !== null || typed.some((v) => v.trim() !== "") || Object.values(form.answers).some((v) => v.trim() !== "");
}

export function emptyForm(accountId = ""): PushForm {
  return {
    accountId,
    jobId: "",
    firstName: "",
    lastName: "",
    emails: "",
    phones: "",
    urls: "",
    title: "",
    company: "",
    location: "",
    tags: "",
    source: "applicant",
    performAs: "",
    answers: {},
    resume: null,
  };
}

export function splitList(value: string): string[] {
  return value
    .split(/[,;\n]/)
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/**
 * A new resume fills the fields that are empty or still hold the previous resume's guess;
 * anything the recruiter typed stays.
 */
export function applyDraft(form: PushForm, draft: ResumeDraft): PushForm {
  const before = form.resume?.prefill;
  const guess = draft.prefill;
  const keep = (current: string, previous: string | undefined, next: string) =>
    current.trim() === "" || current === previous ? next || current : current;
  const join = (items: { email?: string; number?: string; url?: string }[]) =>
    items.map((i) => i.email ?? i.number ?? i.url ?? "").filter(Boolean).join(", ");
  return {
    ...form,
    firstName: keep(form.firstName, before?.first_name, guess.first_name),
    lastName: keep(form.lastName, before?.last_name, guess.last_name),
    emails: keep(form.emails, before && join(before.emails), join(guess.emails)),
    phones: keep(form.phones, before && join(before.phones), join(guess.phones)),
    urls: keep(form.urls, before && join(before.urls), join(guess.urls)),
    resume: draft,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function answerKey(f: FormField): string {
  return `${f.question_id}:${f.field_id}`;
}

/** Problems to fix before sending, by field (`answer:<key>` for job form questions). */
export function formErrors(
  form: PushForm,
  caps: Capabilities | null,
  questions: FormField[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.accountId) errors.account = "Choose the account to push to.";
  const fields = visibleFields(caps);
  const value: Record<FieldId, string> = {
    first_name: form.firstName,
    last_name: form.lastName,
    emails: form.emails,
    phones: form.phones,
    urls: form.urls,
    title: form.title,
    company: form.company,
    location: form.location,
    tags: form.tags,
    job_id: form.jobId,
    application_source: form.source,
    perform_as: form.performAs,
    resume_path: form.resume?.path ?? "",
  };
  for (const f of fields) {
    if (f.required && value[f.id].trim() === "") errors[f.id] = `${f.label} is required.`;
  }
  const bad = splitList(form.emails).find((e) => !EMAIL.test(e));
  if (bad && fields.some((f) => f.id === "emails")) errors.emails = `${bad} is not an email address.`;
  const vendor = caps?.vendor;
  // Lever creates without a job (or as a lead) through an endpoint that needs the acting user.
  if (vendor === "lever" && (form.jobId === "" || form.source === "lead") && form.performAs === "") {
    errors.perform_as = "Lever needs the user the candidate is created as.";
  }
  if (vendor === "lever" && form.jobId !== "" && form.source === "applicant" && splitList(form.emails).length === 0) {
    errors.emails = "Lever's application form needs an email.";
  }
  const max = caps?.max_upload_bytes ?? null;
  if (form.resume && max !== null && (form.resume.size_bytes ?? 0) > max) {
    errors.resume_path = `The resume is ${megabytes(form.resume.size_bytes ?? 0)}; ${vendorName(
      caps?.vendor ?? "lever",
    )} accepts up to ${megabytes(max)}.`;
  }
  if (form.jobId !== "" && form.source === "applicant") {
    for (const q of questions) {
      if (q.required && (form.answers[answerKey(q)] ?? "").trim() === "") {
        errors[`answer:${answerKey(q)}`] = `“${q.label}” needs an answer.`;
      }
    }
  }
  return errors;
}

/** The candidate as the vendor takes it: only the fields it supports, none left blank. */
export function toCandidate(
  form: PushForm,
  caps: Capabilities | null,
  questions: FormField[],
): CreateCandidate_Deserialize {
  const shown = new Set(visibleFields(caps).map((f) => f.id));
  const text = (id: FieldId, v: string) => (shown.has(id) && v.trim() !== "" ? v.trim() : null);
  const candidate: CreateCandidate_Deserialize = {
    first_name: form.firstName.trim(),
    last_name: shown.has("last_name") ? form.lastName.trim() : "",
  };
  if (shown.has("emails")) candidate.emails = splitList(form.emails).map((email) => ({ email }));
  if (shown.has("phones")) candidate.phones = splitList(form.phones).map((number) => ({ number }));
  if (shown.has("urls")) candidate.urls = splitList(form.urls).map((url) => ({ url }));
  if (shown.has("tags")) candidate.tags = splitList(form.tags);
  candidate.title = text("title", form.title);
  candidate.company = text("company", form.company);
  candidate.location = text("location", form.location);
  candidate.job_id = text("job_id", form.jobId);
  candidate.perform_as = text("perform_as", form.performAs);
  if (shown.has("application_source") && form.source === "lead") candidate.application_source = "lead";
  if (takesAnswers(caps) && candidate.job_id && form.source === "applicant") {
    candidate.job_form_field_answers = questions
      .map((q) => ({ question_id: q.question_id, field_id: q.field_id, value: (form.answers[answerKey(q)] ?? "").trim() }))
      .filter((a) => a.value !== "");
  }
  return candidate;
}

/** The push id to send: kept while the request stays the same (a retry), new once it changes. */
export function pushIdFor(
  key: string,
  previous: { key: string; id: string } | null,
  makeId: () => string = () => crypto.randomUUID(),
): { key: string; id: string } {
  return previous && previous.key === key ? previous : { key, id: makeId() };
}

export function buildRequest(
  form: PushForm,
  caps: Capabilities | null,
  questions: FormField[],
  confirmDuplicates: boolean,
  previous: { key: string; id: string } | null,
  makeId?: () => string,
): { request: PushRequest_Deserialize; identity: { key: string; id: string } } {
  const candidate = toCandidate(form, caps, questions);
  const resumePath = form.resume?.path ?? null;
  const identity = pushIdFor(JSON.stringify([form.accountId, candidate, resumePath]), previous, makeId);
  return {
    request: {
      push_id: identity.id,
      account_id: form.accountId,
      candidate,
      resume_path: resumePath,
      confirm_duplicates: confirmDuplicates,
    },
    identity,
  };
}

export function megabytes(bytes: number): string {
  if (bytes < 1_000_000) return `${Math.max(1, Math.round(bytes / 1000))} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** A line for the progress area, and how far along (0–1) the push is. */
export function progressView(p: PushProgress, vendor: Vendor): { text: string; fraction: number } {
  const name = vendorName(vendor);
  switch (p.step) {
    case "validating":
      return { text: "Checking the form…", fraction: 0.05 };
    case "checking_duplicates":
      return { text: "Looking for duplicates in your accounts…", fraction: 0.1 };
    case "connecting":
      return { text: `Connecting to ${name}…`, fraction: 0.2 };
    case "sending": {
      const total = p.bytes_total ?? 0;
      const sent = p.bytes_sent ?? 0;
      if (total > 0 && sent >= total) return { text: `Sent to ${name}.`, fraction: 0.85 };
      return {
        text: total > 0 ? `Sending to ${name} with the resume (${megabytes(total)})…` : `Sending to ${name}…`,
        fraction: 0.4,
      };
    }
    case "reconciling":
      return { text: `Checking ${name} for an earlier attempt of this push…`, fraction: 0.5 };
    case "saving":
      return { text: "Saving to your local cache…", fraction: 0.95 };
    case "done":
      return { text: "Done.", fraction: 1 };
  }
}
