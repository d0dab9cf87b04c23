//! A data directory's secrets are looked for in the keychain they were stored in, even when
//! another keychain answers later: on Linux the Secret Service may be up in one run and not in
//! the next (a keyring daemon still starting, a session without D-Bus).
//!
//! The account is added without D-Bus (the kernel keyring of a `keyctl session -`), then used
//! inside a private D-Bus session with an unlocked GNOME Keyring; once it is removed, the next
//! account goes to the Secret Service. Needs keyutils, dbus and
//! gnome-keyring (`cargo xtask` installs them).

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_hirebridge");

/// Runs the rest of the command line in a private session bus with an unlocked GNOME Keyring.
const IN_SECRET_SERVICE: &str = r#"dbus-run-session -- sh -c 'printf hirebridge | XDG_DATA_HOME="$(mktemp -d)" gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"' sh"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_read_from_the_keychain_they_were_stored_in() {
    let fake = fake_ats::spawn(fake_ats::Config {
        candidates: 5,
        ..Default::default()
    })
    .await
    .expect("fake");
    let sr = fake.info().smartrecruiters.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let other = tempfile::tempdir().expect("tempdir");

    let script = format!(
        r#"
set -e
printf '%s' "$KEY" | env -u DBUS_SESSION_BUS_ADDRESS "$HB" --data-dir "$DIR" accounts add --vendor smartrecruiters --api-key-stdin --base-url "$BASE" --label Acme > "$DIR/add.txt" 2>&1
printf '%s' "$KEY" | {IN_SECRET_SERVICE} "$HB" --data-dir "$OTHER" accounts add --vendor smartrecruiters --api-key-stdin --base-url "$BASE" --label Probe > "$DIR/probe.txt" 2>&1
{IN_SECRET_SERVICE} "$HB" --data-dir "$DIR" jobs list --account Acme --live > "$DIR/jobs.txt" 2>&1
{IN_SECRET_SERVICE} "$HB" --data-dir "$DIR" accounts remove Acme > "$DIR/remove.txt" 2>&1
printf '%s' "$KEY" | {IN_SECRET_SERVICE} "$HB" --data-dir "$DIR" accounts add --vendor smartrecruiters --api-key-stdin --base-url "$BASE" --label Again > "$DIR/again.txt" 2>&1
"#
    );
    let out = Command::new("keyctl")
        .args(["session", "-", "sh", "-c", &script])
        .env("HB", BIN)
        .env("DIR", dir.path())
        .env("OTHER", other.path())
        .env("KEY", &sr.api_key)
        .env("BASE", &sr.base_url)
        .env_remove("HIREBRIDGE_DATA_DIR")
        .output()
        .expect("keyctl runs (install the keyutils package)");
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap_or_default();
    let outputs = format!(
        "add: {}\nprobe: {}\njobs: {}\nremove: {}\nagain: {}\nstderr: {}",
        read("add.txt"),
        read("probe.txt"),
        read("jobs.txt"),
        read("remove.txt"),
        read("again.txt"),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{}\n{outputs}", out.status);
    assert!(read("add.txt").contains("kernel keyring"), "{outputs}");
    assert!(
        read("probe.txt").contains("Secret Service"),
        "a Secret Service answered in the second session: {outputs}"
    );
    assert!(
        read("jobs.txt").contains(" open "),
        "the jobs were listed with the key from the kernel keyring: {outputs}"
    );
    assert!(
        read("again.txt").contains("Secret Service"),
        "with no account left, the next key goes to the keychain that answers now: {outputs}"
    );
    fake.shutdown().await;
}
