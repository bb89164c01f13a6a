//! PATCH fields that tell "absent" (unchanged) from `null` (cleared):
//! `#[serde(default, deserialize_with = "crate::kernel::double_option::deserialize")]`
//! on an `Option<Option<T>>`.

use serde::{Deserialize, Deserializer};

pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
