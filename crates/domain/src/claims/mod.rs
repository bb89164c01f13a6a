//! Claims on product orders after payment: a cancel before shipping, a
//! return after delivery, an exchange for another option. Who is at fault
//! decides who pays for shipping; what remains of the order is priced again
//! to decide what goes back to each source ([`quote`]).

pub mod quote;
pub mod reasons;
pub mod steps;
pub mod windows;

#[cfg(test)]
mod quote_tests;
#[cfg(test)]
pub(crate) mod seeded;
