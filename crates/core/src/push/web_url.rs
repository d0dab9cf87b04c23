//! Where a person sees a candidate in the vendor's own web app.

use crate::Vendor;
use crate::model::{Application, Candidate};

/// The candidate's page in the vendor's web app, when it can be known.
pub fn candidate_web_url(
    candidate: &Candidate,
    application: Option<&Application>,
) -> Option<String> {
    match candidate.vendor {
        // Lever sends it: each opportunity's `urls.show`.
        Vendor::Lever => application
            .and_then(|a| a.remote_data.as_ref())
            .and_then(show_url)
            .or_else(|| {
                candidate
                    .remote_data
                    .as_ref()?
                    .get("opportunities")?
                    .as_array()?
                    .iter()
                    .find_map(show_url)
            }),
        // [I] SmartRecruiters' API gives no web link; this is the address its web app uses for
        // a candidate profile.
        Vendor::SmartRecruiters => Some(format!(
            "https://www.smartrecruiters.com/app/people/candidates/{}",
            url_segment(&candidate.id)
        )),
        // Unberry's web app addresses are not documented.
        Vendor::Unberry => None,
    }
}

fn show_url(opportunity: &serde_json::Value) -> Option<String> {
    let url = opportunity.get("urls")?.get("show")?.as_str()?;
    let parsed = url::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "https" | "http").then(|| url.to_owned())
}

fn url_segment(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
