//! Candidate push: read a resume, prefill the form, then validate, find duplicates, create,
//! apply, attach and cache, once, even across a crash.

pub mod extract;
pub mod journal;
pub mod pipeline;
pub mod prefill;
pub mod validate;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use extract::{ExtractLimits, ResumeKind, TextOutcome};
pub use pipeline::{
    ProgressFn, PushOutcome, PushProgress, PushRequest, PushResponse, PushStep, push, read_resume,
};
pub use prefill::Prefill;

/// A resume read for the push form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ResumeDraft {
    pub path: String,
    pub file_name: String,
    pub kind: ResumeKind,
    pub size_bytes: f64,
    /// Empty when the text could not be read; `note` says why.
    pub prefill: Prefill,
    /// Characters of text found (0 for a scanned PDF with no text layer).
    pub text_chars: u32,
    /// Why nothing was prefilled, for the person ("too large to read; you can still attach it").
    pub note: Option<String>,
}

impl ResumeDraft {
    pub fn from_extracted(path: &Path, extracted: extract::Extracted) -> Self {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (prefill, text_chars, note) = match &extracted.text {
            TextOutcome::Read { text } => {
                let chars = text.chars().filter(|c| !c.is_whitespace()).count();
                let note = (chars == 0).then(|| {
                    "No text found in this file (a scanned document?). Fill the form by hand; the file can still be attached.".to_owned()
                });
                (
                    prefill::prefill(text),
                    chars.min(u32::MAX as usize) as u32,
                    note,
                )
            }
            TextOutcome::TooLarge {
                size_bytes,
                limit_bytes,
            } => (
                Prefill::default(),
                0,
                Some(format!(
                    "This file is too large to read ({:.0} MB, over {:.0} MB); you can still attach it if the ATS accepts its size.",
                    size_bytes / 1_000_000.0,
                    limit_bytes / 1_000_000.0
                )),
            ),
            TextOutcome::Unreadable { reason } => (
                Prefill::default(),
                0,
                Some(format!(
                    "{} Fill the form by hand; the file can still be attached.",
                    as_sentence(reason)
                )),
            ),
        };
        Self {
            path: path.to_string_lossy().into_owned(),
            file_name,
            kind: extracted.kind,
            size_bytes: extracted.size_bytes as f64,
            prefill,
            text_chars,
            note,
        }
    }
}

/// `text` ending with a full stop (a parser's own message often has none).
fn as_sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_resume_says_why_in_sentences_and_keeps_the_file() {
        let extracted = |reason: &str| extract::Extracted {
            kind: ResumeKind::Pdf,
            size_bytes: 10,
            text: TextOutcome::Unreadable {
                reason: reason.into(),
            },
        };
        let path = Path::new("/tmp/cv.pdf");
        let draft = ResumeDraft::from_extracted(
            path,
            extracted("The PDF could not be read: it has a drawing that contains itself"),
        );
        assert_eq!(
            draft.note.as_deref(),
            Some(
                "The PDF could not be read: it has a drawing that contains itself. \
                 Fill the form by hand; the file can still be attached."
            )
        );
        assert_eq!((draft.file_name.as_str(), draft.text_chars), ("cv.pdf", 0));
        let draft = ResumeDraft::from_extracted(path, extracted("Reading took too long. "));
        assert!(
            draft
                .note
                .is_some_and(|n| n.starts_with("Reading took too long. Fill the form")),
        );
    }
}
