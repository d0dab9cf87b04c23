//! Unified ATS and User Directory model, after Truto's unified schemas (snake_case field names).
//!
//! Every record carries the `account_id` and `vendor` it came from and, unless the caller asked to
//! ignore it, the vendor's own JSON in `remote_data`. Lists come back as [`Page`].

mod ats;
mod directory;
mod extensions;
mod query;
mod write;

pub use ats::*;
pub use directory::*;
pub use extensions::*;
pub use query::*;
pub use write::*;

use serde::{Deserialize, Serialize};

/// One page of a list. `next_cursor` is opaque: pass it back as is to get the next page; `None`
/// means this was the last page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Page<T> {
    pub result: Vec<T>,
    pub next_cursor: Option<String>,
    /// How many records the whole list holds, when the vendor says (SmartRecruiters'
    /// `totalFound`; Lever and Unberry do not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
}

impl<T> Page<T> {
    /// A page whose size the vendor does not say; `next_cursor` is `None` on the last one.
    pub fn new(result: Vec<T>, next_cursor: Option<String>) -> Self {
        Self {
            result,
            next_cursor,
            total: None,
        }
    }

    pub fn last(result: Vec<T>) -> Self {
        Self {
            result,
            next_cursor: None,
            total: None,
        }
    }
}

/// An email address with its kind (`personal`, `work`, `other`...), as the vendor labels it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Email {
    pub email: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Phone {
    pub number: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Link {
    pub url: String,
    /// `linkedin`, `website`, `twitter`... or `other`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Tag {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
}

/// A reference to another record by id, with its display name when the vendor gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Ref {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Ref {
    pub fn new(id: impl Into<String>, name: Option<String>) -> Self {
        Self {
            id: id.into(),
            name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Vendor;

    #[test]
    fn records_serialize_with_truto_field_names_and_rfc3339_times() {
        let at = chrono::DateTime::parse_from_rfc3339("2025-03-04T09:15:22.481Z")
            .expect("valid time")
            .to_utc();
        let attachment = Attachment {
            id: "a1".into(),
            account_id: "acc".into(),
            vendor: Vendor::Lever,
            candidate_id: Some("c1".into()),
            application_id: None,
            file_name: "cv.pdf".into(),
            file_url: None,
            content_type: Some("application/pdf".into()),
            size: Some(1024.0),
            kind: AttachmentType::Resume,
            created_at: Some(at),
            remote_data: None,
        };
        let json = serde_json::to_value(&attachment).expect("serializes");
        assert_eq!(json["type"], "resume");
        assert_eq!(json["vendor"], "lever");
        assert_eq!(json["created_at"], "2025-03-04T09:15:22.481Z");
        assert!(json.get("remote_data").is_none());
        let back: Attachment = serde_json::from_value(json).expect("round trips");
        assert_eq!(back, attachment);

        let email = serde_json::to_value(Email {
            email: "ünï@example.com".into(),
            kind: Some("work".into()),
        })
        .expect("serializes");
        assert_eq!(
            email,
            serde_json::json!({"email": "ünï@example.com", "type": "work"})
        );
    }

    #[test]
    fn normalized_format_drops_remote_data() {
        let opts = ListOptions {
            response_format: ResponseFormat::Normalized,
            ..ListOptions::default()
        };
        assert!(!opts.keep_remote_data());
        assert!(ListOptions::default().keep_remote_data());
    }
}

#[cfg(test)]
mod bindings_tests {
    use super::*;
    use crate::accounts::Account;

    /// Every type the UI sees must export to TypeScript (no BigInt, no unsupported shapes).
    #[test]
    fn every_ui_type_exports_to_typescript() {
        let types = specta::Types::default()
            .register::<Candidate>()
            .register::<Application>()
            .register::<Job>()
            .register::<JobStage>()
            .register::<Attachment>()
            .register::<User>()
            .register::<Role>()
            .register::<Group>()
            .register::<Assessment>()
            .register::<Interview>()
            .register::<Page<Candidate>>()
            .register::<ListOptions>()
            .register::<CreateCandidate>()
            .register::<CreateOutcome>()
            .register::<AddAttachment>()
            .register::<MoveStage>()
            .register::<Reject>()
            .register::<FormField>()
            .register::<Capabilities>()
            .register::<Account>()
            .register::<crate::connectors::Resource>();
        let ts = specta_typescript::Typescript::default()
            .export(&types, specta_serde::Format)
            .expect("exports to TypeScript");
        for name in [
            "Candidate",
            "StageCategory",
            "ListOptions",
            "Capabilities",
            "Account",
        ] {
            assert!(ts.contains(name), "{name} missing:\n{ts}");
        }
        assert!(ts.contains("first_name"), "snake_case field names kept");
        assert!(
            ts.contains("remote_data?: unknown") || ts.contains("remote_data: unknown"),
            "vendor JSON is unknown:\n{ts}"
        );
        if std::env::var_os("PRINT_BINDINGS").is_some() {
            println!("{ts}");
        }
    }
}
