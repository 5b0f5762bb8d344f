//! What sets a kind apart from the plain reference, as data: how its `SD_id` is written,
//! whether an item without identifiers creates a record, whether GET answers show
//! `code_1C`, and the references to other kinds its items carry. SETs honour them through
//! `upsert::Ruled` (numbering also through `upsert::Target::of`, which every storer
//! uses), GETs through `list::Options`.
use super::link::Link;

/// A kind's rules beyond its fields.
#[derive(Clone, Copy)]
pub struct Rules {
    /// A new record's `SD_id` from its number.
    pub numbering: fn(i64) -> String,
    /// Whether an item with none of `CS_id`, `SD_id`, `code_1C` creates a record (else it
    /// is refused).
    pub unnamed: bool,
    /// Whether GET answers show `code_1C` beside `CS_id` and `SD_id`.
    pub shows_code: bool,
    /// The item members that name records of other kinds, resolved before the kind's
    /// `read` sees the item.
    pub links: &'static [Link],
}

/// `d0_N`, most kinds' `SD_id`.
pub fn d0(n: i64) -> String {
    format!("d0_{n}")
}

/// `N`, the `SD_id` of brands and the other kinds the docs number plainly (`"1"`).
pub fn plain(n: i64) -> String {
    n.to_string()
}

impl Rules {
    /// `d0_N`, identifiers required, `code_1C` shown, no links.
    pub const PLAIN: Rules = Rules {
        numbering: d0,
        unnamed: false,
        shows_code: true,
        links: &[],
    };

    /// The kinds no API method writes and the docs show without `code_1C` (bonus
    /// programs, photo report categories): seeded items without identifiers create a
    /// record, GETs show no `code_1C`.
    pub const UNCODED: Rules = Rules {
        unnamed: true,
        shows_code: false,
        ..Rules::PLAIN
    };

    /// The plain rules with these links.
    pub const fn linked(links: &'static [Link]) -> Rules {
        Rules {
            links,
            ..Rules::PLAIN
        }
    }
}
