//! The command line, all of it (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::itsme::Environment;
use crate::output::{ColorChoice, OutputFormat};
use crate::secret::Secret;
use crate::settings::{Flags, Layers};

// The bounds of the numeric flags: one line each, so that a huge value is a usage error (exit 2)
// naming the range instead of a panic, an abort or a wait without end further down. The help of
// each flag states its range; `sandbox --port` is bounded by its type, `keys generate --size` by
// `parse_key_size`, `sandbox --fault slow-userinfo:SECS` by its parser (0–600).

/// `decode-token --batch --jobs`: worker threads (each with its own keyring and queue).
pub const MAX_JOBS: u64 = 256;
/// `login --timeout`: an hour is longer than any itsme® login stays open.
pub const MAX_LOGIN_TIMEOUT_SECS: u64 = 3600;
/// `login --max-age`: a year.
pub const MAX_MAX_AGE_SECS: u64 = 365 * 24 * 3600;
/// `decode-token --clock-skew`: a clock wrong by more than an hour is broken; `--now` is the tool
/// for old tokens.
pub const MAX_CLOCK_SKEW_SECS: i64 = 3600;
/// `ciba --requested-expiry`: a day; itsme® may shorten it (PROTOCOL §9.3).
pub const MAX_REQUESTED_EXPIRY_SECS: u64 = 24 * 3600;
/// `ciba --discovery-limit`: the error table's 15 minutes, after which the provider answers 400
/// (PROTOCOL §9.2, §9.8.1).
pub const MAX_DISCOVERY_LIMIT_SECS: u64 = 900;

const EXIT_CODES: &str = "\
Exit codes:
  0    success (the token is valid, the command did what it was asked)
  1    the verdict is \"no\": invalid token, failed check
  2    trouble: bad usage, unreadable file, unreachable host
  130  interrupted (Ctrl-C)";

/// Validate, debug and try itsme® OpenID Connect integrations.
#[derive(Debug, Parser)]
#[command(name = "itsme-cli", version, about, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// Result format: readable text, or JSON for scripts.
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputFormat::Human, env = "ITSME_OUTPUT")]
    pub output: OutputFormat,

    /// When to colour the output; `auto` honours NO_COLOR and TERM=dumb.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// The profile of the config file (itsme.toml) to take settings from; flags and ITSME_*
    /// variables still win.
    #[arg(long, global = true, value_name = "NAME", env = "ITSME_PROFILE")]
    pub profile: Option<String>,

    /// Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and
    /// tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them.
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The examples of each command's help and man page, by command path, one shell line per line
/// (a `#` line is a comment, a line ending in `\` continues). They are verbatim blocks:
/// clap wraps `after_help` to the terminal width (cutting a command apart, or a `#` comment into a
/// line that is no longer one), so examples are written into the help template instead, which
/// clap prints as it is, and the man pages print them in a no-fill block (`tests/it/man_pages.rs`).
pub const EXAMPLES: &[(&str, &str)] = &[
    ("login", LOGIN_EXAMPLES),
    ("ciba", CIBA_EXAMPLES),
    ("validate", VALIDATE_EXAMPLES),
    ("discovery", DISCOVERY_EXAMPLES),
    ("decode-token", DECODE_EXAMPLES),
    ("keys generate", KEYS_GENERATE_EXAMPLES),
    ("keys public", KEYS_PUBLIC_EXAMPLES),
    ("keys show", KEYS_SHOW_EXAMPLES),
    ("sandbox", SANDBOX_EXAMPLES),
    ("claims", CLAIMS_EXAMPLES),
    ("config init", CONFIG_INIT_EXAMPLES),
    ("config show", CONFIG_SHOW_EXAMPLES),
    ("completions", COMPLETION_EXAMPLES),
];

/// The whole command line: [`Cli`] with each command's [`EXAMPLES`] in its help. `main` parses
/// with this (`Cli::command()` alone has no examples).
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    EXAMPLES
        .iter()
        .fold(Cli::command(), |command, (path, examples)| {
            let path: Vec<&str> = path.split(' ').collect();
            with_examples(command, &path, examples)
        })
}

