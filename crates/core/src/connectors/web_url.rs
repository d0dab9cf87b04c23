//! Where a candidate lives in the vendor's own web app, for "Open in the ATS".

use serde_json::Value;

use crate::Vendor;

/// The candidate's page in the vendor's web app, when it can be known. `remote_data` is the
/// vendor's record as cached; `base_url` the account's API address (no page is guessed for
/// an account on another server than the vendor's production one, such as the demo).
pub fn candidate_web_url(
    vendor: Vendor,
    base_url: &str,
    candidate_id: &str,
    remote_data: Option<&Value>,
) -> Option<String> {
    // Lever sends the page itself on every opportunity: `urls.show`.
    if vendor == Vendor::Lever
        && let Some(show) = remote_data
            .and_then(|r| r.pointer("/urls/show"))
            .and_then(Value::as_str)
            .filter(|u| u.starts_with("https://"))
    {
        return Some(show.to_owned());
    }
    let production = base_url.trim_end_matches('/') == vendor.default_base_url();
    if !production || candidate_id.is_empty() {
        return None;
    }
    let id: String = candidate_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    match vendor {
        // [I] The people page of SmartRecruiters' web app; the API does not return this URL.
        Vendor::SmartRecruiters => Some(format!(
            "https://www.smartrecruiters.com/app/people/candidates/{id}"
        )),
        // [I] Lever's candidate page, the form `urls.show` takes.
        Vendor::Lever => Some(format!("https://hire.lever.co/candidates/{id}")),
        // Unberry publishes no web-app address.
        Vendor::Unberry => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lever_uses_the_page_it_sends() {
        let remote = json!({"urls": {"show": "https://hire.lever.co/candidates/opp-1"}});
        assert_eq!(
            candidate_web_url(
                Vendor::Lever,
                "http://127.0.0.1:9/lever",
                "opp-1",
                Some(&remote)
            )
            .as_deref(),
            Some("https://hire.lever.co/candidates/opp-1")
        );
    }

    #[test]
    fn production_accounts_get_the_vendor_page_and_others_none() {
        let sr = Vendor::SmartRecruiters;
        let url = candidate_web_url(sr, sr.default_base_url(), "abc-123", None);
        assert_eq!(
            url.as_deref(),
            Some("https://www.smartrecruiters.com/app/people/candidates/abc-123")
        );
        assert_eq!(
            candidate_web_url(sr, "http://127.0.0.1:9/sr", "abc", None),
            None
        );
        assert_eq!(
            candidate_web_url(
                Vendor::Unberry,
                Vendor::Unberry.default_base_url(),
                "x",
                None
            ),
            None
        );
    }

    #[test]
    fn ids_cannot_inject_a_path() {
        let sr = Vendor::SmartRecruiters;
        let url = candidate_web_url(sr, sr.default_base_url(), "../../evil?x=1", None);
        assert_eq!(
            url.as_deref(),
            Some("https://www.smartrecruiters.com/app/people/candidates/evilx1")
        );
    }
}
