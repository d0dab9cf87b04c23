//! The three vendors' OAuth 2.0 servers: authorization code (+ PKCE S256), refresh, and SmartRecruiters'
//! client credentials. One implementation, vendor rules in `OAuthRules`.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use base64::Engine;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::gate::{Gate, token_gate};
use crate::util::{Params, b64url, lock, random_token};
use crate::{AppState, VendorId};

pub const ACCESS_TOKEN_SECS: i64 = 3600;
pub const CODE_TTL_MS: i64 = 60_000;
const CODE_FORGET_AFTER_MS: i64 = 10 * 60_000;

/// Redirect URIs registered for every fake OAuth client. Loopback ones match any port (RFC 8252 §7.3).
pub const REGISTERED_REDIRECTS: &[&str] = &[
    "http://127.0.0.1/callback",
    "http://127.0.0.1/oauth/callback",
    "http://[::1]/callback",
    "http://[::1]/oauth/callback",
    "hirebridge://oauth/callback",
];

pub const SR_SCOPES: &[&str] = &[
    "candidates_read",
    "candidates_create",
    "candidates_manage",
    "candidates_offers_read",
    "candidates_status_read",
    "jobs_read",
    "jobs_manage",
    "jobs_publications_manage",
    "users_read",
    "users_manage",
    "user_me_read",
    "company_read",
    "configuration_read",
    "configuration_manage",
    "messages_write",
    "webhooks_manage",
    "approvals_read",
    "approvals_create",
    "audit_events_read",
];

pub const UNBERRY_SCOPES: &[&str] = &[
    "candidates:read",
    "candidates:write",
    "jobs:read",
    "applications:read",
    "applications:write",
    "assessments:read",
    "interviews:read",
    "attachments:read",
    "attachments:write",
    "offline_access",
];

#[derive(Debug, Clone)]
struct Grant {
    vendor: VendorId,
    scopes: Vec<String>,
    /// A PKCE public client may refresh without a secret.
    public: bool,
    revoked: bool,
}

#[derive(Debug, Clone)]
struct AccessToken {
    grant: u64,
    expires_at_ms: i64,
}

#[derive(Debug, Clone)]
struct RefreshToken {
    grant: u64,
    used: bool,
}

#[derive(Debug, Clone)]
struct AuthCode {
    vendor: VendorId,
    redirect_uri: String,
    scopes: Vec<String>,
    challenge: Option<String>,
    expires_at_ms: i64,
    used_by_grant: Option<u64>,
}

#[derive(Debug, Clone)]
struct PendingConsent {
    vendor: VendorId,
    redirect_uri: String,
    scopes: Vec<String>,
    state: Option<String>,
    challenge: Option<String>,
}

#[derive(Debug, Default)]
struct Store {
    next_grant: u64,
    grants: HashMap<u64, Grant>,
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, RefreshToken>,
    codes: HashMap<String, AuthCode>,
    pending: HashMap<String, PendingConsent>,
    extra_redirects: Vec<String>,
    /// Refresh-token grant requests the token logic handled, per vendor (faults that answer
    /// before it, like an injected 429, do not count; a truncated answer does).
    refresh_grants: HashMap<VendorId, u64>,
}

#[derive(Debug, Default)]
pub struct OAuth {
    store: Mutex<Store>,
}

/// Who a valid bearer token belongs to.
#[derive(Debug, Clone)]
pub struct TokenGrant {
    pub grant_id: u64,
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerError {
    Unknown,
    Expired,
    Revoked,
}

impl OAuth {
    pub fn check_bearer(
        &self,
        vendor: VendorId,
        token: &str,
        now_ms: i64,
    ) -> Result<TokenGrant, BearerError> {
        let s = lock(&self.store);
        let at = s.access.get(token).ok_or(BearerError::Unknown)?;
        let grant = s.grants.get(&at.grant).ok_or(BearerError::Unknown)?;
        if grant.vendor != vendor {
            return Err(BearerError::Unknown);
        }
        if grant.revoked {
            return Err(BearerError::Revoked);
        }
        if at.expires_at_ms <= now_ms {
            return Err(BearerError::Expired);
        }
        Ok(TokenGrant {
            grant_id: at.grant,
            scopes: grant.scopes.clone(),
        })
    }