/// clap's default template with a verbatim "Examples:" block between the options and the
/// `after_help` notes. Template text is not wrapped; `{` would start a template tag, so examples
/// never contain one (checked by a unit test).
fn with_examples(command: clap::Command, path: &[&str], examples: &str) -> clap::Command {
    match path {
        [] => {
            let indented: Vec<String> = examples
                .lines()
                .map(|line| match line {
                    "" => String::new(),
                    line => format!("  {line}"),
                })
                .collect();
            let examples = indented.join("\n");
            command.help_template(format!(
                "{{before-help}}{{about-with-newline}}\n{{usage-heading}} {{usage}}\n\n{{all-args}}\n\nExamples:\n{examples}{{after-help}}"
            ))
        }
        [first, rest @ ..] => {
            command.mut_subcommand(*first, |sub| with_examples(sub, rest, examples))
        }
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in with itsme® (or the local sandbox) in your browser and show what your backend receives.
    #[command(
        after_help = LOGIN_NOTES,
    )]
    Login(Box<LoginArgs>),
    /// Log in through itsme® CIBA (back channel): QR user discovery, signed request, poll or ping.
    #[command(
        after_help = CIBA_NOTES,
        mut_arg("client_secret", |a| with_env(a, "Refused: CIBA is private_key_jwt only (docs/itsme-facts.md#ciba-overview); pass --keys", "ITSME_CLIENT_SECRET")),
    )]
    Ciba(Box<CibaArgs>),
    /// Check a partner's itsme® setup: settings, keys, hosted JWK Set, certificates, credentials.
    #[command(after_help = VALIDATE_NOTES)]
    Validate(Box<ValidateArgs>),
    /// Fetch, show and check a provider's discovery document and keys.
    #[command(
        mut_arg("env", |a| with_env(a, "A named itsme® environment", "ITSME_ENV")),
        mut_arg("issuer", |a| with_env(a, "Any issuer URL", "ITSME_ISSUER")),
    )]
    Discovery(DiscoveryArgs),
    /// Decrypt, verify and explain an ID token or userinfo response.
    #[command(
        after_help = DECODE_NOTES,
        mut_arg("issuer", |a| with_env(a, "The expected issuer (`iss`, exact match); also where keys are discovered", "ITSME_ISSUER")),
        mut_arg("env", |a| with_env(a, "A named itsme® environment instead of --issuer", "ITSME_ENV")),
        mut_arg("keys", |a| a.help("The partner's private keys, to decrypt: a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable")),
        mut_arg("client_secret", |a| with_env(a, "The client secret, for `dir`-encrypted and HS256 tokens. Prefer the environment variable: a secret on the command line lands in shell history", "ITSME_CLIENT_SECRET")),
        // decode-token sends no client assertion.
        mut_arg("assertion_aud", |a| a.hide(true)),
    )]
    DecodeToken(Box<DecodeTokenArgs>),
    /// Generate and inspect the RSA keys an itsme® integration needs.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Run a local itsme®-shaped OpenID provider, for demos, tests and CI.
    #[command(args_conflicts_with_subcommands = true)]
    Sandbox(SandboxArgs),
    /// The claim catalogue: what each itsme® claim means, its scope, and for which ID-document
    /// countries it is returned.
    Claims(ClaimsArgs),
    /// Write a starter config file of profiles, or show the resolved settings.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print the shell completion script for SHELL (also committed in `completions/`).
    Completions(CompletionsArgs),
}

/// The provider, one setting however it is named: a typed flag beats `ITSME_ENV`/`ITSME_ISSUER`,
/// which beat the profile (resolved in `settings`).
#[derive(Debug, Clone, Default, Args)]
pub struct ProviderArgs {
    /// The provider: a named itsme® environment
    ///
    /// [env: ITSME_ENV]
    #[arg(long, value_enum, conflicts_with = "issuer")]
    pub env: Option<Environment>,

    /// The provider: its issuer URL

    ///

    /// [env: ITSME_ISSUER]
    #[arg(long, value_name = "URL")]
    pub issuer: Option<String>,
}

/// Who the client is.
#[derive(Debug, Clone, Default, Args)]
pub struct ClientArgs {
    /// Your client_id (partner code)
    ///
    /// [env: ITSME_CLIENT_ID]
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,

    /// Your service code: the scope `service:CODE`. Its default is
    /// `itsme::default_service_code`, in the words every command shows.
    #[arg(
        long,
        value_name = "CODE",
        help = service_code_help(),
        long_help = format!("{}\n\n[env: ITSME_SERVICE_CODE]", service_code_help())
    )]
    pub service_code: Option<String>,
}

/// How the client proves who it is: private keys (private_key_jwt) or a client secret.
#[derive(Debug, Clone, Default, Args)]
pub struct CredentialArgs {
    /// Your private keys (private_key_jwt): a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8).
    /// Repeatable.
    #[arg(long = "keys", value_name = "PATH")]
    pub keys: Vec<PathBuf>,

    /// Your client secret, for client-secret partners. Prefer the environment variable: a secret
    /// on the command line lands in shell history
    ///
    /// [env: ITSME_CLIENT_SECRET]
    #[arg(long, value_name = "SECRET")]
    pub client_secret: Option<Secret>,

    /// The `aud` of your client assertions (private_key_jwt): `token-endpoint`, what itsme®
    /// documents, or `issuer` with `typ: client-authentication+jwt`, as RFC 10070 (Nov 2026)
    /// wants. `itsme-cli validate` shows which one the provider accepts [default: token-endpoint]
    ///
    /// [env: ITSME_ASSERTION_AUD]
    #[arg(long, value_enum, value_name = "FORM")]
    pub assertion_aud: Option<crate::oidc::client_auth::AssertionAud>,
}

impl ProviderArgs {
    fn flags(&self) -> Flags {
        Flags {
            env: self.env,
            issuer: self.issuer.clone(),
            ..Flags::default()
        }
    }
}

impl ClientArgs {
    fn add_to(&self, flags: &mut Flags) {
        flags.client_id.clone_from(&self.client_id);
        flags.service_code.clone_from(&self.service_code);
    }
}

impl CredentialArgs {
    fn add_to(&self, flags: &mut Flags) {
        flags.keys.clone_from(&self.keys);
        flags.client_secret.clone_from(&self.client_secret);
        flags.assertion_aud = self.assertion_aud;
    }
}

