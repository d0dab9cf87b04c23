//! The ATS vendors Hirebridge speaks to, and their production endpoints.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
/// Serialized as its id (`smartrecruiters`, `lever`, `unberry`), like [`Vendor::as_str`].
#[serde(rename_all = "lowercase")]
pub enum Vendor {
    SmartRecruiters,
    Lever,
    Unberry,
}

impl Vendor {
    pub const ALL: [Vendor; 3] = [Vendor::SmartRecruiters, Vendor::Lever, Vendor::Unberry];

    /// The id used in URLs, the database and deep links.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::SmartRecruiters => "smartrecruiters",
            Vendor::Lever => "lever",
            Vendor::Unberry => "unberry",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Vendor::SmartRecruiters => "SmartRecruiters",
            Vendor::Lever => "Lever",
            Vendor::Unberry => "Unberry",
        }
    }

    /// Production API root (ats-specs §1.1, §2.1). Unberry publishes no API: its host is inferred.
    pub fn default_base_url(self) -> &'static str {
        match self {
            Vendor::SmartRecruiters => "https://api.smartrecruiters.com",
            Vendor::Lever => "https://api.lever.co/v1",
            // [I] No public Unberry API exists; provisional, see crates/fake-ats/README.md.
            Vendor::Unberry => "https://api.unberry.com/v1",
        }
    }

    /// Production OAuth authorize and token endpoints (ats-specs §1.1, §2.1).
    pub fn default_oauth_endpoints(self) -> (&'static str, &'static str) {
        match self {
            Vendor::SmartRecruiters => (
                "https://www.smartrecruiters.com/identity/oauth/allow",
                "https://www.smartrecruiters.com/identity/oauth/token",
            ),
            Vendor::Lever => (
                "https://auth.lever.co/authorize",
                "https://auth.lever.co/oauth/token",
            ),
            // [I] provisional, like the rest of Unberry's API.
            Vendor::Unberry => (
                "https://auth.unberry.com/oauth/authorize",
                "https://auth.unberry.com/oauth/token",
            ),
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

impl FromStr for Vendor {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "smartrecruiters" => Ok(Vendor::SmartRecruiters),
            "lever" => Ok(Vendor::Lever),
            "unberry" => Ok(Vendor::Unberry),
            other => Err(Error::validation(format!(
                "Unknown ATS \"{other}\": expected smartrecruiters, lever or unberry."
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_vendor_id_and_refuses_others() {
        for v in Vendor::ALL {
            assert_eq!(v.as_str().parse::<Vendor>().expect("parses"), v);
        }
        assert!("greenhouse".parse::<Vendor>().is_err());
    }

    #[test]
    fn serializes_as_its_id() {
        for v in Vendor::ALL {
            let json = serde_json::to_value(v).expect("serializes");
            assert_eq!(json, serde_json::Value::from(v.as_str()));
        }
    }
}