    /// Revoke every grant (access and refresh tokens) of a vendor, or of all vendors. Returns how many.
    pub fn revoke(&self, vendor: Option<VendorId>) -> usize {
        let mut s = lock(&self.store);
        let mut n = 0;
        for g in s.grants.values_mut() {
            if vendor.is_none_or(|v| v == g.vendor) && !g.revoked {
                g.revoked = true;
                n += 1;
            }
        }
        n
    }

    /// Make every live access token of a vendor expire now; refresh tokens still work. Returns how many.
    pub fn expire_access_tokens(&self, vendor: Option<VendorId>, now_ms: i64) -> usize {
        let mut s = lock(&self.store);
        let grants: HashMap<u64, VendorId> =
            s.grants.iter().map(|(id, g)| (*id, g.vendor)).collect();
        let mut n = 0;
        for at in s.access.values_mut() {
            let v = grants.get(&at.grant).copied();
            if vendor.is_none_or(|want| Some(want) == v) && at.expires_at_ms > now_ms {
                at.expires_at_ms = now_ms;
                n += 1;
            }
        }
        n
    }

    /// How many refresh-token grant requests of `vendor` reached the token logic.
    pub fn refresh_grants(&self, vendor: VendorId) -> u64 {
        lock(&self.store)
            .refresh_grants
            .get(&vendor)
            .copied()
            .unwrap_or(0)
    }

    pub fn add_redirect_uri(&self, uri: &str) {
        lock(&self.store).extra_redirects.push(uri.to_string());
    }

    fn redirect_allowed(&self, uri: &str) -> bool {
        let extra = lock(&self.store).extra_redirects.clone();
        REGISTERED_REDIRECTS
            .iter()
            .copied()
            .chain(extra.iter().map(String::as_str))
            .any(|reg| redirect_matches(reg, uri))
    }
}

/// Exact match, except that a registered loopback IP redirect accepts any port (RFC 8252 §7.3).
pub fn redirect_matches(registered: &str, requested: &str) -> bool {
    if registered == requested {
        return true;
    }
    let (Ok(reg), Ok(req)) = (url::Url::parse(registered), url::Url::parse(requested)) else {
        return false;
    };
    let loopback = matches!(reg.host_str(), Some("127.0.0.1") | Some("[::1]"));
    loopback
        && reg.scheme() == "http"
        && req.scheme() == "http"
        && reg.host_str() == req.host_str()
        && reg.path() == req.path()
        && reg.query() == req.query()
        && req.fragment().is_none()
        && req.username().is_empty()
}

fn vendor_scopes(vendor: VendorId) -> Vec<String> {
    match vendor {
        VendorId::SmartRecruiters => SR_SCOPES.iter().map(|s| s.to_string()).collect(),
        VendorId::Lever => crate::lever::SCOPES.iter().map(|s| s.to_string()).collect(),
        VendorId::Unberry => UNBERRY_SCOPES.iter().map(|s| s.to_string()).collect(),
    }
}

pub(crate) fn token_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut resp = (
        status,
        axum::Json(json!({"error": error, "error_description": description})),
    )
        .into_response();
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    resp
}

fn error_page(status: StatusCode, message: &str) -> Response {
    (
        status,
        Html(format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Authorization error</title></head>\
             <body><h1>Authorization error</h1><p>{}</p></body></html>",
            html_escape(message)
        )),
    )
        .into_response()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn redirect_with(redirect_uri: &str, params: &[(&str, &str)]) -> Response {
    let mut url = match url::Url::parse(redirect_uri) {
        Ok(u) => u,
        Err(_) => return error_page(StatusCode::BAD_REQUEST, "redirect_uri is not a URL"),
    };
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in params {
            q.append_pair(k, v);
        }
    }
    // 302 Found, as authorization servers commonly answer (RFC 6749 §4.1.2).
    (
        StatusCode::FOUND,
        [(header::LOCATION, url.as_str().to_string())],
    )
        .into_response()
}

