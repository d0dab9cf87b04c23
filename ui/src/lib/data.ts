// The app's data commands, in one place: screens call `data`, tests mock the IPC underneath.
import { commands } from "./bindings";

export const data = {
  listCandidates: commands.listCandidates,
  searchCandidates: commands.searchCandidates,
  candidateDetail: commands.candidateDetail,
  listJobs: commands.listJobs,
  listJobChoices: commands.listJobChoices,
  activityFeed: commands.activityFeed,
  unreadActivityCount: commands.unreadActivityCount,
  markActivityRead: commands.markActivityRead,
  followCandidate: commands.followCandidate,
  unfollowCandidate: commands.unfollowCandidate,
  syncNow: commands.syncNow,
  syncOverview: commands.syncOverview,
  syncHistory: commands.syncHistory,
  jobStages: commands.jobStages,
  moveStage: commands.moveStage,
  rejectApplication: commands.rejectApplication,
  openAttachment: commands.openAttachment,
  saveAttachment: commands.saveAttachment,
  openCandidateInAts: commands.openCandidateInAts,
  candidateStages: commands.candidateStages,
};
