//! Text out of a resume file (PDF or DOCX), without letting a hostile file hurt the app.
//!
//! The type comes from the content (magic bytes, the DOCX part inside the zip), never from the
//! name. The file's size is checked before a byte is read; the parse runs on its own thread
//! with a wall-clock limit, and a panic inside a parser becomes an ordinary outcome.

use std::io::{Read, Seek};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{Error, ErrorKind};

#[doc(hidden)]
pub mod fuzz;
mod pdf_loops;

/// What the file is, by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ResumeKind {
    Pdf,
    Docx,
}

impl ResumeKind {
    pub fn label(self) -> &'static str {
        match self {
            ResumeKind::Pdf => "PDF",
            ResumeKind::Docx => "DOCX",
        }
    }
}

/// How far reading the text got. A file whose text could not be read can still be attached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum TextOutcome {
    Read {
        text: String,
    },
    /// Larger than [`ExtractLimits::max_read_bytes`]: not opened at all.
    TooLarge {
        size_bytes: f64,
        limit_bytes: f64,
    },
    /// The parser failed, panicked or ran out of time; `reason` says which, for a person.
    Unreadable {
        reason: String,
    },
}

#[derive(Debug, Clone, Copy)]
pub struct ExtractLimits {
    /// Files above this are not parsed (resumes are rarely over a few MB).
    pub max_read_bytes: u64,
    /// Most bytes the DOCX body may inflate to (a zip bomb stops here).
    pub max_docx_xml_bytes: u64,
    /// Wall-clock time a parse may take before we stop waiting for it.
    pub timeout: Duration,
    /// Parses allowed to run at once, abandoned ones included (see [`extract`]).
    pub max_running: usize,
}

impl Default for ExtractLimits {
    fn default() -> Self {
        Self {
            max_read_bytes: 20 * 1024 * 1024,
            max_docx_xml_bytes: 32 * 1024 * 1024,
            timeout: Duration::from_secs(10),
            max_running: 8,
        }
    }
}

/// The file's kind, size and text (or why there is none).
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    pub kind: ResumeKind,
    pub size_bytes: u64,
    pub text: TextOutcome,
}

/// Failures that leave nothing to attach: no file, an empty file, a file of another type.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("The file {0} does not exist.")]
    Missing(String),
    #[error("The file {path} cannot be read: {detail}")]
    Unreadable { path: String, detail: String },
    #[error("{0} is not a file.")]
    NotAFile(String),
    #[error("The file {0} is empty (0 bytes).")]
    Empty(String),
    #[error("{0} is not a PDF or DOCX file; only those can be read as a resume.")]
    UnknownType(String),
}

impl From<ExtractError> for Error {
    fn from(err: ExtractError) -> Self {
        let kind = match err {
            ExtractError::Missing(_) => ErrorKind::NotFound,
            ExtractError::Unreadable { .. } => ErrorKind::Io,
            ExtractError::NotAFile(_) | ExtractError::Empty(_) | ExtractError::UnknownType(_) => {
                ErrorKind::Validation
            }
        };
        Error::new(kind, err.to_string())
    }
}

/// The file as a message names it: its name, quoted (the recruiter dropped or picked it; the
/// temp or download directory it sits in says nothing to them).
fn shown_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    format!("“{name}”")
}

/// Parses in flight, including ones we stopped waiting for: a parse that ignores the deadline
/// keeps its thread until it ends, and this bound keeps a burst of hostile files from piling up
/// threads.
static RUNNING: AtomicUsize = AtomicUsize::new(0);

const PARSE_STACK_BYTES: usize = 16 * 1024 * 1024;

