
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
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
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
            cand --redirect-uri 'Your registered redirect URI, byte for byte. A loopback one (127.0.0.1, localhost, [::1]) is listened on; any other means paste mode'
            cand --keys 'Your private keys (private_key_jwt): a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable'
            cand --client-secret 'Your client secret, for client-secret partners. Prefer the environment variable: a secret on the command line lands in shell history'
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
            cand --service-code 'Your service code: the scope `service:CODE` [default: LOGIN]'
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand --sandbox 'Log in against a sandbox started in this process, with a generated client (offline); settings from ITSME_* and profiles are not used'
            cand --no-request-object 'Send the parameters in the URL instead of a signed and encrypted request object (request objects are on by default with private_key_jwt)'
            cand --no-browser 'Do not open the browser: print the URL (and a QR code) to open yourself'
            cand --show-tokens 'Show the raw tokens in the output and in the -v trace (they are secrets: careful with logs and screenshots)'
            cand --force 'Overwrite the --save / --save-picture files if they exist'
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
            cand --keys 'Your private keys (private_key_jwt): a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable'
            cand --scope 'An extra scope: profile, email, address, phone, idDocument, eid. Repeatable'
            cand --claim 'A claim to ask for, full or short (`BENationalNumber`, `itsme:BENationalNumber`). Repeatable'
            cand --claims-in 'Where --claim claims are asked for'
            cand --acr 'The authentication level (`acr_values`)'
            cand --requested-expiry '`requested_expiry`: the lifetime asked for the pending request, in seconds (1–86400; the provider may choose another)'
            cand --confirm-text 'CIBA Confirm: approve this text (≤ 7 500 ISO-8859-15 characters; HTML: <b> <i> <u> <br>)'
            cand --confirm-payment 'CIBA Confirm: approve a payment of AMOUNT (whole number) CURRENCY (ISO 4217) to IBAN'
            cand --login-hint-token 'Skip the QR discovery: a `user_identifier_token` your back end already has (single use)'
            cand --sub 'Skip the QR discovery: the `sub` itsme® gave you for this user (sent as a `subject_code`)'
            cand --hint-form 'How the `login_hint_token` is written (PROTOCOL §9.3, §9.8.4): the documented compact JWT (unsigned, as the only example, or signed RS256), or the request example''s inline object'
            cand --ping-listen 'Ping mode: listen for the provider''s ping on this address (the callback URL registered with itsme® must reach it), with a generated client_notification_token'
            cand --discovery-limit 'Stop the QR discovery after this many seconds without a scan (10–900; PROTOCOL §9.2: the guide says 10 min, the error table 15)'
            cand --qr-file 'Also write each QR code the provider sends to this file (the JPEG as received)'
            cand --save 'Write the tokens and the results to this file (mode 0600), for a later `decode-token`'
            cand --service-code 'Your CIBA service code: the scope `service:CODE`'
            cand --client-secret 'Refused: CIBA is private_key_jwt only (PROTOCOL §9.1); pass --keys'
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
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
            cand --service-code 'Your service code: the scope `service:CODE`'
            cand --redirect-uri 'Your registered redirect URI (repeatable)'
            cand --keys 'Your private keys (private_key_jwt): a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable'
            cand --client-secret 'Your client secret, for client-secret partners. Prefer the environment variable: a secret on the command line lands in shell history'
            cand --jwks-uri 'The URL where you publish your public JWK Set'
            cand --ca-file 'Extra CA certificates (a PEM bundle) to trust in every connection `validate` makes (a private test PKI)'
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
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
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
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
            cand --jobs 'With --batch: how many tokens to decode at once (0–256; 0: one per CPU)'
            cand --issuer 'The expected issuer (`iss`, exact match); also where keys are discovered'
            cand --env 'A named itsme® environment instead of --issuer'
            cand --keys 'The partner''s private keys, to decrypt: a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable'
            cand --client-secret 'The client secret, for `dir`-encrypted and HS256 tokens. Prefer the environment variable: a secret on the command line lands in shell history'
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand --userinfo 'Validate as a userinfo response: `sub` required, `iss`/`aud` checked when present'
            cand --no-verify 'Decode only, without verifying the signature. Every claim is then marked UNVERIFIED'
            cand --force 'Overwrite the --save-photo file if it exists'
            cand --batch 'Read one token per line from stdin; write one verdict (or JSON document) per line, in the input''s order'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;keys'= {
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
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
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand --force 'Overwrite existing key files'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;keys;public'= {
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;keys;show'= {
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
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
            cand --fault 'Inject a fault: `token:ERROR`, `authorization:ERROR`, `userinfo:ERROR`, `slow-userinfo:SECS`, `rotate-signing-key`, `plain-userinfo`, `picture-elsewhere`; for CIBA `ciba-token:ERROR` (e.g. `slow_down`, `expired_token`, `access_denied`), `backchannel:ERROR`, `expired_login_hint_token`, `unknown_user_id`, `discovery:429|400|401` (repeatable)'
            cand --ciba-delivery 'How CIBA results reach the clients: `poll` (they poll /token) or `ping` (a POST to --ciba-callback, then one token call)'
            cand --ciba-callback 'Where the CIBA pings go (ping mode): https, or http on 127.0.0.1/localhost/::1'
            cand --ciba-interval 'The CIBA `interval` in seconds (1–60) the sandbox announces and enforces: a discovery poll sooner answers 429, a token poll sooner `slow_down`'
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand --require-pkce 'Make PKCE mandatory for the client registered from flags'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand personas 'List the built-in personas (test users)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'itsme-cli;sandbox;personas'= {
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
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
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;config'= {
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand init 'Write a commented starter itsme.toml (asks for what it cannot guess on a terminal)'
            cand show 'Show the settings as resolved from ITSME_* variables and the profile, with their sources'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'itsme-cli;config;init'= {
            cand --path 'The file to write'
            cand --name 'The profile''s name (it becomes the default profile)'
            cand --client-id 'Your client_id'
            cand --service-code 'Your service code'
            cand --redirect-uri 'Your registered redirect URI'
            cand --keys 'Your private key file (private_key_jwt)'
            cand --jwks-uri 'Where you publish your public keys'
            cand --env 'The environment'
            cand --issuer 'Or any issuer URL'
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand --force 'Replace an existing file'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;config;show'= {
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --color 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb'
            cand --profile 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win'
            cand -v 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand --verbose 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'itsme-cli;config;help'= {
            cand init 'Write a commented starter itsme.toml (asks for what it cannot guess on a terminal)'
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
            cand -o 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
            cand --output 'Result format: readable text, or JSON for scripts (stable fields, documented per command in docs/)'
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
            cand init 'Write a commented starter itsme.toml (asks for what it cannot guess on a terminal)'
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