impl Command {
    /// What this command's flags say about the shared settings, and which layers below the flags
    /// it consults; `None` for commands that take no shared settings.
    pub fn setting_flags(&self) -> Option<(Flags, Layers)> {
        match self {
            Command::Login(args) => {
                let mut flags = args.provider.flags();
                args.client.add_to(&mut flags);
                args.credentials.add_to(&mut flags);
                flags.redirect_uris = args.redirect_uri.iter().cloned().collect();
                flags.scopes.clone_from(&args.scopes);
                flags.claims.clone_from(&args.claims);
                let layers = if args.sandbox {
                    Layers::FlagsOnly
                } else {
                    Layers::All
                };
                Some((flags, layers))
            }
            Command::Ciba(args) => {
                let mut flags = args.provider.flags();
                args.client.add_to(&mut flags);
                args.credentials.add_to(&mut flags);
                flags.scopes.clone_from(&args.scopes);
                flags.claims.clone_from(&args.claims);
                let layers = if args.sandbox {
                    Layers::FlagsOnly
                } else {
                    Layers::All
                };
                Some((flags, layers))
            }
            Command::Validate(args) => {
                let mut flags = args.provider.flags();
                args.client.add_to(&mut flags);
                args.credentials.add_to(&mut flags);
                flags.redirect_uris.clone_from(&args.redirect_uris);
                flags.jwks_uri.clone_from(&args.jwks_uri);
                Some((flags, Layers::All))
            }
            Command::Discovery(args) => Some((args.provider.flags(), Layers::All)),
            Command::DecodeToken(args) => {
                let mut flags = args.provider.flags();
                flags.client_id.clone_from(&args.client_id);
                args.credentials.add_to(&mut flags);
                Some((flags, Layers::All))
            }
            Command::Config(ConfigCommand::Show) => Some((Flags::default(), Layers::All)),
            Command::Config(ConfigCommand::Init(_))
            | Command::Keys(_)
            | Command::Sandbox(_)
            | Command::Claims(_)
            | Command::Completions(_) => None,
        }
    }
}

/// The help of `--service-code`, with its default in the words every command shows.
fn service_code_help() -> String {
    format!(
        "Your service code: the scope `service:CODE` [default: {}]",
        crate::itsme::service_code_default_text()
    )
}

/// A text flag whose usual values shell completion offers (instead of file names), while any
/// value still parses: the command judges it, with its own message and hint.
#[derive(Clone)]
struct Suggested(fn() -> Vec<&'static str>);

impl clap::builder::TypedValueParser for Suggested {
    type Value = String;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(command, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            (self.0)()
                .into_iter()
                .map(clap::builder::PossibleValue::new),
        ))
    }
}

/// The scopes of the claim catalogue (`itsme::catalogue::scope_claims`).
fn scope_names() -> Vec<&'static str> {
    crate::itsme::catalogue::scope_claims()
        .iter()
        .map(|(scope, _)| *scope)
        .collect()
}

/// The sandbox's personas.
fn persona_ids() -> Vec<&'static str> {
    crate::sandbox::personas::all()
        .iter()
        .map(|p| p.id)
        .collect()
}

/// Typical `--fault` specs (`sandbox::Fault::SUGGESTED`).
fn fault_specs() -> Vec<&'static str> {
    crate::sandbox::Fault::SUGGESTED.to_vec()
}

/// A command's own help for a shared flag, with the variable it is also read from set apart the
/// way clap shows it.
fn with_env(arg: clap::Arg, help: &'static str, variable: &'static str) -> clap::Arg {
    arg.help(help)
        .long_help(format!("{help}\n\n[env: {variable}]"))
}

const COMPLETION_EXAMPLES: &str = "\
itsme-cli completions bash > ~/.local/share/bash-completion/completions/itsme-cli
# zsh, with fpath+=(~/.zfunc) before compinit in ~/.zshrc:
itsme-cli completions zsh > ~/.zfunc/_itsme-cli
itsme-cli completions fish > ~/.config/fish/completions/itsme-cli.fish";

const SANDBOX_EXAMPLES: &str = "\
# A provider with a fresh private_key_jwt test client (keys in a temporary directory):
itsme-cli sandbox --port 8080 --redirect-uri http://127.0.0.1:8765/callback

# Headless, for CI: approve every login at once; its address is in the JSON line on stdout:
itsme-cli sandbox -o json --approve --client-jwks public.jwks.json --client-id my-client \\
    --redirect-uri https://app.example/callback --service-code LOGIN &

# A legacy client-secret provider (csapi base, HS256 request objects with the secret):
ITSME_SANDBOX_CLIENT_SECRET=… itsme-cli sandbox --legacy --client-id my-client

# Like a provider that also accepts RFC 10070 client assertions (aud = the issuer):
itsme-cli sandbox --assertion-aud either

# CIBA in ping mode: results are announced by a POST to your callback (poll is the default):
itsme-cli sandbox --approve --ciba-delivery ping --ciba-callback http://127.0.0.1:9000/cb

itsme-cli sandbox personas     # the built-in test users";

