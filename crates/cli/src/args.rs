//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "hirebridge",
    version,
    about = "Hirebridge from a terminal: linked ATS accounts, their records, push, stage moves and a raw proxy."
)]
pub struct Cli {
    /// Data directory (default: the platform's data directory + /hirebridge, or $HIREBRIDGE_DATA_DIR).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Link, list and remove ATS accounts.
    Accounts {
        #[command(subcommand)]
        command: AccountsCommand,
    },
    /// Candidates (SmartRecruiters candidates, Lever contacts, Unberry candidates).
    Candidates {
        #[command(subcommand)]
        command: ListGet,
    },
    /// Jobs (SmartRecruiters jobs, Lever postings, Unberry jobs).
    Jobs {
        #[command(subcommand)]
        command: ListGet,
    },
    /// Applications (SmartRecruiters assignments, Lever opportunities, Unberry applications).
    Applications {
        #[command(subcommand)]
        command: ListOnly,
    },
    /// Users of the ATS account.
    Users {
        #[command(subcommand)]
        command: ListOnly,
    },
    /// Roles of the ATS account.
    Roles {
        #[command(subcommand)]
        command: ListOnly,
    },
    /// Groups of the ATS account.
    Groups {
        #[command(subcommand)]
        command: ListOnly,
    },
    /// Create a candidate, optionally applying to a job with a resume.
    Push(PushArgs),
    /// Move an application to another stage.
    Stage(StageArgs),
    /// Call any vendor endpoint with the account's credential; prints the JSON answer.
    Proxy(ProxyArgs),
    /// Pull linked accounts into the local cache (incremental unless --full).
    Sync(crate::sync::SyncArgs),
    /// Search cached candidates: names, emails, phones, company, title, tags, resume text.
    Search(crate::search::SearchArgs),
}

#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Link an account with an API key read from standard input.
    Add(AddAccount),
    /// Link an account through OAuth in a browser (prints `Open: <url>`), or with an API key.
    Link(crate::link::LinkArgs),
    /// List linked accounts.
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Remove an account and its keychain entry.
    Remove {
        /// The account's id or label.
        account: String,
    },
}

#[derive(Debug, Args)]
pub struct AddAccount {
    #[arg(long, value_parser = ["smartrecruiters", "lever", "unberry"])]
    pub vendor: String,
    /// Read the API key from standard input (never from the command line, where it would be seen).
    #[arg(long, required = true)]
    pub api_key_stdin: bool,
    /// API root; defaults to the vendor's production URL.
    #[arg(long)]
    pub base_url: Option<String>,
    #[arg(long)]
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Table,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResponseFormatArg {
    Unified,
    Raw,
    Normalized,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The account's id or label.
    #[arg(long)]
    pub account: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Records per page (the vendor's maximum applies).
    #[arg(long)]
    pub limit: Option<u32>,
    /// The next_cursor of a previous page.
    #[arg(long, conflicts_with = "all")]
    pub cursor: Option<String>,
    /// Follow every page; with --format json prints one array of records.
    #[arg(long)]
    pub all: bool,
    #[arg(long)]
    pub job: Option<String>,
    #[arg(long)]
    pub candidate: Option<String>,
    #[arg(long)]
    pub stage: Option<String>,
    #[arg(long)]
    pub search: Option<String>,
    /// Only records updated after this RFC 3339 time.
    #[arg(long)]
    pub updated_after: Option<String>,
    #[arg(long, value_enum, default_value_t = ResponseFormatArg::Unified)]
    pub response_format: ResponseFormatArg,
    /// Leave the vendor's own record (remote_data) out.
    #[arg(long)]
    pub ignore_remote_data: bool,
    /// Unified fields to leave out, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub exclude_fields: Vec<String>,
    /// Extra vendor query parameter NAME=VALUE, passed untouched (repeatable).
    #[arg(long = "remote-query", value_name = "NAME=VALUE")]
    pub remote_query: Vec<String>,
    /// Ask the vendor even when the local cache (after `hirebridge sync`) could answer.
    #[arg(long)]
    pub live: bool,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    #[arg(long)]
    pub account: String,
    pub id: String,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum ListGet {
    List(ListArgs),
    Get(GetArgs),
}

#[derive(Debug, Subcommand)]
pub enum ListOnly {
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// The account's id or label.
    #[arg(long)]
    pub account: String,
    /// A PDF or DOCX resume: read to prefill the candidate, then attached.
    #[arg(long)]
    pub resume: Option<PathBuf>,
    /// Apply to this job (posting).
    #[arg(long)]
    pub job: Option<String>,
    /// Overrides the name read from the resume.
    #[arg(long, alias = "first")]
    pub first_name: Option<String>,
    #[arg(long, alias = "last")]
    pub last_name: Option<String>,
    /// Replaces the emails read from the resume (repeatable).
    #[arg(long)]
    pub email: Vec<String>,
    /// Replaces the phones read from the resume (repeatable).
    #[arg(long)]
    pub phone: Vec<String>,
    /// Replaces the links read from the resume (repeatable).
    #[arg(long)]
    pub link: Vec<String>,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub company: Option<String>,
    #[arg(long)]
    pub location: Option<String>,
    /// A tag (repeatable).
    #[arg(long)]
    pub tag: Vec<String>,
    /// Add as a sourced lead rather than an applicant.
    #[arg(long)]
    pub lead: bool,
    /// The vendor user acting (Lever requires one for creates without a job).
    #[arg(long)]
    pub perform_as: Option<String>,
    /// An application form answer QUESTION_ID:FIELD_ID=VALUE (repeatable; Lever postings).
    #[arg(long = "answer", value_name = "QUESTION:FIELD=VALUE")]
    pub answers: Vec<String>,
    /// Push even when the cache holds people with the same email, phone or LinkedIn.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Reuse the id a failed push printed, so a retry never creates the candidate twice.
    #[arg(long)]
    pub push_id: Option<String>,
}

#[derive(Debug, Args)]
pub struct StageArgs {
    #[arg(long)]
    pub account: String,
    #[arg(long)]
    pub application: String,
    #[arg(long)]
    pub stage: String,
    #[arg(long)]
    pub perform_as: Option<String>,
}

#[derive(Debug, Args)]
pub struct ProxyArgs {
    #[arg(long)]
    pub account: String,
    /// GET, POST, PUT, PATCH or DELETE.
    pub method: String,
    /// Path under the account's base URL, e.g. /candidates.
    pub path: String,
    /// Query parameter NAME=VALUE (repeatable).
    #[arg(long = "query", value_name = "NAME=VALUE")]
    pub query: Vec<String>,
    /// A JSON request body.
    #[arg(long)]
    pub body: Option<String>,
}
