//! A dataset generated in the background as a job (`POST /admin/api/accounts/{id}/
//! moysklad/seed`), its progress reported through `twin_core::jobs`.

use std::str::FromStr;

use serde::Deserialize;
use serde_json::Value;
use twin_core::jobs::Job;
use twin_core::CoreError;
use twin_http::AppState;

use super::{ensure_login, generate, Dataset};

/// The job kind: one runs per account at a time.
pub const KIND: &str = "moysklad.seed";
/// The most goods the admin API generates in one job (ten times `large`).
pub const MAX_GOODS: u64 = 1_000_000;

/// `{"dataset": "small" | "large" | <number of goods>, "seed"?: <u64>}`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRequest {
    #[serde(default)]
    dataset: Option<Value>,
    #[serde(default)]
    seed: Option<u64>,
}

impl SeedRequest {
    /// The dataset asked for (`small` when left out).
    fn dataset(&self) -> Result<Dataset, CoreError> {
        let invalid = |message: String| CoreError::validation("dataset", message);
        let dataset = match &self.dataset {
            None => Dataset::from_str("small"),
            Some(Value::String(text)) => Dataset::from_str(text),
            Some(Value::Number(n)) => Dataset::from_str(&n.to_string()),
            Some(other) => Err(format!("expected small, large or a number, not {other}")),
        }
        .map_err(invalid)?;
        if dataset.goods > MAX_GOODS {
            return Err(invalid(format!("at most {MAX_GOODS} goods")));
        }
        Ok(dataset)
    }
}

/// Starts generating the dataset into the account (given a MoySklad login when it has
/// none, as `twin seed` does) and answers the running job; `Conflict` while another
/// seed job runs for the account.
pub async fn start_job(
    state: &AppState,
    account: &str,
    request: SeedRequest,
) -> Result<Job, CoreError> {
    let dataset = request.dataset()?;
    let seed = request.seed.unwrap_or(1);
    let core = state.core.clone();
    let account = core.accounts.get(account).await?.id;
    let job = core.jobs.start(KIND, &account)?;
    let id = job.id().to_owned();
    let public_url = state.public_url.clone();
    tokio::spawn(async move {
        let outcome = match ensure_login(&core, &account).await {
            Ok(()) => {
                let mut progress = |done, total| job.progress(done, total);
                generate(&core, &public_url, &account, dataset, seed, &mut progress).await
            }
            Err(error) => Err(error),
        };
        match outcome {
            Ok(summary) => job.finish(serde_json::to_value(summary).unwrap_or_default()),
            Err(error) => job.fail(error),
        }
    });
    state
        .core
        .jobs
        .get(&id)
        .ok_or_else(|| CoreError::Internal(format!("job {id} vanished")))
}
