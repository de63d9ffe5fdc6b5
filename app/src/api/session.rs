//! Server-side helpers for server functions: the signed-in member (from the session
//! cookie), cookies, the client IP, redirects and throttling. Compiled only with `ssr`.

use domain::accounts::sessions;
use domain::actor::CurrentUser;
use domain::permissions::Action;
use http::{HeaderValue, header};
use leptos::prelude::use_context;

use crate::error::AppError;
use crate::format::with_query;

pub fn cookie_name(config: &domain::Config) -> &'static str {
    if config.is_https() {
        "__Host-pairs_session"
    } else {
        "pairs_session"
    }
}

fn request_parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The session token sent by the browser, if any.
pub fn session_token(config: &domain::Config) -> Option<String> {
    let parts = request_parts()?;
    cookie_value(&parts.headers, cookie_name(config))
}

/// The value of one cookie in a request's headers.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The signed-in member, if the session is alive (pending members included).
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    let state = super::state()?;
    let Some(token) = session_token(&state.config) else {
        return Ok(None);
    };
    Ok(sessions::current_user(&state.db, &state.config, &token).await?)
}

/// The signed-in member, or `Unauthorized` (401).
pub async fn require_user() -> Result<CurrentUser, AppError> {
    let me = current_user().await?;
    if me.is_none() {
        set_status(401);
    }
    me.ok_or(AppError::Unauthorized)
}

/// Whether the member may do `action` (decided by `domain::permissions`).
pub fn may(me: &CurrentUser, action: Action) -> bool {
    domain::permissions::require(me, action).is_ok()
}

/// An approved administrator. Anyone else calling an admin server function directly
/// (`POST /api/…`) gets 403 Forbidden, signed in or not, and nothing changes. While a page
/// renders on the server, a visitor gets `Unauthorized` (401) instead, so the page can send
/// them to the login page and back.
pub async fn require_admin() -> Result<CurrentUser, AppError> {
    match current_user().await? {
        Some(me) if may(&me, Action::Administer) => Ok(me),
        None if !is_direct_call() => {
            set_status(401);
            Err(AppError::Unauthorized)
        }
        _ => {
            set_status(403);
            Err(AppError::Forbidden)
        }
    }
}

/// True when the request is a server function call (`/api/…`), not a page being rendered.
fn is_direct_call() -> bool {
    request_parts().is_some_and(|p| p.uri.path().starts_with("/api/"))
}

/// Where to send the browser back after login: a path of this site only (`/…`, never
/// `//host` or `/\host`, which browsers read as another site), without control
/// characters, of reasonable length. Anything else is dropped.
pub fn return_path(raw: &str) -> Option<&str> {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.starts_with("/\\")
        && raw.len() <= 512
        && !raw.chars().any(|c| c.is_control() || c == '\\');
    ok.then_some(raw)
}

fn set_header(name: header::HeaderName, value: String) {
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        res.append_header(name, value);
    }
}

pub fn set_status(code: u16) {
    if let (Some(res), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        res.set_status(status);
    }
}

pub fn set_session_cookie(config: &domain::Config, token: &str) {
    let secure = if config.is_https() { "; Secure" } else { "" };
    let max_age = config.session_max_hours * 3600;
    set_header(
        header::SET_COOKIE,
        format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
            cookie_name(config)
        ),
    );
}

pub fn clear_session_cookie(config: &domain::Config) {
    let secure = if config.is_https() { "; Secure" } else { "" };
    set_header(
        header::SET_COOKIE,
        format!(
            "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
            cookie_name(config)
        ),
    );
}

/// The client's address: the TCP peer, or the client a trusted reverse proxy forwards for
/// (`PAIRS_TRUSTED_PROXIES`).
pub fn client_ip() -> Option<String> {
    let parts = request_parts()?;
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()?
        .0
        .ip();
    let trusted = super::state()
        .map(|s| s.config.trusted_proxies.clone())
        .unwrap_or_default();
    let header = |name: &str| {
        domain::security::client::joined_lines(
            parts
                .headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok()),
        )
    };
    let client = domain::security::client::client_address(
        peer,
        header("x-forwarded-for").as_deref(),
        header("forwarded").as_deref(),
        &trusted,
    );
    Some(client.to_string())
}

/// The client's throttle key (trusted-proxy rule), for limits kept per client.
fn client_key(action: &str) -> String {
    let ip = client_ip()
        .and_then(|ip| ip.parse().ok())
        .map(domain::security::client::throttle_key)
        .unwrap_or_else(|| "inconnue".into());
    format!("{action}:ip:{ip}")
}

fn throttle_keys(action: &str, account: &str) -> [String; 2] {
    [
        client_key(action),
        format!(
            "{action}:account:{}",
            domain::accounts::normalize_email(account)
        ),
    ]
}