/// Arguments of `sandbox`.
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// `personas`: list the built-in test users.
    #[command(subcommand)]
    pub command: Option<SandboxCommand>,

    /// The port on 127.0.0.1 (0–65535); 0 picks any free port.
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// The client_id of the client registered from flags.
    #[arg(long, value_name = "ID", default_value = "sandbox-client")]
    pub client_id: String,

    /// Register a private_key_jwt client with these public keys (a JWK Set file or URL).
    #[arg(long, value_name = "PATH|URL", conflicts_with = "client_secret")]
    pub client_jwks: Option<String>,

    /// Register a client-secret client with this secret.
    #[arg(
        long,
        value_name = "SECRET",
        env = "ITSME_SANDBOX_CLIENT_SECRET",
        hide_env_values = true
    )]
    pub client_secret: Option<Secret>,

    /// A redirect URI of the client (repeatable).
    #[arg(
        long = "redirect-uri",
        value_name = "URI",
        default_value = "http://127.0.0.1:8765/callback"
    )]
    pub redirect_uris: Vec<String>,

    /// A service code of the client (repeatable); scope `service:CODE`.
    #[arg(long = "service-code", value_name = "CODE", default_value = crate::itsme::SANDBOX_SERVICE_CODE)]
    pub service_codes: Vec<String>,

    /// Make PKCE mandatory for the client registered from flags.
    #[arg(long)]
    pub require_pkce: bool,

    /// Approve every authorization at once as this persona (default: the first Belgian one); CIBA
    /// discovery sessions are discovered at their first poll and backchannel requests approved at once.
    #[arg(long, value_name = "PERSONA", num_args = 0..=1, default_missing_value = "be-marie",
        value_parser = Suggested(persona_ids), hide_possible_values = true)]
    pub approve: Option<String>,

    /// Play a legacy client-secret provider (partners onboarded before 25 June 2025): the issuer
    /// `…/clientsecret-oidc/csapi/v0.1`, `/connect/…` endpoints, client-secret clients only, and
    /// request objects only signed HS256 with the secret, not encrypted, `aud` the authorize
    /// endpoint (the v2 form is refused, as a v2 sandbox refuses this one). Also `legacy = true` in
    /// a --config file.
    #[arg(long)]
    pub legacy: bool,

    /// Register the clients of this TOML file instead (see docs/sandbox.md).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["client_jwks", "client_secret"])]
    pub config: Option<PathBuf>,

    /// Which client-assertion `aud` the token endpoint accepts: `token-endpoint` (itsme®'s
    /// documented form), `either` (also RFC 10070's issuer form), `issuer` (RFC 10070's only).
    /// Default: the config file's `assertion_aud`, else `token-endpoint`.
    #[arg(long, value_enum, value_name = "FORM")]
    pub assertion_aud: Option<crate::sandbox::config::AcceptedAssertionAud>,

    /// Inject a fault: `token:ERROR`, `authorization:ERROR`, `userinfo:ERROR`, `slow-userinfo:SECS`,
    /// `rotate-signing-key`, `plain-userinfo`, `picture-elsewhere`; for CIBA `ciba-token:ERROR`
    /// (e.g. `slow_down`, `expired_token`, `access_denied`), `backchannel:ERROR`,
    /// `expired_login_hint_token`, `unknown_user_id`, `discovery:429|400|401` (repeatable).
    #[arg(long = "fault", value_name = "SPEC", value_parser = Suggested(fault_specs),
        hide_possible_values = true)]
    pub faults: Vec<String>,

    /// How CIBA results reach the clients: `poll` (they poll /token) or `ping` (a POST to
    /// --ciba-callback, then one token call).
    #[arg(long, value_enum, value_name = "MODE", default_value_t = crate::itsme::ciba::DeliveryMode::Poll)]
    pub ciba_delivery: crate::itsme::ciba::DeliveryMode,

    /// Where the CIBA pings go (ping mode): https, or http on 127.0.0.1/localhost/::1.
    #[arg(long, value_name = "URL")]
    pub ciba_callback: Option<String>,

    /// The CIBA `interval` in seconds (1–60) the sandbox announces and enforces: a discovery poll
    /// sooner answers 429, a token poll sooner `slow_down`.
    #[arg(long, value_name = "SECS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=60))]
    pub ciba_interval: u64,
}

/// `sandbox` subcommands.
#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// List the built-in personas (test users).
    Personas,
}

const CLAIMS_EXAMPLES: &str = "\
itsme-cli claims --country NL          # what a Dutch ID document gives you
itsme-cli claims --scope eid
itsme-cli claims --search national -o json | jq -r '.[].claim'";

/// Arguments of `claims`.
#[derive(Debug, Args)]
pub struct ClaimsArgs {
    /// Show availability for ID documents issued by this country (ISO 3166-1 alpha-2, e.g. BE, NL).
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Only the claims of this scope (profile, email, address, phone, idDocument, eid).
    #[arg(long, value_name = "NAME", value_parser = Suggested(scope_names), hide_possible_values = true)]
    pub scope: Option<String>,
    /// Only claims whose name or meaning contains this text (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

/// `config` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Add a profile to itsme.toml, or write a commented starter file (asks on a terminal).
    #[command(
        mut_arg("env", |a| a.help("The environment").long_help(None::<&str>)),
        mut_arg("issuer", |a| a.help("Or any issuer URL").long_help(None::<&str>)),
    )]
    Init(Box<ConfigInitArgs>),
    /// Show the settings as resolved from ITSME_* variables and the profile, with their sources.
    Show,
}

const CONFIG_INIT_EXAMPLES: &str = "\
itsme-cli config init
itsme-cli config init --name e2e --env e2e --client-id my-client --service-code MY_SERVICE \\
    --redirect-uri http://127.0.0.1:8765/callback --keys keys/private.jwks.json
# A second profile in the same file (its comments and other profiles are kept):
itsme-cli config init --name prd --env prd --client-id my-client";

const CONFIG_SHOW_EXAMPLES: &str = "\
itsme-cli config show
itsme-cli --profile prd config show -o json";

