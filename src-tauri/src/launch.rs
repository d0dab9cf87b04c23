//! What the command line asked for: `--demo`, and `hirebridge://` links handed over by the OS.

/// Options read from the process arguments (without the program name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaunchOptions {
    pub demo: bool,
    /// Arguments that look like `hirebridge:` links, still unvalidated.
    pub deep_links: Vec<String>,
}

impl LaunchOptions {
    pub fn from_args<I, S>(args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut options = LaunchOptions::default();
        for arg in args {
            let arg = arg.as_ref();
            if arg == "--demo" {
                options.demo = true;
            } else if looks_like_deep_link(arg) {
                options.deep_links.push(arg.to_owned());
            }
        }
        options
    }
}

/// True for anything that claims our scheme, valid or not: a malformed link must still reach the
/// parser so the user is told it was refused.
pub fn looks_like_deep_link(arg: &str) -> bool {
    arg.get(..11)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("hirebridge:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_demo_flag_and_links_in_any_order() {
        let options = LaunchOptions::from_args(["hirebridge://link/lever", "--demo", "--other"]);
        assert!(options.demo);
        assert_eq!(
            options.deep_links,
            vec!["hirebridge://link/lever".to_owned()]
        );
    }

    #[test]
    fn keeps_malformed_links_for_the_parser_to_refuse() {
        let options = LaunchOptions::from_args(["HIREBRIDGE://%%"]);
        assert_eq!(options.deep_links, vec!["HIREBRIDGE://%%".to_owned()]);
        assert!(!looks_like_deep_link("https://example.com"));
        assert!(!looks_like_deep_link("hire"));
    }
}
