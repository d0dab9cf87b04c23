//! Round trips through the real OS keychain. They need an environment the default test run does
//! not have, so they are ignored by default; run each inside its wrapper:
//!
//! Secret Service (GNOME Keyring, headless):
//!   dbus-run-session -- sh -c 'export XDG_DATA_HOME=$(mktemp -d); echo -n hb | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
//!     && cargo test -p hirebridge-core --test keychain_roundtrip -- --ignored --exact secret_service_round_trip'
//! Kernel keyring (no D-Bus session bus):
//!   env -u DBUS_SESSION_BUS_ADDRESS keyctl session - \
//!     cargo test -p hirebridge-core --test keychain_roundtrip -- --ignored --exact kernel_keyring_round_trip
#![cfg(target_os = "linux")]

use std::process::Command;

use hirebridge_core::secrets::{
    KeychainBackend, KeyringSecretStore, Secret, SecretStore, StoredSecret, system_store,
};

fn sample() -> StoredSecret {
    StoredSecret::OAuth {
        access_token: Secret::new(format!("at-{}", uuid::Uuid::new_v4())),
        refresh_token: Some(Secret::new(format!("rt-{}", uuid::Uuid::new_v4()))),
        expires_at: Some(1_900_000_000),
        client_secret: Some(Secret::new("cs-round-trip")),
    }
}

/// Sets, reads back through a fresh store, overwrites, deletes, deletes again.
fn round_trip(store: &dyn SecretStore, account: &str) {
    assert_eq!(store.get(account).expect("read a missing entry"), None);
    let first = sample();
    store.set(account, &first).expect("store");
    let fresh = KeyringSecretStore::detect();
    assert_eq!(fresh.get(account).expect("read back"), Some(first));
    let second = StoredSecret::ApiKey {
        key: Secret::new("key-2"),
    };
    store.set(account, &second).expect("overwrite");
    assert_eq!(store.get(account).expect("read overwrite"), Some(second));
    store.delete(account).expect("delete");
    assert_eq!(store.get(account).expect("read deleted"), None);
    store.delete(account).expect("deleting twice is fine");
}

#[test]
#[ignore = "needs a Secret Service: see the command at the top of this file"]
fn secret_service_round_trip() {
    let store = system_store().expect("keychain opens");
    assert_eq!(store.backend_name(), "Secret Service (GNOME Keyring)");
    let account = format!("ss-{}", uuid::Uuid::new_v4());
    store.set(&account, &sample()).expect("store");
    // An independent client sees the item: it really is in the Secret Service.
    let seen = Command::new("secret-tool")
        .args(["lookup", "service", "hirebridge", "username", &account])
        .output()
        .expect("secret-tool runs");
    assert!(
        String::from_utf8_lossy(&seen.stdout).contains("\"refresh_token\""),
        "secret-tool did not find the item"
    );
    store.delete(&account).expect("delete");
    round_trip(store.as_ref(), &account);
}

#[test]
#[ignore = "needs a session keyring and no D-Bus: see the command at the top of this file"]
fn kernel_keyring_round_trip() {
    let store = system_store().expect("keychain opens");
    assert_eq!(
        store.backend_name(),
        "Linux kernel keyring (lost at logout)"
    );
    let account = format!("kk-{}", uuid::Uuid::new_v4());
    store.set(&account, &sample()).expect("store");
    // keyctl finds the key in the session keyring: it really is in the kernel.
    let found = Command::new("keyctl")
        .args([
            "search",
            "@s",
            "user",
            &format!("keyring-rs:{account}@hirebridge"),
        ])
        .status()
        .expect("keyctl runs");
    assert!(found.success(), "keyctl did not find the key");
    store.delete(&account).expect("delete");
    round_trip(store.as_ref(), &account);
}

#[test]
fn explicit_backends_name_themselves() {
    assert_eq!(
        KeyringSecretStore::with_backend(KeychainBackend::KernelKeyring).backend_name(),
        "Linux kernel keyring (lost at logout)"
    );
    assert_eq!(
        KeyringSecretStore::with_backend(KeychainBackend::SecretService).backend_name(),
        "Secret Service (GNOME Keyring)"
    );
}
