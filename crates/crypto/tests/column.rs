//! `Sealed<F>` against a real PostgreSQL: transparent on read and write, and
//! nothing readable in the stored bytes.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use crypto::keyring::generate_key;
use crypto::{
    BlindIndexKind, DataClass, Field, KeyringSettings, Revealed, Sealed, Vault, VaultSettings,
};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use secrecy::SecretString;
use testkit::TestDb;

diesel::table! {
    people (id) {
        id -> Int4,
        name -> Bytea,
        phone -> Bytea,
        account_number -> Bytea,
        phone_index -> Bytea,
    }
}

struct PeopleName;
impl Field for PeopleName {
    const COLUMN: &'static str = "people.name";
    const CLASS: DataClass = DataClass::Contact;
}
struct PeoplePhone;
impl Field for PeoplePhone {
    const COLUMN: &'static str = "people.phone";
    const CLASS: DataClass = DataClass::Contact;
}
struct PeopleAccount;
impl Field for PeopleAccount {
    const COLUMN: &'static str = "people.account_number";
    const CLASS: DataClass = DataClass::Financial;
}

#[derive(Insertable)]
#[diesel(table_name = people)]
struct NewPerson {
    name: Sealed<PeopleName>,
    phone: Sealed<PeoplePhone>,
    account_number: Sealed<PeopleAccount>,
    phone_index: Vec<u8>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = people)]
struct Person {
    name: Sealed<PeopleName>,
    phone: Sealed<PeoplePhone>,
    account_number: Sealed<PeopleAccount>,
}

fn install_vault() -> &'static Vault {
    let keyring = |id: &str| KeyringSettings {
        active: id.to_owned(),
        keys: [(id.to_owned(), SecretString::from(generate_key()))].into(),
    };
    let vault = Vault::from_settings(&VaultSettings {
        contact: keyring("c1"),
        financial: keyring("f1"),
        financial_outer: keyring("o1"),
        blind_index_key: SecretString::from(generate_key()),
    })
    .unwrap();
    crypto::install(vault).unwrap()
}

const PEOPLE: [(&str, &str, &str); 3] = [
    ("Kim Minji", "010-1234-5678", "110-123-456789"),
    ("Lee Seojun", "010-9876-5432", "3333-01-2345678"),
    ("Park Jiwoo", "+82 10 5555 0101", "1002-345-678901"),
];

async fn people_table() -> TestDb {
    let db = TestDb::new().await;
    db.run_sql(
        "CREATE TABLE people (id SERIAL PRIMARY KEY, name BYTEA NOT NULL, phone BYTEA NOT NULL, \
         account_number BYTEA NOT NULL, phone_index BYTEA NOT NULL UNIQUE)",
    )
    .await
    .unwrap();
    db
}

async fn insert_people(db: &TestDb, vault: &Vault) {
    let mut conn = db.conn().await;
    for (name, phone, account) in PEOPLE {
        let normalized = crypto::normalize_phone(phone).unwrap();
        diesel::insert_into(people::table)
            .values(NewPerson {
                name: Sealed::new(name),
                phone: Sealed::new(normalized.clone()),
                account_number: Sealed::new(account),
                phone_index: vault.blind_index(BlindIndexKind::Phone, &normalized),
            })
            .execute(&mut conn)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn sealed_columns_round_trip_and_store_no_plaintext() {
    let vault = install_vault();
    let db = people_table().await;
    insert_people(&db, vault).await;
    let mut conn = db.conn().await;

    let people: Vec<Person> = people::table
        .select(Person::as_select())
        .order(people::id)
        .load(&mut conn)
        .await
        .unwrap();
    let read: Vec<_> = people
        .iter()
        .map(|p| {
            (
                p.name.value().unwrap(),
                p.phone.value().unwrap(),
                p.account_number.value().unwrap(),
            )
        })
        .collect();
    assert_eq!(read[0], ("Kim Minji", "+821012345678", "110-123-456789"));
    assert_eq!(read[2].1, "+821055550101");

    // Every stored byte of every row, as the database holds it.
    let raw: Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> = people::table
        .select((people::name, people::phone, people::account_number))
        .load(&mut conn)
        .await
        .unwrap();
    let stored: Vec<u8> = raw
        .into_iter()
        .flat_map(|(a, b, c)| [a, b, c].concat())
        .collect();
    for (name, phone, account) in PEOPLE {
        let normalized = crypto::normalize_phone(phone).unwrap();
        for plaintext in [
            name,
            phone,
            normalized.as_str(),
            account,
            "Minji",
            "12345678",
            "456789",
        ] {
            assert!(
                !stored
                    .windows(plaintext.len())
                    .any(|w| w == plaintext.as_bytes()),
                "found {plaintext:?} in the stored bytes"
            );
        }
    }
}

#[tokio::test]
async fn lookups_go_through_the_blind_index() {
    let vault = install_vault();
    let db = people_table().await;
    insert_people(&db, vault).await;
    let mut conn = db.conn().await;
    let typed_differently = crypto::normalize_phone("01098765432").unwrap();
    let found: Person = people::table
        .filter(
            people::phone_index.eq(vault.blind_index(BlindIndexKind::Phone, &typed_differently)),
        )
        .select(Person::as_select())
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(found.name.value(), Some("Lee Seojun"));
}

#[tokio::test]
async fn a_value_that_does_not_decrypt_reads_as_unreadable_without_failing_the_query() {
    let vault = install_vault();
    let db = people_table().await;
    insert_people(&db, vault).await;
    // A phone ciphertext copied into the name column, and one bit of an
    // account number flipped (always a change, whatever the byte was).
    db.run_sql("UPDATE people SET name = phone WHERE id = 1")
        .await
        .unwrap();
    db.run_sql("UPDATE people SET account_number = set_byte(account_number, 30, get_byte(account_number, 30) # 1) WHERE id = 2")
        .await
        .unwrap();
    let mut conn = db.conn().await;
    let people: Vec<Person> = people::table
        .select(Person::as_select())
        .order(people::id)
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(people[0].name.revealed(), &Revealed::Unreadable);
    assert_eq!(people[0].phone.value(), Some("+821012345678"));
    assert_eq!(people[1].account_number.revealed(), &Revealed::Unreadable);
    assert_eq!(people[2].account_number.value(), Some("1002-345-678901"));
    assert_eq!(
        format!("{:?}", people[2].name),
        "Sealed<people.name>(redacted)"
    );
}
