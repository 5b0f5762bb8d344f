//! The catalog's goods: products, services, bundles (with their components), variants
//! (with their characteristics) and consignments, and the catalog rules they share.

mod barcodes;
pub mod bundle;
pub mod catalog;
pub mod characteristics;
pub mod components;
pub mod consignment;
mod prices;
pub mod product;
pub mod service;
pub mod variant;
