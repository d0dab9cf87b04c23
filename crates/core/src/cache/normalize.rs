//! Text normalization shared by writes and queries, so both sides agree on keys.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case without diacritics, runs of whitespace collapsed: "  Zoë  Ærø " → "zoe ærø".
/// Matches what FTS5's `unicode61 remove_diacritics 2` does to letters that decompose.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The words of a search query as FTS5's unicode61 tokenizer would cut them: folded, split on
/// anything that is not a letter or a digit.
pub fn query_tokens(query: &str) -> Vec<String> {
    fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An FTS5 MATCH expression where every token is a quoted prefix: `"ani"* AND "rao"*`.
/// Quoting makes any user input safe (no FTS5 syntax gets through).
pub fn fts_prefix_query(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| format!("\"{}\"*", t.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Tokens this long or longer have no prefix index of their own (`prefix = '2 3'`): FTS5
/// answers their prefix query by merging the doclists of every word they start.
pub const LONGEST_INDEXED_PREFIX: usize = 3;

/// Like [`fts_prefix_query`], but tokens longer than the prefix indexes must be whole words:
/// `"kubernetes" AND "ra"*`. `None` when every token is short (nothing would change).
/// A whole word is read lazily from its own doclist, where its prefix form merges them all.
pub fn fts_whole_word_query(tokens: &[String]) -> Option<String> {
    if !tokens
        .iter()
        .any(|t| t.chars().count() > LONGEST_INDEXED_PREFIX)
    {
        return None;
    }
    Some(
        tokens
            .iter()
            .map(|t| {
                let quoted = format!("\"{}\"", t.replace('"', "\"\""));
                if t.chars().count() > LONGEST_INDEXED_PREFIX {
                    quoted
                } else {
                    quoted + "*"
                }
            })
            .collect::<Vec<_>>()
            .join(" AND "),
    )
}

/// Only the digits of a phone number; `None` when too short to identify anyone.
pub fn phone_digits(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 6).then_some(digits)
}

/// Trimmed, lower-case email; `None` unless it looks like one.
pub fn email(email: &str) -> Option<String> {
    let e = email.trim().to_lowercase();
    (e.len() >= 3 && e.contains('@')).then_some(e)
}

/// A LinkedIn profile URL reduced to `linkedin.com/in/<slug>`; `None` for other URLs.
/// Scheme, `www.`/country subdomains, query, fragment, trailing slash and case are ignored.
pub fn linkedin_url(url: &str) -> Option<String> {
    let lower = url.trim().to_lowercase();
    let no_scheme = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let (host, path) = no_scheme.split_once('/')?;
    if host != "linkedin.com" && !host.ends_with(".linkedin.com") {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut parts = path.split('/').filter(|p| !p.is_empty());
    let kind = parts.next()?;
    let slug = parts.next()?;
    matches!(kind, "in" | "pub").then(|| format!("linkedin.com/in/{slug}"))
}

/// The smallest string greater than every string starting with `prefix` (for range scans).
pub fn prefix_upper_bound(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_diacritics_and_case_and_extra_spaces() {
        assert_eq!(fold("  Zoë   Saldaña "), "zoe saldana");
        assert_eq!(fold("ÉLODIE Müller"), "elodie muller");
        assert_eq!(fold("Şükrü"), "sukru");
    }

    #[test]
    fn query_tokens_split_like_the_tokenizer() {
        assert_eq!(query_tokens("anita.rao@Ex"), vec!["anita", "rao", "ex"]);
        assert_eq!(query_tokens("  "), Vec::<String>::new());
        assert_eq!(query_tokens("José-María"), vec!["jose", "maria"]);
    }

    #[test]
    fn fts_query_quotes_user_input() {
        let q = fts_prefix_query(&["a\"b".to_string(), "or".to_string()]);
        assert_eq!(q, "\"a\"\"b\"* AND \"or\"*");
    }

    #[test]
    fn whole_word_query_only_for_tokens_past_the_prefix_indexes() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(fts_whole_word_query(&t(&["ra", "ani"])), None);
        assert_eq!(
            fts_whole_word_query(&t(&["kubernetes", "ra"])).as_deref(),
            Some("\"kubernetes\" AND \"ra\"*")
        );
        assert_eq!(
            fts_whole_word_query(&t(&["a\"bcd"])).as_deref(),
            Some("\"a\"\"bcd\"")
        );
    }

    #[test]
    fn phones_reduce_to_digits() {
        assert_eq!(
            phone_digits("+1 (555) 123-4567").as_deref(),
            Some("15551234567")
        );
        assert_eq!(phone_digits("12-3"), None);
    }

    #[test]
    fn linkedin_urls_normalize_to_profile_slug() {
        for url in [
            "https://www.linkedin.com/in/anita-rao/",
            "http://in.linkedin.com/in/Anita-Rao?trk=x",
            "linkedin.com/in/anita-rao#about",
        ] {
            assert_eq!(
                linkedin_url(url).as_deref(),
                Some("linkedin.com/in/anita-rao"),
                "{url}"
            );
        }
        assert_eq!(linkedin_url("https://example.com/in/anita"), None);
        assert_eq!(linkedin_url("https://linkedin.com/company/acme"), None);
    }

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(
            email(" Anita@Example.COM ").as_deref(),
            Some("anita@example.com")
        );
        assert_eq!(email("nope"), None);
    }
}
