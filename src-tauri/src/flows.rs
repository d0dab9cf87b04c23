//! OAuth linking attempts in progress. A command starts one and returns at once; the result
//! reaches the UI as a [`LinkEvent`]. A flow ends exactly once: through the loopback listener,
//! a `hirebridge://oauth/callback` link, the user's cancel, or its timeout.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use hirebridge_core::accounts::Account;
use hirebridge_core::auth::{
    DEFAULT_LINK_TIMEOUT, NoBrowser, OAuthClientConfig, OAuthError, OAuthFlow, PendingFlow,
    RedirectMode, TokenSet, Url, relink_oauth_account, save_oauth_account,
};
use hirebridge_core::deeplink::DeepLinkAction;
use hirebridge_core::{Error, ErrorKind};
use tauri::async_runtime::JoinHandle;

use crate::events::LinkEvent;
use crate::services::Services;
use crate::state::{AppState, LinkEventSink};

/// What a finished flow does with its tokens.
#[derive(Debug, Clone)]
pub enum FlowTarget {
    /// Save a new account with this label and API base URL.
    NewAccount {
        label: String,
        base_url: Option<String>,
    },
    /// Store fresh tokens for an existing account that needed re-linking.
    Relink { account_id: String },
}

struct ActiveFlow {
    config: OAuthClientConfig,
    target: FlowTarget,
    pending: Arc<PendingFlow>,
    waiter: Mutex<Option<JoinHandle<()>>>,
}

#[derive(Default)]
pub struct OAuthFlows {
    next_id: AtomicU64,
    active: Mutex<HashMap<String, Arc<ActiveFlow>>>,
}

impl OAuthFlows {
    fn insert(&self, flow: ActiveFlow) -> (String, Arc<ActiveFlow>) {
        let id = format!("flow-{}", self.next_id.fetch_add(1, Ordering::Relaxed) + 1);
        let flow = Arc::new(flow);
        lock(&self.active).insert(id.clone(), Arc::clone(&flow));
        (id, flow)
    }

    /// Removes the flow; only the caller that gets it back may end it.
    fn take(&self, id: &str) -> Option<Arc<ActiveFlow>> {
        lock(&self.active).remove(id)
    }

    fn snapshot(&self) -> Vec<(String, Arc<ActiveFlow>)> {
        lock(&self.active)
            .iter()
            .map(|(id, flow)| (id.clone(), Arc::clone(flow)))
            .collect()
    }

