//! Body filters: the one place where backends translate semantics (JSON types, Unicode
//! case, SQL `NULL`s and wildcards) rather than just store bytes, so the cases pin down
//! every operator on exact sets of documents.

mod compare;
mod logic;
mod text;

pub use compare::*;
pub use logic::*;
pub use text::*;
