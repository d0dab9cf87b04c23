//! Where Hirebridge keeps its files. The platform default comes from the caller (Tauri's path
//! API in the app, the XDG/Known-Folder directory in the CLI); `HIREBRIDGE_DATA_DIR` wins over it
//! so tests never touch a real profile.

use std::path::{Path, PathBuf};

use crate::{Error, ErrorKind, Result};

/// Environment variable that overrides the data directory (tests and the e2e suite set it).
pub const DATA_DIR_ENV: &str = "HIREBRIDGE_DATA_DIR";

/// The data directory to use: `explicit` (a `--data-dir` flag) first, then `HIREBRIDGE_DATA_DIR`,
/// then the platform default.
pub fn resolve_data_dir(
    explicit: Option<PathBuf>,
    platform_default: impl FnOnce() -> Option<PathBuf>,
) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        return Ok(dir);
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    platform_default().ok_or_else(|| {
        Error::new(
            ErrorKind::Io,
            format!("No data directory could be found for this user; set {DATA_DIR_ENV}."),
        )
    })
}

/// Creates `dir` (and parents) if needed, readable by its owner only: the cache holds candidates'
/// personal data.
pub fn ensure_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("Could not create the data directory {}: {e}", dir.display()),
        )
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_dir_wins_over_everything() {
        let dir = resolve_data_dir(Some(PathBuf::from("/x/explicit")), || {
            Some(PathBuf::from("/x/default"))
        })
        .expect("resolves");
        assert_eq!(dir, PathBuf::from("/x/explicit"));
    }

    #[cfg(unix)]
    #[test]
    fn private_dir_is_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("a/b");
        ensure_private_dir(&dir).expect("creates");
        let mode = std::fs::metadata(&dir).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