    /// How many flows are waiting for the browser.
    pub fn len(&self) -> usize {
        lock(&self.active).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Starts a flow over the loopback redirect and opens the authorization URL in the browser.
/// Returns the flow id; the UI learns the outcome from [`LinkEvent`]s.
pub async fn start(
    state: &AppState,
    config: OAuthClientConfig,
    target: FlowTarget,
) -> Result<String, Error> {
    let services = state.services()?;
    // Fail before the user signs in, not after: the keychain must be usable and the label free.
    services.secrets()?;
    if let FlowTarget::NewAccount { label, .. } = &target
        && services.accounts.get_by_id_or_label(label).await.is_ok()
    {
        return Err(Error::new(
            ErrorKind::Conflict,
            format!(
                "An account labelled \"{}\" already exists. Pick another label.",
                label.trim()
            ),
        ));
    }
    let browser = state.browser()?;
    let vendor = config.vendor;
    // The URL is opened below, once the flow is registered, so its completion always finds it.
    let (url, pending) = OAuthFlow::start(config.clone(), RedirectMode::Loopback, &NoBrowser)
        .await
        .map_err(Error::from)?;
    let (flow_id, flow) = state.flows.insert(ActiveFlow {
        config,
        target,
        pending: Arc::new(pending),
        waiter: Mutex::new(None),
    });
    let events = state.link_events();
    events(LinkEvent::Started {
        flow_id: flow_id.clone(),
        vendor,
        authorize_url_host: url.host_str().unwrap_or_default().to_owned(),
    });

    let waiter = {
        let flows = Arc::clone(&state.flows);
        let services = Arc::clone(&services);
        let events = events.clone();
        let flow_id = flow_id.clone();
        let pending = Arc::clone(&flow.pending);
        tauri::async_runtime::spawn(async move {
            let result = pending.wait(DEFAULT_LINK_TIMEOUT).await;
            if let Some(flow) = flows.take(&flow_id) {
                finish(
                    &services,
                    &events,
                    &flow_id,
                    &flow,
                    result.map_err(Error::from),
                )
                .await;
            }
        })
    };
    *lock(&flow.waiter) = Some(waiter);

    if let Err(reason) = browser.open(&url) {
        // The reason may quote the URL, which holds the flow's `state`: keep it out of the log.
        drop(reason);
        log::warn!("could not open the system browser for a {vendor} sign-in");
        end_early(
            state,
            &flow_id,
            Error::new(
                ErrorKind::Internal,
                "Hirebridge could not open your web browser. Check that a default browser is set, then try again.",
            ),
        );
    }
    Ok(flow_id)
}

/// Cancels a flow at the user's request; the browser's late answer then finds no listener.
pub fn cancel(state: &AppState, flow_id: &str) -> Result<(), Error> {
    if state.flows.snapshot().iter().all(|(id, _)| id != flow_id) {
        return Err(Error::not_found("That sign-in has already finished."));
    }
    log::info!("sign-in cancelled by the user");
    end_early(
        state,
        flow_id,
        Error::new(ErrorKind::Cancelled, "Linking was cancelled."),
    );
    Ok(())
}

fn end_early(state: &AppState, flow_id: &str, error: Error) {
    if let Some(flow) = state.flows.take(flow_id) {
        stop_waiter(&flow);
        state.link_events()(LinkEvent::Failed {
            flow_id: flow_id.to_owned(),
            error,
        });
    }
}

/// Completes the flow whose `state` matches a `hirebridge://oauth/callback` link. Returns the
/// refusal to show when no flow is waiting or none matches.
pub async fn complete_from_link(state: &AppState, raw: &str) -> Result<(), String> {
    let flows = state.flows.snapshot();
    if flows.is_empty() {
        return Err(
            "A sign-in response arrived, but no sign-in is in progress. It was ignored.".into(),
        );
    }
    let params = match Url::parse(raw)
        .map_err(|e| e.to_string())
        .and_then(|url| DeepLinkAction::try_from(&url).map_err(|e| e.message))
    {
        Ok(DeepLinkAction::OAuthCallback(params)) => params,
        Ok(DeepLinkAction::Link(_)) => return Err("This link does not complete a sign-in.".into()),
        Err(message) => return Err(message),
    };
    for (flow_id, flow) in flows {
        let result = flow.pending.complete(params.clone()).await;
        if matches!(result, Err(OAuthError::WrongState)) {
            continue;
        }
        if let Some(flow) = state.flows.take(&flow_id) {
            stop_waiter(&flow);
            let services = state.services().map_err(|e| e.message)?;
            finish(
                &services,
                &state.link_events(),
                &flow_id,
                &flow,
                result.map_err(Error::from),
            )
            .await;
        }
        return Ok(());
    }
    Err(OAuthError::WrongState.to_string())
}

/// Saves what the flow brought back and tells the UI.
async fn finish(
    services: &Services,
    events: &LinkEventSink,
    flow_id: &str,
    flow: &ActiveFlow,
    result: Result<TokenSet, Error>,
) {
    let outcome = match result {
        Ok(tokens) => save(services, flow, tokens).await,
        Err(e) => Err(e),
    };
    let event = match outcome {
        Ok(account) => {
            log::info!("linked a {} account", account.vendor);
            LinkEvent::Completed {
                flow_id: flow_id.to_owned(),
                account,
            }
        }
        Err(error) => {
            log::warn!("linking failed: {:?}", error.kind);
            LinkEvent::Failed {
                flow_id: flow_id.to_owned(),
                error,
            }
        }
    };
    events(event);
}

async fn save(services: &Services, flow: &ActiveFlow, tokens: TokenSet) -> Result<Account, Error> {
    let secrets = services.secrets()?;
    match &flow.target {
        FlowTarget::NewAccount { label, base_url } => {
            save_oauth_account(
                &services.accounts,
                secrets.as_ref(),
                &flow.config,
                label,
                base_url.as_deref(),
                tokens,
            )
            .await
        }
        FlowTarget::Relink { account_id } => {
            let account = relink_oauth_account(
                &services.accounts,
                secrets.as_ref(),
                account_id,
                &flow.config,
                tokens,
            )
            .await?;
            services.forget_credentials(&account.id);
            Ok(account)
        }
    }
}

fn stop_waiter(flow: &ActiveFlow) {
    if let Some(waiter) = lock(&flow.waiter).take() {
        // Dropping the wait closes the loopback listener.
        waiter.abort();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Maps of flows hold no invariant a panic could break.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