fn redirect_error(
    redirect_uri: &str,
    state: Option<&str>,
    error: &str,
    description: &str,
) -> Response {
    let mut p = vec![("error", error), ("error_description", description)];
    if let Some(s) = state {
        p.push(("state", s));
    }
    redirect_with(redirect_uri, &p)
}

/// `GET` authorize: validate, then either show the consent form or (auto-consent) redirect with a code.
pub async fn authorize(
    State(st): State<AppState>,
    vendor: VendorId,
    RawQuery(q): RawQuery,
) -> Response {
    let p = Params::parse(q.as_deref());
    let client = &st.info_of(vendor).oauth;
    match p.get("client_id") {
        Some(id) if id == client.client_id => {}
        _ => return error_page(StatusCode::BAD_REQUEST, "Unknown client_id."),
    }
    let Some(redirect_uri) = p.get("redirect_uri").map(str::to_string) else {
        return error_page(StatusCode::BAD_REQUEST, "Missing redirect_uri.");
    };
    if !st.oauth.redirect_allowed(&redirect_uri) {
        return error_page(
            StatusCode::BAD_REQUEST,
            "redirect_uri does not match any registered redirect URI.",
        );
    }
    let state = p.get("state").map(str::to_string);
    let stv = state.as_deref();
    if p.get("response_type") != Some("code") {
        return redirect_error(
            &redirect_uri,
            stv,
            "unsupported_response_type",
            "response_type must be code",
        );
    }
    if vendor != VendorId::SmartRecruiters && state.as_deref().is_none_or(str::is_empty) {
        // [I] Lever documents state as required; Unberry follows the same rule.
        return redirect_error(&redirect_uri, stv, "invalid_request", "state is required");
    }
    if vendor == VendorId::Lever {
        let want = format!("{}/", st.info.lever.base_url.trim_end_matches('/'));
        match p.get("audience") {
            Some(a) if a.trim_end_matches('/') == want.trim_end_matches('/') => {}
            Some(_) => {
                return redirect_error(&redirect_uri, stv, "invalid_request", "unknown audience");
            }
            None => {
                return redirect_error(
                    &redirect_uri,
                    stv,
                    "invalid_request",
                    "audience is required",
                );
            }
        }
    }
    let all = vendor_scopes(vendor);
    let scopes: Vec<String> = match p.get("scope") {
        // SR: empty scope= is invalid, an omitted scope means the app's defaults.
        Some(s) if s.trim().is_empty() => {
            return redirect_error(
                &redirect_uri,
                stv,
                "invalid_scope",
                "scope must not be empty",
            );
        }
        Some(s) => s
            .split(' ')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect(),
        None => all.clone(),
    };
    if let Some(bad) = scopes.iter().find(|s| !all.contains(s)) {
        return redirect_error(
            &redirect_uri,
            stv,
            "invalid_scope",
            &format!("unknown scope {bad}"),
        );
    }
    let challenge = p.get("code_challenge").map(str::to_string);
    if challenge.is_some() && p.get("code_challenge_method") != Some("S256") {
        // [I] only S256 is accepted: `plain` gives no protection.
        return redirect_error(
            &redirect_uri,
            stv,
            "invalid_request",
            "code_challenge_method must be S256",
        );
    }
    let pending = PendingConsent {
        vendor,
        redirect_uri,
        scopes,
        state,
        challenge,
    };
    if st.config.auto_consent {
        return approve(&st, pending);
    }
    let txn = random_token(32);
    let page = consent_page(vendor, &txn, &pending);
    lock(&st.oauth.store).pending.insert(txn, pending);
    Html(page).into_response()
}

