//! Twin's single integration-test binary: one link for every suite, so adding a suite
//! costs no extra build time.

mod admin;
mod admin_data;
mod conformance;
mod console;
mod core_services;
mod crash;
mod faults;
mod fuzz_finds;
mod hostile;
mod isolation;
mod kassa;
mod local;
mod moysklad;
mod plumbing;
mod probe;
mod process;
mod retailcrm;
mod salesdoc;
mod seed;
mod store_conformance;
mod webhooks;
