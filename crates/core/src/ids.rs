//! Identifier generation. Random by default; an account with a seed gets ids derived from
//! the seed and a stored counter, so a scripted demo or test replays with the same ids,
//! also across restarts.

use std::sync::Arc;

use twin_store::{Scope, Store};
use uuid::Uuid;

use crate::accounts::Account;
use crate::CoreResult;

/// The counter behind seeded ids, per (account, dialect).
const SEEDED_ID_SEQUENCE: &str = "__seeded_ids";

#[derive(Clone)]
pub struct Ids {
    store: Arc<dyn Store>,
}

impl Ids {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// A version-4 UUID for a new entity of the account's dialect data.
    pub async fn uuid(&self, account: &Account, dialect: &str) -> CoreResult<Uuid> {
        let mut ids = self.uuids(account, dialect, 1).await?;
        Ok(ids.remove(0))
    }

    /// `count` UUIDs at once, the same ones `count` calls of [`Ids::uuid`] would give.
    pub async fn uuids(
        &self,
        account: &Account,
        dialect: &str,
        count: u32,
    ) -> CoreResult<Vec<Uuid>> {
        match account.seed {
            _ if count == 0 => Ok(Vec::new()),
            None => Ok((0..count).map(|_| Uuid::new_v4()).collect()),
            Some(seed) => {
                let scope = Scope::new(account.id.clone(), dialect);
                let first = self
                    .store
                    .reserve_sequence(&scope, SEEDED_ID_SEQUENCE, count.max(1))
                    .await?;
                Ok((0..i64::from(count))
                    .map(|n| seeded_uuid(seed, dialect, (first + n) as u64))
                    .collect())
            }
        }
    }
}

/// Whether two secrets are equal, in time that depends on their length only: a client
/// cannot learn a secret's prefix from how fast a wrong guess is refused.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A secret token: 32 random hex digits twice over.
pub fn random_token() -> String {
    format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

/// The `n`-th id of a seeded sequence: splitmix64 over the seed, the dialect and `n`.
pub fn seeded_uuid(seed: u64, dialect: &str, n: u64) -> Uuid {
    let dialect_hash = dialect.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let high = splitmix64(seed ^ dialect_hash ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let low = splitmix64(high ^ n);
    uuid::Builder::from_random_bytes(((u128::from(high) << 64) | u128::from(low)).to_be_bytes())
        .into_uuid()
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}
