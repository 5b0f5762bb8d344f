//! What a family document does to stock and money, derived from its stored fields and
//! committed with it in one transaction ([`save`]):
//!
//! | kind | stock lines (while status ≠ 5) | client transaction (while status 3 or 4) |
//! |---|---|---|
//! | order | `Order`: − (quantity − returned) of each line, `BonusOrder`: − quantity of each bonus line, from `store` | type 1 (debit), `totalSummaAfterDiscount` |
//! | return | `OrderDefect`: + quantity into `store` | type 9 (credit), `summa` |
//! | exchange | `OrderReplace`: + returned quantity into `store`, − replacement quantity from `replaceStore` | none (*Inferred*: goods for goods) |
//!
//! Lines are dated at the document date (an order's `dateDocument`, a return's `date`).
//! Stock a document lowers is checked (the account setting `negativeStock` lifts it).

use serde_json::{json, Map, Value};
use twin_store::Write;

use super::{Family, CANCELLED, ORDER};
use crate::client_ledger::{self, Entry, TransactionType};
use crate::ledger::{self, Line, Negative, Owner, Posting};
use crate::reference::upsert::{prepare, Refused, Target};
use crate::reference::{Ids, Record};
use crate::request::Ctx;
use crate::values::number;

/// The stored kind named by the owner of an order's bonus lines.
const ORDER_BONUS: &str = "orderBonus";

/// Writes `fields` over `target` with the document's stock lines and client
/// transaction replaced to match them; the stored document.
pub async fn save(
    ctx: &Ctx,
    family: Family,
    ids: &Ids,
    target: Target<'_>,
    fields: Map<String, Value>,
) -> Result<Record, Refused> {
    let read = target.read();
    let (doc, expect) = prepare(ctx, family.key(), ids, target, fields);
    let record = Record::from_doc(doc.clone());
    let owner = format!("{}.{}", family.key(), record.sd_id);
    let mut writes = vec![Write::Put { doc, expect }];
    let entries = entry(ctx, family, &record).into_iter().collect();
    writes.extend(client_ledger::owned_writes(ctx, &owner, entries).await?);
    ledger::post_all(ctx, postings(ctx, family, &record), writes, &read).await?;
    Ok(record)
}

/// The `SD_id` of a stored reference `{CS_id, SD_id, code_1C}`.
pub fn sd_of(fields: &Map<String, Value>, member: &str) -> Option<String> {
    fields
        .get(member)
        .and_then(|r| r["SD_id"].as_str())
        .map(str::to_owned)
}

/// The stock lines of a document's stored `member` list, each quantity signed by `sign`
/// (less what was returned when `net_of_returns`), into or out of `warehouse`.
fn lines_of(
    fields: &Map<String, Value>,
    member: &str,
    warehouse: Option<String>,
    sign: f64,
    net_of_returns: bool,
) -> Vec<Line> {
    let (Some(warehouse), Some(date)) = (
        warehouse,
        fields
            .get("dateDocument")
            .or_else(|| fields.get("date"))
            .and_then(Value::as_str),
    ) else {
        return Vec::new();
    };
    let stored = fields.get(member).and_then(Value::as_array);
    stored
        .into_iter()
        .flatten()
        .filter_map(|line| {
            let mut quantity = line["quantity"].as_f64()?;
            if net_of_returns {
                quantity -= line["returned"].as_f64().unwrap_or_default();
            }
            (quantity != 0.0).then(|| Line {
                warehouse: warehouse.clone(),
                product: line["product"].as_str().unwrap_or_default().to_owned(),
                date: date.to_owned(),
                quantity: sign * quantity,
            })
        })
        .collect()
}

/// The document's postings: every owner it has, with no lines once cancelled (so its
/// earlier lines go).
fn postings(ctx: &Ctx, family: Family, record: &Record) -> Vec<Posting> {
    let fields = &record.fields;
    let live = fields["status"].as_i64() != Some(CANCELLED);
    let store = sd_of(fields, "store");
    let owner = |log_type, kind: &'static str| Owner {
        log_type,
        kind,
        sd_id: record.sd_id.clone(),
    };
    let posting = |owner, lines: Vec<Line>| Posting {
        owner,
        lines: if live { lines } else { Vec::new() },
        negative: Negative::checked(ctx),
    };
    match family {
        Family::Order => vec![
            posting(
                owner("Order", ORDER),
                lines_of(fields, "lines", store.clone(), -1.0, true),
            ),
            posting(
                owner("BonusOrder", ORDER_BONUS),
                lines_of(fields, "bonus", store, -1.0, false),
            ),
        ],
        Family::Defect => vec![posting(
            owner(family.log_type(), family.key()),
            lines_of(fields, "lines", store, 1.0, false),
        )],
        Family::Replace => {
            let mut lines = lines_of(fields, "lines", store, 1.0, false);
            let from = sd_of(fields, "replaceStore");
            lines.extend(lines_of(fields, "replace", from, -1.0, false));
            vec![posting(owner(family.log_type(), family.key()), lines)]
        }
    }
}

/// The client transaction the document owns now, if any: an order's debit or a
/// return's credit while Delivered or Closed (DIGEST §3.5, `debt_on_statuses` [3, 4]).
fn entry(ctx: &Ctx, family: Family, record: &Record) -> Option<Entry> {
    let fields = &record.fields;
    if !matches!(fields["status"].as_i64(), Some(3 | 4)) {
        return None;
    }
    let (transaction_type, amount) = match family {
        Family::Order => (TransactionType::Order, "totalSummaAfterDiscount"),
        Family::Defect => (TransactionType::ShelfReturn, "summa"),
        Family::Replace => return None,
    };
    let amount = fields[amount].as_f64().unwrap_or_default();
    let client = sd_of(fields, "client")?;
    // No payment type, no balance to move (*Inferred*: price types always name one).
    let payment_type = sd_of(fields, "paymentType")?;
    let shown = json!({
        "paymentDate": fields.get("dateDocument").or_else(|| fields.get("date")),
        "expirationDate": fields.get("debtDateExp").cloned().unwrap_or(Value::Null),
        "comment": fields.get("comment").cloned().unwrap_or(Value::Null),
        "client": fields["client"],
        "agent": fields.get("agent").cloned().unwrap_or(Value::Null),
        "paymentType": fields["paymentType"],
        "cashbox": Value::Null,
        "trade": fields.get("trade").cloned().unwrap_or(Value::Null),
        "orders": [{ "CS_id": record.cs_id(ctx), "SD_id": record.sd_id, "amount": number(amount) }],
    });
    Some(Entry {
        transaction_type,
        client,
        payment_type,
        amount,
        shown: shown.as_object().cloned().unwrap_or_default(),
    })
}
