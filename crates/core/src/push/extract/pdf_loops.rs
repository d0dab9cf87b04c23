//! Refuses the PDF structures pdf-extract would follow without end.
//!
//! pdf-extract 0.12 recurses without a bound in two places: up a page's `/Parent` chain to find
//! an inherited key (`get_inherited`), and into an XObject each time content draws it with `Do`
//! (`process_stream`). A loop in either (a page tree node that is its own ancestor, a form that
//! draws itself) overflows the parse thread's stack. A stack overflow aborts the whole process:
//! no thread boundary or `catch_unwind` contains it (the fuzzer found both as a bare SIGSEGV).
//!
//! [`check`] walks both paths the way pdf-extract does, without recursion, before pdf-extract
//! sees the document, and refuses a loop or a chain deeper than [`MAX_DEPTH`]. It is stricter
//! than pdf-extract (it follows every `Do`, even one a failing operator before it would skip),
//! which only matters for files that are broken anyway.

use std::collections::{HashMap, HashSet};

use pdf_extract::content::Content;
use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream};

/// Deepest page tree or form nesting accepted. Real documents nest a handful of levels; the
/// limit keeps pdf-extract's recursion well inside the parse thread's stack.
pub const MAX_DEPTH: usize = 32;

/// Why a document was refused, for a person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("its page tree loops back on itself")]
    PageTreeLoop,
    #[error("its page tree is nested more than {MAX_DEPTH} levels deep")]
    PageTreeTooDeep,
    #[error("it has a drawing that contains itself")]
    FormLoop,
    #[error("its drawings are nested more than {MAX_DEPTH} levels deep")]
    FormsTooDeep,
}

pub fn check(doc: &Document) -> Result<(), Refused> {
    let mut forms = FormWalk::new(doc);
    for page_id in doc.get_pages().into_values() {
        let Ok(page) = doc.get_dictionary(page_id) else {
            continue;
        };
        let lineage = lineage(doc, page_id, page)?;
        let resources = lineage
            .iter()
            .find_map(|node| dict_at(doc, node, b"Resources"));
        let Ok(content) = doc.get_page_content(page_id) else {
            continue;
        };
        forms.check_content(&content, resources)?;
    }
    Ok(())
}

/// The page, then its ancestors as `get_inherited` climbs to them (`/Parent` references only).
fn lineage<'a>(
    doc: &'a Document,
    page_id: ObjectId,
    page: &'a Dictionary,
) -> Result<Vec<&'a Dictionary>, Refused> {
    let mut seen = HashSet::from([page_id]);
    let mut nodes = vec![page];
    let mut node = page;
    while let Some(parent_id) = node.get(b"Parent").ok().and_then(|p| p.as_reference().ok()) {
        if !seen.insert(parent_id) {
            return Err(Refused::PageTreeLoop);
        }
        if seen.len() > MAX_DEPTH + 1 {
            return Err(Refused::PageTreeTooDeep);
        }
        let Ok(parent) = doc.get_dictionary(parent_id) else {
            break;
        };
        nodes.push(parent);
        node = parent;
    }
    Ok(nodes)
}

/// `dict[key]` as a dictionary, through a reference if it is one.
fn dict_at<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    deref(doc, dict.get(key).ok()?)?.as_dict().ok()
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    match object {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

/// A drawing as `process_stream` enters it: the XObject and the resources its names resolve in
/// (its own, or the caller's when it has none). Identified by address inside the document.
type Visit = (usize, usize);

struct FormWalk<'a> {
    doc: &'a Document,
    /// Nesting below each visit already walked to its end.
    heights: HashMap<Visit, usize>,
    /// The names each stream draws with `Do`, decoded once.
    drawn: HashMap<usize, Vec<Vec<u8>>>,
}

/// One level of the explicit walk: a visit and the XObjects it draws still to enter.
struct Level<'a> {
    visit: Visit,
    children: Vec<(&'a Stream, &'a Dictionary)>,
    next: usize,
    height: usize,
}

impl<'a> FormWalk<'a> {
    fn new(doc: &'a Document) -> Self {
        Self {
            doc,
            heights: HashMap::new(),
            drawn: HashMap::new(),
        }
    }

