//! Plain-text tables for people reading a terminal.

use hirebridge_core::connectors::Resource;
use serde_json::Value;

pub fn print(headers: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(headers.iter().map(|h| (*h).to_owned()).collect());
    for row in rows {
        line(row.clone());
    }
}

fn text(v: &Value, pointer: &str) -> String {
    match v.pointer(pointer) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn count(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
        .to_string()
}

/// Renders one record as the cells of its row.
type RowFn = fn(&Value) -> Vec<String>;

pub fn records(resource: Resource, records: &[Value]) {
    let (headers, row): (&[&str], RowFn) = match resource {
        Resource::Candidates => (&["ID", "NAME", "EMAIL", "APPLICATIONS", "UPDATED"], |r| {
            vec![
                text(r, "/id"),
                text(r, "/name"),
                text(r, "/emails/0/email"),
                count(r, "/applications"),
                text(r, "/updated_at"),
            ]
        }),
        Resource::Applications => (&["ID", "CANDIDATE", "JOB", "STAGE", "STATUS"], |r| {
            vec![
                text(r, "/id"),
                text(r, "/candidate_id"),
                text(r, "/job/id"),
                text(r, "/current_stage/name"),
                text(r, "/status"),
            ]
        }),
        Resource::Jobs => (&["ID", "NAME", "STATUS", "DEPARTMENT", "LOCATIONS"], |r| {
            let locations = r
                .get("locations")
                .and_then(Value::as_array)
                .map(|l| {
                    l.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default();
            vec![
                text(r, "/id"),
                text(r, "/name"),
                text(r, "/status"),
                text(r, "/department"),
                locations,
            ]
        }),
        Resource::Users => (&["ID", "NAME", "EMAIL", "STATUS"], |r| {
            vec![
                text(r, "/id"),
                text(r, "/name"),
                text(r, "/emails/0/email"),
                text(r, "/status"),
            ]
        }),
        Resource::Attachments => (&["ID", "FILE", "TYPE"], |r| {
            vec![text(r, "/id"), text(r, "/file_name"), text(r, "/type")]
        }),
        Resource::Assessments => (&["ID", "CANDIDATE", "STATUS", "SCORE"], |r| {
            vec![
                text(r, "/id"),
                text(r, "/candidate_id"),
                text(r, "/status"),
                text(r, "/score"),
            ]
        }),
        Resource::Interviews => (&["ID", "CANDIDATE", "STATUS", "START"], |r| {
            vec![
                text(r, "/id"),
                text(r, "/candidate_id"),
                text(r, "/status"),
                text(r, "/start_at"),
            ]
        }),
        Resource::Roles | Resource::Groups => {
            (&["ID", "NAME"], |r| vec![text(r, "/id"), text(r, "/name")])
        }
    };
    let rows: Vec<Vec<String>> = records.iter().map(row).collect();
    print(headers, &rows);
}
