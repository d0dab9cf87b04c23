//! The OS keychain through `keyring` 3.6: macOS Keychain, Windows Credential Manager, and on
//! Linux the Secret Service where one runs (GNOME Keyring, KWallet, KeePassXC), else the kernel
//! keyring, which keeps secrets only until logout. The backend is chosen once, explicitly, so
//! the app can tell the user which one holds their credentials.

use std::path::Path;

use keyring::Entry;

use super::backend_pin::BackendPin;
use super::{SERVICE, SecretStore, StoredSecret, decode, encode};
use crate::{Error, ErrorKind, Result};

/// Which keychain a [`KeyringSecretStore`] writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeychainBackend {
    #[cfg(target_os = "linux")]
    SecretService,
    #[cfg(target_os = "linux")]
    KernelKeyring,
    #[cfg(target_os = "macos")]
    MacKeychain,
    #[cfg(target_os = "windows")]
    WindowsCredentialManager,
}

impl KeychainBackend {
    /// Every backend this system has.
    pub fn all() -> &'static [KeychainBackend] {
        &[
            #[cfg(target_os = "linux")]
            KeychainBackend::SecretService,
            #[cfg(target_os = "linux")]
            KeychainBackend::KernelKeyring,
            #[cfg(target_os = "macos")]
            KeychainBackend::MacKeychain,
            #[cfg(target_os = "windows")]
            KeychainBackend::WindowsCredentialManager,
        ]
    }

    /// A stable name for files and settings.
    pub fn id(self) -> &'static str {
        match self {
            #[cfg(target_os = "linux")]
            KeychainBackend::SecretService => "secret-service",
            #[cfg(target_os = "linux")]
            KeychainBackend::KernelKeyring => "kernel-keyring",
            #[cfg(target_os = "macos")]
            KeychainBackend::MacKeychain => "macos-keychain",
            #[cfg(target_os = "windows")]
            KeychainBackend::WindowsCredentialManager => "windows-credential-manager",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::all().iter().copied().find(|b| b.id() == id)
    }

    pub fn name(self) -> &'static str {
        match self {
            #[cfg(target_os = "linux")]
            KeychainBackend::SecretService => "Secret Service (GNOME Keyring)",
            #[cfg(target_os = "linux")]
            KeychainBackend::KernelKeyring => "Linux kernel keyring (lost at logout)",
            #[cfg(target_os = "macos")]
            KeychainBackend::MacKeychain => "macOS Keychain",
            #[cfg(target_os = "windows")]
            KeychainBackend::WindowsCredentialManager => "Windows Credential Manager",
        }
    }

    /// What the user can do when this backend fails.
    fn remedy(self) -> &'static str {
        match self {
            #[cfg(target_os = "linux")]
            KeychainBackend::SecretService => {
                "Start or unlock your keyring (GNOME Keyring or KWallet), then try again."
            }
            #[cfg(target_os = "linux")]
            KeychainBackend::KernelKeyring => {
                "Start a keyring service such as GNOME Keyring, or run Hirebridge inside a login \
                 session (or `keyctl session -`), and try again."
            }
            #[cfg(target_os = "macos")]
            KeychainBackend::MacKeychain => {
                "Unlock the login keychain and allow Hirebridge access, then try again."
            }
            #[cfg(target_os = "windows")]
            KeychainBackend::WindowsCredentialManager => {
                "Check that Windows Credential Manager is available, then try again."
            }
        }
    }
}

/// A [`SecretStore`] over the OS keychain: one entry per account, service [`SERVICE`].
#[derive(Debug, Clone)]
pub struct KeyringSecretStore {
    backend: KeychainBackend,
    /// Where the backend is recorded when the first secret is stored, if anywhere.
    pin: Option<BackendPin>,
}

impl KeyringSecretStore {
    /// The platform keychain; on Linux the Secret Service when it answers, else the kernel keyring.
    pub fn detect() -> Self {
        Self::with_backend(default_backend())
    }

    /// The keychain holding `data_dir`'s secrets: the one recorded when its first secret was
    /// stored, else the one [`detect`](Self::detect) finds, which the first stored secret records.
    pub fn for_data_dir(data_dir: &Path) -> Self {
        let pin = BackendPin::in_dir(data_dir);
        let backend = pin.read().unwrap_or_else(default_backend);
        Self {
            backend,
            pin: Some(pin),
        }
    }

