//! Client categories (`getClientCategory` 9.3 / `setClientCategory` 10.3): without
//! filial, `{name, description, active, sort}`; `filter.include` honoured. `sort` is not
//! settable: 500 for every record (*Inferred*, the example's value).

use crate::reference::named::{kept_sort, read_members, render_members, Flag};
use crate::reference::RefKind;

/// Key `clientCategory` in requests and answers; clients link one as `clientCategory`
/// and show it as `category`.
pub const CLIENT_CATEGORY: RefKind = RefKind {
    key: "clientCategory",
    read: |item, stored| {
        let mut fields = read_members(item, stored, TEXTS, Flag::Active)?;
        fields.insert("sort".into(), kept_sort(stored));
        Ok(fields)
    },
    render: |fields| {
        let mut shown = render_members(fields, TEXTS, Flag::Active);
        shown.insert("sort".into(), kept_sort(Some(fields)));
        shown
    },
};

const TEXTS: &[&str] = &["description"];