/// Arguments of `config init`.
#[derive(Debug, Args)]
pub struct ConfigInitArgs {
    /// The file to write.
    #[arg(long, value_name = "PATH", default_value = "itsme.toml")]
    pub path: PathBuf,
    /// The profile's name (the default profile of a new file).
    #[arg(long, default_value = "default")]
    pub name: String,
    /// The provider to write.
    #[command(flatten)]
    pub provider: ProviderArgs,
    /// Your client_id.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// Your service code (itsme® gives you one per service).
    #[arg(long, value_name = "CODE")]
    pub service_code: Option<String>,
    /// Your registered redirect URI.
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,
    /// Your private key file (private_key_jwt).
    #[arg(long, value_name = "PATH")]
    pub keys: Option<PathBuf>,
    /// Where you publish your public keys.
    #[arg(long, value_name = "URL")]
    pub jwks_uri: Option<String>,
    /// Replace the profile of that name if the file has one (only that profile: the file's other
    /// profiles and comments are kept).
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

const LOGIN_EXAMPLES: &str = "\
# Offline, against the built-in sandbox (opens your browser):
itsme-cli login --sandbox

# Your e2e credentials, private_key_jwt, Belgian national number in the ID token:
itsme-cli login --env e2e --client-id my-client --service-code LOGIN \\
    --redirect-uri http://127.0.0.1:8765/callback --keys private.jwks.json \\
    --scope profile --claim BENationalNumber

# A Confirmation (a request object is always used for it):
itsme-cli login --env e2e … --service-code PAY --confirm-payment 1250 EUR BE68539007547034

# The registered redirect URI is your web app: finish in the browser,
# then paste the final address:
itsme-cli login --env e2e … --redirect-uri https://app.example/callback

# A legacy client-secret partner (onboarded before 25 June 2025): the csapi issuer is
# detected and the request object is signed HS256 with the secret, not encrypted
# (--legacy forces that form):
ITSME_CLIENT_SECRET=… itsme-cli login --issuer https://oidc.e2e.itsme.services/clientsecret-oidc/csapi/v0.1 …
itsme-cli login --sandbox --legacy     # the same against a legacy sandbox

# A client assertion in RFC 10070's form (aud = the issuer), as openid-client 6 sends it:
itsme-cli login --env e2e … --assertion-aud issuer

# Record this run's exchanges, to replay them later with the browser's HAR (`decode-token --har`):
itsme-cli login --env e2e … --har-out login.har";

const LOGIN_NOTES: &str = "Exit codes: 0 the login worked and the tokens are valid, 1 refused or invalid, 2 trouble, \
130 interrupted.";

const VALIDATE_EXAMPLES: &str = "\
itsme-cli validate --env e2e --client-id my-client --service-code LOGIN \\
    --redirect-uri https://app.example/callback --keys private.jwks.json \\
    --jwks-uri https://app.example/jwks.json
itsme-cli validate --offline --client-id my-client --service-code LOGIN \\
    --redirect-uri … --keys private.jwks.json
itsme-cli validate … -o json | jq '.checks[] | select(.status == \"fail\")'
itsme-cli validate … --assertion-aud issuer   # probe with RFC 10070's client assertion first";

const VALIDATE_NOTES: &str = "\
The online checks send requests to the provider (discovery; ONE token request with a
deliberately invalid code for credentials_probe, and with private_key_jwt one more with the other
client-assertion `aud` for assertion_aud; for redirect_uri_registered one authorization request per
redirect URI, its answer not followed: nobody logs in) and to your jwks_uri.
Exit codes: 0 no check failed, 1 a check failed, 2 trouble (the provider unreachable included), 130 interrupted.";

/// Arguments of `validate`.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// The provider.
    #[command(flatten)]
    pub provider: ProviderArgs,

    /// The client.
    #[command(flatten)]
    pub client: ClientArgs,

    /// Your registered redirect URI (repeatable)

    ///

    /// [env: ITSME_REDIRECT_URI]
    #[arg(long = "redirect-uri", value_name = "URI")]
    pub redirect_uris: Vec<String>,

    /// The credentials.
    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// The URL where you publish your public JWK Set

    ///

    /// [env: ITSME_JWKS_URI]
    #[arg(long, value_name = "URL")]
    pub jwks_uri: Option<String>,

    /// Only the checks that need no network.
    #[arg(long)]
    pub offline: bool,

    /// Extra CA certificates (a PEM bundle) to trust in every connection `validate` makes (a
    /// private test PKI).
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
}

const DISCOVERY_EXAMPLES: &str = "\
itsme-cli discovery --env e2e               # what itsme® E2E supports, and its keys
itsme-cli discovery --env prd --check       # exit 1 if an itsme® client could not work with it
itsme-cli discovery --issuer http://127.0.0.1:8080/v2 --check -o json | jq .findings
itsme-cli discovery --env e2e --raw         # the document exactly as served";

/// Arguments of `discovery`.
#[derive(Debug, Args)]
pub struct DiscoveryArgs {
    /// The provider.
    #[command(flatten)]
    pub provider: ProviderArgs,

    /// Check the document against OpenID Connect Discovery 1.0 and what an itsme® client needs;
    /// exit 1 when a finding is an error.
    #[arg(long, conflicts_with = "raw")]
    pub check: bool,

    /// Print the document exactly as served.
    #[arg(long)]
    pub raw: bool,
}

/// Where the login's claims go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClaimsIn {
    /// In the ID token (itsme® recommends it: no userinfo call needed).
    IdToken,
    /// From the userinfo endpoint.
    Userinfo,
}

/// Arguments of `login`.
#[derive(Debug, Clone, Args)]
pub struct LoginArgs {
    /// Log in against a sandbox started in this process, with a generated client (offline);
    /// settings from ITSME_* and profiles are not used.
    #[arg(long, conflicts_with_all = ["issuer", "env", "client_id", "keys", "client_secret", "redirect_uri"])]
    pub sandbox: bool,

    /// The provider.
    #[command(flatten)]
    pub provider: ProviderArgs,

    /// The client.
    #[command(flatten)]
    pub client: ClientArgs,

    /// Your registered redirect URI, byte for byte. A loopback one (127.0.0.1, localhost, [::1]) is
    /// listened on; any other means paste mode
    ///
    /// [env: ITSME_REDIRECT_URI]
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,