/// Clears the account's limit after a successful attempt (a login), so a member who
/// mistyped their password a few times is not held back afterwards. The client's counter
/// stays: one good password must not wipe a client's guesses at other accounts.
pub async fn throttle_reset(action: &str, account: &str) {
    if let Ok(state) = super::state() {
        let [_, account_key] = throttle_keys(action, account);
        state.throttle.reset(&[account_key]).await;
    }
}

/// Applies the per-IP and per-account limits; a clear French error with Retry-After.
pub async fn throttle(action: &str, account: &str) -> Result<(), AppError> {
    // No address is longer (RFC 5321): refused before it is counted or kept anywhere.
    if account.trim().len() > domain::accounts::validate::EMAIL_MAX {
        return Err(domain::accounts::validate::invalid_email().into());
    }
    let state = super::state()?;
    let keys = throttle_keys(action, account);
    state.throttle.check(&keys).await.map_err(|seconds| {
        set_status(429);
        set_header(header::RETRY_AFTER, seconds.to_string());
        AppError::Throttled(seconds)
    })
}

/// Counts one failed use of an emailed token link (an unknown or dead token) under the
/// client and the token's digest, never under a key shared by everybody: junk from one
/// client cannot make other people's links answer « Trop de tentatives ». Callers look
/// the token up first, so a valid link is never refused by this limit.
pub async fn throttle_bad_link(action: &str, token: &str) -> Result<(), AppError> {
    let state = super::state()?;
    let keys = [
        client_key(action),
        format!("{action}:token:{}", domain::security::token::digest(token)),
    ];
    state.throttle.check(&keys).await.map_err(|seconds| {
        set_status(429);
        set_header(header::RETRY_AFTER, seconds.to_string());
        AppError::Throttled(seconds)
    })
}

/// Leaves `error` and the typed `values` for the page at `back` in the server-side flash
/// (`domain::security::flash`) and gives the browser the cookie that finds it. Without a
/// state (never in practice) the message is lost, not put in the URL.
async fn leave_flash(back: &str, error: String, values: &[(&str, &str)]) {
    let Ok(state) = super::state() else {
        return;
    };
    let path = back.split('?').next().unwrap_or(back).to_string();
    let token = state
        .flash
        .put(domain::security::flash::Flash {
            path,
            error,
            values: values
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        })
        .await;
    set_header(
        header::SET_COOKIE,
        domain::security::flash::cookie(&token, state.config.is_https()),
    );
}

/// Sends the browser to `ok` on success, or back to `back` with the error message and the
/// form values `keep` left in the server-side flash, so the page shows the message and
/// puts the values back: the same with or without JavaScript. `back` and `ok` carry no
/// personal data (ids and fixed `info` codes at most).
pub async fn finish<T>(
    result: Result<T, AppError>,
    ok: &str,
    back: &str,
    keep: &[(&str, &str)],
) -> Result<T, AppError> {
    match &result {
        Ok(_) => leptos_axum::redirect(ok),
        // Never redirect a forbidden call: it answers 403 whoever sends it.
        Err(AppError::Forbidden) => set_status(403),
        Err(AppError::Unauthorized) => {
            leave_flash("/connexion", AppError::Unauthorized.to_string(), &[]).await;
            leptos_axum::redirect(&with_query("/connexion", &[("retour", back)]))
        }
        Err(err) => {
            leave_flash(back, err.to_string(), keep).await;
            leptos_axum::redirect(back);
        }
    }
    result
}

/// An administrator's form: the caller is checked first (`require_admin`: 403 to anyone
/// else, nothing runs), then `action` gets the shared state, the administrator and the
/// client address the journal records; answered like `act` (no form values kept).
pub async fn admin_act<Fut>(
    ok: &str,
    back: &str,
    action: impl FnOnce(domain::AppState, CurrentUser, Option<String>) -> Fut,
) -> Result<(), AppError>
where
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    act(ok, back, &[], |state| async move {
        let me = require_admin().await?;
        action(state, me, client_ip()).await
    })
    .await
}

/// Runs a form's action with the shared state, then answers like `finish` (no form values
/// kept): the common shape of the server functions behind plain forms.
pub async fn act<Fut>(
    ok: &str,
    back: &str,
    keep: &[(&str, &str)],
    action: impl FnOnce(domain::AppState) -> Fut,
) -> Result<(), AppError>
where
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    let result = match super::state() {
        Ok(state) => action(state).await,
        Err(err) => Err(err),
    };
    finish(result, ok, back, keep).await
}

#[cfg(test)]
mod tests {
    use super::return_path;

    #[test]
    fn only_local_paths_are_return_addresses() {
        for ok in ["/compte", "/admin/membres?statut=pending", "/"] {
            assert_eq!(return_path(ok), Some(ok));
        }
        for bad in [
            "",
            "compte",
            "//evil.example/x",
            "/\\evil.example",
            "/a\\b",
            "https://evil.example/",
            "javascript:alert(1)",
            "/a\nLocation: x",
        ] {
            assert_eq!(return_path(bad), None, "{bad:?}");
        }
        assert_eq!(return_path(&format!("/{}", "a".repeat(600))), None);
    }
}
