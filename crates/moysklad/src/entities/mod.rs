//! The entity types Twin serves, by keyword.

pub mod contract;
pub mod currency;
pub mod processingplanfolder;
pub mod productfolder;
mod supporting;
pub mod webhook;
pub mod webhookstock;

use crate::model::Entity;

/// The entity type a keyword names (case-insensitive on input).
pub fn by_keyword(keyword: &str) -> Option<&'static dyn Entity> {
    let all: [&'static dyn Entity; 12] = [
        &contract::Contract,
        &currency::Currency,
        &productfolder::ProductFolder,
        &processingplanfolder::ProcessingPlanFolder,
        &supporting::EMPLOYEE,
        &supporting::GROUP,
        &supporting::ORGANIZATION,
        &supporting::STORE,
        &supporting::COUNTERPARTY,
        &supporting::UOM,
        &webhook::Webhook,
        &webhookstock::WebhookStock,
    ];
    all.into_iter()
        .find(|entity| entity.info().keyword.eq_ignore_ascii_case(keyword))
}
