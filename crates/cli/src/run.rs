//! What each command does, through the core.

use std::io::Read;
use std::sync::Arc;

use hirebridge_core::accounts::{Account, AccountStore};
use hirebridge_core::connectors::{self, Connector, ProxyBody, ProxyRequest, Resource};
use hirebridge_core::http::{HttpClient, HttpConfig};
use hirebridge_core::model::*;
use hirebridge_core::secrets::{self, Secret};
use hirebridge_core::service::Service;
use hirebridge_core::{Error, Result, Vendor};

use crate::args::*;
use crate::table;

/// The core service, opened lazily on the keychain: `accounts list` works without one.
struct Ctx {
    store: AccountStore,
    pool: hirebridge_core::cache::SqlitePool,
    data_dir: std::path::PathBuf,
}

impl Ctx {
    async fn open(data_dir: Option<std::path::PathBuf>) -> Result<Self> {
        let data_dir = hirebridge_core::paths::resolve_data_dir(data_dir, || {
            dirs::data_dir().map(|d| d.join("hirebridge"))
        })?;
        let pool = hirebridge_core::db::open(&data_dir).await?;
        let store = AccountStore::new(pool.clone());
        Ok(Self {
            store,
            pool,
            data_dir,
        })
    }

    fn service(&self) -> Result<Service> {
        Ok(Service::new(
            self.store.clone(),
            secrets::system_store_for(&self.data_dir)?,
            HttpClient::new(HttpConfig::default())?,
        ))
    }

    async fn connector(&self, account: &str) -> Result<(Account, Arc<dyn Connector>)> {
        self.service()?.connector(account).await
    }
}

pub async fn run(cli: Cli) -> Result<()> {
    let ctx = Ctx::open(cli.data_dir).await?;
    match cli.command {
        Command::Accounts { command } => accounts_command(&ctx, command).await,
        Command::Candidates {
            command: ListGet::List(a),
        } => list(&ctx, Resource::Candidates, a).await,
        Command::Candidates {
            command: ListGet::Get(a),
        } => {
            let (_, c) = ctx.connector(&a.account).await?;
            print_record(
                &c.get_candidate(&a.id).await?,
                a.format,
                Resource::Candidates,
            )
        }
        Command::Jobs {
            command: ListGet::List(a),
        } => list(&ctx, Resource::Jobs, a).await,
        Command::Jobs {
            command: ListGet::Get(a),
        } => {
            let (_, c) = ctx.connector(&a.account).await?;
            print_record(&c.get_job(&a.id).await?, a.format, Resource::Jobs)
        }
        Command::Applications {
            command: ListOnly::List(a),
        } => list(&ctx, Resource::Applications, a).await,
        Command::Users {
            command: ListOnly::List(a),
        } => list(&ctx, Resource::Users, a).await,
        Command::Roles {
            command: ListOnly::List(a),
        } => list(&ctx, Resource::Roles, a).await,
        Command::Groups {
            command: ListOnly::List(a),
        } => list(&ctx, Resource::Groups, a).await,
        Command::Push(a) => push(&ctx, a).await,
        Command::Stage(a) => {
            let (_, c) = ctx.connector(&a.account).await?;
            let app = c
                .move_stage(&MoveStage {
                    application_id: a.application,
                    stage_id: a.stage,
                    perform_as: a.perform_as,
                    remote_data: None,
                })
                .await?;
            print_json(&app)
        }
        Command::Proxy(a) => proxy(&ctx, a).await,
        Command::Sync(a) => crate::sync::sync(&ctx.pool, &ctx.service()?, a).await,
        Command::Search(a) => crate::search::search(&ctx.pool, &ctx.store, a).await,
    }
}

async fn accounts_command(ctx: &Ctx, command: AccountsCommand) -> Result<()> {
    match command {
        AccountsCommand::Add(a) => {
            let vendor: Vendor = a.vendor.parse()?;
            let mut key = String::new();
            std::io::stdin().read_to_string(&mut key).map_err(|e| {
                Error::validation(format!(
                    "Could not read the API key from standard input: {e}"
                ))
            })?;
            let service = ctx.service()?;
            let account = service
                .link_api_key(
                    vendor,
                    &a.label,
                    a.base_url.as_deref(),
                    Secret::new(key.trim()),
                )
                .await?;
            println!(
                "Linked {} account \"{}\" ({}); its key is in {}.",
                vendor,
                account.label,
                account.id,
                service.secrets().backend_name()
            );
            Ok(())
        }
        AccountsCommand::Link(a) => {
            let http = HttpClient::new(HttpConfig::default())?;
            crate::link::command(&ctx.store, &ctx.data_dir, &http, a).await
        }
        AccountsCommand::List { format } => {
            let list = ctx.store.list().await?;
            match format {
                Format::Json => print_json(&list),
                Format::Table => {
                    let rows = list
                        .iter()
                        .map(|a| {
                            vec![
                                a.id.clone(),
                                a.vendor.as_str().to_owned(),
                                a.label.clone(),
                                a.auth_kind.as_str().to_owned(),
                                a.status.as_str().to_owned(),
                                a.base_url.clone(),
                            ]
                        })
                        .collect::<Vec<_>>();
                    table::print(
                        &["ID", "VENDOR", "LABEL", "AUTH", "STATUS", "BASE URL"],
                        &rows,
                    );
                    Ok(())
                }
            }
        }
        AccountsCommand::Remove { account } => {
            let removed = ctx.service()?.remove_account(&account).await?;
            println!(
                "Removed \"{}\" ({}) and its keychain entry.",
                removed.label, removed.id
            );
            Ok(())
        }
    }
}

