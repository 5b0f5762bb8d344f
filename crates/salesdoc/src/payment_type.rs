//! Payment types, the "settlement currencies" (`getPaymentType` 9.14 / `setPaymentType`
//! 10.10): `{name, short, active}` as currency types (see `reference::named`), in the
//! request's filial. The SET group is `paymentType`; the GET answer's key is `currency`,
//! as documented.

use crate::reference::{named, RefKind};

/// Payment types: stored and sent as `paymentType`.
pub const PAYMENT_TYPE: RefKind = RefKind {
    key: "paymentType",
    read: named::read,
    render: named::render,
};

/// The member of getPaymentType's `result`.
pub const ANSWER_KEY: &str = "currency";