/// Reads the resume at `path`. Blocking: call it from `spawn_blocking` in async code.
///
/// Why a thread and not a child process: the core is a library used by the Tauri app and the
/// CLI, and a process would need a helper executable (or a hidden mode of each binary) shipped
/// and found on three OSs. A thread gives the deadline and panic isolation; the size caps
/// bound the memory. What a thread cannot do is kill a parser stuck in a loop: it is abandoned
/// (it cannot write anywhere but its channel) and counted in [`RUNNING`] until it ends.
pub fn extract(path: &Path, limits: &ExtractLimits) -> Result<Extracted, ExtractError> {
    let (kind, size) = inspect(path)?;
    let shown = shown_name(path);
    let unreadable = |e: std::io::Error| ExtractError::Unreadable {
        path: shown.clone(),
        detail: e.to_string(),
    };
    if size > limits.max_read_bytes {
        return Ok(Extracted {
            kind,
            size_bytes: size,
            text: TextOutcome::TooLarge {
                size_bytes: size as f64,
                limit_bytes: limits.max_read_bytes as f64,
            },
        });
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::with_capacity(size as usize);
    // `take` in case the file grew since the size check.
    file.take(limits.max_read_bytes)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    let text = parse_with_limits(kind, bytes, limits);
    Ok(Extracted {
        kind,
        size_bytes: size,
        text,
    })
}

/// The file's kind (by content) and size, refusing a missing, empty or foreign file. Reads
/// at most its first KiB and, for a zip, its central directory.
pub fn inspect(path: &Path) -> Result<(ResumeKind, u64), ExtractError> {
    let shown = shown_name(path);
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ExtractError::Missing(shown.clone()),
        _ => ExtractError::Unreadable {
            path: shown.clone(),
            detail: e.to_string(),
        },
    })?;
    if !meta.is_file() {
        return Err(ExtractError::NotAFile(shown));
    }
    if meta.len() == 0 {
        return Err(ExtractError::Empty(shown));
    }
    let unreadable = |e: std::io::Error| ExtractError::Unreadable {
        path: shown.clone(),
        detail: e.to_string(),
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let kind = sniff(&mut file).map_err(unreadable)?;
    let kind = kind.ok_or_else(|| ExtractError::UnknownType(shown.clone()))?;
    Ok((kind, meta.len()))
}

/// PDF by its header, DOCX by being a zip holding `word/document.xml`; `None` for anything else.
fn sniff(file: &mut std::fs::File) -> std::io::Result<Option<ResumeKind>> {
    let mut head = [0u8; 1024];
    let mut n = 0;
    while n < head.len() {
        let read = file.read(&mut head[n..])?;
        if read == 0 {
            break;
        }
        n += read;
    }
    let head = &head[..n];
    // Readers accept the header anywhere in the first 1024 bytes (PDF 1.7, annex H.3).
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Some(ResumeKind::Pdf));
    }
    if head.starts_with(b"PK\x03\x04") {
        file.rewind()?;
        // Only the central directory is read here, so a huge zip is cheap to check.
        let is_docx = zip::ZipArchive::new(&mut *file)
            .map(|z| z.index_for_name("word/document.xml").is_some())
            .unwrap_or(false);
        return Ok(is_docx.then_some(ResumeKind::Docx));
    }
    Ok(None)
}

fn parse_with_limits(kind: ResumeKind, bytes: Vec<u8>, limits: &ExtractLimits) -> TextOutcome {
    let max_xml = limits.max_docx_xml_bytes;
    run_isolated(kind, limits, move || match kind {
        ResumeKind::Pdf => pdf_text(&bytes),
        ResumeKind::Docx => docx_text(&bytes, max_xml),
    })
}

