//! `hirebridge accounts link`: link an account through OAuth (the system browser, a loopback
//! redirect) or with an API key read from stdin. Secrets go to the OS keychain only.

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use hirebridge_core::accounts::{self, Account, AccountStore};
use hirebridge_core::auth::{
    BrowserOpener, OAuthClientConfig, OAuthLinkRequest, OAuthOverrides, Url, link_oauth_account,
};
use hirebridge_core::http::HttpClient;
use hirebridge_core::secrets::{Secret, SecretStore};
use hirebridge_core::{Error, Result, Vendor, secrets};

#[derive(Debug, Clone, Args)]
pub struct LinkArgs {
    /// smartrecruiters, lever or unberry.
    #[arg(long)]
    pub vendor: Vendor,
    /// Sign in through the vendor's OAuth consent page in a browser.
    #[arg(
        long,
        conflicts_with = "api_key_stdin",
        required_unless_present = "api_key_stdin"
    )]
    pub oauth: bool,
    /// Read the API key from standard input (it is checked with one call, then kept in the keychain).
    #[arg(long)]
    pub api_key_stdin: bool,
    /// Do not try to open a browser; only print the URL to open.
    #[arg(long, conflicts_with = "api_key_stdin")]
    pub no_browser: bool,
    /// A unique name for the account (default: the vendor's name).
    #[arg(long)]
    pub label: Option<String>,
    /// The vendor's API root, when not production (Lever's OAuth audience derives from it).
    #[arg(long)]
    pub base_url: Option<String>,
    #[arg(long, conflicts_with = "api_key_stdin")]
    pub authorize_url: Option<String>,
    #[arg(long, conflicts_with = "api_key_stdin")]
    pub token_url: Option<String>,
    #[arg(long, conflicts_with = "api_key_stdin")]
    pub client_id: Option<String>,
    /// Read the OAuth client secret from standard input.
    #[arg(long, conflicts_with = "api_key_stdin")]
    pub client_secret_stdin: bool,
    /// Seconds to wait for the browser to come back.
    #[arg(long, default_value_t = 300)]
    pub timeout_secs: u64,
}

/// Prints the authorization URL on a line starting `Open: `, then tries the system browser.
pub struct CliBrowser {
    pub try_to_open: bool,
}

impl BrowserOpener for CliBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        let mut out = std::io::stdout().lock();
        writeln!(out, "Open: {url}")
            .and_then(|()| out.flush())
            .map_err(|e| e.to_string())?;
        if !self.try_to_open {
            return Ok(());
        }
        system_open(url.as_str()).map_err(|e| format!("could not start a browser: {e}"))
    }
}

fn system_open(url: &str) -> std::io::Result<()> {
    use std::process::{Command, Stdio};
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(drop)
}

/// `hirebridge accounts link`, on the OS keychain, standard input and the system browser.
pub async fn command(
    store: &AccountStore,
    data_dir: &std::path::Path,
    http: &HttpClient,
    args: LinkArgs,
) -> Result<()> {
    let secrets = secrets::system_store_for(data_dir)?;
    let opener = CliBrowser {
        try_to_open: !args.no_browser,
    };
    run(
        args,
        store,
        secrets,
        http,
        &mut std::io::stdin().lock(),
        &opener,
    )
    .await
    .map(drop)
}

/// Runs the command; `input` is standard input, `opener` the browser.
pub async fn run(
    args: LinkArgs,
    store: &AccountStore,
    secrets: Arc<dyn SecretStore>,
    http: &HttpClient,
    input: &mut dyn Read,
    opener: &dyn BrowserOpener,
) -> Result<Account> {
    let label = args
        .label
        .clone()
        .unwrap_or_else(|| args.vendor.display_name().to_owned());
    let account = if args.api_key_stdin {
        let key = read_secret(input, "API key")?;
        accounts::link_api_key(
            store,
            secrets.as_ref(),
            http,
            args.vendor,
            &label,
            args.base_url.as_deref(),
            key,
        )
        .await?
    } else {
        let client_secret = if args.client_secret_stdin {
            Some(read_secret(input, "client secret")?)
        } else {
            None
        };
        let config = OAuthClientConfig::for_vendor(
            args.vendor,
            OAuthOverrides {
                base_url: args.base_url.clone(),
                authorize_url: args.authorize_url.clone(),
                token_url: args.token_url.clone(),
                client_id: args.client_id.clone(),
                client_secret,
                ..Default::default()
            },
        )
        .map_err(Error::from)?;
        let request = OAuthLinkRequest {
            config,
            label,
            base_url: args.base_url.clone(),
            timeout: Duration::from_secs(args.timeout_secs),
        };
        link_oauth_account(store, secrets.as_ref(), request, opener).await?
    };
    println!(
        "Linked \"{}\" ({}), id {}. Its credentials are in the {}.",
        account.label,
        account.vendor,
        account.id,
        secrets.backend_name()
    );
    Ok(account)
}

