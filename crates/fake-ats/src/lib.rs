//! Faithful fake SmartRecruiters, Lever and Unberry servers, built from `shared/ats-specs`.
