//! Driving the real router as a browser without JavaScript would: form-encoded POSTs,
//! cookies, redirects; plus a site with a fixture referential and an administrator.

use axum::{
    Router,
    body::Body,
    http::{Request, Response, StatusCode, header},
};
use domain::entities::user;
use domain::mail::Mailer;
use http_body_util::BodyExt;
use leptos::prelude::get_configuration;
pub use model::account::AccountStatus;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tower::ServiceExt;

use super::smtp::free_port;
use super::{Backend, TestDb, import_fixture};

pub const ADMIN_EMAIL: &str = "admin@pairs.test";
pub const ADMIN_PASSWORD: &str = "le grand administrateur du réseau";
pub const MEMBER_PASSWORD: &str = "un mot de passe assez long";

/// The one harness of the integration tests: the real router on a fresh database (a SQLite
/// file, or a PostgreSQL database dropped with it), holding the referential fixture and an
/// administrator; mail goes to a real SMTP server on `smtp_port` when a test starts one
/// (or asks for `mails()`).
pub struct TestApp {
    pub t: TestDb,
    pub router: Router,
    pub smtp_port: u16,
    pub state: domain::AppState,
    /// The SMTP server `mails()` starts on first use.
    mailbox: std::sync::Mutex<Option<super::smtp::SmtpServer>>,
}

impl TestApp {
    /// A migrated database on `backend` with the referential fixture and an administrator,
    /// behind the real router; `extra` settings first (they win).
    pub async fn start(backend: Backend, extra: &[(&str, &str)]) -> Self {
        start(backend, extra).await
    }

    /// The router on a state of the test's own making (a database behind a proxy, say).
    pub fn with_state(t: TestDb, state: domain::AppState) -> Self {
        let options = get_configuration(None)
            .expect("leptos options")
            .leptos_options;
        TestApp {
            router: server::router::build(state.clone(), options),
            state,
            smtp_port: free_port(),
            t,
            mailbox: std::sync::Mutex::new(None),
        }
    }

    /// `POST /api/{function}` as a browser without JavaScript posts a form.
    pub async fn post(&self, function: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        post(&self.router, &format!("/api/{function}"), form, cookie).await
    }

    /// `GET path`.
    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        get(&self.router, path, cookie).await
    }

    /// An approved member of `authority` (public id), signed in: the session cookie.
    pub async fn approved_member(&self, email: &str, authority: &str) -> String {
        member_of(self, email, authority, "approved").await
    }

    /// The administrator, signed in: the session cookie.
    pub async fn admin(&self) -> String {
        session_cookie(&login(&self.router, ADMIN_EMAIL, ADMIN_PASSWORD).await)
    }

    /// Every mail Pairs has sent so far, as received by a real SMTP server (started on
    /// first use): the outbox is delivered first.
    pub async fn mails(&self) -> Vec<String> {
        let maildir = self.t.dir.path().join("harness-maildir");
        {
            let mut mailbox = self
                .mailbox
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if mailbox.is_none() {
                *mailbox = Some(super::smtp::SmtpServer::start(self.smtp_port, &maildir));
            }
        }
        for _ in 0..20 {
            deliver(self).await;
            let left = domain::mail::outbox::queue_counts(&self.t.db)
                .await
                .expect("counts");
            if left.pending == 0 {
                break;
            }
        }
        let mut found = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(maildir.join(sub)) {
                for entry in entries.flatten() {
                    found.push(std::fs::read_to_string(entry.path()).expect("mail"));
                }
            }
        }
        found
    }
}

