//! Files to upload: checked before any request is sent, then streamed from disk part by part.

use std::path::{Path, PathBuf};

use reqwest::multipart::{Form, Part};
use tokio_util::io::ReaderStream;

use super::HttpError;

/// A file that exists, is readable, is not empty and is within the vendor's limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub path: PathBuf,
    pub file_name: String,
    pub mime: String,
    pub len: u64,
}

/// Refuses a missing, unreadable, empty or over-limit file. `max_bytes` is the vendor's limit.
pub async fn check_upload(path: &Path, max_bytes: u64) -> Result<CheckedFile, HttpError> {
    let shown = path.display();
    let meta = tokio::fs::metadata(path).await.map_err(|e| {
        HttpError::Upload(match e.kind() {
            std::io::ErrorKind::NotFound => format!("The file {shown} does not exist."),
            std::io::ErrorKind::PermissionDenied => {
                format!("The file {shown} cannot be read (permission denied).")
            }
            _ => format!("The file {shown} cannot be read: {e}"),
        })
    })?;
    if !meta.is_file() {
        return Err(HttpError::Upload(format!("{shown} is not a file.")));
    }
    if meta.len() == 0 {
        return Err(HttpError::Upload(format!(
            "The file {shown} is empty (0 bytes)."
        )));
    }
    if meta.len() > max_bytes {
        return Err(HttpError::Upload(format!(
            "The file {shown} is {:.1} MB; the ATS accepts at most {:.1} MB.",
            meta.len() as f64 / 1_000_000.0,
            max_bytes as f64 / 1_000_000.0
        )));
    }
    // Opening proves we can read it now, not just that it exists.
    tokio::fs::File::open(path).await.map_err(|e| {
        HttpError::Upload(format!(
            "The file {shown} cannot be opened for reading: {e}"
        ))
    })?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "upload".to_owned());
    let mime = mime_guess::from_path(path)
        .first_or_octet_stream()
        .essence_str()
        .to_owned();
    Ok(CheckedFile {
        path: path.to_owned(),
        file_name,
        mime,
        len: meta.len(),
    })
}

/// A multipart body described as data, so it can be rebuilt (and the file reopened) on a retry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MultipartSpec {
    pub fields: Vec<(String, String)>,
    pub files: Vec<(String, CheckedFile)>,
}

impl MultipartSpec {
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.push((name.into(), value.into()));
        self
    }

    pub fn file(mut self, name: impl Into<String>, file: CheckedFile) -> Self {
        self.files.push((name.into(), file));
        self
    }

    /// The form, with each file streamed from disk: nothing is read into memory up front.
    pub async fn build(&self) -> Result<Form, HttpError> {
        let mut form = Form::new();
        for (name, value) in &self.fields {
            form = form.text(name.clone(), value.clone());
        }
        for (name, file) in &self.files {
            let handle = tokio::fs::File::open(&file.path).await.map_err(|e| {
                HttpError::Upload(format!(
                    "The file {} cannot be opened for reading: {e}",
                    file.path.display()
                ))
            })?;
            let body = reqwest::Body::wrap_stream(ReaderStream::new(handle));
            let part = Part::stream_with_length(body, file.len)
                .file_name(file.file_name.clone())
                .mime_str(&file.mime)
                .map_err(|e| HttpError::Invalid(format!("Bad file type {}: {e}", file.mime)))?;
            form = form.part(name.clone(), part);
        }
        Ok(form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_missing_empty_and_oversized_files_and_accepts_a_good_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("nope.pdf");
        let err = check_upload(&missing, 100).await.expect_err("missing");
        assert!(err.to_string().contains("does not exist"), "{err}");

        let empty = dir.path().join("empty.pdf");
        std::fs::write(&empty, b"").expect("write");
        let err = check_upload(&empty, 100).await.expect_err("empty");
        assert!(err.to_string().contains("empty"), "{err}");

        let big = dir.path().join("big.pdf");
        std::fs::write(&big, vec![b'x'; 101]).expect("write");
        let err = check_upload(&big, 100).await.expect_err("too big");
        assert!(err.to_string().contains("at most"), "{err}");

        let err = check_upload(dir.path(), 100)
            .await
            .expect_err("a directory");
        assert!(err.to_string().contains("not a file"), "{err}");

        let ok = check_upload(&big, 101).await.expect("accepted");
        assert_eq!(ok.len, 101);
        assert_eq!(ok.file_name, "big.pdf");
        assert_eq!(ok.mime, "application/pdf");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn refuses_an_unreadable_file() {
        // A symlink loop cannot be read by anyone, root included, so this check runs everywhere.
        let dir = tempfile::tempdir().expect("tempdir");
        let looped = dir.path().join("loop.pdf");
        std::os::unix::fs::symlink(&looped, &looped).expect("symlink");
        let err = check_upload(&looped, 100).await.expect_err("unreadable");
        assert!(err.to_string().contains("cannot be read"), "{err}");

        // File permissions only bind other users: root reads a 0o000 file.
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.path().join("locked.pdf");
        std::fs::write(&locked, b"%PDF").expect("write");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        if std::fs::File::open(&locked).is_err() {
            let err = check_upload(&locked, 100).await.expect_err("unreadable");
            assert!(err.to_string().contains("cannot be opened"), "{err}");
        }
    }
}
