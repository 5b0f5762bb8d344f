//! MoySklad's error wire format, `{"errors":[{"error","code","moreInfo",...}]}`, and the
//! catalogue of codes Twin answers with: one table, each code with its HTTP status.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use twin_core::CoreError;

/// One error of the `errors` array.
#[derive(Debug, Clone, PartialEq)]
pub struct MsError {
    pub status: StatusCode,
    pub code: u32,
    pub message: String,
    pub parameter: Option<String>,
    /// What blocks a delete: `meta` objects of the entities still using the target.
    pub dependencies: Vec<Value>,
}

/// The HTTP status the vendor answers each code with.
fn status_of(code: u32) -> StatusCode {
    match code {
        1000 | 1002 | 1005 => StatusCode::NOT_FOUND,
        1008 | 1021 => StatusCode::NOT_FOUND,
        1028 => StatusCode::CONFLICT,
        1039 => StatusCode::METHOD_NOT_ALLOWED,
        1048 | 1049 | 1073 => StatusCode::TOO_MANY_REQUESTS,
        1056 => StatusCode::UNAUTHORIZED,
        1016 | 1017 | 1018 | 1045 => StatusCode::FORBIDDEN,
        1044 | 2007 | 2022 => StatusCode::PAYLOAD_TOO_LARGE,
        1062 | 1037 => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        3000..=3999 | 23000..=23999 | 29000..=31999 | 62000..=62999 => {
            StatusCode::PRECONDITION_FAILED
        }
        _ => StatusCode::BAD_REQUEST,
    }
}

impl MsError {
    pub fn new(code: u32, message: impl Into<String>) -> Self {
        Self {
            status: status_of(code),
            code,
            message: message.into(),
            parameter: None,
            dependencies: Vec::new(),
        }
    }

    pub fn on(mut self, parameter: &str) -> Self {
        self.parameter = Some(parameter.to_owned());
        self
    }

    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    pub fn uri_not_id() -> Self {
        Self::new(1000, "Элемент URI не является идентификатором")
    }
    pub fn unknown_path(path: &str) -> Self {
        Self::new(1002, format!("Неопознанный путь: {path}"))
    }
    pub fn unknown_type(keyword: &str) -> Self {
        Self::new(1005, format!("Неизвестный тип: '{keyword}'"))
    }
    pub fn no_id_on_put() -> Self {
        Self::new(1012, "Не указан идентификатор объекта")
    }
    pub fn not_found(keyword: &str, id: &str) -> Self {
        Self::new(
            1021,
            format!("Объект с типом '{keyword}' и идентификатором '{id}' не найден"),
        )
    }
    pub fn empty_batch() -> Self {
        Self::new(1027, "Тело запроса не содержит объектов")
    }
    pub fn method_not_allowed(method: &str) -> Self {
        Self::new(
            1039,
            format!("Операция {method} не поддерживается для данного ресурса"),
        )
    }
    pub fn bad_params(detail: &str) -> Self {
        Self::new(1040, format!("Неверно заданы параметры запроса: {detail}"))
    }
    pub fn too_large() -> Self {
        Self::new(1044, "Размер тела запроса превышает допустимый")
    }
    /// The server's own failure, with code 1000 whatever the 5xx status.
    pub fn internal(status: StatusCode) -> Self {
        Self::new(1000, "Внутренняя ошибка").with_status(status)
    }

