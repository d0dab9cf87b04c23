//! Which keychain a data directory's secrets went to, kept beside its database.
//!
//! On Linux the backend is probed at each start (is a Secret Service answering?). The probe's
//! answer can change between runs or between two CLI processes: a keyring daemon still starting,
//! a session without D-Bus. Without a record, secrets written to one backend would be looked for
//! in the other and the accounts would seem to need linking again. The file holds a backend id
//! (no secret); it is written when the first secret is stored and read before the probe.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::KeychainBackend;

const FILE_NAME: &str = "keychain-backend";

/// The file recording the backend of the secrets kept for `data_dir`.
#[derive(Debug, Clone)]
pub(crate) struct BackendPin {
    path: PathBuf,
}

impl BackendPin {
    pub(crate) fn in_dir(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join(FILE_NAME),
        }
    }

    /// The recorded backend; `None` when nothing was stored yet, or when the file names a
    /// backend this system does not have (a data directory copied from another OS).
    pub(crate) fn read(&self) -> Option<KeychainBackend> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let backend = KeychainBackend::from_id(text.trim());
        if backend.is_none() {
            tracing::warn!(
                "{} names an unknown keychain ({:?}); probing instead",
                self.path.display(),
                text.trim()
            );
        }
        backend
    }

    /// Records `backend` unless a backend is recorded already. Written to a temporary file and
    /// renamed, so a crash leaves either no record or a whole one.
    pub(crate) fn record_once(&self, backend: KeychainBackend) -> std::io::Result<()> {
        if self.path.exists() {
            return Ok(());
        }
        let tmp = self.path.with_extension("tmp");
        {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(backend.id().as_bytes())?;
            file.sync_all()?;
        }
        std::fs::rename(&tmp, &self.path)
    }

    /// Forgets the record (no account keeps a secret any more).
    pub(crate) fn clear(&self) -> std::io::Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some_backend() -> KeychainBackend {
        KeychainBackend::all()[0]
    }

    #[test]
    fn records_the_first_backend_only_and_reads_it_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pin = BackendPin::in_dir(dir.path());
        assert_eq!(pin.read(), None);
        let all = KeychainBackend::all();
        pin.record_once(all[0]).expect("recorded");
        pin.record_once(*all.last().expect("a backend"))
            .expect("no-op");
        assert_eq!(pin.read(), Some(all[0]));
        assert!(!dir.path().join("keychain-backend.tmp").exists());
        pin.clear().expect("cleared");
        pin.clear().expect("clearing twice is fine");
        assert_eq!(pin.read(), None);
    }

    #[test]
    fn an_unknown_or_empty_record_is_ignored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pin = BackendPin::in_dir(dir.path());
        std::fs::write(dir.path().join(FILE_NAME), "commodore-64").expect("write");
        assert_eq!(pin.read(), None);
        std::fs::write(dir.path().join(FILE_NAME), "").expect("write");
        assert_eq!(pin.read(), None);
        std::fs::write(
            dir.path().join(FILE_NAME),
            format!("{}\n", some_backend().id()),
        )
        .expect("write");
        assert_eq!(pin.read(), Some(some_backend()));
    }
}
