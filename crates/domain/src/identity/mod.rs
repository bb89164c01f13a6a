//! Identity rules: password policy now; account states as they arrive.

pub mod password;
pub mod refresh;
pub mod throttle;