fn consent_page(vendor: VendorId, txn: &str, p: &PendingConsent) -> String {
    let scopes: String = p
        .scopes
        .iter()
        .map(|s| format!("<li><code>{}</code></li>", html_escape(s)))
        .collect();
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Authorize Hirebridge — {name}</title>\
         <style>body{{font-family:sans-serif;max-width:36em;margin:3em auto}}button{{font-size:1.1em;margin-right:1em}}</style>\
         </head><body><h1>{name}</h1><p>The application <b>Hirebridge</b> asks for access to your {name} account:</p>\
         <ul>{scopes}</ul><p>It will be sent back to <code>{redirect}</code>.</p>\
         <form method=\"post\"><input type=\"hidden\" name=\"txn\" value=\"{txn}\">\
         <button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Approve</button>\
         <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button></form></body></html>",
        name = vendor.display_name(),
        redirect = html_escape(&p.redirect_uri),
    )
}

#[derive(Deserialize)]
pub struct Decision {
    txn: String,
    decision: String,
}

/// `POST` authorize: the consent form's Approve / Deny.
pub async fn decide(
    State(st): State<AppState>,
    vendor: VendorId,
    Form(d): Form<Decision>,
) -> Response {
    let pending = lock(&st.oauth.store).pending.remove(&d.txn);
    let Some(pending) = pending.filter(|p| p.vendor == vendor) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "This authorization request expired or was already answered.",
        );
    };
    if d.decision == "approve" {
        approve(&st, pending)
    } else {
        redirect_error(
            &pending.redirect_uri,
            pending.state.as_deref(),
            "access_denied",
            "The user denied the request",
        )
    }
}

fn approve(st: &AppState, p: PendingConsent) -> Response {
    let code = random_token(40);
    let now = st.clock.now_ms();
    let mut store = lock(&st.oauth.store);
    // Forget codes long past their lifetime so a long demo session does not grow without bound
    // (a replay of a forgotten code is still `invalid_grant`, as an unknown code).
    store
        .codes
        .retain(|_, c| c.expires_at_ms + CODE_FORGET_AFTER_MS > now);
    store.codes.insert(
        code.clone(),
        AuthCode {
            vendor: p.vendor,
            redirect_uri: p.redirect_uri.clone(),
            scopes: p.scopes,
            challenge: p.challenge,
            expires_at_ms: now + CODE_TTL_MS,
            used_by_grant: None,
        },
    );
    drop(store);
    let mut params = vec![("code", code.as_str())];
    if let Some(s) = p.state.as_deref() {
        params.push(("state", s));
    }
    redirect_with(&p.redirect_uri, &params)
}

fn pkce_s256(verifier: &str) -> String {
    b64url(&Sha256::digest(verifier.as_bytes()))
}

/// Client id and secret from the form body or from HTTP Basic.
fn client_credentials(headers: &HeaderMap, form: &Params) -> (Option<String>, Option<String>) {
    if let Some(basic) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok())
        && let Some((id, secret)) = basic.split_once(':')
    {
        return (Some(id.to_string()), Some(secret.to_string()));
    }
    (
        form.get("client_id").map(str::to_string),
        form.get("client_secret").map(str::to_string),
    )
}