    /// The credentials.
    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// An extra scope: profile, email, address, phone, idDocument, eid. Repeatable.
    #[arg(long = "scope", value_name = "SCOPE", value_parser = Suggested(scope_names),
        hide_possible_values = true)]
    pub scopes: Vec<String>,

    /// A claim to ask for, full or short (`BENationalNumber`, `itsme:BENationalNumber`). Repeatable.
    #[arg(long = "claim", value_name = "NAME")]
    pub claims: Vec<String>,

    /// A raw `claims` parameter (JSON), instead of --claim.
    #[arg(long = "claims", value_name = "JSON", conflicts_with = "claims")]
    pub raw_claims: Option<String>,

    /// Where --claim claims are asked for.
    #[arg(long, value_enum, default_value_t = ClaimsIn::IdToken)]
    pub claims_in: ClaimsIn,

    /// The authentication level.
    #[arg(long, value_enum)]
    pub acr: Option<crate::oidc::authorization::Acr>,

    /// The language of the itsme® screens.
    #[arg(long, value_parser = ["fr", "nl", "de", "en"])]
    pub ui_locale: Option<String>,

    /// `prompt` (e.g. `login`, `login consent`).
    #[arg(long)]
    pub prompt: Option<String>,

    /// `max_age` in seconds (0–31536000, a year).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(0..=MAX_MAX_AGE_SECS))]
    pub max_age: Option<u64>,

    /// Send the parameters in the URL instead of a request object (request objects are on by
    /// default with private_key_jwt, and with the client secret at a legacy client-secret provider).
    #[arg(long)]
    pub no_request_object: bool,

    /// The provider is a legacy client-secret one (partners onboarded before 25 June 2025): send
    /// the request object signed HS256 with the client secret, not encrypted, with `aud` the
    /// authorization endpoint. Detected without this flag when the issuer is a
    /// `…/clientsecret-oidc/csapi/v0.1` base; with `--sandbox`, starts a legacy sandbox.
    #[arg(long)]
    pub legacy: bool,

    /// Confirmation: approve this text (≤ 7 500 ISO-8859-15 characters; HTML: <b> <i> <u> <br>).
    #[arg(long, value_name = "TEXT", conflicts_with = "confirm_payment")]
    pub confirm_text: Option<String>,

    /// Confirmation: approve a payment of AMOUNT (whole number) CURRENCY (ISO 4217) to IBAN.
    #[arg(long, num_args = 3, value_names = ["AMOUNT", "CURRENCY", "IBAN"])]
    pub confirm_payment: Option<Vec<String>>,

    /// Do not open the browser: print the address to open yourself (a short start address on the
    /// loopback listener; a QR code only when a phone could use it and it fits the terminal).
    #[arg(long)]
    pub no_browser: bool,

    /// How long to wait for the login, in seconds (1–3600).
    #[arg(long, value_name = "SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=MAX_LOGIN_TIMEOUT_SECS))]
    pub timeout: u64,

    /// Show the raw tokens in the output and in the -v trace (they are secrets: careful with logs
    /// and screenshots).
    #[arg(long)]
    pub show_tokens: bool,

    /// Write the tokens and the results to this file (mode 0600), for a later `decode-token`.
    #[arg(long, value_name = "PATH")]
    pub save: Option<PathBuf>,

    /// Fetch the ID-document photo (the `picture` claim) and write it here (mode 0600).
    #[arg(long, value_name = "PATH")]
    pub save_picture: Option<PathBuf>,

    /// Write this run's own HTTP exchanges (discovery, keys, token, userinfo) to this file as a
    /// HAR 1.2 archive (mode 0600: it holds the tokens; the client secret is left out), for
    /// `decode-token --har`. The browser's exchanges are the browser's to record.
    #[arg(long, value_name = "PATH")]
    pub har_out: Option<PathBuf>,

    /// Overwrite the --save / --save-picture / --har-out files if they exist.
    #[arg(long)]
    pub force: bool,
}

const CIBA_EXAMPLES: &str = "\
# Offline, against the built-in sandbox: the QR code is shown and the phone page opens
# in your browser:
itsme-cli ciba --sandbox

# The same, headless for CI (the sandbox approves at once as a test persona):
itsme-cli ciba --sandbox --approve -o json

# Your e2e credentials (private_key_jwt only), poll mode: scan the QR code with the itsme® app:
itsme-cli ciba --env e2e --client-id my-client --service-code CIBA_LOGIN --keys private.jwks.json \\
    --scope profile --claim BENationalNumber --qr-file qr.jpg

# Ping mode: the callback URL registered with itsme® reaches this listener
# (behind your https proxy):
itsme-cli ciba --env e2e … --ping-listen 127.0.0.1:8400

# A user you already know, no QR code; CIBA Confirm of a payment:
itsme-cli ciba --env e2e … --service-code CIBA_PAY --sub 7xk3… --confirm-payment 1250 EUR BE68539007547034";

const CIBA_NOTES: &str = "Exit codes: 0 the login worked and the tokens are valid, 1 refused or invalid, 2 trouble, \
130 interrupted.";

/// Arguments of `ciba`.
#[derive(Debug, Clone, Args)]
pub struct CibaArgs {
    /// Run against a sandbox started in this process, with a generated client (offline);
    /// settings from ITSME_* and profiles are not used.
    #[arg(long, conflicts_with_all = ["issuer", "env", "client_id", "keys", "client_secret"])]
    pub sandbox: bool,

    /// With --sandbox: approve at once as this persona instead of opening the phone page (for CI).
    #[arg(long, value_name = "PERSONA", num_args = 0..=1, default_missing_value = "be-marie", requires = "sandbox")]
    pub approve: Option<String>,

    /// The provider.
    #[command(flatten)]
    pub provider: ProviderArgs,

    /// The client.
    #[command(flatten)]
    pub client: ClientArgs,

    /// The credentials: private_key_jwt only (docs/itsme-facts.md#ciba-overview); a client secret is refused.
    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// An extra scope: profile, email, address, phone, idDocument, eid. Repeatable.
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    /// A claim to ask for, full or short (`BENationalNumber`, `itsme:BENationalNumber`). Repeatable.
    #[arg(long = "claim", value_name = "NAME")]
    pub claims: Vec<String>,

    /// Where --claim claims are asked for.
    #[arg(long, value_enum, default_value_t = ClaimsIn::IdToken)]
    pub claims_in: ClaimsIn,

