# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_itsme_cli_global_optspecs
    string join \n o/output= color= profile= v/verbose h/help V/version
end

function __fish_itsme_cli_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_itsme_cli_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_itsme_cli_using_subcommand
    set -l cmd (__fish_itsme_cli_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -s V -l version -d 'Print version'
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -f -a "login" -d 'Log in with itsme® (or the local sandbox) in your browser and show what your backend receives'
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -f -a "ciba" -d 'Log in through itsme® CIBA (back channel): QR user discovery, signed request, poll or ping'
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -f -a "validate" -d 'Check a partner\'s itsme® setup: settings, keys, hosted JWK Set, certificates, credentials'
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -f -a "discovery" -d 'Fetch, show and check a provider\'s discovery document and keys'
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -f -a "decode-token" -d 'Decrypt, verify and explain an ID token or userinfo response'
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -f -a "keys" -d 'Generate and inspect the RSA keys an itsme® integration needs'
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -f -a "sandbox" -d 'Run a local itsme®-shaped OpenID provider, for demos, tests and CI'
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -f -a "claims" -d 'The claim catalogue: what each itsme® claim means, its scope, and for which ID-document countries it is returned'
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -f -a "config" -d 'Write a starter config file of profiles, or show the resolved settings'
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -f -a "completions" -d 'Print the shell completion script for SHELL (also committed in `completions/`)'
complete -c itsme-cli -n "__fish_itsme_cli_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l env -d 'The provider: a named itsme® environment' -r -f -a "e2e\t'itsme®\'s test environment (E2E), for integration tests with the itsme® test app (not the built-in `sandbox`)'
prd\t'Production'
uat\t'itsme®\'s acceptance environment (UAT); partners are normally given E2E and PRD'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l issuer -d 'The provider: its issuer URL' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l client-id -d 'Your client_id (partner code)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l service-code -d 'Your service code: the scope `service:CODE` [default: none against itsme®, which gives you a code per service; LOGIN against a local sandbox]' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l redirect-uri -d 'Your registered redirect URI, byte for byte. A loopback one (127.0.0.1, localhost, [::1]) is listened on; any other means paste mode' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l keys -d 'Your private keys (private_key_jwt): a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l client-secret -d 'Your client secret, for client-secret partners. Prefer the environment variable: a secret on the command line lands in shell history' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l assertion-aud -d 'The `aud` of your client assertions (private_key_jwt): `token-endpoint`, what itsme® documents, or `issuer` with `typ: client-authentication+jwt`, as RFC 10070 (Nov 2026) wants. `itsme-cli validate` shows which one the provider accepts [default: token-endpoint]' -r -f -a "token-endpoint\t'The token endpoint URL, as itsme® documents (the default)'
issuer\t'The issuer identifier, with the header `typ: client-authentication+jwt` (RFC 10070)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l scope -d 'An extra scope: profile, email, address, phone, idDocument, eid. Repeatable' -r -f -a "profile\t''
email\t''
phone\t''
address\t''
eid\t''
idDocument\t''"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l claim -d 'A claim to ask for, full or short (`BENationalNumber`, `itsme:BENationalNumber`). Repeatable' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l claims -d 'A raw `claims` parameter (JSON), instead of --claim' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l claims-in -d 'Where --claim claims are asked for' -r -f -a "id-token\t'In the ID token (itsme® recommends it: no userinfo call needed)'
userinfo\t'From the userinfo endpoint'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l acr -d 'The authentication level' -r -f -a "basic\t'Fingerprint or itsme code'
advanced\t'itsme code forced'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l ui-locale -d 'The language of the itsme® screens' -r -f -a "fr\t''
nl\t''
de\t''
en\t''"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l prompt -d '`prompt` (e.g. `login`, `login consent`)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l max-age -d '`max_age` in seconds (0–31536000, a year)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l confirm-text -d 'Confirmation: approve this text (≤ 7 500 ISO-8859-15 characters; HTML: <b> <i> <u> <br>)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l confirm-payment -d 'Confirmation: approve a payment of AMOUNT (whole number) CURRENCY (ISO 4217) to IBAN' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l timeout -d 'How long to wait for the login, in seconds (1–3600)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l save -d 'Write the tokens and the results to this file (mode 0600), for a later `decode-token`' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l save-picture -d 'Fetch the ID-document photo (the `picture` claim) and write it here (mode 0600)' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l har-out -d 'Write this run\'s own HTTP exchanges (discovery, keys, token, userinfo) to this file as a HAR 1.2 archive (mode 0600: it holds the tokens; the client secret is left out), for `decode-token --har`. The browser\'s exchanges are the browser\'s to record' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l sandbox -d 'Log in against a sandbox started in this process, with a generated client (offline); settings from ITSME_* and profiles are not used'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l no-request-object -d 'Send the parameters in the URL instead of a request object (request objects are on by default with private_key_jwt, and with the client secret at a legacy client-secret provider)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l legacy -d 'The provider is a legacy client-secret one (partners onboarded before 25 June 2025): send the request object signed HS256 with the client secret, not encrypted, with `aud` the authorization endpoint. Detected without this flag when the issuer is a `…/clientsecret-oidc/csapi/v0.1` base; with `--sandbox`, starts a legacy sandbox'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l no-browser -d 'Do not open the browser: print the address to open yourself (a short start address on the loopback listener; a QR code only when a phone could use it and it fits the terminal)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l show-tokens -d 'Show the raw tokens in the output and in the -v trace (they are secrets: careful with logs and screenshots)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -l force -d 'Overwrite the --save / --save-picture / --har-out files if they exist'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l approve -d 'With --sandbox: approve at once as this persona instead of opening the phone page (for CI)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l env -d 'The provider: a named itsme® environment' -r -f -a "e2e\t'itsme®\'s test environment (E2E), for integration tests with the itsme® test app (not the built-in `sandbox`)'
prd\t'Production'
uat\t'itsme®\'s acceptance environment (UAT); partners are normally given E2E and PRD'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l issuer -d 'The provider: its issuer URL' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l client-id -d 'Your client_id (partner code)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l service-code -d 'Your service code: the scope `service:CODE` [default: none against itsme®, which gives you a code per service; LOGIN against a local sandbox]' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l keys -d 'Your private keys (private_key_jwt): a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l assertion-aud -d 'The `aud` of your client assertions (private_key_jwt): `token-endpoint`, what itsme® documents, or `issuer` with `typ: client-authentication+jwt`, as RFC 10070 (Nov 2026) wants. `itsme-cli validate` shows which one the provider accepts [default: token-endpoint]' -r -f -a "token-endpoint\t'The token endpoint URL, as itsme® documents (the default)'
issuer\t'The issuer identifier, with the header `typ: client-authentication+jwt` (RFC 10070)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l scope -d 'An extra scope: profile, email, address, phone, idDocument, eid. Repeatable' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l claim -d 'A claim to ask for, full or short (`BENationalNumber`, `itsme:BENationalNumber`). Repeatable' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l claims-in -d 'Where --claim claims are asked for' -r -f -a "id-token\t'In the ID token (itsme® recommends it: no userinfo call needed)'
userinfo\t'From the userinfo endpoint'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l acr -d 'The authentication level (`acr_values`)' -r -f -a "basic\t'Fingerprint or itsme code'
advanced\t'itsme code forced'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l requested-expiry -d '`requested_expiry`: the lifetime asked for the pending request, in seconds (1–86400; the provider may choose another)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l confirm-text -d 'CIBA Confirm: approve this text (≤ 7 500 ISO-8859-15 characters; HTML: <b> <i> <u> <br>)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l confirm-payment -d 'CIBA Confirm: approve a payment of AMOUNT (whole number) CURRENCY (ISO 4217) to IBAN' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l login-hint-token -d 'Skip the QR discovery: a `user_identifier_token` your back end already has (single use)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l sub -d 'Skip the QR discovery: the `sub` itsme® gave you for this user (sent as a `subject_code`)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l hint-form -d 'How the `login_hint_token` is written (docs/itsme-facts.md#ciba-backchannel): the documented compact JWT (unsigned, as the only example, or signed RS256), or the request example\'s inline object' -r -f -a "jwt-none\t'A compact JWT with `alg: none`, as in the only documented compact example'
jwt-rs256\t'A compact JWT signed RS256 by the client\'s `sig` key'
inline\t'The inline JSON object of the request example'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l ping-listen -d 'Ping mode: listen for the provider\'s ping on this address (the callback URL registered with itsme® must reach it), with a generated client_notification_token' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l discovery-limit -d 'Stop the QR discovery after this many seconds without a scan (10–900; docs/itsme-facts.md#ciba-discovery: the guide says 10 min, the error table 15)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l qr-file -d 'Also write each QR code the provider sends to this file (the JPEG as received)' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l save -d 'Write the tokens and the results to this file (mode 0600), for a later `decode-token`' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l client-secret -d 'Refused: CIBA is private_key_jwt only (docs/itsme-facts.md#ciba-overview); pass --keys' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l sandbox -d 'Run against a sandbox started in this process, with a generated client (offline); settings from ITSME_* and profiles are not used'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l open-qr -d 'Open the --qr-file in the default image viewer when it is written'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l show-tokens -d 'Show the raw tokens in the output and in the -v trace (they are secrets)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -l force -d 'Overwrite the --save / --qr-file files if they exist'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand ciba" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -l env -d 'The provider: a named itsme® environment' -r -f -a "e2e\t'itsme®\'s test environment (E2E), for integration tests with the itsme® test app (not the built-in `sandbox`)'
prd\t'Production'
uat\t'itsme®\'s acceptance environment (UAT); partners are normally given E2E and PRD'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -l issuer -d 'The provider: its issuer URL' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -l client-id -d 'Your client_id (partner code)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -l service-code -d 'Your service code: the scope `service:CODE` [default: none against itsme®, which gives you a code per service; LOGIN against a local sandbox]' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -l redirect-uri -d 'Your registered redirect URI (repeatable)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -l keys -d 'Your private keys (private_key_jwt): a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -l client-secret -d 'Your client secret, for client-secret partners. Prefer the environment variable: a secret on the command line lands in shell history' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -l assertion-aud -d 'The `aud` of your client assertions (private_key_jwt): `token-endpoint`, what itsme® documents, or `issuer` with `typ: client-authentication+jwt`, as RFC 10070 (Nov 2026) wants. `itsme-cli validate` shows which one the provider accepts [default: token-endpoint]' -r -f -a "token-endpoint\t'The token endpoint URL, as itsme® documents (the default)'
issuer\t'The issuer identifier, with the header `typ: client-authentication+jwt` (RFC 10070)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -l jwks-uri -d 'The URL where you publish your public JWK Set' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -l ca-file -d 'Extra CA certificates (a PEM bundle) to trust in every connection `validate` makes (a private test PKI)' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -l offline -d 'Only the checks that need no network'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand discovery" -l env -d 'A named itsme® environment' -r -f -a "e2e\t'itsme®\'s test environment (E2E), for integration tests with the itsme® test app (not the built-in `sandbox`)'
prd\t'Production'
uat\t'itsme®\'s acceptance environment (UAT); partners are normally given E2E and PRD'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand discovery" -l issuer -d 'Any issuer URL' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand discovery" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand discovery" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand discovery" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand discovery" -l check -d 'Check the document against OpenID Connect Discovery 1.0 and what an itsme® client needs; exit 1 when a finding is an error'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand discovery" -l raw -d 'Print the document exactly as served'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand discovery" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand discovery" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l jwks -d 'The provider\'s public keys: a JWK Set file or URL. Default: the `jwks_uri` of the issuer\'s discovery' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l client-id -d 'The client_id: the expected audience' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l nonce -d 'The expected nonce: a missing or different nonce fails' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l access-token -d 'The access token issued with the ID token, to check `at_hash`' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l expect-sub -d 'The expected `sub` (with --userinfo: the ID token\'s `sub`)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l clock-skew -d 'Allowed clock difference for `exp`, `nbf` and `iat`, in seconds (0–3600; for older tokens, use --now)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l now -d 'Validate as of this instant (RFC 3339 or Unix seconds), for tokens copied from old logs' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l save-photo -d 'Write the `physical_person_photo` claim to this file as the image it is' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l scan -d 'Find every compact JWS/JWE in a log file, anywhere on its lines, and decode each: one verdict (or JSON document) per token, with its line number' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l jobs -d 'With --batch or --scan: how many tokens to decode at once (0–256; 0: one per CPU)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l har -d 'Replay a recorded login from a HAR 1.2 file (a browser\'s network export, or `login --har-out`): its itsme® exchanges as a timeline, checked across exchanges. Repeatable: the browser\'s and the back end\'s files are merged by time' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l issuer -d 'The expected issuer (`iss`, exact match); also where keys are discovered' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l env -d 'A named itsme® environment instead of --issuer' -r -f -a "e2e\t'itsme®\'s test environment (E2E), for integration tests with the itsme® test app (not the built-in `sandbox`)'
prd\t'Production'
uat\t'itsme®\'s acceptance environment (UAT); partners are normally given E2E and PRD'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l keys -d 'The partner\'s private keys, to decrypt: a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8). Repeatable' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l client-secret -d 'The client secret, for `dir`-encrypted and HS256 tokens. Prefer the environment variable: a secret on the command line lands in shell history' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l assertion-aud -d 'The `aud` of your client assertions (private_key_jwt): `token-endpoint`, what itsme® documents, or `issuer` with `typ: client-authentication+jwt`, as RFC 10070 (Nov 2026) wants. `itsme-cli validate` shows which one the provider accepts [default: token-endpoint]' -r -f -a "token-endpoint\t'The token endpoint URL, as itsme® documents (the default)'
issuer\t'The issuer identifier, with the header `typ: client-authentication+jwt` (RFC 10070)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l userinfo -d 'Validate as a userinfo response: `sub` required, `iss`/`aud` checked when present'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l request-object -d 'Explain a request object (docs/itsme-facts.md#authorization-request): whether its form is the one the provider takes (v2: signed RS256 then encrypted; legacy client-secret: HS256 with the secret, not encrypted: give the secret as for any HS256 token), its `aud`, and `iss` = `client_id`. Detected without this flag when a JWS carries `response_type`, `client_id` and `redirect_uri` and no `sub`'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l no-verify -d 'Decode only, without verifying the signature. Every claim is then marked UNVERIFIED'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l force -d 'Overwrite the --save-photo file if it exists'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -l batch -d 'Read one token per line from stdin; write one verdict (or JSON document) per line, in the input\'s order'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand decode-token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and not __fish_seen_subcommand_from generate public show help" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and not __fish_seen_subcommand_from generate public show help" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and not __fish_seen_subcommand_from generate public show help" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and not __fish_seen_subcommand_from generate public show help" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and not __fish_seen_subcommand_from generate public show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and not __fish_seen_subcommand_from generate public show help" -f -a "generate" -d 'Generate a signing key and an encryption key for onboarding'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and not __fish_seen_subcommand_from generate public show help" -f -a "public" -d 'Print the public JWK Set of a private key file (what you host at your jwks_uri)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and not __fish_seen_subcommand_from generate public show help" -f -a "show" -d 'Describe the keys of a file or URL: kid, use, alg, type, size, thumbprint; flag leaked private parts'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and not __fish_seen_subcommand_from generate public show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from generate" -l out -d 'The directory to write `private.jwks.json` and `public.jwks.json` into (created if missing)' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from generate" -l size -d 'RSA modulus size in bits: 2048, 3072 or 4096' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from generate" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from generate" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from generate" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from generate" -l force -d 'Overwrite existing key files'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from generate" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from public" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from public" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from public" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from public" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from public" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from show" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from show" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from show" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from show" -l public -d 'The set is meant to be public: private members are an error (implied for URLs and for file names containing "public")'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Generate a signing key and an encryption key for onboarding'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "public" -d 'Print the public JWK Set of a private key file (what you host at your jwks_uri)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "show" -d 'Describe the keys of a file or URL: kid, use, alg, type, size, thumbprint; flag leaked private parts'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l port -d 'The port on 127.0.0.1 (0–65535); 0 picks any free port' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l client-id -d 'The client_id of the client registered from flags' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l client-jwks -d 'Register a private_key_jwt client with these public keys (a JWK Set file or URL)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l client-secret -d 'Register a client-secret client with this secret' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l redirect-uri -d 'A redirect URI of the client (repeatable)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l service-code -d 'A service code of the client (repeatable); scope `service:CODE`' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l approve -d 'Approve every authorization at once as this persona (default: the first Belgian one); CIBA discovery sessions are discovered at their first poll and backchannel requests approved at once' -r -f -a "be-marie\t''
be-no-given-name\t''
nl-passport\t''
ro-national\t''"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l config -d 'Register the clients of this TOML file instead (see docs/sandbox.md)' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l assertion-aud -d 'Which client-assertion `aud` the token endpoint accepts: `token-endpoint` (itsme®\'s documented form), `either` (also RFC 10070\'s issuer form), `issuer` (RFC 10070\'s only). Default: the config file\'s `assertion_aud`, else `token-endpoint`' -r -f -a "token-endpoint\t'Only `aud` = the token endpoint, as itsme® documents (the default)'
either\t'The documented form, and also RFC 10070\'s (`aud` = the issuer)'
issuer\t'Only RFC 10070\'s form: `aud` = the issuer, as a single string'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l fault -d 'Inject a fault: `token:ERROR`, `authorization:ERROR`, `userinfo:ERROR`, `slow-userinfo:SECS`, `rotate-signing-key`, `plain-userinfo`, `picture-elsewhere`; for CIBA `ciba-token:ERROR` (e.g. `slow_down`, `expired_token`, `access_denied`), `backchannel:ERROR`, `expired_login_hint_token`, `unknown_user_id`, `discovery:429|400|401` (repeatable)' -r -f -a "token:invalid_grant\t''
token:invalid_client\t''
token:unauthorized_client\t''
authorization:access_denied\t''
authorization:temporary_unavailable\t''
userinfo:invalid_token\t''
slow-userinfo:5\t''
rotate-signing-key\t''
plain-userinfo\t''
picture-elsewhere\t''
picture-elsewhere:port\t''
picture-elsewhere:userinfo\t''
token-type:mac\t''"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l ciba-delivery -d 'How CIBA results reach the clients: `poll` (they poll /token) or `ping` (a POST to --ciba-callback, then one token call)' -r -f -a "poll\t'The client polls `/token` every `interval` seconds'
ping\t'The provider POSTs `{"auth_req_id": …}` to the client\'s registered callback, then the client calls `/token` once'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l ciba-callback -d 'Where the CIBA pings go (ping mode): https, or http on 127.0.0.1/localhost/::1' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l ciba-interval -d 'The CIBA `interval` in seconds (1–60) the sandbox announces and enforces: a discovery poll sooner answers 429, a token poll sooner `slow_down`' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l require-pkce -d 'Make PKCE mandatory for the client registered from flags'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -l legacy -d 'Play a legacy client-secret provider (partners onboarded before 25 June 2025): the issuer `…/clientsecret-oidc/csapi/v0.1`, `/connect/…` endpoints, client-secret clients only, and request objects only signed HS256 with the secret, not encrypted, `aud` the authorize endpoint (the v2 form is refused, as a v2 sandbox refuses this one). Also `legacy = true` in a --config file'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -f -a "personas" -d 'List the built-in personas (test users)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and not __fish_seen_subcommand_from personas help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and __fish_seen_subcommand_from personas" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and __fish_seen_subcommand_from personas" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and __fish_seen_subcommand_from personas" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and __fish_seen_subcommand_from personas" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and __fish_seen_subcommand_from personas" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "personas" -d 'List the built-in personas (test users)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand claims" -l country -d 'Show availability for ID documents issued by this country (ISO 3166-1 alpha-2, e.g. BE, NL)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand claims" -l scope -d 'Only the claims of this scope (profile, email, address, phone, idDocument, eid)' -r -f -a "profile\t''
email\t''
phone\t''
address\t''
eid\t''
idDocument\t''"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand claims" -l search -d 'Only claims whose name or meaning contains this text (case-insensitive)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand claims" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand claims" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand claims" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand claims" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand claims" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and not __fish_seen_subcommand_from init show help" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and not __fish_seen_subcommand_from init show help" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and not __fish_seen_subcommand_from init show help" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and not __fish_seen_subcommand_from init show help" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and not __fish_seen_subcommand_from init show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and not __fish_seen_subcommand_from init show help" -f -a "init" -d 'Add a profile to itsme.toml, or write a commented starter file (asks on a terminal)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and not __fish_seen_subcommand_from init show help" -f -a "show" -d 'Show the settings as resolved from ITSME_* variables and the profile, with their sources'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and not __fish_seen_subcommand_from init show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -l path -d 'The file to write' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -l name -d 'The profile\'s name (the default profile of a new file)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -l client-id -d 'Your client_id' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -l service-code -d 'Your service code (itsme® gives you one per service)' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -l redirect-uri -d 'Your registered redirect URI' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -l keys -d 'Your private key file (private_key_jwt)' -r -F
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -l jwks-uri -d 'Where you publish your public keys' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -l env -d 'The environment' -r -f -a "e2e\t'itsme®\'s test environment (E2E), for integration tests with the itsme® test app (not the built-in `sandbox`)'
prd\t'Production'
uat\t'itsme®\'s acceptance environment (UAT); partners are normally given E2E and PRD'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -l issuer -d 'Or any issuer URL' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -l force -d 'Replace the profile of that name if the file has one (only that profile: the file\'s other profiles and comments are kept)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from show" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "init" -d 'Add a profile to itsme.toml, or write a commented starter file (asks on a terminal)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the settings as resolved from ITSME_* variables and the profile, with their sources'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand completions" -s o -l output -d 'Result format: readable text, or JSON for scripts' -r -f -a "human\t'Readable text'
json\t'One JSON document (stable fields, documented per command in docs/)'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand completions" -l color -d 'When to colour the output; `auto` honours NO_COLOR and TERM=dumb' -r -f -a "auto\t'When stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`'
always\t'Always'
never\t'Never'"
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand completions" -l profile -d 'The profile of the config file (itsme.toml) to take settings from; flags and ITSME_* variables still win' -r
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand completions" -s v -l verbose -d 'Trace on stderr what is read, and every HTTP exchange (headers, bodies) with secrets and tokens redacted; -vv also decodes the JWTs met. `login --show-tokens` reveals them'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and not __fish_seen_subcommand_from login ciba validate discovery decode-token keys sandbox claims config completions help" -f -a "login" -d 'Log in with itsme® (or the local sandbox) in your browser and show what your backend receives'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and not __fish_seen_subcommand_from login ciba validate discovery decode-token keys sandbox claims config completions help" -f -a "ciba" -d 'Log in through itsme® CIBA (back channel): QR user discovery, signed request, poll or ping'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and not __fish_seen_subcommand_from login ciba validate discovery decode-token keys sandbox claims config completions help" -f -a "validate" -d 'Check a partner\'s itsme® setup: settings, keys, hosted JWK Set, certificates, credentials'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and not __fish_seen_subcommand_from login ciba validate discovery decode-token keys sandbox claims config completions help" -f -a "discovery" -d 'Fetch, show and check a provider\'s discovery document and keys'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and not __fish_seen_subcommand_from login ciba validate discovery decode-token keys sandbox claims config completions help" -f -a "decode-token" -d 'Decrypt, verify and explain an ID token or userinfo response'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and not __fish_seen_subcommand_from login ciba validate discovery decode-token keys sandbox claims config completions help" -f -a "keys" -d 'Generate and inspect the RSA keys an itsme® integration needs'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and not __fish_seen_subcommand_from login ciba validate discovery decode-token keys sandbox claims config completions help" -f -a "sandbox" -d 'Run a local itsme®-shaped OpenID provider, for demos, tests and CI'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and not __fish_seen_subcommand_from login ciba validate discovery decode-token keys sandbox claims config completions help" -f -a "claims" -d 'The claim catalogue: what each itsme® claim means, its scope, and for which ID-document countries it is returned'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and not __fish_seen_subcommand_from login ciba validate discovery decode-token keys sandbox claims config completions help" -f -a "config" -d 'Write a starter config file of profiles, or show the resolved settings'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and not __fish_seen_subcommand_from login ciba validate discovery decode-token keys sandbox claims config completions help" -f -a "completions" -d 'Print the shell completion script for SHELL (also committed in `completions/`)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and not __fish_seen_subcommand_from login ciba validate discovery decode-token keys sandbox claims config completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "generate" -d 'Generate a signing key and an encryption key for onboarding'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "public" -d 'Print the public JWK Set of a private key file (what you host at your jwks_uri)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "show" -d 'Describe the keys of a file or URL: kid, use, alg, type, size, thumbprint; flag leaked private parts'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and __fish_seen_subcommand_from sandbox" -f -a "personas" -d 'List the built-in personas (test users)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "init" -d 'Add a profile to itsme.toml, or write a commented starter file (asks on a terminal)'
complete -c itsme-cli -n "__fish_itsme_cli_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Show the settings as resolved from ITSME_* variables and the profile, with their sources'