/// `POST` token endpoint.
pub async fn token(
    State(st): State<AppState>,
    vendor: VendorId,
    headers: HeaderMap,
    body: String,
) -> Response {
    let form = Params::parse(Some(&body));
    let client = st.info_of(vendor).oauth.clone();
    let (client_id, secret) = client_credentials(&headers, &form);
    if client_id.as_deref() != Some(client.client_id.as_str()) {
        return token_error(StatusCode::UNAUTHORIZED, "invalid_client", "unknown client");
    }
    let secret_ok = match secret.as_deref() {
        Some(s) => s == client.client_secret,
        None => false,
    };
    if secret.is_some() && !secret_ok {
        return token_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication failed",
        );
    }
    let now = st.clock.now_ms();
    match form.get("grant_type") {
        Some("authorization_code") => {
            let (Some(code), verifier) = (form.get("code"), form.get("code_verifier")) else {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "code is required",
                );
            };
            let mut s = lock(&st.oauth.store);
            let Some(c) = s.codes.get(code).cloned() else {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "unknown authorization code",
                );
            };
            if c.vendor != vendor {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "unknown authorization code",
                );
            }
            if let Some(g) = c.used_by_grant {
                // A replayed code revokes what it issued (RFC 6749 §4.1.2).
                if let Some(grant) = s.grants.get_mut(&g) {
                    grant.revoked = true;
                }
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "authorization code already used",
                );
            }
            if c.expires_at_ms <= now {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "authorization code expired",
                );
            }
            if let Some(r) = form.get("redirect_uri")
                && r != c.redirect_uri
            {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "redirect_uri does not match",
                );
            }
            let public = match (&c.challenge, verifier) {
                (Some(ch), Some(v)) if pkce_s256(v) == *ch => !secret_ok,
                (Some(_), Some(_)) => {
                    return token_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "PKCE verification failed",
                    );
                }
                (Some(_), None) => {
                    return token_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "code_verifier is required",
                    );
                }
                (None, _) => false,
            };
            if !public && !secret_ok {
                return token_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    "client_secret is required",
                );
            }
            let grant_id = new_grant(&mut s, vendor, c.scopes.clone(), public);
            if let Some(code) = s.codes.get_mut(code) {
                code.used_by_grant = Some(grant_id);
            }
            let refresh = match vendor {
                // Lever issues a refresh token only for offline_access.
                VendorId::Lever => c.scopes.iter().any(|x| x == "offline_access"),
                _ => true,
            };
            issue(&st, &mut s, vendor, grant_id, refresh, now)
        }
        Some("refresh_token") => {
            *lock(&st.oauth.store)
                .refresh_grants
                .entry(vendor)
                .or_default() += 1;
            let Some(rt) = form.get("refresh_token") else {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "refresh_token is required",
                );
            };
            let mut s = lock(&st.oauth.store);
            let Some(r) = s.refresh.get(rt).cloned() else {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "unknown refresh token",
                );
            };
            let Some(g) = s.grants.get(&r.grant).cloned() else {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "unknown refresh token",
                );
            };
            if g.vendor != vendor || g.revoked {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "refresh token revoked",
                );
            }
            if !g.public && !secret_ok {
                return token_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    "client_secret is required",
                );
            }
            let rotates = vendor != VendorId::SmartRecruiters;
            if r.used && rotates {
                // Reuse of a rotated refresh token: treat as theft and revoke the whole grant.
                if let Some(grant) = s.grants.get_mut(&r.grant) {
                    grant.revoked = true;
                }
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "refresh token already used",
                );
            }
            if rotates && let Some(old) = s.refresh.get_mut(rt) {
                old.used = true;
            }
            if rotates {
                issue(&st, &mut s, vendor, r.grant, true, now)
            } else {
                // [I] SmartRecruiters: the refresh token stays valid and is returned again.
                let body = issue_access(&st, &mut s, vendor, r.grant, now);
                let mut body = body;
                body["refresh_token"] = json!(rt);
                token_ok(body)
            }
        }
        Some("client_credentials") if vendor == VendorId::SmartRecruiters => {
            if !secret_ok {
                return token_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    "client authentication failed",
                );
            }
            let mut s = lock(&st.oauth.store);
            let scopes = match form.get("scope") {
                Some(sc) if !sc.trim().is_empty() => sc
                    .split(' ')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect(),
                _ => vendor_scopes(vendor),
            };
            let grant_id = new_grant(&mut s, vendor, scopes, false);
            issue(&st, &mut s, vendor, grant_id, false, now)
        }
        Some(other) => token_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!("{other} is not supported"),
        ),
        None => token_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "grant_type is required",
        ),
    }
}

fn new_grant(s: &mut Store, vendor: VendorId, scopes: Vec<String>, public: bool) -> u64 {
    s.next_grant += 1;
    let id = s.next_grant;
    s.grants.insert(
        id,
        Grant {
            vendor,
            scopes,
            public,
            revoked: false,
        },
    );
    id
}

