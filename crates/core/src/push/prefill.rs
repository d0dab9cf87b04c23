//! A first guess at who a resume is about: name, emails, phones and profile links.
//!
//! Heuristics only: everything lands in a form the recruiter checks before sending.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::model::{Email, Link, Phone};

/// What the form starts with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Prefill {
    pub first_name: String,
    pub last_name: String,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
    /// LinkedIn first, then GitHub, then the rest; `kind` is `linkedin`, `github` or `website`.
    pub urls: Vec<Link>,
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}\b")
        .expect("static regex")
});
// A run of digits with the separators people write; the digit count is checked afterwards.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+|\b00)?\(?\d[\d \t().\-/]{5,22}\d\b").expect("static regex")
});
static YEAR_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:19|20)\d{2}\s*[-/–.]\s*(?:(?:19|20)\d{2}|\d{1,2})$").expect("static regex")
});
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$").expect("static regex"));
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:https?://[^\s<>()\[\]]+|(?:www\.)?(?:linkedin\.com/(?:in|pub)/[^\s<>()\[\]]+|github\.com/[^\s<>()\[\]]+))",
    )
    .expect("static regex")
});

/// Words that head a resume but are not a name.
const NOT_A_NAME: &[&str] = &[
    "resume",
    "résumé",
    "curriculum",
    "vitae",
    "cv",
    "profile",
    "summary",
    "contact",
    "experience",
    "education",
    "skills",
    "objective",
    "page",
];

pub fn prefill(text: &str) -> Prefill {
    Prefill {
        emails: emails(text),
        phones: phones(text),
        urls: urls(text),
        ..name(text)
    }
}

fn emails(text: &str) -> Vec<Email> {
    let mut seen = Vec::<String>::new();
    EMAIL
        .find_iter(text)
        .map(|m| m.as_str().trim_matches('.').to_owned())
        .filter(|e| {
            let key = e.to_lowercase();
            let new = !seen.contains(&key);
            seen.push(key);
            new
        })
        .map(|email| Email { email, kind: None })
        .collect()
}

fn phones(text: &str) -> Vec<Phone> {
    let mut seen = Vec::<String>::new();
    let mut out = Vec::new();
    for line in text.lines() {
        // Emails and links contain digit runs that are not phone numbers.
        let without_emails = EMAIL.replace_all(line, " ");
        let cleaned = URL.replace_all(&without_emails, " ");
        for m in PHONE.find_iter(&cleaned) {
            let raw = m.as_str().trim().trim_end_matches(['(', '-', '.', '/']);
            let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
            let plausible = (7..=15).contains(&digits.len())
                && !YEAR_RANGE.is_match(raw)
                && !DATE.is_match(raw)
                // Without a + or a bracketed area code, short runs are more often ids or years.
                && (digits.len() >= 9 || raw.starts_with('+') || raw.contains('('));
            if plausible && !seen.contains(&digits) {
                seen.push(digits);
                out.push(Phone {
                    number: raw.to_owned(),
                    kind: None,
                    extension: None,
                });
            }
        }
    }
    out
}

fn urls(text: &str) -> Vec<Link> {
    let mut links: Vec<Link> = Vec::new();
    for m in URL.find_iter(text) {
        let raw = m
            .as_str()
            .trim_end_matches(['.', ',', ';', ':', '!', '?', '"', '\'']);
        let url = if raw.contains("://") {
            raw.to_owned()
        } else {
            format!("https://{raw}")
        };
        let lower = url.to_lowercase();
        let kind = if lower.contains("linkedin.com/") {
            "linkedin"
        } else if lower.contains("github.com/") {
            "github"
        } else {
            "website"
        };
        let key = lower.trim_end_matches('/').replace("://www.", "://");
        if links.iter().any(|l| {
            l.url
                .to_lowercase()
                .trim_end_matches('/')
                .replace("://www.", "://")
                == key
        }) {
            continue;
        }
        links.push(Link {
            url,
            kind: Some(kind.to_owned()),
        });
    }
    let rank = |l: &Link| match l.kind.as_deref() {
        Some("linkedin") => 0,
        Some("github") => 1,
        _ => 2,
    };
    links.sort_by_key(rank);
    links
}

/// The first of the top lines that reads like a person's name ("Name: …" wins anywhere near
/// the top).
fn name(text: &str) -> Prefill {
    let top: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(12)
        .collect();
    let labelled = top.iter().find_map(|l| {
        let lower = l.to_lowercase();
        ["name:", "full name:", "nombre:", "nom:"]
            .iter()
            .find(|p| lower.starts_with(*p))
            .map(|p| l[p.len()..].trim())
    });
    let candidate = labelled
        .filter(|l| looks_like_a_name(l))
        .or_else(|| top.iter().copied().find_map(name_in_line));
    let Some(full) = candidate else {
        return Prefill::default();
    };
    let full = if full.chars().any(char::is_lowercase) {
        full.to_owned()
    } else {
        title_case(full)
    };
    let mut words = full.split_whitespace();
    let first = words.next().unwrap_or_default().to_owned();
    let last = words.collect::<Vec<_>>().join(" ");
    Prefill {
        first_name: first,
        last_name: last,
        ..Prefill::default()
    }
}

/// A name on its own line, or before a separator ("Jane Doe | Engineer", "Jane Doe — CV").
fn name_in_line(line: &str) -> Option<&str> {
    let head = line
        .split(['|', '•', '·', '–', '—', ','])
        .next()
        .unwrap_or(line)
        .trim();
    let head = head.split(" - ").next().unwrap_or(head).trim();
    looks_like_a_name(head).then_some(head)
}

