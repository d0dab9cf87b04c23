//! The middleware every vendor data-API request passes: injected faults, authentication, scope checks,
//! rate limits, added latency, and SmartRecruiters' `X-RateLimit-*` headers.

use axum::extract::connect_info::ConnectInfo;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::json;

use crate::conn::ConnCtl;
use crate::faults::{FaultAction, TokenFault};
use crate::oauth::BearerError;
use crate::ratelimit::{self, SrDecision, SrHeaders};
use crate::{AppState, VendorId};

#[derive(Clone)]
pub struct Gate {
    pub app: AppState,
    pub vendor: VendorId,
}

/// The authenticated caller, available to handlers as an extension.
#[derive(Clone, Debug)]
pub struct Cred {
    /// Rate-limit identity: the API key, or the OAuth grant.
    pub id: String,
    /// `None` = an API key, which has every scope.
    pub scopes: Option<Vec<String>>,
}

impl Cred {
    fn allows(&self, vendor: VendorId, scope: &str) -> bool {
        let Some(scopes) = &self.scopes else {
            return true;
        };
        scopes.iter().any(|s| {
            s == scope
                // A write scope implies the matching read scope (Lever `x:write:admin`, Unberry `x:write`).
                || (vendor != VendorId::SmartRecruiters && s.replace(":write", ":read") == scope)
        })
    }
}

/// The vendor's error body: SR `{message, errors[{code,message}]}`, Lever `{code, message}`,
/// Unberry `{error:{code,message}}`.
pub fn vendor_error(vendor: VendorId, status: StatusCode, code: &str, message: &str) -> Response {
    let body = match vendor {
        VendorId::SmartRecruiters => {
            json!({"message": message, "errors": [{"code": code, "message": message}]})
        }
        VendorId::Lever => json!({"code": code, "message": message}),
        VendorId::Unberry => json!({"error": {"code": code, "message": message}}),
    };
    (status, axum::Json(body)).into_response()
}

fn codes(vendor: VendorId, status: StatusCode) -> &'static str {
    match (vendor, status.as_u16()) {
        (VendorId::SmartRecruiters, 401) => "UNAUTHORIZED",
        (VendorId::SmartRecruiters, 403) => "OAuthPermissionsException",
        (VendorId::SmartRecruiters, 429) => "TOO_MANY_REQUESTS",
        (VendorId::SmartRecruiters, _) => "SERVICE_UNAVAILABLE",
        (VendorId::Lever, 401) => "Unauthorized",
        (VendorId::Lever, 403) => "Forbidden",
        (VendorId::Lever, 429) => "TooManyRequests",
        (VendorId::Lever, _) => "ServiceUnavailable",
        (VendorId::Unberry, 401) => "unauthorized",
        (VendorId::Unberry, 403) => "forbidden",
        (VendorId::Unberry, 429) => "rate_limited",
        (VendorId::Unberry, _) => "service_unavailable",
    }
}