    /// The authentication level (`acr_values`).
    #[arg(long, value_enum)]
    pub acr: Option<crate::oidc::authorization::Acr>,

    /// `requested_expiry`: the lifetime asked for the pending request, in seconds (1–86400; the
    /// provider may choose another).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=MAX_REQUESTED_EXPIRY_SECS))]
    pub requested_expiry: Option<u64>,

    /// CIBA Confirm: approve this text (≤ 7 500 ISO-8859-15 characters; HTML: <b> <i> <u> <br>).
    #[arg(long, value_name = "TEXT", conflicts_with = "confirm_payment")]
    pub confirm_text: Option<String>,

    /// CIBA Confirm: approve a payment of AMOUNT (whole number) CURRENCY (ISO 4217) to IBAN.
    #[arg(long, num_args = 3, value_names = ["AMOUNT", "CURRENCY", "IBAN"])]
    pub confirm_payment: Option<Vec<String>>,

    /// Skip the QR discovery: a `user_identifier_token` your back end already has (single use).
    #[arg(long, value_name = "TOKEN", conflicts_with = "sub")]
    pub login_hint_token: Option<Secret>,

    /// Skip the QR discovery: the `sub` itsme® gave you for this user (sent as a `subject_code`).
    #[arg(long, value_name = "SUB")]
    pub sub: Option<String>,

    /// How the `login_hint_token` is written (docs/itsme-facts.md#ciba-backchannel): the documented compact JWT
    /// (unsigned, as the only example, or signed RS256), or the request example's inline object.
    #[arg(long, value_enum, default_value_t = crate::itsme::ciba::hint::HintForm::JwtNone)]
    pub hint_form: crate::itsme::ciba::hint::HintForm,

    /// Ping mode: listen for the provider's ping on this address (the callback URL registered
    /// with itsme® must reach it), with a generated client_notification_token.
    #[arg(long, value_name = "ADDR")]
    pub ping_listen: Option<std::net::SocketAddr>,

    /// Stop the QR discovery after this many seconds without a scan (10–900; docs/itsme-facts.md#ciba-discovery: the
    /// guide says 10 min, the error table 15).
    #[arg(long, value_name = "SECS", default_value_t = 600, value_parser = clap::value_parser!(u64).range(10..=MAX_DISCOVERY_LIMIT_SECS))]
    pub discovery_limit: u64,

    /// Also write each QR code the provider sends to this file (the JPEG as received).
    #[arg(long, value_name = "PATH")]
    pub qr_file: Option<PathBuf>,

    /// Open the --qr-file in the default image viewer when it is written.
    #[arg(long, requires = "qr_file")]
    pub open_qr: bool,

    /// Show the raw tokens in the output and in the -v trace (they are secrets).
    #[arg(long)]
    pub show_tokens: bool,

    /// Write the tokens and the results to this file (mode 0600), for a later `decode-token`.
    #[arg(long, value_name = "PATH")]
    pub save: Option<PathBuf>,

    /// Overwrite the --save / --qr-file files if they exist.
    #[arg(long)]
    pub force: bool,
}

const DECODE_EXAMPLES: &str = "\
# A token copied from a log, with your private keys and the provider's keys from discovery:
itsme-cli decode-token @id_token.txt --keys private.jwks.json --env e2e --client-id my-client

# The example token shipped with the tool, validated as of the time it was made:
itsme-cli decode-token @docs/examples/id-token.txt \\
    --keys docs/examples/partner-private.jwks.json --jwks docs/examples/provider.jwks.json \\
    --env e2e --client-id my-partner-code --now 2026-01-01T00:05:00Z

# One token per line on stdin, one JSON verdict per line:
grep -o 'eyJ[^ ]*' app.log |
    itsme-cli decode-token --batch -o json --keys private.jwks.json --env prd

# Every JWS/JWE anywhere in a log file, each with its line number:
itsme-cli decode-token --scan app.log --keys private.jwks.json --env prd

# Replay a recorded login: the browser's HAR (devtools → Network → Export HAR) and the back
# end's (`login --har-out`), checked across exchanges (state, nonce, PKCE, redirect_uri, tokens):
itsme-cli decode-token --har browser.har --har login.har --keys private.jwks.json";

const DECODE_NOTES: &str = "Exit codes: 0 valid, 1 invalid (or any invalid with --batch/--scan, any failed check with \
--har), 2 trouble, 130 interrupted.";

/// Arguments of `decode-token`.
#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("stream").args(["batch", "scan"])))]
pub struct DecodeTokenArgs {
    /// The compact token (JWS or JWE); `-` or nothing reads stdin; `@PATH` reads a file.
    /// Whitespace, quotes and a `Bearer ` prefix around it are ignored. A file saved with
    /// `login --save` is checked against the issuer, client_id, nonce and access token saved with
    /// it (flags and ITSME_* still win; the profile does not).
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,

    /// The partner's keys and secret, to decrypt (and HS256 tokens).
    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// The provider's public keys: a JWK Set file or URL. Default: the `jwks_uri` of the issuer's discovery.
    #[arg(long, value_name = "PATH|URL")]
    pub jwks: Option<String>,

    /// The provider: the expected issuer.
    #[command(flatten)]
    pub provider: ProviderArgs,

    /// The client_id: the expected audience

    ///

    /// [env: ITSME_CLIENT_ID]
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,

    /// The expected nonce: a missing or different nonce fails.
    #[arg(long, value_name = "NONCE")]
    pub nonce: Option<String>,

    /// The access token issued with the ID token, to check `at_hash`.
    #[arg(long, value_name = "TOKEN")]
    pub access_token: Option<Secret>,

    /// Validate as a userinfo response: `sub` required, `iss`/`aud` checked when present.
    #[arg(long)]
    pub userinfo: bool,

