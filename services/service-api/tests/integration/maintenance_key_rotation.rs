//! Rotating the contact key: old values stay readable, and the worker
//! re-seals them under the new key in resumable batches.

use crypto::{DataClass, Field, Vault};
use persistence::identity::users::{UserEmail, UserName, UserPhone};
use testkit::TestApp;
use uuid::Uuid;

const NEW_KEY: &str = "cm90YXRpb24gdGVzdCBjb250YWN0IGtleSwgMzIgYiE=";

/// How many accounts have their email sealed under `key`.
async fn under(app: &TestApp, key: &str) -> Vec<String> {
    let query = format!(
        "SELECT count(*)::text AS value FROM users \
         WHERE substring(email FROM 3 FOR get_byte(email, 1)) = convert_to('{key}', 'UTF8')"
    );
    app.db.query_text(&query).await
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn values_under_a_retired_key_are_resealed_in_batches() {
    let app = TestApp::builder(service_api::SERVICE)
        .setting("crypto.contact.active", "test2")
        .setting("crypto.contact.keys.test2", NEW_KEY)
        .spawn()
        .await;
    // The vault as it was before the rotation: same keys, old key active.
    let mut before = app.state.settings.crypto.clone();
    before.contact.active = "test1".to_owned();
    let old = Vault::from_settings(&before).unwrap();
    let seal =
        |column: &str, value: &str| hex(&old.seal(DataClass::Contact, column, value.as_bytes()));

    let mut people = Vec::new();
    for n in 0..250 {
        let id = Uuid::new_v4();
        let (email, name, phone) = (
            format!("person{n}@example.com"),
            format!("Person {n}"),
            format!("+8210{n:08}"),
        );
        app.db
            .run_sql(&format!(
                "INSERT INTO users (id, email, email_index, name, phone, phone_index, status) VALUES \
                 ('{id}', decode('{}', 'hex'), decode('{}', 'hex'), decode('{}', 'hex'), decode('{}', 'hex'), decode('{}', 'hex'), 'active')",
                seal(UserEmail::COLUMN, &email),
                hex(id.as_bytes()),
                seal(UserName::COLUMN, &name),
                seal(UserPhone::COLUMN, &phone),
                hex(id.as_bytes()),
            ))
            .await
            .unwrap();
        people.push((id, email, name, phone));
    }
    assert_eq!(under(&app, "test1").await, vec!["250"]);

    // Old values read fine through the rotated keyring before any re-sealing.
    let mut conn = app.state.context.db.get().await.unwrap();
    let first = persistence::identity::users::find(&mut conn, people[0].0)
        .await
        .unwrap();
    assert_eq!(first.email.value(), Some(people[0].1.as_str()));

    assert!(
        app::maintenance::rotation::start(&app.state.context)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        app::maintenance::rotation::start(&app.state.context)
            .await
            .unwrap()
            .is_none(),
        "one pass at a time"
    );
    assert_eq!(
        app.run_jobs().await,
        3,
        "200 + 50 accounts (the second batch enqueued by the first), then one job for every other sealed column"
    );
    assert_eq!(under(&app, "test2").await, vec!["250"]);
    assert_eq!(under(&app, "test1").await, vec!["0"]);

    for (id, email, name, phone) in people.iter().step_by(37) {
        let user = persistence::identity::users::find(&mut conn, *id)
            .await
            .unwrap();
        assert_eq!(
            (user.email.value(), user.name.value()),
            (Some(email.as_str()), Some(name.as_str()))
        );
        assert_eq!(user.phone.unwrap().value(), Some(phone.as_str()));
    }
    // Nothing left to do: a new pass finishes at once (accounts, then the rest).
    app::maintenance::rotation::start(&app.state.context)
        .await
        .unwrap();
    assert_eq!(app.run_jobs().await, 2);
}
