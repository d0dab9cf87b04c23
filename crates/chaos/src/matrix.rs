//! The fault matrix: every fault × every operation, one cell each, printed as a table.

use std::fmt::Write as _;
use std::time::Duration;

use crate::{network, process, push_cells, storage, token_cells};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    TooManyWithRetryAfter,
    TooManyWithoutRetryAfter,
    ServerErrors,
    Resets,
    Truncated,
    Latency,
    TokenExpiry,
    RevokedRefresh,
    Kill,
    DiskFull,
    Locked,
    KeychainUnavailable,
    TokenTooManyWithRetryAfter,
    TokenTooManyWithoutRetryAfter,
    TokenServerErrors,
    TokenResets,
    TokenTruncated,
    TokenLatency,
    AnswerDropped,
}

impl Fault {
    pub const ALL: [Fault; 12] = [
        Fault::TooManyWithRetryAfter,
        Fault::TooManyWithoutRetryAfter,
        Fault::ServerErrors,
        Fault::Resets,
        Fault::Truncated,
        Fault::Latency,
        Fault::TokenExpiry,
        Fault::RevokedRefresh,
        Fault::Kill,
        Fault::DiskFull,
        Fault::Locked,
        Fault::KeychainUnavailable,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Fault::TooManyWithRetryAfter => "429 burst, Retry-After",
            Fault::TooManyWithoutRetryAfter => "429 burst, no Retry-After",
            Fault::ServerErrors => "5xx burst",
            Fault::Resets => "connection resets",
            Fault::Truncated => "truncated bodies",
            Fault::Latency => "10 s latency",
            Fault::TokenExpiry => "token expiry mid-op",
            Fault::RevokedRefresh => "revoked refresh token",
            Fault::Kill => "SIGKILL mid-op",
            Fault::DiskFull => "disk full",
            Fault::Locked => "SQLite locked by another process",
            Fault::KeychainUnavailable => "keychain unavailable",
            Fault::TokenTooManyWithRetryAfter => "token endpoint: 429 burst, Retry-After",
            Fault::TokenTooManyWithoutRetryAfter => "token endpoint: 429 burst, no Retry-After",
            Fault::TokenServerErrors => "token endpoint: 5xx burst",
            Fault::TokenResets => "token endpoint: connection resets",
            Fault::TokenTruncated => "token endpoint: truncated body",
            Fault::TokenLatency => "token endpoint: 10 s latency",
            Fault::AnswerDropped => "created, never acknowledged",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    FullSync,
    IncrementalSync,
    PushResume,
    StageMove,
    OAuthLink,
    SearchDuringSync,
    /// Calls whose access token is dead at the vendor: a full sync and seven other callers at
    /// once, sharing the account's token manager as the app does.
    TokenRefresh,
    /// A push to a job where applying is its own request (Unberry), or the create (Lever posting).
    PushApply,
    /// A push whose resume is uploaded in its own request (SmartRecruiters, Unberry).
    PushAttach,
}

impl Op {
    pub const ALL: [Op; 6] = [
        Op::FullSync,
        Op::IncrementalSync,
        Op::PushResume,
        Op::StageMove,
        Op::OAuthLink,
        Op::SearchDuringSync,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::FullSync => "full sync",
            Op::IncrementalSync => "incremental sync",
            Op::PushResume => "push with resume",
            Op::StageMove => "stage move",
            Op::OAuthLink => "OAuth link",
            Op::SearchDuringSync => "search while syncing",
            Op::TokenRefresh => "token refresh",
            Op::PushApply => "push, apply to job",
            Op::PushAttach => "push, attach resume",
        }
    }
}

/// Cells outside the fault × operation grid: the token endpoint's faults only make sense for
/// a refresh, and a lost create answer only for the push's writes.
pub const EXTRA: [(Fault, Op); 9] = [
    (Fault::TokenTooManyWithRetryAfter, Op::TokenRefresh),
    (Fault::TokenTooManyWithoutRetryAfter, Op::TokenRefresh),
    (Fault::TokenServerErrors, Op::TokenRefresh),
    (Fault::TokenResets, Op::TokenRefresh),
    (Fault::TokenTruncated, Op::TokenRefresh),
    (Fault::TokenLatency, Op::TokenRefresh),
    (Fault::AnswerDropped, Op::PushResume),
    (Fault::AnswerDropped, Op::PushApply),
    (Fault::AnswerDropped, Op::PushAttach),
];

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Pass,
    Fail(String),
    NotApplicable(String),
}

/// What one cell found.
#[derive(Debug, Clone)]
pub struct Cell {
    pub verdict: Verdict,
    /// What happened, in a few words: rode it out, failed then recovered, told the user...
    pub outcome: String,
    pub lost: Option<usize>,
    pub duplicates: Option<usize>,
    pub recovered_in: Option<Duration>,
}

impl Cell {
    pub fn na(why: &str) -> Self {
        Self {
            verdict: Verdict::NotApplicable(why.to_owned()),
            outcome: format!("n/a: {why}"),
            lost: None,
            duplicates: None,
            recovered_in: None,
        }
    }