/// The middleware in front of each vendor's OAuth token endpoint: only the token faults.
/// Errors are the token endpoint's own shape (RFC 6749 §5.2), not the data API's.
pub async fn token_gate(State(g): State<Gate>, req: Request, next: Next) -> Response {
    let st = &g.app;
    match st.faults.next_token(g.vendor) {
        FaultAction::TooMany { retry_after_secs } => {
            let mut resp = crate::oauth::token_error(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "Too many requests (injected)",
            );
            if let Some(s) = retry_after_secs
                && let Ok(v) = HeaderValue::from_str(&s.to_string())
            {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return resp;
        }
        FaultAction::ServerError => {
            return crate::oauth::token_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                "Service unavailable (injected)",
            );
        }
        FaultAction::Reset => {
            if let Some(ConnectInfo(ctl)) = req.extensions().get::<ConnectInfo<ConnCtl>>() {
                ctl.reset();
            }
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        FaultAction::Truncate => {
            if let Some(ConnectInfo(ctl)) = req.extensions().get::<ConnectInfo<ConnCtl>>() {
                ctl.truncate();
            }
        }
        FaultAction::None => {}
    }
    if let Some(d) = st.faults.token_latency() {
        tokio::time::sleep(d).await;
    }
    next.run(req).await
}

fn refuse(vendor: VendorId, status: StatusCode, message: &str) -> Response {
    vendor_error(vendor, status, codes(vendor, status), message)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

fn basic_user(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, b64) = v.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let s = String::from_utf8(raw).ok()?;
    Some(s.split_once(':').map(|(u, _)| u.to_string()).unwrap_or(s))
}

fn authenticate(st: &AppState, vendor: VendorId, headers: &HeaderMap) -> Result<Cred, Response> {
    let key = &st.info_of(vendor).api_key;
    let key_header = match vendor {
        VendorId::SmartRecruiters => headers
            .get("x-smarttoken")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        VendorId::Lever => basic_user(headers),
        VendorId::Unberry => headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    };
    if let Some(k) = key_header {
        return if &k == key {
            Ok(Cred {
                id: format!("key:{}", crate::util::mask(key)),
                scopes: None,
            })
        } else {
            Err(refuse(vendor, StatusCode::UNAUTHORIZED, "Invalid API key"))
        };
    }
    let Some(token) = bearer(headers) else {
        return Err(refuse(
            vendor,
            StatusCode::UNAUTHORIZED,
            "Missing credentials",
        ));
    };
    match st.oauth.check_bearer(vendor, token, st.clock.now_ms()) {
        Ok(g) => Ok(Cred {
            id: format!("grant:{}", g.grant_id),
            scopes: Some(g.scopes),
        }),
        Err(BearerError::Expired) => Err(refuse(
            vendor,
            StatusCode::UNAUTHORIZED,
            "Access token expired",
        )),
        Err(BearerError::Revoked) => Err(refuse(
            vendor,
            StatusCode::UNAUTHORIZED,
            "Access token revoked",
        )),
        Err(BearerError::Unknown) => Err(refuse(
            vendor,
            StatusCode::UNAUTHORIZED,
            "Invalid access token",
        )),
    }
}

fn put_sr_headers(resp: &mut Response, h: SrHeaders) {
    let hs = resp.headers_mut();
    for (name, value) in [
        ("x-ratelimit-limit", h.limit.to_string()),
        ("x-ratelimit-remaining", h.remaining.to_string()),
        (
            "x-ratelimit-concurrent-limit",
            h.concurrent_limit.to_string(),
        ),
        (
            "x-ratelimit-concurrent-remaining",
            h.concurrent_remaining.to_string(),
        ),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            hs.insert(name, v);
        }
    }
}

/// The endpoint's route template below the vendor's API root, e.g. `/candidates/{id}`.
fn template(req: &Request, vendor: VendorId) -> String {
    let full = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    let prefix = match vendor {
        VendorId::SmartRecruiters => "/smartrecruiters",
        VendorId::Lever => "/lever/v1",
        VendorId::Unberry => "/unberry/v1",
    };
    full.strip_prefix(prefix).unwrap_or(&full).to_string()
}

