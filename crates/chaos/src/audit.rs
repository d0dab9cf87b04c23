//! The secrets audit: one scripted session through the `hirebridge` CLI with known secrets, then
//! every byte the session left on disk or printed is searched for each of them.
//!
//! Session: link SmartRecruiters with an API key, Lever and Unberry through OAuth (client secrets
//! on stdin), full sync, push a candidate to each vendor, expire every access token at the vendor
//! and sync again (forcing refreshes), search, unlink all three. The CLI runs with
//! `RUST_LOG=trace`, so its logs say as much as they ever can. The access and refresh tokens the
//! vendors issued are read from the keychain after each step, so rotated ones are searched too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hirebridge_core::Vendor;
use hirebridge_core::accounts::AccountStore;
use hirebridge_core::secrets::{KeyringSecretStore, SecretStore, StoredSecret};

use crate::process::CliRun;
use crate::world::{self, spawn_fake, vendor_info};

/// Secret name → value.
type Secrets = BTreeMap<String, String>;

/// Every form a secret could be written in: raw, base64 (standard and URL-safe), percent-encoded,
/// and for API keys the HTTP Basic credential `key:`.
pub fn forms(value: &str) -> Vec<(&'static str, Vec<u8>)> {
    let mut out = vec![
        ("raw", value.as_bytes().to_vec()),
        ("base64", STANDARD.encode(value).into_bytes()),
        ("base64url", URL_SAFE_NO_PAD.encode(value).into_bytes()),
        (
            "basic-auth",
            STANDARD.encode(format!("{value}:")).into_bytes(),
        ),
    ];
    let encoded: String = url_encode(value);
    if encoded != value {
        out.push(("url-encoded", encoded.into_bytes()));
    }
    // Base64 output depends on alignment: also look for the part that is the same at any offset.
    let b64 = STANDARD.encode(value);
    if b64.len() > 16 {
        out.push(("base64-core", b64.as_bytes()[4..b64.len() - 4].to_vec()));
    }
    out
}

fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Where each secret (in any form) occurs in `haystack`: (secret name, form).
pub fn find(haystack: &[u8], secrets: &Secrets) -> Vec<(String, &'static str)> {
    let mut found = Vec::new();
    for (name, value) in secrets {
        for (form, needle) in forms(value) {
            if needle.len() >= 8
                && haystack
                    .windows(needle.len())
                    .any(|w| w == needle.as_slice())
            {
                found.push((name.clone(), form));
            }
        }
    }
    found
}

/// What the session printed, step by step.
struct Transcript {
    streams: Vec<(String, Vec<u8>)>,
}

