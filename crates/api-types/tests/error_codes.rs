//! The registry of codes (`app::ProblemCode`, `app::FieldCode`), the table in
//! `docs/API-DESIGN.md` and the committed OpenAPI documents say the same.

use std::collections::BTreeSet;
use std::path::PathBuf;

use app::{FieldCode, ProblemCode};

fn repository_file(path: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The first cells (`` `code` ``) and second cells of the table under `heading`.
fn table_under(markdown: &str, heading: &str) -> Vec<(String, String)> {
    let start = markdown
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading}"));
    markdown[start..]
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            (cells[1].trim_matches('`').to_owned(), cells[2].to_owned())
        })
        .collect()
}

#[test]
fn api_design_lists_every_problem_code_with_its_status_and_no_other() {
    let design = repository_file("docs/API-DESIGN.md");
    let listed = table_under(&design, "### Problem codes");
    let documented: Vec<(String, String)> = ProblemCode::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), c.status().to_string()))
        .collect();
    assert_eq!(
        listed.iter().cloned().collect::<BTreeSet<_>>(),
        documented.into_iter().collect::<BTreeSet<_>>()
    );
}

#[test]
fn api_design_lists_every_field_code_and_no_other() {
    let design = repository_file("docs/API-DESIGN.md");
    let listed: BTreeSet<String> = table_under(&design, "### Field codes")
        .into_iter()
        .map(|(code, _)| code)
        .collect();
    let registered: BTreeSet<String> = FieldCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    assert_eq!(listed, registered);
}

fn descriptions(value: &serde_json::Value, into: &mut String) {
    match value {
        serde_json::Value::Object(members) => {
            for (name, member) in members {
                match (name.as_str(), member) {
                    ("description", serde_json::Value::String(text)) => {
                        into.push_str(text);
                        into.push('\n');
                    }
                    _ => descriptions(member, into),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| descriptions(i, into)),
        _ => {}
    }
}

#[test]
fn every_openapi_document_names_every_code() {
    for service in ["service-api", "seller-api", "admin-api", "external-api"] {
        let document: serde_json::Value =
            serde_json::from_str(&repository_file(&format!("docs/openapi/{service}.json")))
                .unwrap_or_else(|e| panic!("{service}: {e}"));
        let schemas = &document["components"]["schemas"];
        let words = |schema: &str| -> Vec<String> {
            // A schema with flattened members is an `allOf` of its parts.
            let parts = schemas[schema]["allOf"]
                .as_array()
                .cloned()
                .unwrap_or_else(|| vec![schemas[schema].clone()]);
            parts
                .iter()
                .find_map(|part| part["properties"]["code"]["enum"].as_array().cloned())
                .unwrap_or_else(|| panic!("{service}: {schema}.code has no enum"))
                .into_iter()
                .filter_map(|w| w.as_str().map(str::to_owned))
                .collect()
        };
        let problem: Vec<&str> = ProblemCode::ALL.iter().map(|c| c.as_str()).collect();
        let field: Vec<&str> = FieldCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(words("ProblemDetails"), problem, "{service}");
        assert_eq!(words("FieldError"), field, "{service}");
        let mut text = String::new();
        descriptions(&document, &mut text);
        for code in problem.iter().chain(&field) {
            assert!(
                text.contains(&format!("`{code}`")),
                "{service} does not name `{code}` in a description"
            );
        }
    }
}
