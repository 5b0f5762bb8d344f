//! Write transactions on the writer connection that never hand a connection back to the
//! pool in doubt.
//!
//! sqlx counts transaction depth itself and issues `SAVEPOINT`s when it thinks one is
//! open. SQLite rolls a transaction back on its own after some errors (`SQLITE_FULL` when
//! the disk fills, I/O errors); sqlx's `ROLLBACK` then fails, its count stays one too
//! high, and the connection's next transactions become savepoints. The first savepoint
//! that later rolls back leaves an outer transaction open for good: every later "commit"
//! only releases a savepoint inside it, writes are acknowledged yet never committed,
//! readers do not see them, and a restart loses them all (found by the disk-full test of
//! crates/server/tests/it/crash/faults.rs). So the writer begins and ends its transactions
//! with plain SQL, which sqlx does not count; a transaction that ends otherwise than by a
//! `COMMIT` or a `ROLLBACK` that left SQLite outside any transaction closes its connection.

use std::ops::{Deref, DerefMut};

use sqlx::pool::PoolConnection;
use sqlx::{Sqlite, SqliteConnection, SqlitePool};
use twin_store::StoreResult;

use crate::rows::backend;

pub struct WriteTx {
    conn: PoolConnection<Sqlite>,
    /// Ended cleanly: the connection may go back to the pool.
    ended: bool,
}

impl WriteTx {
    pub async fn begin(pool: &SqlitePool) -> StoreResult<Self> {
        let mut conn = pool.acquire().await.map_err(backend)?;
        sqlx::query("BEGIN")
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
        Ok(Self { conn, ended: false })
    }

    /// Commits; when the commit fails, rolls back so the connection is clean again.
    pub async fn commit(mut self) -> StoreResult<()> {
        match sqlx::query("COMMIT").execute(&mut *self.conn).await {
            Ok(_) => {
                self.ended = true;
                Ok(())
            }
            Err(error) => {
                self.rollback().await;
                Err(backend(error))
            }
        }
    }

    /// Ends the transaction without its changes. SQLite may have rolled it back already
    /// (then `ROLLBACK` fails, harmlessly); either way it is over afterwards unless the
    /// connection itself broke, which `autocommit` tells.
    pub async fn rollback(&mut self) {
        let _ = sqlx::query("ROLLBACK").execute(&mut *self.conn).await;
        self.ended = autocommit(&mut self.conn).await;
    }
}

/// Whether the connection is outside any transaction: `BEGIN` succeeds only there.
async fn autocommit(conn: &mut SqliteConnection) -> bool {
    sqlx::query("BEGIN").execute(&mut *conn).await.is_ok()
        && sqlx::query("ROLLBACK").execute(&mut *conn).await.is_ok()
}

impl Deref for WriteTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.conn
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.conn
    }
}

impl Drop for WriteTx {
    /// A transaction dropped midway (an error returned early, a request timed out) may
    /// still be open: its connection is closed, never reused.
    fn drop(&mut self) {
        if !self.ended {
            self.conn.close_on_drop();
        }
    }
}