impl Transcript {
    fn keep(&mut self, step: &str, out: &Output) {
        self.streams
            .push((format!("{step}: stdout"), out.stdout.clone()));
        self.streams
            .push((format!("{step}: stderr"), out.stderr.clone()));
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Reads the tokens the keychain holds for each linked account into `secrets`.
async fn harvest_tokens(data_dir: &Path, secrets: &mut Secrets) -> Result<()> {
    let pool = hirebridge_core::db::open(data_dir).await?;
    let keychain = KeyringSecretStore::for_data_dir(data_dir);
    for a in AccountStore::new(pool.clone()).list().await? {
        if let Some(StoredSecret::OAuth {
            access_token,
            refresh_token,
            ..
        }) = keychain.get(&a.id)?
        {
            let n = secrets.len();
            secrets.insert(
                format!("{} access token #{n}", a.vendor),
                access_token.expose().to_owned(),
            );
            if let Some(r) = refresh_token {
                secrets.insert(
                    format!("{} refresh token #{n}", a.vendor),
                    r.expose().to_owned(),
                );
            }
        }
    }
    pool.close().await;
    Ok(())
}

pub async fn run(cli: &Path) -> Result<()> {
    // The scanner must be able to fail: a planted canary is found in every form.
    let canary: Secrets = [("canary".to_owned(), "c4nary-S3cret/+=value".to_owned())].into();
    for (form, bytes) in forms("c4nary-S3cret/+=value") {
        let mut hay = b"prefix ".to_vec();
        hay.extend_from_slice(&bytes);
        if find(&hay, &canary).is_empty() {
            bail!("the scanner misses the {form} form");
        }
    }

    let fake = spawn_fake(77, 120).await?;
    let dir = tempfile::tempdir()?;
    let cli = CliRun {
        exe: cli.to_path_buf(),
        data_dir: dir.path().join("data"),
        no_keychain: false,
        env: vec![("RUST_LOG".to_owned(), "trace".to_owned())],
    };
    let mut secrets = Secrets::new();
    for v in world::VENDORS {
        let info = vendor_info(&fake, v);
        secrets.insert(format!("{v} API key"), info.api_key.clone());
        secrets.insert(
            format!("{v} OAuth client secret"),
            info.oauth.client_secret.clone(),
        );
    }
    let mut transcript = Transcript {
        streams: Vec::new(),
    };

    // 1. Link: SmartRecruiters by API key, Lever and Unberry through OAuth.
    let out = cli.add_api_key(&fake, Vendor::SmartRecruiters)?;
    transcript.keep("link smartrecruiters (API key)", &out);
    for v in [Vendor::Lever, Vendor::Unberry] {
        let out = cli.link_oauth(&fake, v, &world::label(v)).await?;
        transcript.keep(&format!("link {v} (OAuth)"), &out);
    }
    harvest_tokens(&cli.data_dir, &mut secrets).await?;

    // 2. Sync everything.
    let out = cli.ok(&["sync", "--full", "--format", "json"], None)?;
    transcript.keep("sync --full", &out);

    // 3. Push one candidate to each vendor.
    for v in world::VENDORS {
        let label = world::label(v);
        let mut args = vec![
            "push".to_owned(),
            "--account".to_owned(),
            label.clone(),
            "--first-name".to_owned(),
            "Audit".to_owned(),
            "--last-name".to_owned(),
            format!("Person {v}"),
            "--email".to_owned(),
            format!("audit.{}@example.com", v.as_str()),
        ];
        if v == Vendor::Lever {
            let pool = hirebridge_core::db::open(&cli.data_dir).await?;
            let account = AccountStore::new(pool.clone())
                .get_by_id_or_label(&label)
                .await?;
            let id: String = sqlx::query_scalar(
                "SELECT remote_id FROM cached_users WHERE account_id = ? ORDER BY remote_id LIMIT 1",
            )
            .bind(&account.id)
            .fetch_one(&pool)
            .await
            .context("a Lever user to act as")?;
            pool.close().await;
            args.push("--perform-as".to_owned());
            args.push(id);
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = cli.ok(&refs, None)?;
        transcript.keep(&format!("push to {v}"), &out);
    }

    // 4. Force refreshes: the vendors expire every access token; the next sync must refresh.
    let expired: usize = [Vendor::Lever, Vendor::Unberry]
        .iter()
        .map(|v| fake.admin().expire_tokens(Some(world::vendor_id(*v))))
        .sum();
    let out = cli.ok(&["sync", "--format", "json"], None)?;
    transcript.keep("sync after token expiry (refresh)", &out);
    let before = secrets.len();
    harvest_tokens(&cli.data_dir, &mut secrets).await?;
    let rotated = secrets.len() - before;

    // 5. Read paths, then unlink everything.
    let out = cli.ok(&["search", "Audit", "--format", "json"], None)?;
    transcript.keep("search", &out);
    let out = cli.ok(&["accounts", "list", "--format", "json"], None)?;
    transcript.keep("accounts list", &out);
    let ids: Vec<String> = {
        let pool = hirebridge_core::db::open(&cli.data_dir).await?;
        let ids = AccountStore::new(pool.clone())
            .list()
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect();
        pool.close().await;
        ids
    };
    for v in world::VENDORS {
        let out = cli.ok(&["accounts", "remove", &world::label(v)], None)?;
        transcript.keep(&format!("unlink {v}"), &out);
    }
    let keychain = KeyringSecretStore::for_data_dir(&cli.data_dir);
    let mut problems = Vec::new();
    for id in &ids {
        if keychain.get(id)?.is_some() {
            problems.push(format!(
                "the keychain still holds account {id} after unlinking"
            ));
        }
    }

    // 6. Scan.
    let mut files = Vec::new();
    files_under(dir.path(), &mut files);
    println!(
        "secrets audit: {} secret values ({} issued tokens, {} of them after the forced refresh; {} access tokens expired at the vendor), each searched raw, base64, base64url, Basic-auth and URL-encoded",
        secrets.len(),
        secrets.keys().filter(|k| k.contains("token")).count(),
        rotated,
        expired
    );
    println!(
        "scanned files (data dir: SQLite, WAL and SHM included; the CLI writes no log file or crash report):"
    );
    for f in &files {
        let bytes = std::fs::read(f)?;
        println!(
            "  {} ({} bytes)",
            f.strip_prefix(dir.path()).unwrap_or(f).display(),
            bytes.len()
        );
        for (name, form) in find(&bytes, &secrets) {
            problems.push(format!("{name} ({form}) found in {}", f.display()));
        }
    }
    println!("scanned output streams (RUST_LOG=trace):");
    for (name, bytes) in &transcript.streams {
        println!("  {name} ({} bytes)", bytes.len());
        for (secret, form) in find(bytes, &secrets) {
            problems.push(format!("{secret} ({form}) found in {name}"));
        }
    }
    if rotated == 0 {
        problems.push(
            "the forced refresh issued no new token: the audit did not cover a refresh".to_owned(),
        );
    }
    fake.shutdown().await;
    if problems.is_empty() {
        println!("secrets audit: PASS, no secret found");
        Ok(())
    } else {
        for p in &problems {
            println!("  FOUND: {p}");
        }
        bail!("secrets audit failed: {} finding(s)", problems.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_secret_in_every_form_and_nothing_else() {
        let secrets: Secrets = [("k".to_owned(), "tok_ABC/123+xyz=".to_owned())].into();
        for (form, bytes) in forms("tok_ABC/123+xyz=") {
            let mut hay = b"Authorization: Bearer ".to_vec();
            hay.extend_from_slice(&bytes);
            assert!(!find(&hay, &secrets).is_empty(), "{form}");
        }
        assert!(find(b"tok_ABC/123 and other text", &secrets).is_empty());
    }
}
