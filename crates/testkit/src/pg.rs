use sqlx::Connection;

/// A new empty database on the PostgreSQL server `TWIN_TEST_PG_URL` names (an admin
/// URL), and its URL; `None` when the variable is unset.
pub async fn fresh_pg_database(label: &str) -> Option<String> {
    let admin_url = std::env::var("TWIN_TEST_PG_URL").ok()?;
    let name = crate::unique(&format!("twin_{label}"))
        .replace('-', "_")
        .to_lowercase();
    let mut conn = sqlx::PgConnection::connect(&admin_url)
        .await
        .expect("TWIN_TEST_PG_URL must reach a PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let base = admin_url
        .rsplit_once('/')
        .map(|(base, _)| base)
        .expect("TWIN_TEST_PG_URL ends with a database name");
    Some(format!("{base}/{name}"))
}
