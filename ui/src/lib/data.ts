// The app's data commands, in one place: screens call these, not IPC directly.
import { invoke } from "@tauri-apps/api/core";
import type {
  ActivityItem,
  ActivityQuery,
  CandidateDetail,
  CandidateListQuery,
  CandidatePage,
  JobStage,
  JobWithCounts,
  MoveStage,
  Reject,
  SearchHit,
  SearchQuery,
} from "./api";

export const data = {
  listCandidates: (query: CandidateListQuery) => invoke<CandidatePage>("list_candidates", { query }),
  searchCandidates: (query: SearchQuery) => invoke<SearchHit[]>("search_candidates", { query }),
  candidateDetail: (accountId: string, candidateId: string) =>
    invoke<CandidateDetail>("candidate_detail", { accountId, candidateId }),
  listJobs: (accountId: string | null) => invoke<JobWithCounts[]>("list_jobs", { accountId }),
  activityFeed: (query: ActivityQuery) => invoke<ActivityItem[]>("activity_feed", { query }),
  unreadActivityCount: () => invoke<number>("unread_activity_count"),
  markActivityRead: (ids: number[] | null) => invoke<number>("mark_activity_read", { ids }),
  followCandidate: (accountId: string, candidateId: string) => invoke<null>("follow_candidate", { accountId, candidateId }),
  unfollowCandidate: (accountId: string, candidateId: string) =>
    invoke<null>("unfollow_candidate", { accountId, candidateId }),
  syncNow: (accountId: string | null, full: boolean) => invoke<null>("sync_now", { accountId, full }),
  jobStages: (accountId: string, jobId: string) => invoke<JobStage[]>("job_stages", { accountId, jobId }),
  moveStage: (accountId: string, input: MoveStage) => invoke<unknown>("move_stage", { accountId, input }),
  rejectApplication: (accountId: string, input: Reject) => invoke<unknown>("reject_application", { accountId, input }),
  openAttachment: (accountId: string, attachmentId: string) => invoke<null>("open_attachment", { accountId, attachmentId }),
  saveAttachment: (accountId: string, attachmentId: string, dest: string) =>
    invoke<null>("save_attachment", { accountId, attachmentId, dest }),
  candidateWebUrl: (accountId: string, candidateId: string) =>
    invoke<string | null>("candidate_web_url", { accountId, candidateId }),
};
