//! The README's configuration table says what `config/default.toml` holds:
//! every default it states is the file's, and every key it calls a secret
//! has no value in the shared file.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::path::Path;

use config::{Config, File, FileFormat};

struct Row {
    keys: Vec<String>,
    default: String,
}

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// `APP__AUTH__STAFF__LINK_TTL_SECS` -> `auth.staff.link_ttl_secs`.
fn dotted(variable: &str) -> String {
    variable
        .trim_start_matches("APP__")
        .split("__")
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join(".")
}

/// The table's rows whose keys are concrete (no `<placeholder>`, `*`, `...`),
/// with `..._KEY` expanded under the first key's section.
fn rows() -> Vec<Row> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut rows = Vec::new();
    for line in readme.lines().filter(|l| l.starts_with("| `APP__")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let names: Vec<&str> = cells[0]
            .split(", ")
            .map(|name| name.trim_matches('`'))
            .collect();
        if names
            .iter()
            .any(|n| n.contains('<') || n.contains('*') || *n == "...")
        {
            continue;
        }
        let section = names[0].rsplit_once("__").unwrap().0;
        let keys = names
            .iter()
            .map(|name| match name.strip_prefix("..._") {
                Some(rest) => dotted(&format!("{section}__{rest}")),
                None => dotted(name),
            })
            .collect();
        rows.push(Row {
            keys,
            default: cells[2].to_owned(),
        });
    }
    rows
}

fn shared_file() -> Config {
    Config::builder()
        .add_source(File::new(
            root().join("config/default.toml").to_str().unwrap(),
            FileFormat::Toml,
        ))
        .build()
        .unwrap()
}

/// A stated default that is plain values, one per key (`8, 500, 60`,
/// `` `mkt:` ``, `1800`), trailing remarks in parentheses dropped.
fn plain_values(default: &str, count: usize) -> Option<Vec<String>> {
    let default = default.split(" (").next().unwrap_or_default();
    let values: Vec<String> = default
        .split(", ")
        .map(|v| v.trim_matches('`').to_owned())
        .collect();
    let plain = values.len() == count
        && values
            .iter()
            .all(|v| !v.is_empty() && !v.contains(' ') && !v.contains(';'));
    plain.then_some(values)
}

/// A scalar as text, or a list's items joined by `, `.
fn value_of(file: &Config, key: &str) -> Option<String> {
    file.get_string(key).ok().or_else(|| {
        let items = file.get_array(key).ok()?;
        let items: Result<Vec<String>, _> = items.into_iter().map(|v| v.into_string()).collect();
        Some(items.ok()?.join(", "))
    })
}

#[test]
fn stated_defaults_are_the_shared_files() {
    let file = shared_file();
    let mut checked = 0;
    for row in rows() {
        if row.default.contains("development/test files only") {
            for key in &row.keys {
                assert!(
                    file.get_string(key).is_err(),
                    "{key} is a secret but config/default.toml gives it a value"
                );
            }
            continue;
        }
        let Some(values) = plain_values(&row.default, row.keys.len()) else {
            continue;
        };
        for (key, stated) in row.keys.iter().zip(values) {
            let actual = value_of(&file, key)
                .unwrap_or_else(|| panic!("{key} is in the README but not in config/default.toml"));
            let same = actual == stated
                || matches!((actual.parse::<f64>(), stated.parse::<f64>()), (Ok(a), Ok(b)) if a == b);
            assert!(same, "{key}: the README says {stated}, the file {actual}");
            checked += 1;
        }
    }
    assert!(checked >= 25, "only {checked} defaults were compared");
}