pub async fn gate(State(g): State<Gate>, mut req: Request, next: Next) -> Response {
    let (st, vendor) = (&g.app, g.vendor);
    let route = template(&req, vendor);
    let is_sr = vendor == VendorId::SmartRecruiters;
    let sr_concurrency = if route == "/candidates" && req.method() == axum::http::Method::GET {
        ratelimit::SR_CANDIDATES_CONCURRENCY
    } else {
        ratelimit::SR_CONCURRENCY
    };
    let idle = SrHeaders {
        limit: ratelimit::SR_RATE,
        remaining: ratelimit::SR_RATE,
        concurrent_limit: sr_concurrency,
        concurrent_remaining: sr_concurrency,
    };
    let finish = |mut resp: Response, h: SrHeaders| {
        if is_sr {
            put_sr_headers(&mut resp, h);
        }
        resp
    };

    match st.faults.next(vendor) {
        FaultAction::TooMany { retry_after_secs } => {
            let mut resp = refuse(
                vendor,
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests (injected)",
            );
            if let Some(s) = retry_after_secs
                && let Ok(v) = HeaderValue::from_str(&s.to_string())
            {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return finish(
                resp,
                SrHeaders {
                    remaining: 0,
                    ..idle
                },
            );
        }
        FaultAction::ServerError => {
            return finish(
                refuse(
                    vendor,
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Service unavailable (injected)",
                ),
                idle,
            );
        }
        FaultAction::Reset => {
            if let Some(ConnectInfo(ctl)) = req.extensions().get::<ConnectInfo<ConnCtl>>() {
                ctl.reset();
            }
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        FaultAction::Truncate => {
            if let Some(ConnectInfo(ctl)) = req.extensions().get::<ConnectInfo<ConnCtl>>() {
                ctl.truncate();
            }
        }
        FaultAction::None => {}
    }

    if bearer(req.headers()).is_some() {
        let now = st.clock.now_ms();
        match st.faults.next_token_fault(vendor) {
            Some(TokenFault::Expire) => {
                st.oauth.expire_access_tokens(Some(vendor), now);
            }
            Some(TokenFault::Revoke) => {
                st.oauth.revoke(Some(vendor));
            }
            None => {}
        }
    }
    let cred = match authenticate(st, vendor, req.headers()) {
        Ok(c) => c,
        Err(resp) => return finish(resp, idle),
    };
    let scope = match vendor {
        VendorId::SmartRecruiters => crate::sr::required_scope(req.method(), &route),
        VendorId::Lever => crate::lever::required_scope(req.method(), &route),
        VendorId::Unberry => crate::unberry::required_scope(req.method(), &route),
    };
    if let Some(scope) = scope
        && !cred.allows(vendor, scope)
    {
        return finish(
            refuse(
                vendor,
                StatusCode::FORBIDDEN,
                &format!("The credential lacks the scope {scope}"),
            ),
            idle,
        );
    }

    let enforce = st.config.rate_limits;
    let mut permit = None;
    let mut sr_headers = idle;
    let mut extra_headers: Vec<(&'static str, String)> = Vec::new();
    match vendor {
        VendorId::SmartRecruiters => {
            let endpoint = format!("{} {}", req.method(), route);
            match st
                .limits
                .sr_acquire(&cred.id, &endpoint, sr_concurrency, enforce)
            {
                SrDecision::Allowed(p, h) => {
                    permit = Some(p);
                    sr_headers = h;
                }
                SrDecision::Limited(h) => {
                    return finish(
                        refuse(
                            vendor,
                            StatusCode::TOO_MANY_REQUESTS,
                            "API rate limit exceeded",
                        ),
                        h,
                    );
                }
            }
        }
        VendorId::Lever => {
            if enforce && !st.limits.lever_take(&cred.id) {
                return refuse(
                    vendor,
                    StatusCode::TOO_MANY_REQUESTS,
                    "Rate limit exceeded, retry with exponential backoff",
                );
            }
        }
        VendorId::Unberry => {
            let (ok, remaining, reset) = st.limits.unberry_take(&cred.id);
            if enforce && !ok {
                let mut resp = refuse(vendor, StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded");
                if let Ok(v) = HeaderValue::from_str(&reset.to_string()) {
                    resp.headers_mut().insert(header::RETRY_AFTER, v);
                }
                return resp;
            }
            extra_headers.push(("x-ratelimit-limit", ratelimit::UNBERRY_RATE.to_string()));
            extra_headers.push(("x-ratelimit-remaining", remaining.to_string()));
        }
    }

    if let Some(d) = st.faults.latency() {
        tokio::time::sleep(d).await;
    }
    let is_post = req.method() == axum::http::Method::POST;
    let ctl = req
        .extensions()
        .get::<ConnectInfo<ConnCtl>>()
        .map(|ConnectInfo(c)| c.clone());
    req.extensions_mut().insert(cred);
    let mut resp = next.run(req).await;
    drop(permit);
    if is_post
        && resp.status().is_success()
        && let Some(ctl) = ctl
        && st.faults.take_answer_drop(vendor, &route)
    {
        // The vendor did the work; the client never hears of it.
        ctl.reset();
    }
    for (k, v) in extra_headers {
        if let Ok(v) = HeaderValue::from_str(&v) {
            resp.headers_mut().insert(k, v);
        }
    }
    finish(resp, sr_headers)
}