fn access_token_value(st: &AppState, vendor: VendorId, scopes: &[String], now: i64) -> String {
    if vendor == VendorId::Lever {
        // Lever (Auth0) access tokens are JWTs; clients must treat them as opaque.
        let header = b64url(br#"{"alg":"RS256","typ":"JWT"}"#);
        let payload = b64url(
            json!({"iss": st.info.lever.oauth.authorize_url, "aud": format!("{}/", st.info.lever.base_url),
                   "exp": now / 1000 + ACCESS_TOKEN_SECS, "iat": now / 1000, "scope": scopes.join(" "),
                   "jti": random_token(16)})
            .to_string()
            .as_bytes(),
        );
        format!("{header}.{payload}.{}", random_token(43))
    } else {
        random_token(40)
    }
}

fn issue_access(
    st: &AppState,
    s: &mut Store,
    vendor: VendorId,
    grant_id: u64,
    now: i64,
) -> serde_json::Value {
    let scopes = s
        .grants
        .get(&grant_id)
        .map(|g| g.scopes.clone())
        .unwrap_or_default();
    let token = access_token_value(st, vendor, &scopes, now);
    s.access.insert(
        token.clone(),
        AccessToken {
            grant: grant_id,
            expires_at_ms: now + ACCESS_TOKEN_SECS * 1000,
        },
    );
    let token_type = if vendor == VendorId::SmartRecruiters {
        "bearer"
    } else {
        "Bearer"
    };
    json!({"access_token": token, "token_type": token_type, "expires_in": ACCESS_TOKEN_SECS, "scope": scopes.join(" ")})
}

fn issue(
    st: &AppState,
    s: &mut Store,
    vendor: VendorId,
    grant_id: u64,
    with_refresh: bool,
    now: i64,
) -> Response {
    let mut body = issue_access(st, s, vendor, grant_id, now);
    if with_refresh {
        let rt = random_token(48);
        s.refresh.insert(
            rt.clone(),
            RefreshToken {
                grant: grant_id,
                used: false,
            },
        );
        body["refresh_token"] = json!(rt);
    }
    token_ok(body)
}

fn token_ok(body: serde_json::Value) -> Response {
    let mut resp = axum::Json(body).into_response();
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    resp
}

/// A vendor's OAuth endpoints at its own paths: the consent page (GET shows it, POST takes the
/// decision) and the token endpoint, behind the token gate (injected faults, rate limits).
pub fn routes(
    vendor: VendorId,
    state: AppState,
    authorize_path: &str,
    token_path: &str,
) -> Router<AppState> {
    Router::new()
        .route(
            authorize_path,
            get(move |s: State<AppState>, q: RawQuery| authorize(s, vendor, q))
                .post(move |s: State<AppState>, f: Form<Decision>| decide(s, vendor, f)),
        )
        .route(
            token_path,
            post(move |s: State<AppState>, h: HeaderMap, b: String| token(s, vendor, h, b))
                .layer(from_fn_with_state(Gate { app: state, vendor }, token_gate)),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_redirects_ignore_the_port_only() {
        let reg = "http://127.0.0.1/callback";
        assert!(redirect_matches(reg, "http://127.0.0.1:51234/callback"));
        assert!(redirect_matches(reg, "http://127.0.0.1/callback"));
        assert!(!redirect_matches(reg, "http://localhost:51234/callback"));
        assert!(!redirect_matches(reg, "http://127.0.0.1:51234/other"));
        assert!(!redirect_matches(reg, "https://127.0.0.1:51234/callback"));
        assert!(!redirect_matches(
            "hirebridge://oauth/callback",
            "hirebridge://oauth/callback2"
        ));
    }

    #[test]
    fn pkce_s256_is_unpadded_base64url_of_sha256() {
        // Expected value computed independently with Python's hashlib + base64.urlsafe_b64encode.
        assert_eq!(
            pkce_s256("dBjftJeZ4CVP-mB92K27uhbUJU2p1r8ZgCQazOowqSw"),
            "b0kEBvRlE-9_WIU6P4FA3sm4wjwQchC3f74W-ehYNxs"
        );
    }
}
