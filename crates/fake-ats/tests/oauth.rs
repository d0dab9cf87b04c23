//! The fake OAuth servers: authorization code + PKCE, consent form, redirect rules, refresh rotation,
//! client credentials, revocation and early expiry.

mod common;

use common::*;
use fake_ats::{Config, OAuthInfo, VendorId};
use serde_json::Value;

const REDIRECT: &str = "http://127.0.0.1:61234/callback";

async fn authorize(
    http: &reqwest::Client,
    o: &OAuthInfo,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut q: Vec<(&str, &str)> = vec![
        ("client_id", o.client_id.as_str()),
        ("response_type", "code"),
    ];
    q.extend_from_slice(extra);
    http.get(&o.authorize_url)
        .query(&q)
        .send()
        .await
        .expect("authorize")
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .expect("Location header")
        .to_str()
        .expect("ascii")
        .to_string()
}

async fn exchange(http: &reqwest::Client, o: &OAuthInfo, form: &[(&str, &str)]) -> (u16, Value) {
    let mut f: Vec<(&str, &str)> = vec![("client_id", o.client_id.as_str())];
    f.extend_from_slice(form);
    let r = http
        .post(&o.token_url)
        .form(&f)
        .send()
        .await
        .expect("token");
    let status = r.status().as_u16();
    (status, r.json().await.expect("json"))
}

#[tokio::test]
async fn sr_code_flow_with_pkce_good_bad_and_reused() {
    let fake = start_small().await;
    let http = client();
    let o = fake.info().smartrecruiters.oauth.clone();
    let (verifier, challenge) = pkce_pair();
    let r = authorize(
        &http,
        &o,
        &[
            ("redirect_uri", REDIRECT),
            ("scope", "candidates_read jobs_read"),
            ("state", "st-1"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    assert_eq!(r.status(), 302);
    let loc = location(&r);
    assert!(loc.starts_with(REDIRECT));
    assert_eq!(query_param(&loc, "state").as_deref(), Some("st-1"));
    let code = query_param(&loc, "code").expect("code");

    let (s, e) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", "wrong-verifier"),
            ("client_secret", &o.client_secret),
        ],
    )
    .await;
    assert_eq!((s, e["error"].as_str()), (400, Some("invalid_grant")));
    let (s, tok) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
            ("client_secret", &o.client_secret),
        ],
    )
    .await;
    assert_eq!(s, 200, "{tok}");
    assert_eq!(tok["token_type"], "bearer");
    assert!(tok["expires_in"].as_i64().is_some_and(|x| x > 0));
    let at = tok["access_token"]
        .as_str()
        .expect("access token")
        .to_string();
    assert!(tok["refresh_token"].is_string());
    let base = &fake.info().smartrecruiters.base_url;
    assert_eq!(
        http.get(format!("{base}/candidates"))
            .bearer_auth(&at)
            .send()
            .await
            .expect("req")
            .status(),
        200
    );

    let (s, e) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
            ("client_secret", &o.client_secret),
        ],
    )
    .await;
    assert_eq!(
        (s, e["error"].as_str()),
        (400, Some("invalid_grant")),
        "a code is single-use"
    );
    // Replaying the code revoked what it had issued.
    assert_eq!(
        http.get(format!("{base}/candidates"))
            .bearer_auth(&at)
            .send()
            .await
            .expect("req")
            .status(),
        401
    );
}

#[tokio::test]
async fn public_client_may_use_pkce_without_secret_but_not_without_verifier() {
    let fake = start_small().await;
    let http = client();
    let o = fake.info().unberry.oauth.clone();
    let (verifier, challenge) = pkce_pair();
    let code_for = |r: &reqwest::Response| query_param(&location(r), "code").expect("code");
    let r = authorize(
        &http,
        &o,
        &[
            ("redirect_uri", REDIRECT),
            ("state", "s"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    let code = code_for(&r);
    let (s, e) = exchange(
        &http,
        &o,
        &[("grant_type", "authorization_code"), ("code", &code)],
    )
    .await;
    assert_eq!(
        (s, e["error"].as_str()),
        (400, Some("invalid_grant")),
        "verifier required when a challenge was sent"
    );
    let r = authorize(
        &http,
        &o,
        &[
            ("redirect_uri", REDIRECT),
            ("state", "s"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    let (s, tok) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code_for(&r)),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(s, 200, "{tok}");
    let r = authorize(
        &http,
        &o,
        &[
            ("redirect_uri", REDIRECT),
            ("state", "s"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "plain"),
        ],
    )
    .await;
    assert_eq!(
        query_param(&location(&r), "error").as_deref(),
        Some("invalid_request")
    );
    let (s, e) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "authorization_code"),
            ("code", "whatever"),
            ("client_secret", "wrong"),
        ],
    )
    .await;
    assert_eq!((s, e["error"].as_str()), (401, Some("invalid_client")));
}

#[tokio::test]
async fn redirect_uri_must_match_except_the_loopback_port() {
    let fake = start_small().await;
    let http = client();
    let o = fake.info().smartrecruiters.oauth.clone();
    for ok in [
        "http://127.0.0.1:1/callback",
        "http://127.0.0.1:65000/callback",
        "http://127.0.0.1/oauth/callback",
        "hirebridge://oauth/callback",
    ] {
        let r = authorize(&http, &o, &[("redirect_uri", ok), ("state", "s")]).await;
        assert_eq!(r.status(), 302, "{ok}");
        assert!(location(&r).starts_with(ok));
    }
    for bad in [
        "http://localhost:61234/callback",
        "http://127.0.0.1:61234/evil",
        "https://127.0.0.1:61234/callback",
        "http://attacker.example/callback",
    ] {
        let r = authorize(&http, &o, &[("redirect_uri", bad), ("state", "s")]).await;
        assert_eq!(r.status(), 400, "{bad} must be refused without redirecting");
        assert!(r.headers().get("location").is_none());
    }
    // The token request must repeat the exact redirect URI used at authorize time.
    let r = authorize(&http, &o, &[("redirect_uri", REDIRECT), ("state", "s")]).await;
    let code = query_param(&location(&r), "code").expect("code");
    let (s, e) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:9/callback"),
            ("client_secret", &o.client_secret),
        ],
    )
    .await;
    assert_eq!((s, e["error"].as_str()), (400, Some("invalid_grant")));
    let unknown_client = http
        .get(&o.authorize_url)
        .query(&[
            ("client_id", "nope"),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
        ])
        .send()
        .await
        .expect("req");
    assert_eq!(unknown_client.status(), 400);
    let empty_scope = authorize(&http, &o, &[("redirect_uri", REDIRECT), ("scope", "")]).await;
    assert_eq!(
        query_param(&location(&empty_scope), "error").as_deref(),
        Some("invalid_scope")
    );
}

