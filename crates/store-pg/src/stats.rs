//! Runs `twin_store::aggregates`' queries (the console's counts and samples).

use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{PgPool, Row};
use twin_store::aggregates::{Cell, Column, SqlRows};
use twin_store::sql::SqlArg;
use twin_store::StoreResult;

use crate::flavor::Pg;
use crate::rows::{backend, bind_all};

pub struct Aggregates<'a>(pub &'a PgPool);

#[async_trait]
impl SqlRows for Aggregates<'_> {
    type Flavor = Pg;
    type Row = PgRow;

    async fn fetch(&self, sql: &str, args: &[SqlArg]) -> StoreResult<Vec<PgRow>> {
        let query = bind_all(sqlx::query(sql), args);
        query.fetch_all(self.0).await.map_err(backend)
    }

    fn cell(row: &PgRow, n: usize, column: Column) -> StoreResult<Cell> {
        match column {
            Column::Text => row.try_get(n).map(Cell::Text),
            Column::Int => row.try_get(n).map(Cell::Int),
        }
        .map_err(backend)
    }
}
