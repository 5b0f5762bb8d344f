//! What a handler works in: the account and user of the token (`Ctx`), the filial the
//! request names (none for the methods without filial), and the account's moment.

use std::ops::Deref;

use chrono::{DateTime, Utc};
use twin_core::accounts::Account;
use twin_core::credentials::Credential;
use twin_core::Core;
use twin_http::AccountCtx;
use twin_store::{Applied, Batch, Document, StoreResult};

use crate::filials::Filial;
use crate::DIALECT;
use crate::{client_ledger, ledger};

pub struct Ctx {
    inner: AccountCtx,
    /// The request's filial, when the method works in one and the request names one.
    pub filial: Option<Filial>,
}

impl Deref for Ctx {
    type Target = AccountCtx;

    fn deref(&self) -> &AccountCtx {
        &self.inner
    }
}

impl Ctx {
    pub fn new(
        core: Core,
        account: Account,
        credential: Credential,
        filial: Option<Filial>,
    ) -> Self {
        Self {
            inner: AccountCtx::new(core, account, credential, DIALECT),
            filial,
        }
    }

    /// The same request without its filial: where the kinds the docs list without
    /// filial (units, currencies, products, client categories, ...) live, when a
    /// filial's record links one; they are found and shown from there, their `CS_id`
    /// without prefix.
    pub fn head_office(&self) -> Ctx {
        self.with_filial(None)
    }

    /// The same request in another filial (none: the head office): where an
    /// inter-filial movement finds its destination's warehouses and posts its receipt.
    pub fn with_filial(&self, filial: Option<Filial>) -> Ctx {
        let inner = &self.inner;
        Ctx {
            inner: AccountCtx {
                core: inner.core.clone(),
                account: inner.account.clone(),
                scope: inner.scope.clone(),
                now: inner.now,
                credential: inner.credential.clone(),
            },
            filial,
        }
    }

    /// The filial's id as records store it (`""`: none).
    pub fn filial_id(&self) -> &str {
        self.filial.as_ref().map_or("", |f| f.filial_id.as_str())
    }

    /// The filial's `CS_id` prefix, if any.
    pub fn prefix(&self) -> Option<&str> {
        self.filial.as_ref().map(|f| f.prefix.as_str())
    }

    /// Commits a batch with a history entry for each write, so the admin data browser
    /// shows SalesDoc records' changes (the vendor has no change feed to serve them).
    pub async fn apply(&self, batch: Batch) -> StoreResult<Applied> {
        self.apply_read(batch, &[]).await
    }

    /// [`Ctx::apply`] for writes over documents just read (`read`): their history
    /// entries are built from those instead of reading them again.
    pub async fn apply_read(&self, batch: Batch, read: &[Document]) -> StoreResult<Applied> {
        self.core
            .entities
            .apply_recorded(batch, read, self.now, &UNRECORDED)
            .await
    }
}

/// Kinds whose writes record no history: stock lines and balances, derived from the
/// documents that post them, whose own history tells the change.
const UNRECORDED: [&str; 3] = [ledger::LINE, ledger::CELL, client_ledger::BALANCE];

/// Commits SalesDoc writes with their history entries (see [`Ctx::apply`]).
pub async fn apply_recorded(core: &Core, batch: Batch, at: DateTime<Utc>) -> StoreResult<Applied> {
    core.entities
        .apply_recorded(batch, &[], at, &UNRECORDED)
        .await
}
