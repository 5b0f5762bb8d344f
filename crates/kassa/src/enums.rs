//! Value lists of orders and nomenclature. The seed enumerates the VAT rates (twice: bare
//! for orders and categories, `VAT_`-prefixed for products), units of measure and mark
//! types; it shows one agent sign (`ANOTHER_AGENT`) and one delivery status (`NEW`), and
//! the rest of those two lists are the fiscal format's (see docs/kassa/fidelity.md).

/// VAT rates of order and receipt positions and of categories.
pub const VATS: [&str; 10] = [
    "WITHOUT", "0", "5", "5_105", "7", "7_107", "10", "10_110", "20", "20_120",
];

/// VAT rates of products.
pub const PRODUCT_VATS: [&str; 10] = [
    "VAT_WITHOUT",
    "VAT_0",
    "VAT_5",
    "VAT_5_105",
    "VAT_7",
    "VAT_7_107",
    "VAT_10",
    "VAT_10_110",
    "VAT_20",
    "VAT_20_120",
];

/// Agent signs (fiscal tag 1222), the seed's `ANOTHER_AGENT` among them. *Inferred.*
pub const AGENT_SIGNS: [&str; 7] = [
    "BANK_PAYING_AGENT",
    "BANK_PAYING_SUBAGENT",
    "PAYING_AGENT",
    "PAYING_SUBAGENT",
    "ATTORNEY",
    "COMMISSION_AGENT",
    "ANOTHER_AGENT",
];

/// Delivery states of an order, the seed's `NEW` first. *Inferred.*
pub const DELIVERY_STATUSES: [&str; 4] = ["NEW", "IN_PROGRESS", "DELIVERED", "CANCELED"];

/// Product types.
pub const PRODUCT_TYPES: [&str; 2] = ["PRODUCT", "SERVICE"];

/// Mark types of marked goods.
pub const MARK_TYPES: [i64; 24] = [
    1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 13, 14, 15, 16, 17, 19, 22, 23, 24, 25, 26, 27, 28, 29,
];

/// Units of measure.
pub const UOMS: [i64; 24] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
];
