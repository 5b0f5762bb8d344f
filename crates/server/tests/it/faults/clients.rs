//! The vendor's PyPI client `retailcrm` meeting a rule's 429 as it would meet the
//! vendor's (`conformance/retailcrm/python-faults.py`); skipped like the other client
//! tests when `TWIN_CONFORMANCE_RETAILCRM_PYTHON` is unset.

use std::path::Path;
use std::time::Duration;

use serde_json::json;
use tokio::process::Command;

use super::add_rule;
use crate::conformance::{self, installed};
use crate::retailcrm::Crm;

#[tokio::test]
async fn the_python_client_gets_the_vendors_429() {
    let Some(python) = installed("TWIN_CONFORMANCE_RETAILCRM_PYTHON") else {
        return;
    };
    let crm = Crm::new().await;
    add_rule(
        crm.app,
        json!({ "account": crm.account, "dialect": "retailcrm", "endpoint": "v5/customers",
                "count": 1, "action": { "type": "rate_limit" } }),
    )
    .await;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance/retailcrm");
    let mut command = Command::new(python);
    command
        .arg(dir.join("python-faults.py"))
        .env("TWIN_BASE", &crm.app.base)
        .env("RCRM_KEY", &crm.key);
    conformance::run(
        "PyPI retailcrm python-faults.py",
        &dir,
        &mut command,
        Duration::from_secs(120),
    )
    .await;
}