fn looks_like_a_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if !(2..=4).contains(&words.len()) || s.chars().count() > 60 {
        return false;
    }
    if s.chars()
        .any(|c| c.is_ascii_digit() || matches!(c, '@' | ':' | '/' | '(' | ')' | '+'))
    {
        return false;
    }
    words.iter().all(|w| {
        let lower = w.to_lowercase();
        let first = w.chars().next();
        !NOT_A_NAME.contains(&lower.trim_matches(|c: char| !c.is_alphabetic()))
            // Particles stay lowercase: "Ludwig van Beethoven", "María de la Cruz".
            && (first.is_some_and(char::is_uppercase)
                || matches!(lower.as_str(), "van" | "von" | "de" | "der" | "den" | "la" | "le" | "da" | "di" | "del" | "bin" | "al"))
            && w.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
    })
}

fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut out = String::new();
            let mut start = true;
            for c in w.chars() {
                if start {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
                start = matches!(c, '-' | '\'' | '’');
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(p: &Prefill) -> Vec<&str> {
        p.phones.iter().map(|p| p.number.as_str()).collect()
    }

    #[test]
    fn a_classic_one_column_resume() {
        let text = "Jane Q. Doe\nSenior Backend Engineer\njane.doe@example.com | +1 (415) 555-0132 | San Francisco, CA\n\
                    linkedin.com/in/janedoe · github.com/jdoe\n\nEXPERIENCE\nAcme Corp 2019 - 2023\n\
                    Built billing in Rust. Ticket ID 123456.\nEDUCATION\nMIT 2011-2015\n";
        let p = prefill(text);
        assert_eq!(
            (p.first_name.as_str(), p.last_name.as_str()),
            ("Jane", "Q. Doe")
        );
        assert_eq!(p.emails[0].email, "jane.doe@example.com");
        assert_eq!(p.emails.len(), 1);
        assert_eq!(numbers(&p), ["+1 (415) 555-0132"]);
        let urls: Vec<(&str, &str)> = p
            .urls
            .iter()
            .map(|l| (l.url.as_str(), l.kind.as_deref().unwrap_or_default()))
            .collect();
        assert_eq!(
            urls,
            [
                ("https://linkedin.com/in/janedoe", "linkedin"),
                ("https://github.com/jdoe", "github")
            ]
        );
    }

    #[test]
    fn a_european_cv_with_a_header_word_caps_name_and_labels() {
        let text = "CURRICULUM VITAE\n\nMARIE-CLAIRE DE LA FONTAINE\nTel.: +33 6 12 34 56 78\n\
                    E-mail: MC.Fontaine@Example.FR, mc.fontaine@example.fr\n\
                    Site: https://www.fontaine.dev/portfolio/.\nDate de naissance: 12.04.1990\n\
                    Expérience 2016–2020";
        let p = prefill(text);
        assert_eq!(p.first_name, "Marie-Claire");
        assert_eq!(p.last_name, "De La Fontaine");
        assert_eq!(
            p.emails.len(),
            1,
            "same address in two cases: {:?}",
            p.emails
        );
        assert_eq!(numbers(&p), ["+33 6 12 34 56 78"]);
        assert_eq!(p.urls.len(), 1);
        assert_eq!(p.urls[0].url, "https://www.fontaine.dev/portfolio/");
        assert_eq!(p.urls[0].kind.as_deref(), Some("website"));
    }

    #[test]
    fn name_with_a_separator_and_unicode() {
        let p =
            prefill("Björk Guðmundsdóttir | Product Designer\nbjork@example.is\n0044 20 7946 0958");
        assert_eq!(p.first_name, "Björk");
        assert_eq!(p.last_name, "Guðmundsdóttir");
        assert_eq!(numbers(&p), ["0044 20 7946 0958"]);
    }

    #[test]
    fn labelled_name_wins_and_links_dedupe() {
        let text = "Resume\nName: Ludwig van Beethoven\nhttps://www.linkedin.com/in/ludwig/\n\
                    https://linkedin.com/in/ludwig\n(030) 1234567";
        let p = prefill(text);
        assert_eq!(
            (p.first_name.as_str(), p.last_name.as_str()),
            ("Ludwig", "van Beethoven")
        );
        assert_eq!(p.urls.len(), 1);
        assert_eq!(numbers(&p), ["(030) 1234567"]);
    }

    #[test]
    fn nothing_found_leaves_the_form_empty() {
        let p = prefill("experience in rust and go since 2015-2020\nversion 1.2.3\nid 20231104");
        assert_eq!(p, Prefill::default());
    }

    #[test]
    fn the_fake_ats_resume_pdf_prefills_after_extraction() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("cv.pdf");
        let bytes = fake_ats::pdf::one_page(&[
            "Ada Lovelace".into(),
            "ada@analytical.example".into(),
            "+44 20 7946 0000".into(),
            "https://github.com/ada".into(),
        ]);
        std::fs::write(&path, bytes).expect("write");
        let out = crate::push::extract::extract(&path, &Default::default()).expect("read");
        let crate::push::extract::TextOutcome::Read { text } = out.text else {
            panic!("no text: {:?}", out.text);
        };
        let p = prefill(&text);
        assert_eq!(
            (p.first_name.as_str(), p.last_name.as_str()),
            ("Ada", "Lovelace")
        );
        assert_eq!(p.emails[0].email, "ada@analytical.example");
        assert_eq!(numbers(&p), ["+44 20 7946 0000"]);
        assert_eq!(p.urls[0].kind.as_deref(), Some("github"));
    }
}
