//! `POST /v1/operations`: what the cloud checks before a cash register sees an operation
//! — the request's shape, the cash register (exists, `ACTIVE`, offers the operation
//! type), the employee (exists, `ACTIVE`, may use the cash register; the `OWNER` may use
//! all) and the details of the type (`details`). The device's state (shift, cash, fiscal
//! drive, connection) is checked when the device runs it.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_core::CoreError;
use twin_store::{Document, Expect, Write};

use super::details::{self, Plan};
use super::KIND;
use crate::crud;
use crate::device::queue;
use crate::error::{texts, KassaError, KassaResult};
use crate::fields::Fields;
use crate::references;
use crate::request::{timestamp, Ctx, KassaRequest, Problems};
use crate::seed::{CASHBOX, EMPLOYEE, OPERATION_TYPES};
use crate::writes::Changes;

/// How often an operation is planned again when a document its checks read changed
/// before it was stored (returns of one sale racing).
const REPLANS: usize = 5;

/// `POST /v1/operations`: 201 with the new `DRAFT` operation, numbered in the account.
/// A return whose sale changed meanwhile (another return of it was stored) is checked
/// again against what is left now, and refused as any return of too much is; it keeps
/// the id and number the first plan drew, so a replan leaves no gap in the numbers.
pub async fn create(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let mut replans = REPLANS;
    let mut drawn = None;
    loop {
        match attempt(ctx, request, &mut drawn).await {
            Err(Attempt::Raced(_)) if replans > 0 => replans -= 1,
            Err(Attempt::Raced(error) | Attempt::Failed(error)) => return Err(error),
            Ok(response) => return Ok(response),
        }
    }
}

enum Attempt {
    /// The guarded document changed between planning and storing (with how a conflict
    /// is answered, should it happen again and again).
    Raced(KassaError),
    Failed(KassaError),
}

impl From<KassaError> for Attempt {
    fn from(error: KassaError) -> Self {
        Self::Failed(error)
    }
}

/// The new operation's id and number, drawn once a request passed its checks (a refused
/// one draws no number).
type Drawn = Option<(String, i64)>;

async fn attempt(
    ctx: &Ctx,
    request: &KassaRequest<'_>,
    drawn: &mut Drawn,
) -> Result<Response, Attempt> {
    let input = request.json()?;
    let root = Fields::new(&input);
    let mut problems = Problems::default();
    let kind = root.choice(&mut problems, "operationType", &OPERATION_TYPES, true);
    let cashbox_id = root.uuid(&mut problems, "cashboxId", true);
    let cashbox = match &cashbox_id {
        Some(id) => cashbox(ctx, &root, &mut problems, id, kind.as_deref()).await?,
        None => None,
    };
    let employee_id = root.uuid(&mut problems, "createdById", true);
    if let Some(id) = &employee_id {
        employee(ctx, &root, &mut problems, id, cashbox_id.as_deref()).await?;
    }
    let empty = Map::new();
    let fields = root
        .object(&mut problems, "details")
        .unwrap_or_else(|| Fields::under(&empty, "details"));
    let plan = match &kind {
        Some(kind) => {
            Some(details::read(ctx, kind, &fields, cashbox.as_ref(), &mut problems).await?)
        }
        None => None,
    };
    problems.into_result()?;
    let (Some(kind), Some(cashbox_id), Some(employee_id), Some(plan)) =
        (kind, cashbox_id, employee_id, plan)
    else {
        return Err(KassaError::internal().into());
    };
    let Plan {
        details,
        plan,
        order_id,
        position_ids,
        guard,
    } = plan;
    let (id, number) = match drawn {
        Some(given) => given.clone(),
        None => {
            let given = (ctx.new_id().await?, crud::next_number(ctx, KIND).await?);
            drawn.insert(given).clone()
        }
    };
    let body = json!({
        "id": id,
        "number": number,
        "createdAt": timestamp(ctx.now),
        "operationType": kind,
        "status": "DRAFT",
        "message": null,
        "cashboxId": cashbox_id,
        "createdById": employee_id,
        "details": details,
        "_plan": plan,
        "_orderId": order_id,
        "_positionIds": position_ids,
    });
    let doc = Document::new(ctx.scope.key(KIND, id.clone()), body.clone());
    let guarded = guard.is_some();
    let mut changes =
        Changes::new(ctx.now)
            .create(doc)
            .raw(queue::enqueue(&ctx.account.id, &id, &cashbox_id));
    if let Some(guard) = guard {
        // Stored unchanged: only its version moves, which makes a racing return conflict.
        let expect = Expect::Version(guard.version);
        changes = changes.raw(Write::Put { doc: guard, expect });
    }
    match changes.apply(ctx.core.store.as_ref()).await {
        Ok(_) => Ok(crud::answer(StatusCode::CREATED, body)),
        Err(error @ CoreError::Conflict(_)) if guarded => Err(Attempt::Raced(error.into())),
        Err(error) => Err(Attempt::Failed(error.into())),
    }
}

/// The cash register, when it exists; reports an inactive one and one that does not
/// offer the operation type.
async fn cashbox(
    ctx: &Ctx,
    root: &Fields<'_>,
    problems: &mut Problems,
    id: &str,
    kind: Option<&str>,
) -> KassaResult<Option<Value>> {
    let Some(cashbox) = references::find(ctx, CASHBOX, id).await? else {
        root.problem(problems, "cashboxId", texts::NOT_FOUND);
        return Ok(None);
    };
    if cashbox["status"] != "ACTIVE" {
        root.problem(problems, "cashboxId", "The cash register is not active.");
    } else if let Some(kind) = kind {
        let offered = cashbox["availableOperations"]
            .as_array()
            .is_some_and(|all| all.iter().any(|op| op["operationType"] == kind));
        if !offered {
            root.problem(
                problems,
                "operationType",
                "The operation is not available on this cash register.",
            );
        }
    }
    Ok(Some(cashbox))
}

/// Reports an employee who does not exist, is not active or may not use the cash register.
async fn employee(
    ctx: &Ctx,
    root: &Fields<'_>,
    problems: &mut Problems,
    id: &str,
    cashbox: Option<&str>,
) -> KassaResult<()> {
    let name = "createdById";
    let Some(employee) = references::find(ctx, EMPLOYEE, id).await? else {
        root.problem(problems, name, texts::NOT_FOUND);
        return Ok(());
    };
    let allowed = employee["role"] == "OWNER"
        || cashbox.is_none_or(|cashbox| {
            employee["cashboxIds"]
                .as_array()
                .is_some_and(|ids| ids.iter().any(|c| c == cashbox))
        });
    if employee["status"] != "ACTIVE" {
        root.problem(problems, name, "The employee is not active.");
    } else if !allowed {
        root.problem(
            problems,
            name,
            "The employee has no access to this cash register.",
        );
    }
    Ok(())
}