    /// Walks every drawing reachable from a page's content, depth first, without recursion.
    fn check_content(
        &mut self,
        content: &[u8],
        resources: Option<&'a Dictionary>,
    ) -> Result<(), Refused> {
        let Some(resources) = resources else {
            return Ok(()); // pdf-extract gives such a page no resources: `Do` finds nothing.
        };
        let names = drawn_names(content);
        let mut path: Vec<Level<'a>> = vec![Level {
            visit: (0, 0),
            children: self.resolve(&names, resources),
            next: 0,
            height: 0,
        }];
        let mut on_path: HashSet<Visit> = HashSet::new();
        while let Some(level) = path.last_mut() {
            let Some(&(stream, own)) = level.children.get(level.next) else {
                let done = path.pop().expect("the loop saw a last level");
                on_path.remove(&done.visit);
                if let Some(caller) = path.last_mut() {
                    caller.height = caller.height.max(done.height + 1);
                    self.heights.insert(done.visit, done.height);
                }
                continue;
            };
            level.next += 1;
            let depth = path.len();
            let visit = (
                stream as *const Stream as usize,
                own as *const Dictionary as usize,
            );
            if on_path.contains(&visit) {
                return Err(Refused::FormLoop);
            }
            if let Some(&height) = self.heights.get(&visit) {
                if depth + height > MAX_DEPTH {
                    return Err(Refused::FormsTooDeep);
                }
                let caller = path.last_mut().expect("a level is open");
                caller.height = caller.height.max(height + 1);
                continue;
            }
            if depth > MAX_DEPTH {
                return Err(Refused::FormsTooDeep);
            }
            let names = self
                .drawn
                .entry(visit.0)
                .or_insert_with(|| drawn_names(&stream_content(stream)))
                .clone();
            on_path.insert(visit);
            path.push(Level {
                visit,
                children: self.resolve(&names, own),
                next: 0,
                height: 0,
            });
        }
        Ok(())
    }

    /// The XObjects `names` resolve to in `resources`, each with the resources it will use.
    fn resolve(
        &self,
        names: &[Vec<u8>],
        resources: &'a Dictionary,
    ) -> Vec<(&'a Stream, &'a Dictionary)> {
        let doc = self.doc;
        let Some(xobjects) = dict_at(doc, resources, b"XObject") else {
            return Vec::new();
        };
        names
            .iter()
            .filter_map(|name| {
                let stream = deref(doc, xobjects.get(name).ok()?)?.as_stream().ok()?;
                let own = dict_at(doc, &stream.dict, b"Resources").unwrap_or(resources);
                Some((stream, own))
            })
            .collect()
    }
}

/// What `process_stream` parses: the decompressed content, or the raw bytes when that fails.
fn stream_content(stream: &Stream) -> Vec<u8> {
    if stream.filters().is_ok() {
        stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone())
    } else {
        stream.content.clone()
    }
}

