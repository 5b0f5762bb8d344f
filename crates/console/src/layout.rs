//! The page shell every console page shares: head, navigation, a notice line, the main
//! region. Skip link and landmarks so the keyboard and screen readers get around.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::html::{alert, esc};

/// The navigation entries; a page names the one it belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Requests,
    Data,
    Webhooks,
    Controls,
    Faults,
    Charts,
    /// Pages outside the navigation (sign-in, errors).
    None,
}

const NAV: [(Section, &str, &str); 7] = [
    (Section::Home, "/console/", "Home"),
    (Section::Requests, "/console/requests", "Requests"),
    (Section::Data, "/console/data", "Data"),
    (Section::Webhooks, "/console/webhooks", "Webhooks"),
    (Section::Controls, "/console/controls", "Controls"),
    (Section::Faults, "/console/faults", "Faults"),
    (Section::Charts, "/console/charts", "Charts"),
];

pub struct Page {
    title: String,
    section: Section,
    notice: Option<String>,
}

impl Page {
    pub fn new(title: impl Into<String>, section: Section) -> Self {
        Self {
            title: title.into(),
            section,
            notice: None,
        }
    }

    /// A line shown above the content (what the last action did), when there is one.
    pub fn notice(mut self, notice: Option<&str>) -> Self {
        self.notice = notice.filter(|text| !text.is_empty()).map(str::to_owned);
        self
    }

    /// The page with `content` (trusted markup) in its main region.
    pub fn render(self, content: &str) -> Response {
        self.render_with(StatusCode::OK, content)
    }

    /// A page telling what went wrong, with the status given.
    pub fn error(self, status: StatusCode, message: &str) -> Response {
        self.render_with(status, &alert(message))
    }

    pub fn render_with(self, status: StatusCode, content: &str) -> Response {
        let nav = if self.section == Section::None {
            String::new()
        } else {
            nav(self.section)
        };
        let notice = self
            .notice
            .map(|text| format!("<p class=\"notice\" role=\"status\">{}</p>", esc(&text)))
            .unwrap_or_default();
        let body = format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} · Twin console</title>\
             <link rel=\"stylesheet\" href=\"/console/assets/console.css\">\
             <link rel=\"icon\" href=\"{ICON}\">\
             <script src=\"/console/assets/console.js\" defer></script></head>\
             <body><a class=\"skip\" href=\"#main\">Skip to content</a>\
             <header class=\"top\"><a class=\"brand\" href=\"/console/\">Twin</a>{nav}</header>\
             <main id=\"main\" tabindex=\"-1\"><h1>{title}</h1>{notice}{content}</main>\
             </body></html>",
            title = esc(&self.title),
        );
        fragment(status, body)
    }
}

/// Markup answered as it is (a live region's refresh, or a whole page), never cached: it
/// shows the state of the moment.
pub fn fragment(status: StatusCode, markup: String) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Html(markup)).into_response()
}

/// The tab's icon, inline: without one the browser asks for `/favicon.ico`, which 404s
/// and shows as an error in its console.
const ICON: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E\
%3Crect width='16' height='16' rx='3' fill='%231d2330'/%3E%3Cpath d='M4 4h8v2H9v7H7V6H4z' fill='%23fff'/%3E%3C/svg%3E";

fn nav(current: Section) -> String {
    let mut items = String::new();
    for (section, href, label) in NAV {
        let marker = if section == current {
            " aria-current=\"page\""
        } else {
            ""
        };
        items.push_str(&format!("<li><a href=\"{href}\"{marker}>{label}</a></li>"));
    }
    format!(
        "<nav aria-label=\"Console\"><ul>{items}</ul></nav>\
         <form method=\"post\" action=\"/console/logout\" class=\"signout\">\
         <button type=\"submit\">Sign out</button></form>"
    )
}

/// A page's path parameters; an address they cannot be read from (a bad percent-encoding)
/// answers an HTML 400 page instead of axum's plain text.
pub struct PagePath<T>(pub T);

impl<S, T> FromRequestParts<S> for PagePath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(Page::new("Bad address", Section::None)
                .error(StatusCode::BAD_REQUEST, &rejection.body_text())),
        }
    }
}