    pub fn rate_limited() -> Self {
        Self::new(
            1049,
            "Превышено ограничение на количество запросов в единицу времени",
        )
    }
    /// The vendor's code for too many wrong passwords (its HTTP status and text are not
    /// documented: 429 and this text are *Inferred*).
    pub fn too_many_logins() -> Self {
        Self::new(
            1048,
            "Ошибка аутентификации: превышено количество неудачных попыток входа",
        )
    }
    pub fn auth() -> Self {
        Self::new(
            1056,
            "Ошибка аутентификации: Неправильный пароль или имя пользователя или ключ авторизации",
        )
    }
    pub fn foreign_host(href: &str) -> Self {
        Self::new(
            1059,
            format!("Некорректный сервер в идентификаторе объекта: {href}"),
        )
    }
    pub fn bad_accept() -> Self {
        Self::new(
            1062,
            "Поддерживается только значение 'application/json;charset=utf-8'",
        )
    }
    pub fn bad_json(detail: &str) -> Self {
        Self::new(2001, format!("Ошибка формата JSON: {detail}"))
    }
    pub fn not_object() -> Self {
        Self::new(
            2005,
            "Неверный формат запроса: ожидается JSON-объект или массив",
        )
    }
    pub fn array_not_allowed() -> Self {
        Self::new(2009, "Тело запроса не может быть массивом")
    }
    pub fn wrong_type(field: &str) -> Self {
        Self::new(2016, format!("Неверный тип значения поля '{field}'")).on(field)
    }
    pub fn required(field: &str) -> Self {
        Self::new(
            3000,
            format!(
                "Ошибка сохранения объекта: поле '{field}' не может быть пустым или отсутствовать"
            ),
        )
        .on(field)
    }
    pub fn immutable(field: &str) -> Self {
        Self::new(
            3001,
            format!("Ошибка сохранения объекта: поле '{field}' не может быть изменено"),
        )
        .on(field)
    }
    pub fn negative(field: &str) -> Self {
        Self::new(
            3002,
            format!(
                "Ошибка сохранения объекта: поле '{field}' не может иметь отрицательное значение"
            ),
        )
        .on(field)
    }
    pub fn not_positive(field: &str) -> Self {
        Self::new(
            3003,
            format!("Ошибка сохранения объекта: поле '{field}' должно быть больше нуля"),
        )
        .on(field)
    }
    pub fn bad_value(field: &str, detail: &str) -> Self {
        Self::new(3005, format!("Ошибка сохранения объекта: {detail}")).on(field)
    }
    pub fn too_long(field: &str, max: usize) -> Self {
        Self::new(
            3040,
            format!("Ошибка сохранения объекта: длина поля '{field}' превышает {max} символов"),
        )
        .on(field)
    }
    pub fn filter(detail: &str) -> Self {
        Self::new(1034, format!("Ошибка фильтрации: {detail}"))
    }
    pub fn sort(field: &str) -> Self {
        Self::new(1063, format!("Поле '{field}' недоступно для сортировки"))
    }
    pub fn not_unique(field: &str) -> Self {
        Self::new(
            3006,
            format!(
                "Ошибка сохранения объекта: нарушено ограничение уникальности параметра '{field}'"
            ),
        )
        .on(field)
    }
    pub fn in_use(keyword: &str, id: &str, dependencies: Vec<Value>) -> Self {
        let mut error = Self::new(
            1028,
            format!(
                "Невозможно удалить объект '{keyword}' с идентификатором '{id}': на него есть ссылки"
            ),
        );
        error.dependencies = dependencies;
        error
    }
    pub fn expand(path: &str) -> Self {
        Self::new(1089, format!("Expand поля '{path}' не поддерживается"))
    }

    /// The element of the `errors` array.
    pub fn to_json(&self) -> Value {
        let mut error = Map::new();
        error.insert("error".into(), json!(self.message));
        if let Some(parameter) = &self.parameter {
            error.insert("parameter".into(), json!(parameter));
        }
        error.insert("code".into(), json!(self.code));
        if !self.dependencies.is_empty() {
            error.insert(
                "dependencies".into(),
                Value::Array(self.dependencies.clone()),
            );
        }
        error.insert(
            "moreInfo".into(),
            json!(format!(
                "https://dev.moysklad.ru/doc/api/remap/1.2/#error_{}",
                self.code
            )),
        );
        Value::Object(error)
    }

    /// `{"errors":[...]}`, as both a whole response and an element of a mass answer.
    pub fn body(&self) -> Value {
        json!({ "errors": [self.to_json()] })
    }
}

/// A JSON response with the vendor's content type.
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json;charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

impl IntoResponse for MsError {
    fn into_response(self) -> Response {
        json_response(self.status, &self.body())
    }
}

impl From<CoreError> for MsError {
    fn from(error: CoreError) -> Self {
        match error {
            CoreError::NotFound(what) => Self::new(1021, format!("Объект не найден: {what}")),
            CoreError::Validation { field, message } => Self::bad_value(&field, &message),
            CoreError::Conflict(message) => {
                Self::new(3006, format!("Ошибка сохранения объекта: {message}"))
            }
            CoreError::RateLimited { .. } => Self::rate_limited(),
            CoreError::Unauthorized => Self::auth(),
            CoreError::Forbidden(message) => Self::new(1016, message),
            CoreError::Internal(message) => {
                tracing::error!(%message, "moysklad request failed");
                Self::internal(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }
}

pub type MsResult<T> = Result<T, MsError>;
