//! Currency types (`getValyutaType` 9.1 / `setValyutaType` 10.1) and units of measure
//! (`getUnit` 9.2 / `setUnit` 10.2): both without filial, both `{name, short,
//! active}` (see `reference::named`).

use crate::reference::{named, RefKind};

/// Currency types: key `valyutaType` in requests and answers.
pub const VALYUTA_TYPE: RefKind = RefKind {
    key: "valyutaType",
    read: named::read,
    render: named::render,
};

/// Units of measure: key `unit`.
pub const UNIT: RefKind = RefKind {
    key: "unit",
    read: named::read,
    render: named::render,
};