#[tokio::test]
async fn consent_form_approve_and_deny() {
    let fake = start(Config {
        candidates: 20,
        auto_consent: false,
        ..Config::default()
    })
    .await;
    let http = client();
    let o = fake.info().lever.oauth.clone();
    let audience = format!("{}/", fake.info().lever.base_url);
    let page = authorize(
        &http,
        &o,
        &[
            ("redirect_uri", REDIRECT),
            ("state", "abc"),
            ("audience", &audience),
            ("scope", "opportunities:read:admin"),
        ],
    )
    .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("<form method=\"post\"")
            && html.contains("value=\"approve\"")
            && html.contains("value=\"deny\"")
    );
    let txn = html
        .split("name=\"txn\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("txn")
        .to_string();
    let deny = http
        .post(&o.authorize_url)
        .form(&[("txn", txn.as_str()), ("decision", "deny")])
        .send()
        .await
        .expect("deny");
    assert_eq!(deny.status(), 302);
    let loc = location(&deny);
    assert_eq!(query_param(&loc, "error").as_deref(), Some("access_denied"));
    assert_eq!(query_param(&loc, "state").as_deref(), Some("abc"));
    let again = http
        .post(&o.authorize_url)
        .form(&[("txn", txn.as_str()), ("decision", "approve")])
        .send()
        .await
        .expect("again");
    assert_eq!(
        again.status(),
        400,
        "a consent transaction is answered once"
    );

    let page = authorize(
        &http,
        &o,
        &[
            ("redirect_uri", REDIRECT),
            ("state", "def"),
            ("audience", &audience),
            ("scope", "opportunities:read:admin"),
        ],
    )
    .await;
    let html = page.text().await.expect("html");
    let txn = html
        .split("name=\"txn\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("txn")
        .to_string();
    let ok = http
        .post(&o.authorize_url)
        .form(&[("txn", txn.as_str()), ("decision", "approve")])
        .send()
        .await
        .expect("approve");
    let loc = location(&ok);
    assert!(query_param(&loc, "code").is_some());
    assert_eq!(query_param(&loc, "state").as_deref(), Some("def"));
}

#[tokio::test]
async fn lever_requires_state_and_audience_and_rotates_refresh_tokens() {
    let fake = start_small().await;
    let http = client();
    let o = fake.info().lever.oauth.clone();
    let audience = format!("{}/", fake.info().lever.base_url);
    let no_aud = authorize(&http, &o, &[("redirect_uri", REDIRECT), ("state", "s")]).await;
    assert_eq!(
        query_param(&location(&no_aud), "error").as_deref(),
        Some("invalid_request")
    );
    let no_state = authorize(
        &http,
        &o,
        &[("redirect_uri", REDIRECT), ("audience", &audience)],
    )
    .await;
    assert_eq!(
        query_param(&location(&no_state), "error").as_deref(),
        Some("invalid_request")
    );

    // Without offline_access: no refresh token.
    let r = authorize(
        &http,
        &o,
        &[
            ("redirect_uri", REDIRECT),
            ("state", "s"),
            ("audience", &audience),
            ("scope", "opportunities:read:admin"),
        ],
    )
    .await;
    let code = query_param(&location(&r), "code").expect("code");
    let (s, tok) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_secret", &o.client_secret),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert_eq!(s, 200);
    assert!(tok.get("refresh_token").is_none());
    assert_eq!(tok["expires_in"], 3600);
    assert_eq!(tok["token_type"], "Bearer");
    assert_eq!(
        tok["access_token"]
            .as_str()
            .expect("jwt")
            .split('.')
            .count(),
        3
    );

    let r = authorize(
        &http,
        &o,
        &[
            ("redirect_uri", REDIRECT),
            ("state", "s"),
            ("audience", &audience),
            ("scope", "offline_access opportunities:read:admin"),
        ],
    )
    .await;
    let code = query_param(&location(&r), "code").expect("code");
    let (_, tok) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_secret", &o.client_secret),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    let rt1 = tok["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_string();
    let (s, tok2) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt1),
            ("client_secret", &o.client_secret),
        ],
    )
    .await;
    assert_eq!(s, 200);
    let rt2 = tok2["refresh_token"].as_str().expect("rotated").to_string();
    assert_ne!(rt1, rt2);
    let at2 = tok2["access_token"].as_str().expect("at").to_string();
    let base = &fake.info().lever.base_url;
    assert_eq!(
        http.get(format!("{base}/opportunities"))
            .bearer_auth(&at2)
            .send()
            .await
            .expect("req")
            .status(),
        200
    );
    let (s, e) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt1),
            ("client_secret", &o.client_secret),
        ],
    )
    .await;
    assert_eq!(
        (s, e["error"].as_str()),
        (400, Some("invalid_grant")),
        "an old refresh token is refused"
    );
    // Reuse is treated as theft: the whole grant is revoked.
    let (s, _) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt2),
            ("client_secret", &o.client_secret),
        ],
    )
    .await;
    assert_eq!(s, 400);
    assert_eq!(
        http.get(format!("{base}/opportunities"))
            .bearer_auth(&at2)
            .send()
            .await
            .expect("req")
            .status(),
        401
    );
}

