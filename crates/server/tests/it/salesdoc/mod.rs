//! SalesDoc API V2 through HTTP: the single endpoint `POST /api/v2`, the operation in the
//! body's `method`.

mod golden;
