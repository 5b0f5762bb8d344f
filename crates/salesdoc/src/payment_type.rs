//! Payment types, the "settlement currencies" (`setPaymentType` 10.10): `{name, short,
//! active}` as currency types (see `reference::named`), in the request's filial. Price
//! types link them (10.11). A stand-in on this branch: payment types are built in full
//! (getPaymentType too) on the `sdpeople` branch, whose file replaces this one.

use crate::reference::{named, RefKind};

/// Payment types: stored and sent as `paymentType`.
pub const PAYMENT_TYPE: RefKind = RefKind {
    key: "paymentType",
    read: named::read,
    render: named::render,
};
