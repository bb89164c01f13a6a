//! Production refuses a setting the repository publishes: a key, secret or
//! URL of the development and test files (anyone can read them), and a host
//! in a name space reserved for examples and local machines (`localhost`,
//! `example.com`, `.test`...) — a default that was never replaced.

use config::{Map, Value, ValueKind};

/// The files whose values are public, embedded so that a deployment without
/// them still knows what they hold.
const PUBLISHED_FILES: [(&str, &str); 2] = [
    (
        "config/development.toml",
        include_str!("../../../config/development.toml"),
    ),
    (
        "config/test.toml",
        include_str!("../../../config/test.toml"),
    ),
];

/// Host names that never name a production machine.
const RESERVED_SUFFIXES: [&str; 6] = [
    "localhost",
    "example.com",
    "example.net",
    "example.org",
    ".example",
    ".test",
];

/// Every setting of `settings` (production's, as loaded) that the
/// repository publishes, each as a message naming it and how to replace it.
pub(crate) fn published_settings(settings: &Map<String, Value>) -> Vec<String> {
    let mut published = Vec::new();
    for (file, text) in PUBLISHED_FILES {
        let parsed = config::Config::builder()
            .add_source(config::File::from_str(text, config::FileFormat::Toml))
            .build()
            .and_then(|c| c.try_deserialize::<Map<String, Value>>());
        // The files are embedded at build time and parsed by the tests: a
        // failure here is a broken build, not a deployment's mistake.
        let Ok(parsed) = parsed else {
            return vec![format!("{file} does not parse")];
        };
        for (path, value) in leaves(&parsed) {
            if is_sensitive(&path) {
                published.push((file, value));
            }
        }
    }
    let problems = leaves(settings).into_iter().filter_map(|(path, value)| {
        let published_in = is_sensitive(&path)
            .then(|| published.iter().find(|(_, public)| public.trim() == value.trim()))
            .flatten();
        if let Some((file, _)) = published_in {
            return Some(format!(
                "{path} holds a value published in {file}: production takes its own from the environment ({})",
                variable_of(&path)
            ));
        }
        reserved_host(&path, &value).map(|host| {
            format!(
                "{path} names {host}, a host only examples and local machines have: set {}",
                variable_of(&path)
            )
        })
    });
    problems.collect()
}

/// Every string leaf of a settings tree with its dotted path.
fn leaves(table: &Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (key, value) in table {
        collect(key.clone(), value, &mut out);
    }
    out.sort();
    out
}

fn collect(path: String, value: &Value, out: &mut Vec<(String, String)>) {
    match &value.kind {
        ValueKind::String(text) => out.push((path, text.clone())),
        ValueKind::Table(table) => {
            for (key, inner) in table {
                collect(format!("{path}.{key}"), inner, out);
            }
        }
        ValueKind::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                collect(format!("{path}.{index}"), inner, out);
            }
        }
        _ => {}
    }
}

/// Keys, secrets, certificates, credentials, account ids and addresses.
fn is_sensitive(path: &str) -> bool {
    let mut segments = path.rsplit('.');
    let last = segments.next().unwrap_or_default();
    let parent = segments.next().unwrap_or_default();
    parent == "keys"
        || (last.contains("key") && last != "active_key" && last != "key_prefix")
        || last.contains("secret")
        || last.ends_with("_pem")
        || last.ends_with("url")
        || matches!(
            last,
            "endpoint"
                | "issuer"
                | "client_id"
                | "client_email"
                | "store_id"
                | "webhook_id"
                | "cid"
        )
}

/// The host a value names (a URL's, a mail address's, or a listed host
/// name), when it lies in a reserved name space.
fn reserved_host(path: &str, value: &str) -> Option<String> {
    let host = if let Some((_, rest)) = value.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let authority = authority.rsplit('@').next().unwrap_or_default();
        authority
            .rsplit_once(':')
            .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
            .map_or(authority, |(host, _)| host)
    } else if let Some((_, domain)) = value.rsplit_once('@') {
        domain.trim_end_matches('>')
    } else if path.split('.').any(|segment| segment == "hosts") {
        value
    } else {
        return None;
    };
    let host = host.trim().to_ascii_lowercase();
    RESERVED_SUFFIXES
        .iter()
        .any(|suffix| {
            host == suffix.trim_start_matches('.')
                || host.ends_with(&format!(".{}", suffix.trim_start_matches('.')))
        })
        .then_some(host)
}

/// The environment variable that sets `path` (`APP__AUTH__ISSUER`).
fn variable_of(path: &str) -> String {
    let segments: Vec<&str> = path
        .split('.')
        .take_while(|segment| !segment.chars().all(|c| c.is_ascii_digit()))
        .collect();
    format!("APP__{}", segments.join("__").to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Map<String, Value> {
        let mut builder = config::Config::builder();
        for (key, value) in pairs {
            builder = builder.set_override(*key, *value).unwrap();
        }
        builder.build().unwrap().try_deserialize().unwrap()
    }

    #[test]
    fn a_published_secret_is_named_with_its_file_and_variable() {
        let refused = published_settings(&settings(&[(
            "payments.toss.secret_key",
            "test_sk_double0000000000000001",
        )]));
        let message = refused.join("; ");
        assert!(message.contains("payments.toss.secret_key"), "{message}");
        assert!(message.contains("config/development.toml"), "{message}");
        assert!(
            message.contains("APP__PAYMENTS__TOSS__SECRET_KEY"),
            "{message}"
        );
    }

    #[test]
    fn reserved_hosts_are_refused_wherever_they_appear() {
        for (path, value) in [
            ("auth.email_link_base_url", "http://api.localhost:8080"),
            ("auth.tokens.issuer", "https://marketplace.localhost"),
            ("smtp.from", "Marketplace <no-reply@marketplace.localhost>"),
            (
                "payments.paypal.return_url",
                "https://shop.example.com/paid",
            ),
            ("services.service_api.hosts", "api.localhost"),
        ] {
            let refused = published_settings(&settings(&[(path, value)]));
            assert!(
                refused.len() == 1 && refused[0].contains(path),
                "{path} = {value}: {refused:?}"
            );
        }
    }

    #[test]
    fn own_values_and_words_shared_with_the_published_files_pass() {
        let own = settings(&[
            ("payments.toss.secret_key", "live_sk_4f1c9e2a7b"),
            ("auth.email_link_base_url", "https://shop.marketplace.kr"),
            ("smtp.url", "smtp://127.0.0.1:25"),
            ("smtp.from", "Marketplace <no-reply@marketplace.kr>"),
            ("app_store.environments", "Production"),
            ("telemetry.filter", "info"),
            ("crypto.contact.active", "dev1"),
        ]);
        assert_eq!(published_settings(&own), Vec::<String>::new());
    }

    #[test]
    fn every_published_file_parses() {
        for (file, text) in PUBLISHED_FILES {
            let parsed = config::Config::builder()
                .add_source(config::File::from_str(text, config::FileFormat::Toml))
                .build();
            assert!(parsed.is_ok(), "{file}");
        }
    }
}
