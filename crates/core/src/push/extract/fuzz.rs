//! Fuzzing entry point (`fuzz/`): bytes through the resume extractor exactly as a file's
//! content would go, kind sniffed the same way, parsed under the product's limits and isolation.

use std::io::Write;

use super::{ExtractLimits, ResumeKind, parse_with_limits};

/// Limits small enough for a fuzzer's pace; the behaviour at the limits is what matters.
fn limits() -> ExtractLimits {
    ExtractLimits {
        max_read_bytes: 1024 * 1024,
        max_docx_xml_bytes: 4 * 1024 * 1024,
        timeout: std::time::Duration::from_secs(5),
        max_running: 64,
    }
}

/// Sniffs `data` as [`super::inspect`] does (through a real file) and parses it.
pub fn extract_bytes(data: &[u8]) {
    let Ok(mut file) = tempfile_in_memory() else {
        return;
    };
    if file.write_all(data).is_err() || std::io::Seek::rewind(&mut file).is_err() {
        return;
    }
    let kind = match super::sniff(&mut file) {
        Ok(Some(kind)) => kind,
        _ => return,
    };
    let _ = parse_with_limits(kind, data.to_vec(), &limits());
    // Both parsers see every input, whatever the sniffing said.
    let other = match kind {
        ResumeKind::Pdf => ResumeKind::Docx,
        ResumeKind::Docx => ResumeKind::Pdf,
    };
    let _ = parse_with_limits(other, data.to_vec(), &limits());
}

/// An unnamed temporary file (removed when closed).
fn tempfile_in_memory() -> std::io::Result<std::fs::File> {
    let path = std::env::temp_dir().join(format!(
        "hirebridge-fuzz-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .read(true)
        .write(true)
        .open(&path)?;
    let _ = std::fs::remove_file(&path);
    Ok(file)
}