/// Runs `parse` on its own thread: its panic or its overrun becomes an `Unreadable` outcome.
fn run_isolated<F>(kind: ResumeKind, limits: &ExtractLimits, parse: F) -> TextOutcome
where
    F: FnOnce() -> Result<String, String> + Send + std::panic::UnwindSafe + 'static,
{
    if RUNNING.fetch_add(1, Ordering::SeqCst) >= limits.max_running {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        return TextOutcome::Unreadable {
            reason: "Other resumes are still being read; try again in a moment.".into(),
        };
    }
    let guard = RunningGuard;
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("resume-parse".into())
        // Parsers recurse over nested objects. The depth is bounded (lopdf's bracket limit,
        // `pdf_loops`), but an unoptimized build's frames are large and an overflow aborts the
        // process; address space is reserved, pages are only committed as they are touched.
        .stack_size(PARSE_STACK_BYTES)
        .spawn(move || {
            let _guard = guard;
            let result = std::panic::catch_unwind(parse);
            // The receiver may have stopped waiting; nothing to do then.
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return TextOutcome::Unreadable {
            reason: format!("Could not start reading the file: {e}"),
        };
    }
    match rx.recv_timeout(limits.timeout) {
        Ok(Ok(Ok(text))) => TextOutcome::Read { text },
        Ok(Ok(Err(reason))) => TextOutcome::Unreadable { reason },
        Ok(Err(_panic)) => TextOutcome::Unreadable {
            reason: format!(
                "The {} could not be read (the parser gave up on it).",
                kind.label()
            ),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => TextOutcome::Unreadable {
            reason: format!(
                "Reading the {} took longer than {} ms and was stopped.",
                kind.label(),
                limits.timeout.as_millis()
            ),
        },
        Err(mpsc::RecvTimeoutError::Disconnected) => TextOutcome::Unreadable {
            reason: format!("The {} could not be read.", kind.label()),
        },
    }
}

struct RunningGuard;

impl Drop for RunningGuard {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What `pdf_extract::extract_text_from_mem` does, with [`pdf_loops::check`] between loading
/// the document and walking it.
fn pdf_text(bytes: &[u8]) -> Result<String, String> {
    let unreadable = |e: &dyn std::fmt::Display| format!("The PDF could not be read: {e}");
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| unreadable(&e))?;
    if doc.is_encrypted() {
        // An empty user password opens most "protected" PDFs (they only restrict printing).
        doc.decrypt("").map_err(|e| unreadable(&e))?;
    }
    pdf_loops::check(&doc).map_err(|refused| unreadable(&refused))?;
    let mut text = String::new();
    pdf_extract::output_doc(&doc, &mut pdf_extract::PlainTextOutput::new(&mut text))
        .map_err(|e| unreadable(&e))?;
    Ok(text)
}

/// The paragraphs of `word/document.xml`, one per line; tabs and breaks kept as whitespace.
fn docx_text(bytes: &[u8], max_xml: u64) -> Result<String, String> {
    use quick_xml::events::Event;

    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("The DOCX is not a valid archive: {e}"))?;
    let entry = archive
        .by_name("word/document.xml")
        .map_err(|e| format!("The DOCX has no document body: {e}"))?;
    let mut xml = Vec::new();
    entry
        .take(max_xml + 1)
        .read_to_end(&mut xml)
        .map_err(|e| format!("The DOCX body could not be inflated: {e}"))?;
    if xml.len() as u64 > max_xml {
        return Err(format!(
            "The DOCX body inflates to more than {} MB; it was not read.",
            max_xml / (1024 * 1024)
        ));
    }
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut out = String::new();
    let mut in_text = false;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "t" => in_text = true,
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "tab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => out.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) if in_text => {
                // Entities arrive as their own events: `&amp;` as "amp", `&#233;` as "#233".
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else if let Some(s) =
                    quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                {
                    out.push_str(s);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("The DOCX body is not valid XML: {e}")),
        }
        buf.clear();
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal valid DOCX holding `paragraphs`.
    pub(crate) fn docx(paragraphs: &[&str]) -> Vec<u8> {
        let body: String = paragraphs
            .iter()
            .map(|p| {
                let escaped = p.replace('&', "&amp;").replace('<', "&lt;");
                format!("<w:p><w:r><w:t xml:space=\"preserve\">{escaped}</w:t></w:r></w:p>")
            })
            .collect();
        let document = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
             <w:body>{body}</w:body></w:document>"
        );
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("[Content_Types].xml", opts).expect("entry");
        zip.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>")
            .expect("write");
        zip.start_file("word/document.xml", opts).expect("entry");
        zip.write_all(document.as_bytes()).expect("write");
        zip.finish().expect("zip");
        out.into_inner()
    }

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, bytes).expect("write fixture");
        p
    }

    fn text_of(e: &Extracted) -> &str {
        match &e.text {
            TextOutcome::Read { text } => text,
            other => panic!("expected text, got {other:?}"),
        }
    }

    #[test]
    fn reads_a_pdf_by_content_even_with_a_wrong_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pdf = fake_ats::pdf::one_page(&["Grace Hopper".into(), "grace@navy.example".into()]);
        let p = write(dir.path(), "resume.bin", &pdf);
        let out = extract(&p, &ExtractLimits::default()).expect("extracts");
        assert_eq!(out.kind, ResumeKind::Pdf);
        assert!(text_of(&out).contains("Grace Hopper"), "{:?}", out.text);
        assert!(text_of(&out).contains("grace@navy.example"));
    }

    #[test]
    fn reads_docx_paragraphs_as_lines_with_entities() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(
            dir.path(),
            "cv.docx",
            &docx(&["Zoë Ångström", "R&D <lead>", "zoe@example.se"]),
        );
        let out = extract(&p, &ExtractLimits::default()).expect("extracts");
        assert_eq!(out.kind, ResumeKind::Docx);
        let lines: Vec<&str> = text_of(&out).lines().collect();
        assert_eq!(lines, ["Zoë Ångström", "R&D <lead>", "zoe@example.se"]);
    }

    #[test]
    fn empty_missing_and_foreign_files_are_clear_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let empty = write(dir.path(), "empty.pdf", b"");
        let err = extract(&empty, &ExtractLimits::default()).expect_err("empty");
        assert!(matches!(err, ExtractError::Empty(_)), "{err}");
        assert!(err.to_string().contains("empty (0 bytes)"));

        let missing = dir.path().join("nope.pdf");
        let err = Error::from(extract(&missing, &ExtractLimits::default()).expect_err("missing"));
        assert_eq!(err.kind, ErrorKind::NotFound);

        // A PNG named .pdf is refused by content.
        let png = write(dir.path(), "photo.pdf", b"\x89PNG\r\n\x1a\n0000");
        let err = extract(&png, &ExtractLimits::default()).expect_err("png");
        assert!(matches!(err, ExtractError::UnknownType(_)), "{err}");

        // A zip that is not a Word document.
        let mut plain = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut plain);
        z.start_file("a.txt", zip::write::SimpleFileOptions::default())
            .expect("entry");
        z.write_all(b"hi").expect("write");
        z.finish().expect("zip");
        let zip_file = write(dir.path(), "cv.docx", &plain.into_inner());
        let err = extract(&zip_file, &ExtractLimits::default()).expect_err("zip");
        assert!(matches!(err, ExtractError::UnknownType(_)), "{err}");
    }

    #[test]
    fn a_file_over_the_read_limit_is_not_read_but_reported() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("huge.pdf");
        let f = std::fs::File::create(&p).expect("create");
        let mut w = std::io::BufWriter::new(f);
        w.write_all(b"%PDF-1.4\n").expect("head");
        drop(w);
        // Sparse: 200 MB on paper, nothing on disk.
        std::fs::OpenOptions::new()
            .write(true)
            .open(&p)
            .expect("open")
            .set_len(200 * 1024 * 1024)
            .expect("grow");
        let out = extract(&p, &ExtractLimits::default()).expect("outcome");
        assert_eq!(out.kind, ResumeKind::Pdf);
        assert_eq!(out.size_bytes, 200 * 1024 * 1024);
        assert!(
            matches!(out.text, TextOutcome::TooLarge { .. }),
            "{:?}",
            out.text
        );
    }

    #[test]
    fn corrupt_files_are_unreadable_not_a_crash() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut garbage = b"%PDF-1.7\n".to_vec();
        garbage.extend((0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        let p = write(dir.path(), "broken.pdf", &garbage);
        let out = extract(&p, &ExtractLimits::default()).expect("outcome");
        assert!(
            matches!(out.text, TextOutcome::Unreadable { .. }),
            "{:?}",
            out.text
        );

        // A truncated real PDF (cut mid-stream).
        let pdf = fake_ats::pdf::one_page(&["Cut short".into()]);
        let p = write(dir.path(), "cut.pdf", &pdf[..pdf.len() / 2]);
        let out = extract(&p, &ExtractLimits::default()).expect("outcome");
        if let TextOutcome::Read { text } = &out.text {
            // Some parsers recover what is there; it must not be invented text.
            assert!(!text.contains("Hirebridge"), "{text}");
        }

        // A DOCX whose body is not XML.
        let mut bad = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut bad);
        z.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .expect("entry");
        z.write_all(b"<w:document><w:body><w:p></w:x>")
            .expect("write");
        z.finish().expect("zip");
        let p = write(dir.path(), "bad.docx", &bad.into_inner());
        let out = extract(&p, &ExtractLimits::default()).expect("outcome");
        assert!(
            matches!(out.text, TextOutcome::Unreadable { .. }),
            "{:?}",
            out.text
        );
    }

    #[test]
    fn a_docx_bomb_stops_at_the_inflate_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut out = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("word/document.xml", opts).expect("entry");
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..3 {
            z.write_all(&chunk).expect("write");
        }
        z.finish().expect("zip");
        let p = write(dir.path(), "bomb.docx", &out.into_inner());
        let limits = ExtractLimits {
            max_docx_xml_bytes: 1024 * 1024,
            ..ExtractLimits::default()
        };
        let out = extract(&p, &limits).expect("outcome");
        match out.text {
            TextOutcome::Unreadable { reason } => assert!(reason.contains("inflates"), "{reason}"),
            other => panic!("expected refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_parse_that_overruns_the_deadline_is_abandoned() {
        let limits = ExtractLimits {
            timeout: Duration::from_millis(20),
            ..ExtractLimits::default()
        };
        let started = std::time::Instant::now();
        let text = run_isolated(ResumeKind::Pdf, &limits, || {
            std::thread::sleep(Duration::from_millis(400));
            Ok("too late".into())
        });
        assert!(
            started.elapsed() < Duration::from_millis(400),
            "did not wait it out"
        );
        match text {
            TextOutcome::Unreadable { reason } => {
                assert!(reason.contains("longer than"), "{reason}")
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
    }

    #[test]
    fn a_panicking_parser_becomes_an_outcome() {
        let text = run_isolated(ResumeKind::Docx, &ExtractLimits::default(), || {
            panic!("parser bug")
        });
        match text {
            TextOutcome::Unreadable { reason } => assert!(reason.contains("DOCX"), "{reason}"),
            other => panic!("expected unreadable, got {other:?}"),
        }
    }
}