/// One secret from stdin, without its line ending.
fn read_secret(input: &mut dyn Read, what: &str) -> Result<Secret> {
    let mut raw = String::new();
    input
        .take(64 * 1024)
        .read_to_string(&mut raw)
        .map_err(|e| {
            Error::validation(format!(
                "Could not read the {what} from standard input: {e}"
            ))
        })?;
    let value = raw.trim_end_matches(['\r', '\n']);
    if value.trim().is_empty() {
        return Err(Error::validation(format!(
            "The {what} read from standard input is empty."
        )));
    }
    Ok(Secret::new(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use hirebridge_core::secrets::{MemorySecretStore, StoredSecret};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        link: LinkArgs,
    }

    fn parse(args: &[&str]) -> Result<LinkArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("link").chain(args.iter().copied())).map(|c| c.link)
    }

    #[test]
    fn flags_are_checked() {
        assert!(parse(&["--vendor", "lever", "--oauth"]).is_ok());
        assert!(parse(&["--vendor", "lever", "--api-key-stdin"]).is_ok());
        assert!(
            parse(&["--vendor", "lever"]).is_err(),
            "--oauth or --api-key-stdin"
        );
        assert!(parse(&["--vendor", "lever", "--oauth", "--api-key-stdin"]).is_err());
        assert!(parse(&["--vendor", "greenhouse", "--oauth"]).is_err());
        assert!(parse(&["--vendor", "lever", "--api-key-stdin", "--no-browser"]).is_err());
    }

    /// GETs `url` over a raw connection; returns (status, Location).
    async fn get(url: &str) -> (u16, Option<String>) {
        let url = Url::parse(url).expect("url");
        let host = url.host_str().expect("host");
        let mut stream = tokio::net::TcpStream::connect((host, url.port().expect("port")))
            .await
            .expect("connects");
        let target = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        let request = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.expect("writes");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.expect("reads");
        let status = answer[9..12].parse().expect("status");
        let location = answer
            .lines()
            .find_map(|l| {
                l.strip_prefix("location: ")
                    .or_else(|| l.strip_prefix("Location: "))
            })
            .map(str::to_owned);
        (status, location)
    }

    /// The browser: follows the authorization redirect (fake-ats auto-consents) to the listener.
    struct FollowingBrowser;

    impl BrowserOpener for FollowingBrowser {
        fn open(&self, url: &Url) -> Result<(), String> {
            let url = url.to_string();
            tokio::spawn(async move {
                let (status, location) = get(&url).await;
                assert_eq!(status, 302);
                let (status, _) = get(&location.expect("redirect")).await;
                assert_eq!(status, 200);
            });
            Ok(())
        }
    }

    #[tokio::test]
    async fn links_lever_through_oauth_and_smartrecruiters_with_a_key() {
        let fake = fake_ats::spawn(fake_ats::Config {
            auto_consent: true,
            candidates: 3,
            ..Default::default()
        })
        .await
        .expect("fake-ats");
        let info = fake.info().clone();
        let store = AccountStore::new(hirebridge_core::db::open_in_memory().await.expect("db"));
        let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecretStore::new());
        let http = HttpClient::new(Default::default()).expect("http");

        let args = parse(&[
            "--vendor",
            "lever",
            "--oauth",
            "--no-browser",
            "--label",
            "Acme Lever",
            "--base-url",
            &info.lever.base_url,
            "--authorize-url",
            &info.lever.oauth.authorize_url,
            "--token-url",
            &info.lever.oauth.token_url,
            "--client-id",
            &info.lever.oauth.client_id,
            "--client-secret-stdin",
        ])
        .expect("valid");
        let mut stdin = format!("{}\n", info.lever.oauth.client_secret);
        let account = run(
            args,
            &store,
            secrets.clone(),
            &http,
            &mut stdin.as_bytes(),
            &FollowingBrowser,
        )
        .await
        .expect("linked");
        stdin.clear();
        assert_eq!(account.label, "Acme Lever");
        assert!(matches!(
            secrets.get(&account.id).expect("read"),
            Some(StoredSecret::OAuth { client_secret: Some(s), .. }) if s.expose() == info.lever.oauth.client_secret
        ));

        let args = parse(&[
            "--vendor",
            "smartrecruiters",
            "--api-key-stdin",
            "--label",
            "Acme SR",
            "--base-url",
            &info.smartrecruiters.base_url,
        ])
        .expect("valid");
        let key = format!("{}\n", info.smartrecruiters.api_key);
        let account = run(
            args.clone(),
            &store,
            secrets.clone(),
            &http,
            &mut key.as_bytes(),
            &FollowingBrowser,
        )
        .await
        .expect("linked");
        assert!(matches!(
            secrets.get(&account.id).expect("read"),
            Some(StoredSecret::ApiKey { .. })
        ));
        let taken = run(
            args,
            &store,
            secrets.clone(),
            &http,
            &mut key.as_bytes(),
            &FollowingBrowser,
        )
        .await
        .expect_err("label taken");
        assert_eq!(taken.kind, hirebridge_core::ErrorKind::Conflict, "{taken}");
        let wrong = parse(&[
            "--vendor",
            "smartrecruiters",
            "--api-key-stdin",
            "--label",
            "Other SR",
            "--base-url",
            &info.smartrecruiters.base_url,
        ])
        .expect("valid");
        let refused = run(
            wrong,
            &store,
            secrets.clone(),
            &http,
            &mut "wrong-key\n".as_bytes(),
            &FollowingBrowser,
        )
        .await
        .expect_err("a wrong key is refused before it is saved");
        assert_eq!(refused.kind, hirebridge_core::ErrorKind::Auth, "{refused}");
        assert_eq!(store.list().await.expect("list").len(), 2);
    }
}