#[tokio::test]
async fn admin_can_expire_and_revoke_tokens() {
    let fake = start_small().await;
    let http = client();
    let o = fake.info().smartrecruiters.oauth.clone();
    let base = fake.info().smartrecruiters.base_url.clone();
    let r = authorize(&http, &o, &[("redirect_uri", REDIRECT), ("state", "s")]).await;
    let code = query_param(&location(&r), "code").expect("code");
    let (_, tok) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_secret", &o.client_secret),
        ],
    )
    .await;
    let at = tok["access_token"].as_str().expect("at").to_string();
    let rt = tok["refresh_token"].as_str().expect("rt").to_string();
    assert_eq!(
        http.get(format!("{base}/jobs"))
            .bearer_auth(&at)
            .send()
            .await
            .expect("req")
            .status(),
        200
    );

    assert_eq!(
        fake.admin().expire_tokens(Some(VendorId::SmartRecruiters)),
        1
    );
    let expired = http
        .get(format!("{base}/jobs"))
        .bearer_auth(&at)
        .send()
        .await
        .expect("req");
    assert_eq!(expired.status(), 401);
    assert!(
        expired.json::<Value>().await.expect("json")["message"]
            .as_str()
            .expect("msg")
            .contains("expired")
    );
    let (s, tok2) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
            ("client_secret", &o.client_secret),
        ],
    )
    .await;
    assert_eq!(s, 200, "refresh still works after early expiry");
    let at2 = tok2["access_token"].as_str().expect("at").to_string();
    assert_eq!(
        http.get(format!("{base}/jobs"))
            .bearer_auth(&at2)
            .send()
            .await
            .expect("req")
            .status(),
        200
    );

    assert!(fake.admin().revoke_tokens(None) >= 1);
    assert_eq!(
        http.get(format!("{base}/jobs"))
            .bearer_auth(&at2)
            .send()
            .await
            .expect("req")
            .status(),
        401
    );
    let (s, e) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
            ("client_secret", &o.client_secret),
        ],
    )
    .await;
    assert_eq!((s, e["error"].as_str()), (400, Some("invalid_grant")));
}

#[tokio::test]
async fn sr_client_credentials() {
    let fake = start_small().await;
    let http = client();
    let o = fake.info().smartrecruiters.oauth.clone();
    let (s, tok) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "client_credentials"),
            ("client_secret", &o.client_secret),
        ],
    )
    .await;
    assert_eq!(s, 200);
    assert!(tok.get("refresh_token").is_none());
    let base = &fake.info().smartrecruiters.base_url;
    let at = tok["access_token"].as_str().expect("at");
    assert_eq!(
        http.get(format!("{base}/candidates"))
            .bearer_auth(at)
            .send()
            .await
            .expect("req")
            .status(),
        200
    );
    let (s, e) = exchange(
        &http,
        &o,
        &[
            ("grant_type", "client_credentials"),
            ("client_secret", "bad"),
        ],
    )
    .await;
    assert_eq!((s, e["error"].as_str()), (401, Some("invalid_client")));
    let lever = fake.info().lever.oauth.clone();
    let (s, e) = exchange(
        &http,
        &lever,
        &[
            ("grant_type", "client_credentials"),
            ("client_secret", &lever.client_secret),
        ],
    )
    .await;
    assert_eq!(
        (s, e["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
}
