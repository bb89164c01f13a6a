//! Closed sets of words a field may hold (statuses, kinds, roles), so the
//! OpenAPI documents list them as enums and generated clients are typed.
//!
//! A vocabulary serialises to exactly the word stored in the database, and
//! `VALUES` lists its words in order: the API's tests compare it with the
//! `CHECK` constraint of the column it shows, so the two cannot drift.
//! Fields that pass a stored word through unchanged keep their `String` and
//! name the vocabulary as their schema (`#[schema(value_type = …)]`); fields
//! the API sets itself hold the vocabulary.

/// Declares a vocabulary: `vocabulary! { /// doc  Name { Variant = "word", … } }`.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $word:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize, ::utoipa::ToSchema)]
        pub enum $name {
            $(#[serde(rename = $word)] $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// Every word, in declaration order.
            pub const VALUES: &'static [&'static str] = &[$($word),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word),+
                }
            }
        }
    };
}

pub(crate) use vocabulary;
