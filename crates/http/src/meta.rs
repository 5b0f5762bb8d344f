use std::sync::{Arc, Mutex};

use axum::http::Extensions;

/// What the request-log layer learns while a request is handled: the endpoint the router
/// matched and the account the credentials resolved to.
#[derive(Debug, Default)]
pub struct RequestMeta {
    inner: Mutex<Learned>,
}

#[derive(Debug, Default, Clone)]
pub struct Learned {
    pub endpoint: Option<&'static str>,
    pub account: Option<String>,
}

impl RequestMeta {
    pub fn of(extensions: &Extensions) -> Option<Arc<RequestMeta>> {
        extensions.get::<Arc<RequestMeta>>().cloned()
    }

    pub fn set_endpoint(&self, endpoint: &'static str) {
        self.inner.lock().expect("meta lock").endpoint = Some(endpoint);
    }

    pub fn set_account(&self, account: &str) {
        self.inner.lock().expect("meta lock").account = Some(account.to_owned());
    }

    pub fn learned(&self) -> Learned {
        self.inner.lock().expect("meta lock").clone()
    }
}