/// The names drawn with `Do`, each once, in order. Content that does not parse draws nothing
/// (pdf-extract stops on it).
fn drawn_names(content: &[u8]) -> Vec<Vec<u8>> {
    let Ok(content) = Content::decode(content) else {
        return Vec::new();
    };
    let mut names: Vec<Vec<u8>> = Vec::new();
    for operation in content.operations.iter().filter(|op| op.operator == "Do") {
        if let Some(Ok(name)) = operation.operands.first().map(Object::as_name)
            && !names.iter().any(|n| n == name)
        {
            names.push(name.to_vec());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(dict: &str, content: &str) -> String {
        format!(
            "<< {dict} /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        )
    }

    /// A one-page PDF whose page shows `page_content`. Form `/Xn` is object 5 + n, with the
    /// given content and raw `/Resources` entry (none: it uses the page's, as PDF allows).
    fn with_forms(page_content: &str, forms: &[(&str, Option<&str>)]) -> Vec<u8> {
        let names: String = (1..=forms.len())
            .map(|n| format!("/X{n} {} 0 R ", 5 + n))
            .collect();
        let mut objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>".to_owned(),
            format!(
                "<< /Type /Page /Parent 2 0 R /Contents 4 0 R \
                 /Resources << /Font << /F1 5 0 R >> /XObject << {names}>> >> >>"
            ),
            stream("", page_content),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        ];
        for (content, resources) in forms {
            let dict = format!(
                "/Type /XObject /Subtype /Form /BBox [0 0 612 792] {}",
                resources
                    .map(|r| format!("/Resources {r}"))
                    .unwrap_or_default()
            );
            objects.push(stream(&dict, content));
        }
        fake_ats::pdf::from_objects(&objects)
    }

    fn checked(pdf: &[u8]) -> Result<(), Refused> {
        check(&Document::load_mem(pdf).expect("the fixture is a valid PDF"))
    }

    const SHOW: &str = "BT /F1 12 Tf 72 700 Td (Nested text) Tj ET";

    /// Forms X1…Xn, each drawing the next; the last shows text.
    fn chain(n: usize) -> Vec<(String, Option<&'static str>)> {
        (1..=n)
            .map(|i| {
                let content = if i == n {
                    SHOW.to_owned()
                } else {
                    format!("/X{} Do", i + 1)
                };
                (content, None)
            })
            .collect()
    }

    fn borrowed<'a>(
        forms: &'a [(String, Option<&'static str>)],
    ) -> Vec<(&'a str, Option<&'a str>)> {
        forms.iter().map(|(c, r)| (c.as_str(), *r)).collect()
    }

    #[test]
    fn a_form_that_draws_itself_is_refused() {
        let pdf = with_forms("/X1 Do", &[("/X1 Do", None)]);
        assert_eq!(checked(&pdf), Err(Refused::FormLoop));
        let reason = super::super::pdf_text(&pdf).expect_err("refused");
        assert_eq!(
            reason,
            "The PDF could not be read: it has a drawing that contains itself"
        );
    }

    #[test]
    fn forms_drawing_each_other_through_their_own_resources_are_refused() {
        let pdf = with_forms(
            "/X1 Do",
            &[
                ("/Next Do", Some("<< /XObject << /Next 7 0 R >> >>")),
                ("/Back Do", Some("<< /XObject << /Back 6 0 R >> >>")),
            ],
        );
        assert_eq!(checked(&pdf), Err(Refused::FormLoop));
    }

    #[test]
    fn a_page_tree_node_that_is_its_own_ancestor_is_refused() {
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 3 0 R >>".to_owned(),
            "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>".to_owned(),
            stream("", "BT ET"),
        ];
        let pdf = fake_ats::pdf::from_objects(&objects);
        assert_eq!(checked(&pdf), Err(Refused::PageTreeLoop));
    }

    #[test]
    fn a_page_tree_deeper_than_the_limit_is_refused() {
        // Pages nodes 2…n each hold the next; the page (object n + 1) sits at the bottom.
        let deep_tree = |levels: usize| {
            let page = levels + 2;
            let mut objects = vec!["<< /Type /Catalog /Pages 2 0 R >>".to_owned()];
            for node in 2..page {
                let parent = if node == 2 {
                    String::new()
                } else {
                    format!("/Parent {} 0 R", node - 1)
                };
                objects.push(format!(
                    "<< /Type /Pages /Kids [{} 0 R] /Count 1 {parent} >>",
                    node + 1
                ));
            }
            objects.push(format!(
                "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 612 792] /Contents {} 0 R >>",
                page - 1,
                page + 1
            ));
            objects.push(stream("", "BT ET"));
            fake_ats::pdf::from_objects(&objects)
        };
        assert_eq!(checked(&deep_tree(MAX_DEPTH)), Ok(()));
        assert_eq!(
            checked(&deep_tree(MAX_DEPTH + 1)),
            Err(Refused::PageTreeTooDeep)
        );
    }

    #[test]
    fn forms_nested_to_the_limit_are_read_and_one_more_level_is_refused() {
        let deepest = chain(MAX_DEPTH);
        let pdf = with_forms("/X1 Do", &borrowed(&deepest));
        assert_eq!(checked(&pdf), Ok(()));
        let text = super::super::pdf_text(&pdf).expect("read through every level");
        assert!(text.contains("Nested text"), "{text:?}");

        let too_deep = chain(MAX_DEPTH + 1);
        let pdf = with_forms("/X1 Do", &borrowed(&too_deep));
        assert_eq!(checked(&pdf), Err(Refused::FormsTooDeep));
    }

    #[test]
    fn a_form_reached_again_deeper_down_counts_its_full_depth() {
        // X1…X32 nest to the limit from the page; the last form, drawn by the page, draws X1
        // again one level lower (after X1's depth is remembered from the first visit).
        let mut forms = chain(MAX_DEPTH);
        forms.push(("/X1 Do".to_owned(), None));
        let page = format!("/X1 Do /X{} Do", MAX_DEPTH + 1);
        let pdf = with_forms(&page, &borrowed(&forms));
        assert_eq!(checked(&pdf), Err(Refused::FormsTooDeep));
    }

    #[test]
    fn a_form_drawn_from_several_places_is_not_a_loop() {
        let pdf = with_forms(
            "/X1 Do /X2 Do /X1 Do",
            &[("/X3 Do", None), ("/X3 Do /X3 Do", None), (SHOW, None)],
        );
        assert_eq!(checked(&pdf), Ok(()));
        let text = super::super::pdf_text(&pdf).expect("read");
        assert_eq!(text.matches("Nested text").count(), 4, "{text:?}");
    }
}