    pub fn failed(why: impl Into<String>) -> Self {
        let why = why.into();
        Self {
            verdict: Verdict::Fail(why.clone()),
            outcome: why,
            lost: None,
            duplicates: None,
            recovered_in: None,
        }
    }

    /// Judges a finished cell: it passes when nothing is lost or stale, nothing is duplicated
    /// at the vendor, and every problem it noted is empty.
    pub fn judged(
        outcome: String,
        d: &crate::world::Diff,
        duplicates: usize,
        recovered_in: Duration,
        problems: Vec<String>,
    ) -> Self {
        let mut problems = problems;
        let (lost, stale) = (d.lost, d.stale);
        if lost > 0 {
            problems.push(format!(
                "{lost} record(s) lost or different from a clean full sync ({})",
                d.tables
            ));
        }
        if stale > 0 {
            problems.push(format!(
                "{stale} record(s) cached that a clean sync does not have ({})",
                d.tables
            ));
        }
        if duplicates > 0 {
            problems.push(format!("{duplicates} duplicate(s) at the vendor"));
        }
        let verdict = if problems.is_empty() {
            Verdict::Pass
        } else {
            Verdict::Fail(problems.join("; "))
        };
        Self {
            verdict,
            outcome,
            lost: Some(lost + stale),
            duplicates: Some(duplicates),
            recovered_in: Some(recovered_in),
        }
    }
}

pub struct Row {
    pub fault: Fault,
    pub op: Op,
    pub cell: Cell,
}

/// Runs every cell, printing each row as it finishes; returns them all.
/// `only` keeps the cells whose fault or operation name contains it (for debugging one row).
pub async fn run(cli: &std::path::Path, only: Option<&str>) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut seed = 100;
    let grid = Fault::ALL
        .into_iter()
        .flat_map(|fault| Op::ALL.into_iter().map(move |op| (fault, op)));
    for (fault, op) in grid.chain(EXTRA) {
        {
            seed += 1;
            if only.is_some_and(|o| !fault.name().contains(o) && !op.name().contains(o)) {
                continue;
            }
            let started = std::time::Instant::now();
            let cell = match run_cell(fault, op, seed, cli).await {
                Ok(cell) => cell,
                Err(e) => Cell::failed(format!("the cell could not run: {e:#}")),
            };
            let row = Row { fault, op, cell };
            eprintln!(
                "[{:>5.1} s] {}",
                started.elapsed().as_secs_f64(),
                format_row(&row)
            );
            rows.push(row);
        }
    }
    rows
}

async fn run_cell(fault: Fault, op: Op, seed: u64, cli: &std::path::Path) -> anyhow::Result<Cell> {
    match fault {
        Fault::TokenTooManyWithRetryAfter
        | Fault::TokenTooManyWithoutRetryAfter
        | Fault::TokenServerErrors
        | Fault::TokenResets
        | Fault::TokenTruncated
        | Fault::TokenLatency => token_cells::cell(fault, seed).await,
        Fault::AnswerDropped => push_cells::unacknowledged(op, seed).await,
        Fault::Kill | Fault::KeychainUnavailable => process::cell(fault, op, seed, cli).await,
        Fault::DiskFull | Fault::Locked => storage::cell(fault, op, seed).await,
        _ => network::cell(fault, op, seed).await,
    }
}

const HEADER: [&str; 7] = [
    "fault",
    "operation",
    "result",
    "outcome",
    "records lost",
    "duplicates at vendor",
    "time to recover",
];

fn columns(row: &Row) -> [String; 7] {
    let c = &row.cell;
    let result = match &c.verdict {
        Verdict::Pass => "PASS".to_owned(),
        Verdict::Fail(_) => "FAIL".to_owned(),
        Verdict::NotApplicable(_) => "n/a".to_owned(),
    };
    let outcome = match &c.verdict {
        Verdict::Fail(why) if why != &c.outcome => format!("{} — {why}", c.outcome),
        _ => c.outcome.clone(),
    };
    let num = |n: Option<usize>| n.map_or("—".to_owned(), |n| n.to_string());
    [
        row.fault.name().to_owned(),
        row.op.name().to_owned(),
        result,
        outcome,
        num(c.lost),
        num(c.duplicates),
        c.recovered_in
            .map_or("—".to_owned(), |d| format!("{:.1} s", d.as_secs_f64())),
    ]
}

pub fn format_row(row: &Row) -> String {
    columns(row).join(" | ")
}

/// The table as Markdown, ready for the README.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| {} |", HEADER.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(HEADER.len()));
    for row in rows {
        let cols: Vec<String> = columns(row)
            .iter()
            .map(|c| c.replace('|', "\\|").replace('\n', " "))
            .collect();
        let _ = writeln!(out, "| {} |", cols.join(" | "));
    }
    out
}

pub fn failures(rows: &[Row]) -> usize {
    rows.iter()
        .filter(|r| matches!(r.cell.verdict, Verdict::Fail(_)))
        .count()
}
