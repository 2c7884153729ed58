
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'itsme-cli' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'itsme-cli'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'itsme-cli' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in with itsme® (or the local sandbox) in your browser and show what your backend receives')
            [CompletionResult]::new('ciba', 'ciba', [CompletionResultType]::ParameterValue, 'Log in through itsme® CIBA (back channel): QR user discovery, signed request, poll or ping')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a partner''s itsme® setup: settings, keys, hosted JWK Set, certificates, credentials')
            [CompletionResult]::new('discovery', 'discovery', [CompletionResultType]::ParameterValue, 'Fetch, show and check a provider''s discovery document and keys')
            [CompletionResult]::new('decode-token', 'decode-token', [CompletionResultType]::ParameterValue, 'Decrypt, verify and explain an ID token or userinfo response')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Generate and inspect the RSA keys an itsme® integration needs')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Run a local itsme®-shaped OpenID provider, for demos, tests and CI')
            [CompletionResult]::new('claims', 'claims', [CompletionResultType]::ParameterValue, 'The claim catalogue: what each itsme® claim means, its scope, and for which ID-document countries it is returned')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Write a starter config file of profiles, or show the resolved settings')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL (also committed in `completions/`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'itsme-cli;login' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The provider: a named itsme® environment')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The provider: its issuer URL')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Your client_id (partner code)')
            [CompletionResult]::new('--service-code', '--service-code', [CompletionResultType]::ParameterName, 'Your service code: the scope `service:CODE` [default: none against itsme®, which gives you a code per service; LOGIN against a local sandbox]')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'Your registered redirect URI, byte for byte. A loopback one (127.0.0.1, localhost, [::1]) is listened on; any other means paste mode')
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Your private keys (private_key_jwt): a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable')
            [CompletionResult]::new('--client-secret', '--client-secret', [CompletionResultType]::ParameterName, 'Your client secret, for client-secret partners. Prefer the environment variable: a secret on the command line lands in shell history')
            [CompletionResult]::new('--assertion-aud', '--assertion-aud', [CompletionResultType]::ParameterName, 'The `aud` of your client assertions (private_key_jwt): `token-endpoint`, what itsme® documents, or `issuer` with `typ: client-authentication+jwt`, as RFC 10070 (Nov 2026) wants. `itsme-cli validate` shows which one the provider accepts [default: token-endpoint]')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'An extra scope: profile, email, address, phone, idDocument, eid. Repeatable')
            [CompletionResult]::new('--claim', '--claim', [CompletionResultType]::ParameterName, 'A claim to ask for, full or short (`BENationalNumber`, `itsme:BENationalNumber`). Repeatable')
            [CompletionResult]::new('--claims', '--claims', [CompletionResultType]::ParameterName, 'A raw `claims` parameter (JSON), instead of --claim')
            [CompletionResult]::new('--claims-in', '--claims-in', [CompletionResultType]::ParameterName, 'Where --claim claims are asked for')
            [CompletionResult]::new('--acr', '--acr', [CompletionResultType]::ParameterName, 'The authentication level')
            [CompletionResult]::new('--ui-locale', '--ui-locale', [CompletionResultType]::ParameterName, 'The language of the itsme® screens')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, '`prompt` (e.g. `login`, `login consent`)')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, '`max_age` in seconds (0–31536000, a year)')
            [CompletionResult]::new('--confirm-text', '--confirm-text', [CompletionResultType]::ParameterName, 'Confirmation: approve this text (≤ 7 500 ISO-8859-15 characters; HTML: <b> <i> <u> <br>)')
            [CompletionResult]::new('--confirm-payment', '--confirm-payment', [CompletionResultType]::ParameterName, 'Confirmation: approve a payment of AMOUNT (whole number) CURRENCY (ISO 4217) to IBAN')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the login, in seconds (1–3600)')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Write the tokens and the results to this file (mode 0600), for a later `decode-token`')
            [CompletionResult]::new('--save-picture', '--save-picture', [CompletionResultType]::ParameterName, 'Fetch the ID-document photo (the `picture` claim) and write it here (mode 0600)')
            [CompletionResult]::new('--har-out', '--har-out', [CompletionResultType]::ParameterName, 'Write this run''s own HTTP exchanges (discovery, keys, token, userinfo) to this file as a HAR 1.2 archive (mode 0600: it holds the tokens; the client secret is left out), for `decode-token --har`. The browser''s exchanges are the browser''s to record')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Log in against a sandbox started in this process, with a generated client (offline); settings from ITSME_* and profiles are not used')
            [CompletionResult]::new('--no-request-object', '--no-request-object', [CompletionResultType]::ParameterName, 'Send the parameters in the URL instead of a request object (request objects are on by default with private_key_jwt, and with the client secret at a legacy client-secret provider)')
            [CompletionResult]::new('--legacy', '--legacy', [CompletionResultType]::ParameterName, 'The provider is a legacy client-secret one (partners onboarded before 25 June 2025): send the request object signed HS256 with the client secret, not encrypted, with `aud` the authorization endpoint. Detected without this flag when the issuer is a `…/clientsecret-oidc/csapi/v0.1` base; with `--sandbox`, starts a legacy sandbox')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Do not open the browser: print the address to open yourself (a short start address on the loopback listener; a QR code only when a phone could use it and it fits the terminal)')
            [CompletionResult]::new('--show-tokens', '--show-tokens', [CompletionResultType]::ParameterName, 'Show the raw tokens in the output and in the -v trace (they are secrets: careful with logs and screenshots)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite the --save / --save-picture / --har-out files if they exist')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'itsme-cli;ciba' {
            [CompletionResult]::new('--approve', '--approve', [CompletionResultType]::ParameterName, 'With --sandbox: approve at once as this persona instead of opening the phone page (for CI)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The provider: a named itsme® environment')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The provider: its issuer URL')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Your client_id (partner code)')
            [CompletionResult]::new('--service-code', '--service-code', [CompletionResultType]::ParameterName, 'Your service code: the scope `service:CODE` [default: none against itsme®, which gives you a code per service; LOGIN against a local sandbox]')
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Your private keys (private_key_jwt): a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable')
            [CompletionResult]::new('--assertion-aud', '--assertion-aud', [CompletionResultType]::ParameterName, 'The `aud` of your client assertions (private_key_jwt): `token-endpoint`, what itsme® documents, or `issuer` with `typ: client-authentication+jwt`, as RFC 10070 (Nov 2026) wants. `itsme-cli validate` shows which one the provider accepts [default: token-endpoint]')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'An extra scope: profile, email, address, phone, idDocument, eid. Repeatable')
            [CompletionResult]::new('--claim', '--claim', [CompletionResultType]::ParameterName, 'A claim to ask for, full or short (`BENationalNumber`, `itsme:BENationalNumber`). Repeatable')
            [CompletionResult]::new('--claims-in', '--claims-in', [CompletionResultType]::ParameterName, 'Where --claim claims are asked for')
            [CompletionResult]::new('--acr', '--acr', [CompletionResultType]::ParameterName, 'The authentication level (`acr_values`)')
            [CompletionResult]::new('--requested-expiry', '--requested-expiry', [CompletionResultType]::ParameterName, '`requested_expiry`: the lifetime asked for the pending request, in seconds (1–86400; the provider may choose another)')
            [CompletionResult]::new('--confirm-text', '--confirm-text', [CompletionResultType]::ParameterName, 'CIBA Confirm: approve this text (≤ 7 500 ISO-8859-15 characters; HTML: <b> <i> <u> <br>)')
            [CompletionResult]::new('--confirm-payment', '--confirm-payment', [CompletionResultType]::ParameterName, 'CIBA Confirm: approve a payment of AMOUNT (whole number) CURRENCY (ISO 4217) to IBAN')
            [CompletionResult]::new('--login-hint-token', '--login-hint-token', [CompletionResultType]::ParameterName, 'Skip the QR discovery: a `user_identifier_token` your back end already has (single use)')
            [CompletionResult]::new('--sub', '--sub', [CompletionResultType]::ParameterName, 'Skip the QR discovery: the `sub` itsme® gave you for this user (sent as a `subject_code`)')
            [CompletionResult]::new('--hint-form', '--hint-form', [CompletionResultType]::ParameterName, 'How the `login_hint_token` is written (docs/itsme-facts.md#ciba-backchannel): the documented compact JWT (unsigned, as the only example, or signed RS256), or the request example''s inline object')
            [CompletionResult]::new('--ping-listen', '--ping-listen', [CompletionResultType]::ParameterName, 'Ping mode: listen for the provider''s ping on this address (the callback URL registered with itsme® must reach it), with a generated client_notification_token')
            [CompletionResult]::new('--discovery-limit', '--discovery-limit', [CompletionResultType]::ParameterName, 'Stop the QR discovery after this many seconds without a scan (10–900; docs/itsme-facts.md#ciba-discovery: the guide says 10 min, the error table 15)')
            [CompletionResult]::new('--qr-file', '--qr-file', [CompletionResultType]::ParameterName, 'Also write each QR code the provider sends to this file (the JPEG as received)')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Write the tokens and the results to this file (mode 0600), for a later `decode-token`')
            [CompletionResult]::new('--client-secret', '--client-secret', [CompletionResultType]::ParameterName, 'Refused: CIBA is private_key_jwt only (docs/itsme-facts.md#ciba-overview); pass --keys')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run against a sandbox started in this process, with a generated client (offline); settings from ITSME_* and profiles are not used')
            [CompletionResult]::new('--open-qr', '--open-qr', [CompletionResultType]::ParameterName, 'Open the --qr-file in the default image viewer when it is written')
            [CompletionResult]::new('--show-tokens', '--show-tokens', [CompletionResultType]::ParameterName, 'Show the raw tokens in the output and in the -v trace (they are secrets)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite the --save / --qr-file files if they exist')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'itsme-cli;validate' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The provider: a named itsme® environment')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The provider: its issuer URL')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Your client_id (partner code)')
            [CompletionResult]::new('--service-code', '--service-code', [CompletionResultType]::ParameterName, 'Your service code: the scope `service:CODE` [default: none against itsme®, which gives you a code per service; LOGIN against a local sandbox]')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'Your registered redirect URI (repeatable)')
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Your private keys (private_key_jwt): a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable')
            [CompletionResult]::new('--client-secret', '--client-secret', [CompletionResultType]::ParameterName, 'Your client secret, for client-secret partners. Prefer the environment variable: a secret on the command line lands in shell history')
            [CompletionResult]::new('--assertion-aud', '--assertion-aud', [CompletionResultType]::ParameterName, 'The `aud` of your client assertions (private_key_jwt): `token-endpoint`, what itsme® documents, or `issuer` with `typ: client-authentication+jwt`, as RFC 10070 (Nov 2026) wants. `itsme-cli validate` shows which one the provider accepts [default: token-endpoint]')
            [CompletionResult]::new('--jwks-uri', '--jwks-uri', [CompletionResultType]::ParameterName, 'The URL where you publish your public JWK Set')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificates (a PEM bundle) to trust in every connection `validate` makes (a private test PKI)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Only the checks that need no network')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'itsme-cli;discovery' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A named itsme® environment')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Any issuer URL')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Check the document against OpenID Connect Discovery 1.0 and what an itsme® client needs; exit 1 when a finding is an error')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print the document exactly as served')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'itsme-cli;decode-token' {
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'The provider''s public keys: a JWK Set file or URL. Default: the `jwks_uri` of the issuer''s discovery')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'The client_id: the expected audience')
            [CompletionResult]::new('--nonce', '--nonce', [CompletionResultType]::ParameterName, 'The expected nonce: a missing or different nonce fails')
            [CompletionResult]::new('--access-token', '--access-token', [CompletionResultType]::ParameterName, 'The access token issued with the ID token, to check `at_hash`')
            [CompletionResult]::new('--expect-sub', '--expect-sub', [CompletionResultType]::ParameterName, 'The expected `sub` (with --userinfo: the ID token''s `sub`)')
            [CompletionResult]::new('--clock-skew', '--clock-skew', [CompletionResultType]::ParameterName, 'Allowed clock difference for `exp`, `nbf` and `iat`, in seconds (0–3600; for older tokens, use --now)')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Validate as of this instant (RFC 3339 or Unix seconds), for tokens copied from old logs')
            [CompletionResult]::new('--save-photo', '--save-photo', [CompletionResultType]::ParameterName, 'Write the `physical_person_photo` claim to this file as the image it is')
            [CompletionResult]::new('--scan', '--scan', [CompletionResultType]::ParameterName, 'Find every compact JWS/JWE in a log file, anywhere on its lines, and decode each: one verdict (or JSON document) per token, with its line number')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'With --batch or --scan: how many tokens to decode at once (0–256; 0: one per CPU)')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Replay a recorded login from a HAR 1.2 file (a browser''s network export, or `login --har-out`): its itsme® exchanges as a timeline, checked across exchanges. Repeatable: the browser''s and the back end''s files are merged by time')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The expected issuer (`iss`, exact match); also where keys are discovered')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A named itsme® environment instead of --issuer')
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'The partner''s private keys, to decrypt: a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable')
            [CompletionResult]::new('--client-secret', '--client-secret', [CompletionResultType]::ParameterName, 'The client secret, for `dir`-encrypted and HS256 tokens. Prefer the environment variable: a secret on the command line lands in shell history')
            [CompletionResult]::new('--assertion-aud', '--assertion-aud', [CompletionResultType]::ParameterName, 'The `aud` of your client assertions (private_key_jwt): `token-endpoint`, what itsme® documents, or `issuer` with `typ: client-authentication+jwt`, as RFC 10070 (Nov 2026) wants. `itsme-cli validate` shows which one the provider accepts [default: token-endpoint]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('--userinfo', '--userinfo', [CompletionResultType]::ParameterName, 'Validate as a userinfo response: `sub` required, `iss`/`aud` checked when present')
            [CompletionResult]::new('--request-object', '--request-object', [CompletionResultType]::ParameterName, 'Explain a request object (docs/itsme-facts.md#authorization-request): whether its form is the one the provider takes (v2: signed RS256 then encrypted; legacy client-secret: HS256 with the secret, not encrypted: give the secret as for any HS256 token), its `aud`, and `iss` = `client_id`. Detected without this flag when a JWS carries `response_type`, `client_id` and `redirect_uri` and no `sub`')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Decode only, without verifying the signature. Every claim is then marked UNVERIFIED')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite the --save-photo file if it exists')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Read one token per line from stdin; write one verdict (or JSON document) per line, in the input''s order')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'itsme-cli;keys' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate a signing key and an encryption key for onboarding')
            [CompletionResult]::new('public', 'public', [CompletionResultType]::ParameterValue, 'Print the public JWK Set of a private key file (what you host at your jwks_uri)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Describe the keys of a file or URL: kid, use, alg, type, size, thumbprint; flag leaked private parts')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'itsme-cli;keys;generate' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The directory to write `private.jwks.json` and `public.jwks.json` into (created if missing)')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'RSA modulus size in bits: 2048, 3072 or 4096')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite existing key files')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'itsme-cli;keys;public' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'itsme-cli;keys;show' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('--public', '--public', [CompletionResultType]::ParameterName, 'The set is meant to be public: private members are an error (implied for URLs and for file names containing "public")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'itsme-cli;keys;help' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate a signing key and an encryption key for onboarding')
            [CompletionResult]::new('public', 'public', [CompletionResultType]::ParameterValue, 'Print the public JWK Set of a private key file (what you host at your jwks_uri)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Describe the keys of a file or URL: kid, use, alg, type, size, thumbprint; flag leaked private parts')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'itsme-cli;keys;help;generate' {
            break
        }
        'itsme-cli;keys;help;public' {
            break
        }
        'itsme-cli;keys;help;show' {
            break
        }
        'itsme-cli;keys;help;help' {
            break
        }
        'itsme-cli;sandbox' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The port on 127.0.0.1 (0–65535); 0 picks any free port')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'The client_id of the client registered from flags')
            [CompletionResult]::new('--client-jwks', '--client-jwks', [CompletionResultType]::ParameterName, 'Register a private_key_jwt client with these public keys (a JWK Set file or URL)')
            [CompletionResult]::new('--client-secret', '--client-secret', [CompletionResultType]::ParameterName, 'Register a client-secret client with this secret')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'A redirect URI of the client (repeatable)')
            [CompletionResult]::new('--service-code', '--service-code', [CompletionResultType]::ParameterName, 'A service code of the client (repeatable); scope `service:CODE`')
            [CompletionResult]::new('--approve', '--approve', [CompletionResultType]::ParameterName, 'Approve every authorization at once as this persona (default: the first Belgian one); CIBA discovery sessions are discovered at their first poll and backchannel requests approved at once')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Register the clients of this TOML file instead (see docs/sandbox.md)')
            [CompletionResult]::new('--assertion-aud', '--assertion-aud', [CompletionResultType]::ParameterName, 'Which client-assertion `aud` the token endpoint accepts: `token-endpoint` (itsme®''s documented form), `either` (also RFC 10070''s issuer form), `issuer` (RFC 10070''s only). Default: the config file''s `assertion_aud`, else `token-endpoint`')
            [CompletionResult]::new('--fault', '--fault', [CompletionResultType]::ParameterName, 'Inject a fault: `token:ERROR`, `authorization:ERROR`, `userinfo:ERROR`, `slow-userinfo:SECS`, `rotate-signing-key`, `plain-userinfo`, `picture-elsewhere`; for CIBA `ciba-token:ERROR` (e.g. `slow_down`, `expired_token`, `access_denied`), `backchannel:ERROR`, `expired_login_hint_token`, `unknown_user_id`, `discovery:429|400|401` (repeatable)')
            [CompletionResult]::new('--ciba-delivery', '--ciba-delivery', [CompletionResultType]::ParameterName, 'How CIBA results reach the clients: `poll` (they poll /token) or `ping` (a POST to --ciba-callback, then one token call)')
            [CompletionResult]::new('--ciba-callback', '--ciba-callback', [CompletionResultType]::ParameterName, 'Where the CIBA pings go (ping mode): https, or http on 127.0.0.1/localhost/::1')
            [CompletionResult]::new('--ciba-interval', '--ciba-interval', [CompletionResultType]::ParameterName, 'The CIBA `interval` in seconds (1–60) the sandbox announces and enforces: a discovery poll sooner answers 429, a token poll sooner `slow_down`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('--require-pkce', '--require-pkce', [CompletionResultType]::ParameterName, 'Make PKCE mandatory for the client registered from flags')
            [CompletionResult]::new('--legacy', '--legacy', [CompletionResultType]::ParameterName, 'Play a legacy client-secret provider (partners onboarded before 25 June 2025): the issuer `…/clientsecret-oidc/csapi/v0.1`, `/connect/…` endpoints, client-secret clients only, and request objects only signed HS256 with the secret, not encrypted, `aud` the authorize endpoint (the v2 form is refused, as a v2 sandbox refuses this one). Also `legacy = true` in a --config file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('personas', 'personas', [CompletionResultType]::ParameterValue, 'List the built-in personas (test users)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'itsme-cli;sandbox;personas' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'itsme-cli;sandbox;help' {
            [CompletionResult]::new('personas', 'personas', [CompletionResultType]::ParameterValue, 'List the built-in personas (test users)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'itsme-cli;sandbox;help;personas' {
            break
        }
        'itsme-cli;sandbox;help;help' {
            break
        }
        'itsme-cli;claims' {
            [CompletionResult]::new('--country', '--country', [CompletionResultType]::ParameterName, 'Show availability for ID documents issued by this country (ISO 3166-1 alpha-2, e.g. BE, NL)')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Only the claims of this scope (profile, email, address, phone, idDocument, eid)')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only claims whose name or meaning contains this text (case-insensitive)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'itsme-cli;config' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Add a profile to itsme.toml, or write a commented starter file (asks on a terminal)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the settings as resolved from ITSME_* variables and the profile, with their sources')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'itsme-cli;config;init' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The file to write')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The profile''s name (the default profile of a new file)')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Your client_id')
            [CompletionResult]::new('--service-code', '--service-code', [CompletionResultType]::ParameterName, 'Your service code (itsme® gives you one per service)')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'Your registered redirect URI')
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Your private key file (private_key_jwt)')
            [CompletionResult]::new('--jwks-uri', '--jwks-uri', [CompletionResultType]::ParameterName, 'Where you publish your public keys')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The environment')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Or any issuer URL')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the profile of that name if the file has one (only that profile: the file''s other profiles and comments are kept)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'itsme-cli;config;show' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'itsme-cli;config;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Add a profile to itsme.toml, or write a commented starter file (asks on a terminal)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the settings as resolved from ITSME_* variables and the profile, with their sources')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'itsme-cli;config;help;init' {
            break
        }
        'itsme-cli;config;help;show' {
            break
        }
        'itsme-cli;config;help;help' {
            break
        }
        'itsme-cli;completions' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format: readable text, or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'itsme-cli;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in with itsme® (or the local sandbox) in your browser and show what your backend receives')
            [CompletionResult]::new('ciba', 'ciba', [CompletionResultType]::ParameterValue, 'Log in through itsme® CIBA (back channel): QR user discovery, signed request, poll or ping')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a partner''s itsme® setup: settings, keys, hosted JWK Set, certificates, credentials')
            [CompletionResult]::new('discovery', 'discovery', [CompletionResultType]::ParameterValue, 'Fetch, show and check a provider''s discovery document and keys')
            [CompletionResult]::new('decode-token', 'decode-token', [CompletionResultType]::ParameterValue, 'Decrypt, verify and explain an ID token or userinfo response')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Generate and inspect the RSA keys an itsme® integration needs')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Run a local itsme®-shaped OpenID provider, for demos, tests and CI')
            [CompletionResult]::new('claims', 'claims', [CompletionResultType]::ParameterValue, 'The claim catalogue: what each itsme® claim means, its scope, and for which ID-document countries it is returned')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Write a starter config file of profiles, or show the resolved settings')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL (also committed in `completions/`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'itsme-cli;help;login' {
            break
        }
        'itsme-cli;help;ciba' {
            break
        }
        'itsme-cli;help;validate' {
            break
        }
        'itsme-cli;help;discovery' {
            break
        }
        'itsme-cli;help;decode-token' {
            break
        }
        'itsme-cli;help;keys' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate a signing key and an encryption key for onboarding')
            [CompletionResult]::new('public', 'public', [CompletionResultType]::ParameterValue, 'Print the public JWK Set of a private key file (what you host at your jwks_uri)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Describe the keys of a file or URL: kid, use, alg, type, size, thumbprint; flag leaked private parts')
            break
        }
        'itsme-cli;help;keys;generate' {
            break
        }
        'itsme-cli;help;keys;public' {
            break
        }
        'itsme-cli;help;keys;show' {
            break
        }
        'itsme-cli;help;sandbox' {
            [CompletionResult]::new('personas', 'personas', [CompletionResultType]::ParameterValue, 'List the built-in personas (test users)')
            break
        }
        'itsme-cli;help;sandbox;personas' {
            break
        }
        'itsme-cli;help;claims' {
            break
        }
        'itsme-cli;help;config' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Add a profile to itsme.toml, or write a commented starter file (asks on a terminal)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the settings as resolved from ITSME_* variables and the profile, with their sources')
            break
        }
        'itsme-cli;help;config;init' {
            break
        }
        'itsme-cli;help;config;show' {
            break
        }
        'itsme-cli;help;completions' {
            break
        }
        'itsme-cli;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