    /// A store on an explicitly chosen backend (tests, or a user's setting).
    pub fn with_backend(backend: KeychainBackend) -> Self {
        Self { backend, pin: None }
    }

    pub fn backend(&self) -> KeychainBackend {
        self.backend
    }

    /// Opens (without reading or writing) an entry, which fails when the backend is unreachable.
    pub fn check_usable(&self) -> Result<()> {
        self.entry("hirebridge-backend-probe").map(drop)
    }

    fn entry(&self, account_id: &str) -> Result<Entry> {
        let built = match self.backend {
            #[cfg(target_os = "linux")]
            KeychainBackend::SecretService => {
                keyring::secret_service::SsCredential::new_with_target(None, SERVICE, account_id)
                    .map(|c| Entry::new_with_credential(Box::new(c)))
            }
            #[cfg(target_os = "linux")]
            KeychainBackend::KernelKeyring => {
                keyring::keyutils::KeyutilsCredential::new_with_target(None, SERVICE, account_id)
                    .map(|c| Entry::new_with_credential(Box::new(c)))
            }
            #[cfg(any(target_os = "macos", target_os = "windows"))]
            _ => Entry::new(SERVICE, account_id),
        };
        built.map_err(|e| self.failure("open", &e))
    }

    /// After a secret is stored: later runs must look for it in this backend.
    fn record_backend(&self) {
        if let Some(pin) = &self.pin
            && let Err(e) = pin.record_once(self.backend)
        {
            tracing::warn!("could not record which keychain holds the secrets: {e}");
        }
    }

    fn failure(&self, action: &str, err: &keyring::Error) -> Error {
        // keyring's messages name the platform failure, never the secret.
        Error::new(
            ErrorKind::Keychain,
            format!(
                "Could not {action} the account's credentials in the {}: {err}. {}",
                self.backend.name(),
                self.backend.remedy()
            ),
        )
    }
}

impl SecretStore for KeyringSecretStore {
    fn get(&self, account_id: &str) -> Result<Option<StoredSecret>> {
        match self.entry(account_id)?.get_password() {
            Ok(raw) => decode(&raw).map(Some),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(self.failure("read", &e)),
        }
    }

    fn set(&self, account_id: &str, secret: &StoredSecret) -> Result<()> {
        let raw = encode(secret)?;
        self.entry(account_id)?
            .set_password(&raw)
            .map_err(|e| match e {
                // keyutils answers NoEntry on a write when the process has no session keyring.
                keyring::Error::NoEntry => Error::new(
                    ErrorKind::Keychain,
                    format!(
                        "The {} refused to store the credentials. {}",
                        self.backend.name(),
                        self.backend.remedy()
                    ),
                ),
                other => self.failure("save", &other),
            })
            .map(|()| self.record_backend())
    }

    fn delete(&self, account_id: &str) -> Result<()> {
        match self.entry(account_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(self.failure("remove", &e)),
        }
    }

    fn backend_name(&self) -> String {
        self.backend.name().to_owned()
    }

    fn no_secret_left(&self) {
        if let Some(pin) = &self.pin
            && let Err(e) = pin.clear()
        {
            tracing::warn!("could not clear the record of which keychain holds the secrets: {e}");
        }
    }
}

#[cfg(target_os = "linux")]
fn default_backend() -> KeychainBackend {
    if secret_service_answers() {
        KeychainBackend::SecretService
    } else {
        KeychainBackend::KernelKeyring
    }
}

#[cfg(target_os = "macos")]
fn default_backend() -> KeychainBackend {
    KeychainBackend::MacKeychain
}

#[cfg(target_os = "windows")]
fn default_backend() -> KeychainBackend {
    KeychainBackend::WindowsCredentialManager
}

/// A read of an entry that never exists: "no entry" means a Secret Service answered; a D-Bus
/// or platform failure means none runs here.
#[cfg(target_os = "linux")]
fn secret_service_answers() -> bool {
    const PROBE_USER: &str = "hirebridge-backend-probe";
    let Ok(credential) =
        keyring::secret_service::SsCredential::new_with_target(None, SERVICE, PROBE_USER)
    else {
        return false;
    };
    match Entry::new_with_credential(Box::new(credential)).get_password() {
        Ok(_) | Err(keyring::Error::NoEntry) => true,
        Err(e) => {
            tracing::info!("no Secret Service, using the kernel keyring: {e}");
            false
        }
    }
}