async fn start(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
    let t = TestDb::migrated(backend)
        .await
        .expect("the backend is available (on_both_backends! checks PostgreSQL)");
    import_fixture(&t.db).await;
    domain::accounts::admin::create_admin(&t.db, ADMIN_EMAIL, ADMIN_PASSWORD)
        .await
        .expect("admin");
    let smtp_port = free_port();
    let smtp_url = format!("smtp://127.0.0.1:{smtp_port}");
    // The first value of a key wins: the test's own settings come first.
    let mut settings = extra.to_vec();
    settings.extend_from_slice(&[
        ("SMTP_URL", smtp_url.as_str()),
        ("PAIRS_PUBLIC_URL", "http://pairs.test"),
    ]);
    let options = get_configuration(None)
        .expect("leptos options")
        .leptos_options;
    let state = t.state_with(&settings);
    let router = server::router::build(state.clone(), options);
    TestApp {
        t,
        router,
        smtp_port,
        state,
        mailbox: std::sync::Mutex::new(None),
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub location: String,
    pub cookies: Vec<String>,
    pub retry_after: Option<String>,
    pub cache_control: Option<String>,
    pub csp: Option<String>,
    pub body: String,
    /// After a refused form: the page it returns to, as the browser then shows it (the
    /// server-side flash read through its cookie), and the error message on it.
    pub page: String,
    pub error: String,
}

impl Reply {
    /// The form was refused: the server left a message for the page it returns to.
    pub fn refused(&self) -> bool {
        !self.error.is_empty()
    }

    /// What the refusal showed: its message, then the page (with the values put back).
    pub fn shown(&self) -> String {
        format!("{}\n{}", self.error, self.page)
    }

    /// The flash cookie the server set, if any (`pairs_flash=…`).
    pub fn flash_cookie(&self) -> Option<String> {
        self.cookies
            .iter()
            .find(|c| c.starts_with("pairs_flash=") && !c.starts_with("pairs_flash=;"))
            .and_then(|c| c.split(';').next())
            .map(str::to_string)
    }
}

/// The text of the error notice on a page, if it shows one.
pub fn error_notice(body: &str) -> String {
    let Some(start) = body.find(r#"class="notice error""#) else {
        return String::new();
    };
    // From the end of the opening tag to the notice's end.
    let rest = &body[start..];
    let rest = &rest[rest.find('>').map_or(rest.len(), |i| i + 1)..];
    let end = rest.find("</div>").unwrap_or(rest.len());
    let mut text = String::new();
    let mut in_tag = false;
    for c in rest[..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.trim()
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
}

pub async fn read(response: Response<Body>) -> Reply {
    let status = response.status();
    let header = |name: header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let location = header(header::LOCATION).unwrap_or_default();
    let retry_after = header(header::RETRY_AFTER);
    let cache_control = header(header::CACHE_CONTROL);
    let csp = header(header::CONTENT_SECURITY_POLICY);
    let cookies = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        location,
        cookies,
        retry_after,
        cache_control,
        csp,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        page: String::new(),
        error: String::new(),
    }
}

pub fn encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", app::format::url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A form POST as a browser without JavaScript sends it (same origin).
pub async fn post(
    router: &Router,
    path: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> Reply {
    post_shown_by(router, router, path, form, cookie).await
}

/// Like `post`, the page after a refusal served by `shown_by`: another process behind a
/// balancer.
pub async fn post_shown_by(
    router: &Router,
    shown_by: &Router,
    path: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> Reply {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        request = request.header(header::COOKIE, c);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::from(encode(form))).expect("request"))
        .await
        .expect("response");
    let mut reply = read(response).await;
    // A refusal: follow the redirect as the browser would, with the flash cookie (and the
    // session), to see what the page shows.
    if let Some(flash) = reply.flash_cookie()
        && !reply.location.is_empty()
    {
        let cookies = match cookie {
            Some(c) => format!("{c}; {flash}"),
            None => flash,
        };
        let page = get(shown_by, &reply.location, Some(&cookies)).await;
        reply.error = error_notice(&page.body);
        reply.page = page.body;
    }
    reply
}

pub async fn get(router: &Router, path: &str, cookie: Option<&str>) -> Reply {
    let mut request = Request::get(path);
    if let Some(c) = cookie {
        request = request.header(header::COOKIE, c);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    read(response).await
}

pub fn session_cookie(reply: &Reply) -> String {
    reply
        .cookies
        .iter()
        .find(|c| c.starts_with("pairs_session=") && !c.starts_with("pairs_session=;"))
        .and_then(|c| c.split(';').next())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("a session cookie is set ({:?})", reply.cookies))
}

/// What the worker sends with: an SMTP mailer on `port` and the platform's address.
pub fn mail_context(t: &super::TestDb, port: u16) -> domain::mail::outbox::MailContext {
    domain::mail::outbox::MailContext {
        mailer: Mailer::from_config(
            &t.config(&[("SMTP_URL", &format!("smtp://127.0.0.1:{port}"))]),
        )
        .expect("mailer"),
        from: "Pairs <ne-pas-repondre@pairs.test>".into(),
    }
}

pub async fn deliver(site: &TestApp) -> domain::jobs::Pass {
    let mail = mail_context(&site.t, site.smtp_port);
    domain::mail::outbox::run_mail_pass(&site.t.db, &mail)
        .await
        .expect("mail pass")
}

pub async fn login(router: &Router, email: &str, password: &str) -> Reply {
    post(
        router,
        "/api/login",
        &[("email", email), ("password", password)],
        None,
    )
    .await
}

pub fn signup_form(email: &str) -> Vec<(&str, &str)> {
    vec![
        ("email", email),
        ("password", MEMBER_PASSWORD),
        ("first_name", "Zoé"),
        ("last_name", "Martin"),
        ("position", "agent"),
        ("job_title", "DSI"),
        ("authority", "com-13047"),
        ("commune", "istres"),
    ]
}

pub async fn user_by_email(site: &TestApp, email: &str) -> Option<user::Model> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&site.t.db)
        .await
        .expect("query")
}