    /// Explain a request object (docs/itsme-facts.md#authorization-request): whether its form is the one the provider takes
    /// (v2: signed RS256 then encrypted; legacy client-secret: HS256 with the secret, not
    /// encrypted: give the secret as for any HS256 token), its `aud`, and `iss` = `client_id`.
    /// Detected without this flag when a JWS carries `response_type`, `client_id` and
    /// `redirect_uri` and no `sub`.
    #[arg(long, conflicts_with = "userinfo")]
    pub request_object: bool,

    /// The expected `sub` (with --userinfo: the ID token's `sub`).
    #[arg(long, value_name = "SUB")]
    pub expect_sub: Option<String>,

    /// Allowed clock difference for `exp`, `nbf` and `iat`, in seconds (0–3600; for older
    /// tokens, use --now).
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u32).range(0..=MAX_CLOCK_SKEW_SECS))]
    pub clock_skew: u32,

    /// Validate as of this instant (RFC 3339 or Unix seconds), for tokens copied from old logs.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,

    /// Decode only, without verifying the signature. Every claim is then marked UNVERIFIED.
    #[arg(long)]
    pub no_verify: bool,

    /// Write the `physical_person_photo` claim to this file as the image it is.
    #[arg(long, value_name = "PATH")]
    pub save_photo: Option<PathBuf>,

    /// Overwrite the --save-photo file if it exists.
    #[arg(long, requires = "save_photo")]
    pub force: bool,

    /// Read one token per line from stdin; write one verdict (or JSON document) per line, in
    /// the input's order.
    #[arg(long, conflicts_with_all = ["token", "save_photo"])]
    pub batch: bool,

    /// Find every compact JWS/JWE in a log file, anywhere on its lines, and decode each: one
    /// verdict (or JSON document) per token, with its line number.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["token", "save_photo", "batch"])]
    pub scan: Option<PathBuf>,

    /// With --batch or --scan: how many tokens to decode at once (0–256; 0: one per CPU).
    #[arg(long, value_name = "N", default_value_t = 0, requires = "stream", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=MAX_JOBS))]
    pub jobs: usize,

    /// Replay a recorded login from a HAR 1.2 file (a browser's network export, or `login
    /// --har-out`): its itsme® exchanges as a timeline, checked across exchanges. Repeatable:
    /// the browser's and the back end's files are merged by time.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["token", "save_photo", "batch", "scan", "userinfo", "nonce", "access_token", "expect_sub"])]
    pub har: Vec<PathBuf>,
}

/// `keys` subcommands.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Generate a signing key and an encryption key for onboarding.
    Generate(KeysGenerateArgs),
    /// Print the public JWK Set of a private key file (what you host at your jwks_uri).
    Public(KeysPublicArgs),
    /// Describe the keys of a file or URL: kid, use, alg, type, size, thumbprint; flag leaked private parts.
    Show(KeysShowArgs),
}

const KEYS_GENERATE_EXAMPLES: &str = "\
itsme-cli keys generate --out keys/
itsme-cli keys generate --out keys/ --size 3072";

const KEYS_PUBLIC_EXAMPLES: &str = "\
itsme-cli keys public keys/private.jwks.json > public.jwks.json";

const KEYS_SHOW_EXAMPLES: &str = "\
itsme-cli keys show keys/private.jwks.json
itsme-cli keys show https://example.com/jwks.json --public";

/// Arguments of `keys generate`.
#[derive(Debug, Args)]
pub struct KeysGenerateArgs {
    /// The directory to write `private.jwks.json` and `public.jwks.json` into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// RSA modulus size in bits: 2048, 3072 or 4096.
    #[arg(long, default_value_t = 2048, value_parser = parse_key_size)]
    pub size: u32,

    /// Overwrite existing key files.
    #[arg(long)]
    pub force: bool,
}

fn parse_key_size(text: &str) -> Result<u32, String> {
    match text {
        "2048" | "3072" | "4096" => text.parse().map_err(|_| "not a number".into()),
        _ => Err("RSA keys for itsme® are 2048, 3072 or 4096 bits".into()),
    }
}

/// Arguments of `keys public`.
#[derive(Debug, Args)]
pub struct KeysPublicArgs {
    /// A private JWK Set, JWK or PEM.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
}

/// Arguments of `keys show`.
#[derive(Debug, Args)]
pub struct KeysShowArgs {
    /// A key file (JWK Set, JWK or PEM) or the https URL of a published JWK Set.
    #[arg(value_name = "PATH|URL")]
    pub source: String,

    /// The set is meant to be public: private members are an error (implied for URLs and
    /// for file names containing "public").
    #[arg(long)]
    pub public: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
        command().debug_assert();
    }

    #[test]
    fn examples_hold_no_template_tag() {
        for (path, examples) in EXAMPLES {
            assert!(
                !examples.contains(['{', '}']),
                "{path}: a brace would be a template tag"
            );
        }
    }

    #[test]
    fn secrets_are_secrets_from_the_moment_they_are_parsed() {
        for line in [
            &[
                "itsme-cli",
                "decode-token",
                "-",
                "--client-secret",
                "hunter2-x",
                "--access-token",
                "at-hunter2",
            ][..],
            &["itsme-cli", "login", "--client-secret", "hunter2-x"],
            &["itsme-cli", "ciba", "--client-secret", "hunter2-x"],
            &["itsme-cli", "ciba", "--login-hint-token", "hunter2-x"],
            &["itsme-cli", "validate", "--client-secret", "hunter2-x"],
            &["itsme-cli", "sandbox", "--client-secret", "hunter2-x"],
        ] {
            let cli = Cli::try_parse_from(line).unwrap();
            let shown = format!("{cli:?}");
            assert!(!shown.contains("hunter2"), "{shown}");
        }
    }
}
