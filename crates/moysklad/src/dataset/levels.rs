//! Stock: most goods that hold stock are at one to three of the warehouses, some with a
//! part reserved. Set through `stock::set` as the admin API sets it, in batches.

use super::rng::Rng;
use super::{Summary, Writer};
use crate::stock::{self, Setting};

/// Levels set per call: one webhookstock notification covers each batch.
const BATCH: usize = 500;

pub async fn write(
    writer: &mut Writer<'_>,
    summary: &mut Summary,
    seed: u64,
    goods: &[(&'static str, String)],
    stores: &[String],
) -> Result<(), String> {
    let mut rng = Rng::new(seed, "stock");
    let mut settings = Vec::new();
    for (_, id) in goods {
        if !rng.chance(90) {
            continue;
        }
        let count = rng.range(1, stores.len() as u64) as usize;
        let first = rng.next_u64() as usize;
        for k in 0..count {
            let stock = rng.range(1, 300);
            let reserve = if rng.chance(15) {
                rng.range(0, stock / 4)
            } else {
                0
            };
            settings.push(Setting {
                assortment: id.clone(),
                store: stores[(first + k) % stores.len()].clone(),
                moment: writer.ctx.now,
                stock: Some(stock as f64),
                reserve: Some(reserve as f64),
                in_transit: None,
            });
        }
    }
    writer.total = writer.done + settings.len() as u64;
    for batch in settings.chunks(BATCH) {
        stock::set(&writer.ctx, batch)
            .await
            .map_err(|e| format!("setting stock: {}", e.message))?;
        summary.stock_levels += batch.len() as u64;
        writer.advance(batch.len() as u64);
    }
    Ok(())
}