/// Signs up through the form (authority Istres), is approved, logs in: the session cookie.
pub async fn approved_member(site: &TestApp, email: &str) -> String {
    let reply = post(&site.router, "/api/sign_up", &signup_form(email), None).await;
    assert_eq!(reply.location, "/inscription/envoyee");
    let account = user_by_email(site, email).await.expect("row");
    let mut active: user::ActiveModel = account.into();
    active.status = sea_orm::Set(AccountStatus::Approved);
    sea_orm::ActiveModelTrait::update(active, &site.t.db)
        .await
        .expect("approve");
    session_cookie(&login(&site.router, email, MEMBER_PASSWORD).await)
}

/// The account status stored as `name` ("approved", "pending"…).
pub fn status_named(name: &str) -> AccountStatus {
    AccountStatus::parse(name).unwrap_or_else(|| panic!("no account status {name:?}"))
}

/// A member of `authority` (public id) with this status, signed in: the session cookie.
pub async fn member_of(site: &TestApp, email: &str, authority: &str, status: &str) -> String {
    let mut form = signup_form(email);
    form.retain(|(k, _)| *k != "authority");
    form.push(("authority", authority));
    let reply = post(&site.router, "/api/sign_up", &form, None).await;
    assert_eq!(
        reply.location, "/inscription/envoyee",
        "{} {}",
        reply.location, reply.error
    );
    let mut active: user::ActiveModel = user_by_email(site, email).await.expect("row").into();
    active.status = sea_orm::Set(status_named(status));
    sea_orm::ActiveModelTrait::update(active, &site.t.db)
        .await
        .expect("status");
    session_cookie(&login(&site.router, email, MEMBER_PASSWORD).await)
}

/// The declaration form: `software` (slug) in use at `authority` (public id), with the
/// signed-in member as its referent or not.
pub fn declaration_form<'a>(
    authority: &'a str,
    software: &'a str,
    referent: bool,
) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("authority", authority),
        ("software", software),
        ("status", "in_use"),
        ("since_year", ""),
        ("version", ""),
        ("notes", ""),
        ("satisfaction", ""),
    ];
    if referent {
        form.push(("referent", "on"));
    }
    form
}

/// Declares through the form as the member `cookie`; asserts it was saved.
pub async fn declare(
    site: &TestApp,
    cookie: &str,
    authority: &str,
    software: &str,
    referent: bool,
) {
    let form = declaration_form(authority, software, referent);
    let reply = post(&site.router, "/api/declare_usage", &form, Some(cookie)).await;
    assert!(
        reply.location.contains("declaration-ajoutee"),
        "declaration of {software} refused: {} {}",
        reply.location,
        reply.error
    );
}
