//! What the `sandbox` command reports: the announcement of a started sandbox and the list of
//! personas. Filled here, next to the clients and personas they describe; rendered by
//! `printer::sandbox`.

use std::path::PathBuf;

use serde::Serialize;

use super::config::{AcceptedAssertionAud, Client, ClientAuth, Service};
use super::personas::Persona;

/// One registered client, as announced.
#[derive(Debug, Serialize)]
pub struct ClientSummary {
    /// client_id.
    pub client_id: String,
    /// `private_key_jwt` or `client_secret_post`.
    pub auth: &'static str,
    /// Redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Services.
    pub services: Vec<Service>,
    /// For the generated test client: where its private keys are.
    pub private_keys: Option<PathBuf>,
}

impl ClientSummary {
    /// The summary of a registered client; `private_keys` is left for the caller to fill.
    pub fn of(client: &Client) -> Self {
        ClientSummary {
            client_id: client.client_id.clone(),
            auth: match client.auth {
                ClientAuth::PrivateKeyJwt(_) => "private_key_jwt",
                ClientAuth::Secret(_) => "client_secret_post",
            },
            redirect_uris: client.redirect_uris.clone(),
            services: client.services.clone(),
            private_keys: None,
        }
    }
}

/// What a started sandbox announces (one JSON line with `-o json`).
#[derive(Debug, Serialize)]
pub struct Ready {
    /// The issuer URL.
    pub issuer: String,
    /// The port.
    pub port: u16,
    /// The discovery URL.
    pub discovery: String,
    /// The registered clients.
    pub clients: Vec<ClientSummary>,
    /// The persona every login is approved as, with `--approve`.
    pub approve: Option<&'static str>,
    /// Which client-assertion audiences it accepts (`token-endpoint`, `either`, `issuer`).
    pub assertion_aud: AcceptedAssertionAud,
    /// The injected faults (`--fault`), in order.
    pub faults: Vec<FaultSummary>,
}

/// One injected fault, as announced.
#[derive(Debug, Serialize)]
pub struct FaultSummary {
    /// As given to `--fault`.
    pub fault: String,
    /// What it does, in words.
    pub effect: String,
}

/// One persona, as listed.
#[derive(Debug, Serialize)]
pub struct PersonaSummary {
    /// Its id (for `--approve`).
    pub id: &'static str,
    /// A name for people.
    pub label: &'static str,
    /// The country that issued the ID document.
    pub country: &'static str,
    /// The document.
    pub document: &'static str,
    /// The claims it can return.
    pub claims: Vec<String>,
}

impl PersonaSummary {
    /// The summary of a persona.
    pub fn of(persona: &'static Persona) -> Self {
        PersonaSummary {
            id: persona.id,
            label: persona.label,
            country: persona.country,
            document: persona.document,
            claims: persona.claims().keys().cloned().collect(),
        }
    }
}
