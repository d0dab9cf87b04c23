//! A minimal, valid one-page PDF writer (Helvetica text, exact xref offsets), for seeded resumes.

/// Escape a string for a PDF literal string. Helvetica (WinAnsi) cannot show most non-Latin scripts,
/// so characters outside Latin-1 are written as `?`; the ASCII transliteration line carries them.
fn pdf_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 => out.push(' '),
            c if (c as u32) < 0x7f => out.push(c),
            c if (c as u32) <= 0xff => out.push_str(&format!("\\{:03o}", c as u32)),
            _ => out.push('?'),
        }
    }
    out
}

/// Build a one-page PDF with the given lines of text (first line larger, as a title).
pub fn one_page(lines: &[String]) -> Vec<u8> {
    let mut content = String::from("BT\n/F1 18 Tf\n72 740 Td\n");
    for (i, line) in lines.iter().enumerate() {
        if i == 1 {
            content.push_str("/F1 11 Tf\n0 -28 Td\n");
        } else if i > 1 {
            content.push_str("0 -16 Td\n");
        }
        content.push('(');
        content.push_str(&pdf_literal(line));
        content.push_str(") Tj\n");
    }
    content.push_str("ET\n");

    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{}endstream", content.len(), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
    ];
    from_objects(&objects)
}

/// A PDF of `objects` (numbered from 1, the first being the catalog), with an exact xref.
pub fn from_objects(objects: &[String]) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{}\nendobj\n", i + 1, body).as_bytes());
    }
    let xref_at = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{}\n%%EOF\n",
            objects.len() + 1,
            xref_at
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(hay: &[u8], needle: &[u8]) -> usize {
        hay.windows(needle.len())
            .position(|w| w == needle)
            .expect("needle present")
    }

    #[test]
    fn xref_offsets_point_at_objects() {
        let pdf = one_page(&["Zoë (Test)".into(), "zoe@example.com".into()]);
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        let sx = find(&pdf, b"startxref\n") + 10;
        let tail = String::from_utf8_lossy(&pdf[sx..]).to_string();
        let startxref: usize = tail
            .lines()
            .next()
            .and_then(|s| s.parse().ok())
            .expect("startxref number");
        assert_eq!(&pdf[startxref..startxref + 4], b"xref");
        let xref = String::from_utf8_lossy(&pdf[startxref..]).to_string();
        for (n, line) in xref.lines().skip(3).take(5).enumerate() {
            let off: usize = line[..10].parse().expect("offset");
            let expected = format!("{} 0 obj", n + 1);
            assert_eq!(&pdf[off..off + expected.len()], expected.as_bytes());
        }
        find(&pdf, b"(zoe@example.com) Tj");
        find(&pdf, b"Zo\\353 \\(Test\\)");
    }
}
