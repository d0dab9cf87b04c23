// The data types the screens use: the generated bindings' shapes as the app sends them
// (`_Serialize`) for what comes back, and complete objects for what goes in.
import type {
  AccountCounts_Serialize,
  ActivityItem_Serialize,
  ActivityQuery_Serialize,
  ApplicationDetail_Serialize,
  AttachmentSummary_Serialize,
  CandidateDetail_Serialize,
  CandidateListQuery_Serialize,
  CandidatePage_Serialize,
  CandidateSummary_Serialize,
  JobChoice_Serialize,
  JobStage_Serialize,
  JobWithCounts_Serialize,
  MoveStage_Serialize,
  Reject_Serialize,
  SearchHit_Serialize,
  SearchQuery_Serialize,
  StageCount_Serialize,
  StageHistoryEntry_Serialize,
  SyncEvent_Serialize,
  SyncOverview_Serialize,
  SyncProgress_Serialize,
  SyncRunRecord_Serialize,
} from "./bindings";

export type {
  CandidateSort,
  MatchKind,
  PipelineGroup,
  ResourceReport,
  RunStatus,
  StageCategory,
  SyncReport,
  SyncResource,
} from "./bindings";

export type AccountCounts = AccountCounts_Serialize;
export type ActivityItem = ActivityItem_Serialize;
export type ActivityQuery = ActivityQuery_Serialize;
export type ApplicationDetail = ApplicationDetail_Serialize;
export type AttachmentSummary = AttachmentSummary_Serialize;
export type CandidateDetail = CandidateDetail_Serialize;
export type CandidateListQuery = CandidateListQuery_Serialize;
export type CandidatePage = CandidatePage_Serialize;
export type CandidateSummary = CandidateSummary_Serialize;
export type JobChoice = JobChoice_Serialize;
export type JobStage = JobStage_Serialize;
export type JobWithCounts = JobWithCounts_Serialize;
export type MoveStage = MoveStage_Serialize;
export type Reject = Reject_Serialize;
export type SearchHit = SearchHit_Serialize;
export type SearchQuery = SearchQuery_Serialize;
export type StageCount = StageCount_Serialize;
export type StageHistoryEntry = StageHistoryEntry_Serialize;
export type SyncEvent = SyncEvent_Serialize;
export type SyncOverview = SyncOverview_Serialize;
export type SyncProgress = SyncProgress_Serialize;
export type SyncRunRecord = SyncRunRecord_Serialize;
