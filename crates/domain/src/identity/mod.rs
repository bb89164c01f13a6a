//! Identity rules: password policy, refresh rotation, login throttling,
//! staff permissions.

pub mod age;
pub mod grants;
pub mod password;
pub mod permissions;
pub mod refresh;
pub mod throttle;