fn name_value(raw: &str, what: &str) -> Result<(String, String)> {
    raw.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| Error::validation(format!("{what} \"{raw}\" is not NAME=VALUE.")))
}

fn list_options(a: &ListArgs) -> Result<ListOptions> {
    let updated_after = a
        .updated_after
        .as_deref()
        .map(|t| {
            chrono::DateTime::parse_from_rfc3339(t)
                .map(|d| d.to_utc())
                .map_err(|e| {
                    Error::validation(format!(
                        "--updated-after \"{t}\" is not an RFC 3339 time: {e}"
                    ))
                })
        })
        .transpose()?;
    Ok(ListOptions {
        cursor: a.cursor.clone(),
        limit: a.limit,
        updated_after,
        job_id: a.job.clone(),
        candidate_id: a.candidate.clone(),
        stage: a.stage.clone(),
        search: a.search.clone(),
        response_format: match a.response_format {
            ResponseFormatArg::Unified => ResponseFormat::Unified,
            ResponseFormatArg::Raw => ResponseFormat::Raw,
            ResponseFormatArg::Normalized => ResponseFormat::Normalized,
        },
        exclude_fields: a.exclude_fields.clone(),
        ignore_remote_data: a.ignore_remote_data,
        remote_query: a
            .remote_query
            .iter()
            .map(|q| name_value(q, "--remote-query"))
            .collect::<Result<_>>()?,
        background: false,
    })
}

async fn list(ctx: &Ctx, resource: Resource, a: ListArgs) -> Result<()> {
    if crate::search::cached_list(&ctx.pool, &ctx.store, resource, &a, a.live).await? {
        return Ok(());
    }
    let (_, c) = ctx.connector(&a.account).await?;
    let opts = list_options(&a)?;
    if a.all {
        let all = connectors::list_all_json(c.as_ref(), resource, &opts).await?;
        return match a.format {
            Format::Json => print_json(&all),
            Format::Table => {
                table::records(resource, &all);
                Ok(())
            }
        };
    }
    let page = connectors::list_json(c.as_ref(), resource, &opts).await?;
    match a.format {
        Format::Json => print_json(&page),
        Format::Table => {
            table::records(resource, &page.result);
            if let Some(next) = &page.next_cursor {
                println!("\nMore: --cursor {next}");
            }
            Ok(())
        }
    }
}

fn print_record<T: serde::Serialize>(record: &T, format: Format, resource: Resource) -> Result<()> {
    match format {
        Format::Json => print_json(record),
        Format::Table => {
            let value = serde_json::to_value(record).map_err(|e| Error::internal(e.to_string()))?;
            table::records(resource, &[value]);
            Ok(())
        }
    }
}

pub(crate) fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::internal(format!("Could not print JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

async fn push(ctx: &Ctx, a: PushArgs) -> Result<()> {
    let (account, c) = ctx.connector(&a.account).await?;
    let answers = a
        .answers
        .iter()
        .map(|raw| {
            let (ids, value) = name_value(raw, "--answer")?;
            let (question_id, field_id) = ids.split_once(':').ok_or_else(|| {
                Error::validation(format!(
                    "--answer \"{raw}\" must be QUESTION_ID:FIELD_ID=VALUE."
                ))
            })?;
            Ok(FormAnswer {
                question_id: question_id.to_owned(),
                field_id: field_id.to_owned(),
                value,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    crate::push::push(&ctx.pool, &account, c.as_ref(), a, answers).await
}

async fn proxy(ctx: &Ctx, a: ProxyArgs) -> Result<()> {
    let (_, c) = ctx.connector(&a.account).await?;
    let body = a
        .body
        .as_deref()
        .map(|b| {
            serde_json::from_str(b)
                .map_err(|e| Error::validation(format!("--body is not JSON: {e}")))
        })
        .transpose()?;
    let query = a
        .query
        .iter()
        .map(|q| name_value(q, "--query"))
        .collect::<Result<_>>()?;
    let response = c
        .proxy(&ProxyRequest {
            method: a.method,
            path: a.path,
            query,
            body,
        })
        .await?;
    match response.body {
        ProxyBody::Json(v) => print_json(&v),
        ProxyBody::Empty => {
            println!("{}", response.status);
            Ok(())
        }
        ProxyBody::Bytes(bytes) => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes).map_err(Error::from)
        }
    }
}
