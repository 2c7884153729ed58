
use builtin;
use str;

set edit:completion:arg-completer[itsme-cli] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'itsme-cli'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'itsme-cli'= {
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Log in with itsme® (or the local sandbox) in your browser and show what your backend receives'
            cand ciba 'Log in through itsme® CIBA (back channel): QR user discovery, signed request, poll or ping'
            cand validate 'Check a partner''s itsme® setup: settings, keys, hosted JWK Set, certificates, credentials'
            cand discovery 'Fetch, show and check a provider''s discovery document and keys'
            cand decode-token 'Decrypt, verify and explain an ID token or userinfo response'
            cand keys 'Generate and inspect the RSA keys an itsme® integration needs'
            cand sandbox 'Run a local itsme®-shaped OpenID provider, for demos, tests and CI'
            cand claims 'The claim catalogue: what each itsme® claim means, its scope, and for which ID-document countries it is returned'
            cand config 'Write a starter config file of profiles, or show the resolved settings'
            cand completions 'Print the shell completion script for SHELL (also committed in `completions/`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'itsme-cli;login'= {
            cand --env 'The provider: a named itsme® environment'
            cand --issuer 'The provider: its issuer URL'
            cand --client-id 'Your client_id (partner code)'
            cand --service-code 'Your service code: the scope `service:CODE` [default: none against itsme®, which gives you a code per service; LOGIN against a local sandbox]'
            cand --redirect-uri 'Your registered redirect URI, byte for byte. A loopback one (127.0.0.1, localhost, [::1]) is listened on; any other means paste mode'
            cand --keys 'Your private keys (private_key_jwt): a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable'
            cand --client-secret 'Your client secret, for client-secret partners. Prefer the environment variable: a secret on the command line lands in shell history'
            cand --assertion-aud 'The `aud` of your client assertions (private_key_jwt): `token-endpoint`, what itsme® documents, or `issuer` with `typ: client-authentication+jwt`, as RFC 10070 (Nov 2026) wants. `itsme-cli validate` shows which one the provider accepts [default: token-endpoint]'
            cand --scope 'An extra scope: profile, email, address, phone, idDocument, eid. Repeatable'
            cand --claim 'A claim to ask for, full or short (`BENationalNumber`, `itsme:BENationalNumber`). Repeatable'
            cand --claims 'A raw `claims` parameter (JSON), instead of --claim'
            cand --claims-in 'Where --claim claims are asked for'
            cand --acr 'The authentication level'
            cand --ui-locale 'The language of the itsme® screens'
            cand --prompt '`prompt` (e.g. `login`, `login consent`)'
            cand --max-age '`max_age` in seconds (0–31536000, a year)'
            cand --confirm-text 'Confirmation: approve this text (≤ 7 500 ISO-8859-15 characters; HTML: <b> <i> <u> <br>)'
            cand --confirm-payment 'Confirmation: approve a payment of AMOUNT (whole number) CURRENCY (ISO 4217) to IBAN'
            cand --timeout 'How long to wait for the login, in seconds (1–3600)'
            cand --save 'Write the tokens and the results to this file (mode 0600), for a later `decode-token`'
            cand --save-picture 'Fetch the ID-document photo (the `picture` claim) and write it here (mode 0600)'
            cand --har-out 'Write this run''s own HTTP exchanges (discovery, keys, token, userinfo) to this file as a HAR 1.2 archive (mode 0600: it holds the tokens; the client secret is left out), for `decode-token --har`. The browser''s exchanges are the browser''s to record'
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand --sandbox 'Log in against a sandbox started in this process, with a generated client (offline); settings from ITSME_* and profiles are not used'
            cand --no-request-object 'Send the parameters in the URL instead of a request object (request objects are on by default with private_key_jwt, and with the client secret at a legacy client-secret provider)'
            cand --legacy 'The provider is a legacy client-secret one (partners onboarded before 25 June 2025): send the request object signed HS256 with the client secret, not encrypted, with `aud` the authorization endpoint. Detected without this flag when the issuer is a `…/clientsecret-oidc/csapi/v0.1` base; with `--sandbox`, starts a legacy sandbox'
            cand --no-browser 'Do not open the browser: print the address to open yourself (a short start address on the loopback listener; a QR code only when a phone could use it and it fits the terminal)'
            cand --show-tokens 'Show the raw tokens in the output and in the -v trace (they are secrets: careful with logs and screenshots)'
            cand --force 'Overwrite the --save / --save-picture / --har-out files if they exist'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;ciba'= {
            cand --approve 'With --sandbox: approve at once as this persona instead of opening the phone page (for CI)'
            cand --env 'The provider: a named itsme® environment'
            cand --issuer 'The provider: its issuer URL'
            cand --client-id 'Your client_id (partner code)'
            cand --service-code 'Your service code: the scope `service:CODE` [default: none against itsme®, which gives you a code per service; LOGIN against a local sandbox]'
            cand --keys 'Your private keys (private_key_jwt): a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable'
            cand --assertion-aud 'The `aud` of your client assertions (private_key_jwt): `token-endpoint`, what itsme® documents, or `issuer` with `typ: client-authentication+jwt`, as RFC 10070 (Nov 2026) wants. `itsme-cli validate` shows which one the provider accepts [default: token-endpoint]'
            cand --scope 'An extra scope: profile, email, address, phone, idDocument, eid. Repeatable'
            cand --claim 'A claim to ask for, full or short (`BENationalNumber`, `itsme:BENationalNumber`). Repeatable'
            cand --claims-in 'Where --claim claims are asked for'
            cand --acr 'The authentication level (`acr_values`)'
            cand --requested-expiry '`requested_expiry`: the lifetime asked for the pending request, in seconds (1–86400; the provider may choose another)'
            cand --confirm-text 'CIBA Confirm: approve this text (≤ 7 500 ISO-8859-15 characters; HTML: <b> <i> <u> <br>)'
            cand --confirm-payment 'CIBA Confirm: approve a payment of AMOUNT (whole number) CURRENCY (ISO 4217) to IBAN'
            cand --login-hint-token 'Skip the QR discovery: a `user_identifier_token` your back end already has (single use)'
            cand --sub 'Skip the QR discovery: the `sub` itsme® gave you for this user (sent as a `subject_code`)'
            cand --hint-form 'How the `login_hint_token` is written (docs/itsme-facts.md#ciba-backchannel): the documented compact JWT (unsigned, as the only example, or signed RS256), or the request example''s inline object'
            cand --ping-listen 'Ping mode: listen for the provider''s ping on this address (the callback URL registered with itsme® must reach it), with a generated client_notification_token'
            cand --discovery-limit 'Stop the QR discovery after this many seconds without a scan (10–900; docs/itsme-facts.md#ciba-discovery: the guide says 10 min, the error table 15)'
            cand --qr-file 'Also write each QR code the provider sends to this file (the JPEG as received)'
            cand --save 'Write the tokens and the results to this file (mode 0600), for a later `decode-token`'
            cand --client-secret 'Refused: CIBA is private_key_jwt only (docs/itsme-facts.md#ciba-overview); pass --keys'
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand --sandbox 'Run against a sandbox started in this process, with a generated client (offline); settings from ITSME_* and profiles are not used'
            cand --open-qr 'Open the --qr-file in the default image viewer when it is written'
            cand --show-tokens 'Show the raw tokens in the output and in the -v trace (they are secrets)'
            cand --force 'Overwrite the --save / --qr-file files if they exist'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;validate'= {
            cand --env 'The provider: a named itsme® environment'
            cand --issuer 'The provider: its issuer URL'
            cand --client-id 'Your client_id (partner code)'
            cand --service-code 'Your service code: the scope `service:CODE` [default: none against itsme®, which gives you a code per service; LOGIN against a local sandbox]'
            cand --redirect-uri 'Your registered redirect URI (repeatable)'
            cand --keys 'Your private keys (private_key_jwt): a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable'
            cand --client-secret 'Your client secret, for client-secret partners. Prefer the environment variable: a secret on the command line lands in shell history'
            cand --assertion-aud 'The `aud` of your client assertions (private_key_jwt): `token-endpoint`, what itsme® documents, or `issuer` with `typ: client-authentication+jwt`, as RFC 10070 (Nov 2026) wants. `itsme-cli validate` shows which one the provider accepts [default: token-endpoint]'
            cand --jwks-uri 'The URL where you publish your public JWK Set'
            cand --ca-file 'Extra CA certificates (a PEM bundle) to trust in every connection `validate` makes (a private test PKI)'
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand --offline 'Only the checks that need no network'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;discovery'= {
            cand --env 'A named itsme® environment'
            cand --issuer 'Any issuer URL'
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand --check 'Check the document against OpenID Connect Discovery 1.0 and what an itsme® client needs; exit 1 when a finding is an error'
            cand --raw 'Print the document exactly as served'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;decode-token'= {
            cand --jwks 'The provider''s public keys: a JWK Set file or URL. Default: the `jwks_uri` of the issuer''s discovery'
            cand --client-id 'The client_id: the expected audience'
            cand --nonce 'The expected nonce: a missing or different nonce fails'
            cand --access-token 'The access token issued with the ID token, to check `at_hash`'
            cand --expect-sub 'The expected `sub` (with --userinfo: the ID token''s `sub`)'
            cand --clock-skew 'Allowed clock difference for `exp`, `nbf` and `iat`, in seconds (0–3600; for older tokens, use --now)'
            cand --now 'Validate as of this instant (RFC 3339 or Unix seconds), for tokens copied from old logs'
            cand --save-photo 'Write the `physical_person_photo` claim to this file as the image it is'
            cand --scan 'Find every compact JWS/JWE in a log file, anywhere on its lines, and decode each: one verdict (or JSON document) per token, with its line number'
            cand --jobs 'With --batch or --scan: how many tokens to decode at once (0–256; 0: one per CPU)'
            cand --har 'Replay a recorded login from a HAR 1.2 file (a browser''s network export, or `login --har-out`): its itsme® exchanges as a timeline, checked across exchanges. Repeatable: the browser''s and the back end''s files are merged by time'
            cand --issuer 'The expected issuer (`iss`, exact match); also where keys are discovered'
            cand --env 'A named itsme® environment instead of --issuer'
            cand --keys 'The partner''s private keys, to decrypt: a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable'
            cand --client-secret 'The client secret, for `dir`-encrypted and HS256 tokens. Prefer the environment variable: a secret on the command line lands in shell history'
            cand --assertion-aud 'The `aud` of your client assertions (private_key_jwt): `token-endpoint`, what itsme® documents, or `issuer` with `typ: client-authentication+jwt`, as RFC 10070 (Nov 2026) wants. `itsme-cli validate` shows which one the provider accepts [default: token-endpoint]'
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand --userinfo 'Validate as a userinfo response: `sub` required, `iss`/`aud` checked when present'
            cand --request-object 'Explain a request object (docs/itsme-facts.md#authorization-request): whether its form is the one the provider takes (v2: signed RS256 then encrypted; legacy client-secret: HS256 with the secret, not encrypted: give the secret as for any HS256 token), its `aud`, and `iss` = `client_id`. Detected without this flag when a JWS carries `response_type`, `client_id` and `redirect_uri` and no `sub`'
            cand --no-verify 'Decode only, without verifying the signature. Every claim is then marked UNVERIFIED'
            cand --force 'Overwrite the --save-photo file if it exists'
            cand --batch 'Read one token per line from stdin; write one verdict (or JSON document) per line, in the input''s order'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;keys'= {
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand generate 'Generate a signing key and an encryption key for onboarding'
            cand public 'Print the public JWK Set of a private key file (what you host at your jwks_uri)'
            cand show 'Describe the keys of a file or URL: kid, use, alg, type, size, thumbprint; flag leaked private parts'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'itsme-cli;keys;generate'= {
            cand --out 'The directory to write `private.jwks.json` and `public.jwks.json` into (created if missing)'
            cand --size 'RSA modulus size in bits: 2048, 3072 or 4096'
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand --force 'Overwrite existing key files'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;keys;public'= {
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;keys;show'= {
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand --public 'The set is meant to be public: private members are an error (implied for URLs and for file names containing "public")'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;keys;help'= {
            cand generate 'Generate a signing key and an encryption key for onboarding'
            cand public 'Print the public JWK Set of a private key file (what you host at your jwks_uri)'
            cand show 'Describe the keys of a file or URL: kid, use, alg, type, size, thumbprint; flag leaked private parts'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'itsme-cli;keys;help;generate'= {
        }
        &'itsme-cli;keys;help;public'= {
        }
        &'itsme-cli;keys;help;show'= {
        }
        &'itsme-cli;keys;help;help'= {
        }
        &'itsme-cli;sandbox'= {
            cand --port 'The port on 127.0.0.1 (0–65535); 0 picks any free port'
            cand --client-id 'The client_id of the client registered from flags'
            cand --client-jwks 'Register a private_key_jwt client with these public keys (a JWK Set file or URL)'
            cand --client-secret 'Register a client-secret client with this secret'
            cand --redirect-uri 'A redirect URI of the client (repeatable)'
            cand --service-code 'A service code of the client (repeatable); scope `service:CODE`'
            cand --approve 'Approve every authorization at once as this persona (default: the first Belgian one); CIBA discovery sessions are discovered at their first poll and backchannel requests approved at once'
            cand --config 'Register the clients of this TOML file instead (see docs/sandbox.md)'
            cand --assertion-aud 'Which client-assertion `aud` the token endpoint accepts: `token-endpoint` (itsme®''s documented form), `either` (also RFC 10070''s issuer form), `issuer` (RFC 10070''s only). Default: the config file''s `assertion_aud`, else `token-endpoint`'
            cand --fault 'Inject a fault: `token:ERROR`, `authorization:ERROR`, `userinfo:ERROR`, `slow-userinfo:SECS`, `rotate-signing-key`, `plain-userinfo`, `picture-elsewhere`; for CIBA `ciba-token:ERROR` (e.g. `slow_down`, `expired_token`, `access_denied`), `backchannel:ERROR`, `expired_login_hint_token`, `unknown_user_id`, `discovery:429|400|401` (repeatable)'
            cand --ciba-delivery 'How CIBA results reach the clients: `poll` (they poll /token) or `ping` (a POST to --ciba-callback, then one token call)'
            cand --ciba-callback 'Where the CIBA pings go (ping mode): https, or http on 127.0.0.1/localhost/::1'
            cand --ciba-interval 'The CIBA `interval` in seconds (1–60) the sandbox announces and enforces: a discovery poll sooner answers 429, a token poll sooner `slow_down`'
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand --require-pkce 'Make PKCE mandatory for the client registered from flags'
            cand --legacy 'Play a legacy client-secret provider (partners onboarded before 25 June 2025): the issuer `…/clientsecret-oidc/csapi/v0.1`, `/connect/…` endpoints, client-secret clients only, and request objects only signed HS256 with the secret, not encrypted, `aud` the authorize endpoint (the v2 form is refused, as a v2 sandbox refuses this one). Also `legacy = true` in a --config file'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand personas 'List the built-in personas (test users)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'itsme-cli;sandbox;personas'= {
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;sandbox;help'= {
            cand personas 'List the built-in personas (test users)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'itsme-cli;sandbox;help;personas'= {
        }
        &'itsme-cli;sandbox;help;help'= {
        }
        &'itsme-cli;claims'= {
            cand --country 'Show availability for ID documents issued by this country (ISO 3166-1 alpha-2, e.g. BE, NL)'
            cand --scope 'Only the claims of this scope (profile, email, address, phone, idDocument, eid)'
            cand --search 'Only claims whose name or meaning contains this text (case-insensitive)'
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;config'= {
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand init 'Add a profile to itsme.toml, or write a commented starter file (asks on a terminal)'
            cand show 'Show the settings as resolved from ITSME_* variables and the profile, with their sources'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'itsme-cli;config;init'= {
            cand --path 'The file to write'
            cand --name 'The profile''s name (the default profile of a new file)'
            cand --client-id 'Your client_id'
            cand --service-code 'Your service code (itsme® gives you one per service)'
            cand --redirect-uri 'Your registered redirect URI'
            cand --keys 'Your private key file (private_key_jwt)'
            cand --jwks-uri 'Where you publish your public keys'
            cand --env 'The environment'
            cand --issuer 'Or any issuer URL'
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand --force 'Replace the profile of that name if the file has one (only that profile: the file''s other profiles and comments are kept)'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;config;show'= {
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;config;help'= {
            cand init 'Add a profile to itsme.toml, or write a commented starter file (asks on a terminal)'
            cand show 'Show the settings as resolved from ITSME_* variables and the profile, with their sources'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'itsme-cli;config;help;init'= {
        }
        &'itsme-cli;config;help;show'= {
        }
        &'itsme-cli;config;help;help'= {
        }
        &'itsme-cli;completions'= {
            cand -o 'Result format: readable text, or JSON for scripts'
            cand --output 'Result format: readable text, or JSON for scripts'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;help'= {
            cand login 'Log in with itsme® (or the local sandbox) in your browser and show what your backend receives'
            cand ciba 'Log in through itsme® CIBA (back channel): QR user discovery, signed request, poll or ping'
            cand validate 'Check a partner''s itsme® setup: settings, keys, hosted JWK Set, certificates, credentials'
            cand discovery 'Fetch, show and check a provider''s discovery document and keys'
            cand decode-token 'Decrypt, verify and explain an ID token or userinfo response'
            cand keys 'Generate and inspect the RSA keys an itsme® integration needs'
            cand sandbox 'Run a local itsme®-shaped OpenID provider, for demos, tests and CI'
            cand claims 'The claim catalogue: what each itsme® claim means, its scope, and for which ID-document countries it is returned'
            cand config 'Write a starter config file of profiles, or show the resolved settings'
            cand completions 'Print the shell completion script for SHELL (also committed in `completions/`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'itsme-cli;help;login'= {
        }
        &'itsme-cli;help;ciba'= {
        }
        &'itsme-cli;help;validate'= {
        }
        &'itsme-cli;help;discovery'= {
        }
        &'itsme-cli;help;decode-token'= {
        }
        &'itsme-cli;help;keys'= {
            cand generate 'Generate a signing key and an encryption key for onboarding'
            cand public 'Print the public JWK Set of a private key file (what you host at your jwks_uri)'
            cand show 'Describe the keys of a file or URL: kid, use, alg, type, size, thumbprint; flag leaked private parts'
        }
        &'itsme-cli;help;keys;generate'= {
        }
        &'itsme-cli;help;keys;public'= {
        }
        &'itsme-cli;help;keys;show'= {
        }
        &'itsme-cli;help;sandbox'= {
            cand personas 'List the built-in personas (test users)'
        }
        &'itsme-cli;help;sandbox;personas'= {
        }
        &'itsme-cli;help;claims'= {
        }
        &'itsme-cli;help;config'= {
            cand init 'Add a profile to itsme.toml, or write a commented starter file (asks on a terminal)'
            cand show 'Show the settings as resolved from ITSME_* variables and the profile, with their sources'
        }
        &'itsme-cli;help;config;init'= {
        }
        &'itsme-cli;help;config;show'= {
        }
        &'itsme-cli;help;completions'= {
        }
        &'itsme-cli;help;help'= {
        }
    ]
    $completions[$command]
}
