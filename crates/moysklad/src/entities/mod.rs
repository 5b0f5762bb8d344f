//! The entity types Twin serves, by keyword.

pub mod bonusprogram;
pub mod bonustransaction;
pub mod contract;
pub mod currency;
pub mod goods;
mod loyalty;
pub mod processingplanfolder;
pub mod productfolder;
mod supporting;
pub mod webhook;
pub mod webhookstock;

use crate::model::Entity;

/// The entity type a keyword names (case-insensitive on input).
pub fn by_keyword(keyword: &str) -> Option<&'static dyn Entity> {
    let all: [&'static dyn Entity; 19] = [
        &bonusprogram::BonusProgram,
        &bonustransaction::BonusTransaction::Regular,
        &contract::Contract,
        &currency::Currency,
        &productfolder::ProductFolder,
        &goods::product::Product,
        &goods::service::Service,
        &goods::bundle::Bundle,
        &goods::variant::Variant,
        &goods::consignment::Consignment,
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
